"""Shared kernel: base models, errors, text folding, request context. No business rules."""
