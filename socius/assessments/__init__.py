"""Environmental interview and assessment instruments per jurisdiction (defined as data), findings, diagnosis."""
