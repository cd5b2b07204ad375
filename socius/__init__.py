"""Socius: case management and social assistance for local social welfare centres."""
