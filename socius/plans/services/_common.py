"""What every plans service shares: the workable case under lock, input checks, timeline and audit rows."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext as _

from socius.accounts.audit import record_event
from socius.accounts.models import User
from socius.casework.models import Case
from socius.casework.selectors import persons_concerned
from socius.common.errors import Conflict, NotFound
from socius.plans.models import PlanEvent


def as_int(value) -> int | None:
    try:
        return int(value.pk if hasattr(value, "pk") else value)
    except (TypeError, ValueError):
        return None


def is_date(value) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def text(value) -> str:
    return (value or "").strip() if isinstance(value, str) or value is None else ""


def case_id_of(model: type[models.Model], actor: User, pk_value, case_path: str) -> int:
    """The case id of a plan/goal/action/contract/flag in the actor's centre, or NotFound."""
    pk = as_int(pk_value)
    case_id = (
        model.objects.filter(pk=pk, **{f"{case_path}__centre_id": actor.centre_id})
        .values_list(case_path, flat=True)
        .first()
        if pk is not None
        else None
    )
    if case_id is None:
        raise NotFound()
    return case_id


def event(actor: User, case: Case, kind: str, data: dict) -> PlanEvent:
    return PlanEvent.objects.create(case=case, actor=actor, kind=kind, data=data)


def audit(actor: User, action: str, object_type: str, object_id: int, case: Case, changes: dict) -> None:
    record_event(
        actor,
        action,
        object_type=object_type,
        object_id=object_id,
        centre_id=case.centre_id,
        person_id=case.person_id,
        person_ids=persons_concerned(case),
        changes=changes,
    )


def transition_conflict(labels, from_status: str, to_status: str) -> Conflict:
    return Conflict(
        _("The status cannot move from “%(from)s” to “%(to)s”.")
        % {"from": labels(from_status).label, "to": labels(to_status).label},
        code="invalid_transition",
    )
