"""UI views: search (to be built)."""
