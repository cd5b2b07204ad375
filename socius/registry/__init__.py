"""Persons, households, dated memberships, national IDs, search, duplicates and import."""
