"""Who may start, read and approve recalculations, and the runs and items they may read."""

from __future__ import annotations

from socius.accounts.models import User
from socius.accounts.roles import PROPOSE_DECISIONS
from socius.benefits.models_recalculation import RecalculationRun
from socius.benefits.selectors import can_approve_decisions, reads_every_decision
from socius.common.errors import Forbidden, NotFound


def can_start_recalculation(actor: User) -> bool:
    """Those who propose decisions and read every decision of the centre: team leaders and the director."""
    return bool(actor.is_authenticated and actor.centre_id and actor.can(PROPOSE_DECISIONS)) and reads_every_decision(
        actor
    )


def can_view_recalculations(actor: User) -> bool:
    return bool(actor.is_authenticated and actor.centre_id) and (
        can_start_recalculation(actor) or can_approve_decisions(actor)
    )


def recalculations_readable_by(actor: User):
    if not can_view_recalculations(actor):
        raise Forbidden()
    return RecalculationRun.objects.filter(centre_id=actor.centre_id).select_related("started_by")


def get_recalculation_for(actor: User, pk) -> RecalculationRun:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    run = RecalculationRun.objects.filter(pk=pk, centre_id=actor.centre_id).select_related("started_by").first()
    if run is None:
        raise NotFound()
    if not can_view_recalculations(actor):
        raise Forbidden()
    return run


def items_of(run: RecalculationRun):
    return (
        run.items.select_related("decision", "proposal", "decision__applicant", "proposal__approved_by")
        .order_by("id")
        .all()
    )


def as_int(value) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
