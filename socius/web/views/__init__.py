"""UI views by area; thin: they parse input, call selectors/services, render."""
