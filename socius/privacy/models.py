"""Models of the privacy app; each sub-domain keeps its own module (subject access: decision 0022; retention: 0023;
registers: 0024)."""

from socius.privacy.models_registers import BreachNature, BreachRisk, DataBreach, ProcessingActivity
from socius.privacy.models_retention import Anonymisation, ErasureRequest, RetentionItem, RetentionReview
from socius.privacy.models_sar import SubjectAccessRequest

__all__ = [
    "Anonymisation",
    "BreachNature",
    "BreachRisk",
    "DataBreach",
    "ErasureRequest",
    "ProcessingActivity",
    "RetentionItem",
    "RetentionReview",
    "SubjectAccessRequest",
]
