"""UI views: persons (to be built)."""
