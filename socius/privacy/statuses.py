"""States of a subject-access request (GDPR art. 15) and the moves between them (decision 0022)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SarStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    DELIVERED = "delivered", _("Delivered")
    REFUSED = "refused", _("Refused")


# A request is recorded, then the director approves it (which produces the export) or refuses it with the reason;
# an approved export is delivered to the person. Nothing moves back: a new request is recorded instead.
SAR_TRANSITIONS: dict[str, frozenset[str]] = {
    SarStatus.REQUESTED: frozenset({SarStatus.APPROVED, SarStatus.REFUSED}),
    SarStatus.APPROVED: frozenset({SarStatus.DELIVERED}),
    SarStatus.DELIVERED: frozenset(),
    SarStatus.REFUSED: frozenset(),
}


class Requester(models.TextChoices):
    PERSON = "person", _("The person themself")
    REPRESENTATIVE = "representative", _("A representative of the person")


class SarChannel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("E-mail")
    EPUAP = "electronic", _("Electronic delivery box")


class ExportState(models.TextChoices):
    """The export's production, beside the request's status (it runs as a job when a broker is configured)."""

    NONE = "", _("Not started")
    RUNNING = "running", _("Being produced")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
