"""UI views: audit (to be built)."""
