"""Domain errors raised by services and turned into messages and HTTP codes at the edge."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """Base of every error a service raises on purpose."""


class ValidationFailed(DomainError):
    """Bad input: messages per field (already translated, or lazy), nothing was written."""

    def __init__(self, errors: dict[str, list], *, extra: dict | None = None):
        super().__init__(errors)
        self.errors = errors
        self.extra = extra or {}


class NotFound(DomainError):
    """The record does not exist or is outside the actor's scope: both look the same."""


class Forbidden(DomainError):
    """The actor's role does not allow the action."""


class Conflict(DomainError):
    """The action contradicts the record's current state (e.g. an invalid transition)."""

    def __init__(self, message, *, code: str = "conflict"):
        super().__init__(message)
        self.message = message
        self.code = code


class InvalidTransition(Conflict):
    """A record cannot move from its state to the one asked (an app's `statuses.*_TRANSITIONS`); `labels` name
    the states in the reader's words."""

    def __init__(self, record, from_: str, to: str, labels: dict | None = None):
        self.record = record
        self.from_ = from_
        self.to = to
        labels = labels or {}
        super().__init__(
            _("This cannot move from “%(from)s” to “%(to)s”.")
            % {"from": labels.get(from_, from_), "to": labels.get(to, to)},
            code="invalid_transition",
        )
