"""UI views: importing (to be built)."""
