"""UI views: language (to be built)."""
