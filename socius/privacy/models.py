"""Models of the privacy app; each sub-domain keeps its own module (retention: decision 0023)."""

from socius.privacy.models_retention import Anonymisation, ErasureRequest, RetentionItem, RetentionReview

__all__ = ["Anonymisation", "ErasureRequest", "RetentionItem", "RetentionReview"]
