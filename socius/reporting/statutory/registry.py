"""Imports the statutory reports' modules so their indicators and layouts are registered."""
