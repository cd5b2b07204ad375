"""Statuses of help plans, plan actions and social contracts, with the one map of moves for each."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


# A draft is put into effect or dropped; an active plan ends completed (with an outcome) or cancelled.
# Nothing moves back: a new period of work is a new plan.
PLAN_TRANSITIONS: dict[str, frozenset[str]] = {
    PlanStatus.DRAFT: frozenset({PlanStatus.ACTIVE, PlanStatus.CANCELLED}),
    PlanStatus.ACTIVE: frozenset({PlanStatus.COMPLETED, PlanStatus.CANCELLED}),
    PlanStatus.COMPLETED: frozenset(),
    PlanStatus.CANCELLED: frozenset(),
}


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


# planned -> in_progress -> done is the ordinary path; a short action may be done at once; an action
# not yet done may be dropped. Done and dropped are final.
ACTION_TRANSITIONS: dict[str, frozenset[str]] = {
    ActionStatus.PLANNED: frozenset({ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.DROPPED}),
    ActionStatus.IN_PROGRESS: frozenset({ActionStatus.DONE, ActionStatus.DROPPED}),
    ActionStatus.DONE: frozenset(),
    ActionStatus.DROPPED: frozenset(),
}


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    IN_PROGRESS = "in_progress", _("In progress")
    FULFILLED = "fulfilled", _("Fulfilled")
    BREACHED = "breached", _("Breached")
    REFUSED = "refused", _("Refused")
    TERMINATED = "terminated", _("Terminated")


# Kontrakt socjalny (art. 108 u.p.s.; Rozporządzenie MPiPS z 8 listopada 2010, Dz.U. 2010 nr 218 poz. 1439):
# a draft is signed or refused by the client; a signed contract is started (in progress) and ends fulfilled;
# a signed or running one may be breached or terminated. The terminal statuses are final.
CONTRACT_TRANSITIONS: dict[str, frozenset[str]] = {
    ContractStatus.DRAFT: frozenset({ContractStatus.SIGNED, ContractStatus.REFUSED}),
    ContractStatus.SIGNED: frozenset({ContractStatus.IN_PROGRESS, ContractStatus.BREACHED, ContractStatus.TERMINATED}),
    ContractStatus.IN_PROGRESS: frozenset(
        {ContractStatus.FULFILLED, ContractStatus.BREACHED, ContractStatus.TERMINATED}
    ),
    ContractStatus.FULFILLED: frozenset(),
    ContractStatus.BREACHED: frozenset(),
    ContractStatus.REFUSED: frozenset(),
    ContractStatus.TERMINATED: frozenset(),
}


def is_move_allowed(transitions: dict[str, frozenset[str]], from_status: str, to_status: str) -> bool:
    return to_status in transitions.get(from_status, frozenset())
