"""Rulebook engine: what every country pack provides."""
