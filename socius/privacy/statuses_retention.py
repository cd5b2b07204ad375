"""Statuses of retention reviews and erasure requests, and the one map of allowed moves of each (decision 0023)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved and anonymised")
    REJECTED = "rejected", _("Rejected")


# A review waits for the director; approving it anonymises its persons in the same transaction, so "approved"
# means done. A rejected review is kept as a record of the decision; the next scheduled run lists anew.
REVIEW_TRANSITIONS: dict[str, frozenset[str]] = {
    ReviewStatus.PENDING: frozenset({ReviewStatus.APPROVED, ReviewStatus.REJECTED}),
    ReviewStatus.APPROVED: frozenset(),
    ReviewStatus.REJECTED: frozenset(),
}


class ErasureStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")
    ANONYMISED = "anonymised", _("Approved and anonymised")
    REFUSED = "refused", _("Refused")


# An erasure request (GDPR art. 17) that a statute answers is refused when it is recorded, with the statute's
# reason; otherwise it waits for the director, who approves it (the person is anonymised) or refuses it with a
# reason (e.g. art. 17 ust. 3 lit. e: legal claims).
ERASURE_TRANSITIONS: dict[str, frozenset[str]] = {
    ErasureStatus.REQUESTED: frozenset({ErasureStatus.ANONYMISED, ErasureStatus.REFUSED}),
    ErasureStatus.ANONYMISED: frozenset(),
    ErasureStatus.REFUSED: frozenset(),
}


class AnonymisedBy(models.TextChoices):
    RETENTION = "retention", _("Retention review")
    ERASURE = "erasure", _("Erasure request")
