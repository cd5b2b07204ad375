"""Models of the privacy app; each sub-domain keeps its own module."""

from socius.privacy.models_registers import BreachNature, BreachRisk, DataBreach, ProcessingActivity  # noqa: F401
