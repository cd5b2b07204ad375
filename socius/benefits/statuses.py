"""Statuses of applications and decisions, the grant's state, and the one map of moves for each."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Decision proposed")
    RETURNED = "returned", _("Proposal returned")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A draft is proposed (a decision is computed) or withdrawn; a returned proposal is corrected and proposed
# again, or withdrawn; the approval of its proposal decides the application. Decided and withdrawn are final.
APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    ApplicationStatus.DRAFT: frozenset({ApplicationStatus.PROPOSED, ApplicationStatus.WITHDRAWN}),
    ApplicationStatus.PROPOSED: frozenset({ApplicationStatus.RETURNED, ApplicationStatus.DECIDED}),
    ApplicationStatus.RETURNED: frozenset({ApplicationStatus.PROPOSED, ApplicationStatus.WITHDRAWN}),
    ApplicationStatus.DECIDED: frozenset(),
    ApplicationStatus.WITHDRAWN: frozenset(),
}


class DecisionKind(models.TextChoices):
    GRANT = "grant", _("Grant")
    REFUSAL = "refusal", _("Refusal")
    AMENDMENT = "amendment", _("Amendment")
    SUSPENSION = "suspension", _("Suspension")
    RESUMPTION = "resumption", _("Resumption")
    REVOCATION = "revocation", _("Revocation")
    ENDING = "ending", _("Ending")


# Kinds that grant money (and so have a state); the others change one of them.
GRANTING_KINDS = frozenset({DecisionKind.GRANT, DecisionKind.AMENDMENT})
CHANGING_KINDS = frozenset(
    {
        DecisionKind.AMENDMENT,
        DecisionKind.SUSPENSION,
        DecisionKind.RESUMPTION,
        DecisionKind.REVOCATION,
        DecisionKind.ENDING,
    }
)


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


# A proposal is approved (it becomes an administrative act with a number) or returned with a comment;
# both are final for that row: a corrected proposal is a new row.
DECISION_TRANSITIONS: dict[str, frozenset[str]] = {
    DecisionStatus.PROPOSED: frozenset({DecisionStatus.APPROVED, DecisionStatus.RETURNED}),
    DecisionStatus.RETURNED: frozenset(),
    DecisionStatus.APPROVED: frozenset(),
}


class GrantState(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    ENDED = "ended", _("Ended")
    SUPERSEDED = "superseded", _("Superseded")


# What an approved change does to the grant it changes, and from which states it may act.
STATE_AFTER: dict[str, str] = {
    DecisionKind.AMENDMENT: GrantState.SUPERSEDED,
    DecisionKind.SUSPENSION: GrantState.SUSPENDED,
    DecisionKind.RESUMPTION: GrantState.ACTIVE,
    DecisionKind.REVOCATION: GrantState.REVOKED,
    DecisionKind.ENDING: GrantState.ENDED,
}
STATES_BEFORE: dict[str, frozenset[str]] = {
    DecisionKind.AMENDMENT: frozenset({GrantState.ACTIVE}),
    DecisionKind.SUSPENSION: frozenset({GrantState.ACTIVE}),
    DecisionKind.RESUMPTION: frozenset({GrantState.SUSPENDED}),
    DecisionKind.REVOCATION: frozenset({GrantState.ACTIVE, GrantState.SUSPENDED}),
    DecisionKind.ENDING: frozenset({GrantState.ACTIVE, GrantState.SUSPENDED}),
}


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CASH = "cash", _("Cash")


def is_move_allowed(transitions: dict[str, frozenset[str]], from_status: str, to_status: str) -> bool:
    return to_status in transitions.get(from_status, frozenset())
