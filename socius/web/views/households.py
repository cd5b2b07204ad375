"""UI views: households (to be built)."""
