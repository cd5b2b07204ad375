"""What the child-protection services share: input checks, timeline rows, audit rows, locked records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _

from socius.accounts.audit import record_event
from socius.accounts.models import User
from socius.casework.models import Case, Partner
from socius.common.errors import Forbidden, NotFound
from socius.family.models import ChildInDifficulty, FamilyEvent, FollowUpTask, Meeting

# Every pack's country (PL, MD, LT) sets the age of majority at 18 (PL art. 10 § 1 KC; MD art. 20 Cod civil;
# LT CK 2.5 str.): only a minor is recorded as a child in difficulty.
AGE_OF_MAJORITY = 18
TEXT_MAX = 500


def as_int(value) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value.pk if hasattr(value, "pk") else value)
    except (TypeError, ValueError):
        return None


def is_date(value) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def age_on(birth_date: dt.date, on: dt.date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def staff_member(actor: User, value, *, capability: str | None = None) -> User | None:
    """An active user of the actor's centre (with `capability` when given), or None: another centre's
    user looks unknown."""
    pk = as_int(value)
    if pk is None:
        return None
    user = User.objects.filter(pk=pk, centre_id=actor.centre_id, is_active=True).first()
    if user is None or (capability is not None and not user.can(capability)):
        return None
    return user


def partner_of(actor: User, value) -> Partner | None:
    pk = as_int(value)
    if pk is None:
        return None
    return Partner.objects.filter(pk=pk, centre_id=actor.centre_id, is_active=True).first()


def check_date(value, errors: dict, field: str, *, required: bool = True) -> None:
    if value is None and not required:
        return
    if not is_date(value):
        errors[field] = [_("Enter a date.")]


def check_text(value, errors: dict, field: str, message: str, *, max_length: int | None = None) -> str:
    value = text(value)
    if not value:
        errors[field] = [message]
    elif max_length is not None and len(value) > max_length:
        errors[field] = [_("Keep it to %(max)d characters.") % {"max": max_length}]
    return value


def event(actor: User, case_id: int, kind: str, data: dict) -> FamilyEvent:
    return FamilyEvent.objects.create(case_id=case_id, actor=actor, kind=kind, data=data)


def audit(
    actor: User,
    action: str,
    object_type: str,
    object_id: int,
    *,
    centre_id: int,
    person_id: int | None = None,
    person_ids: Iterable[int] = (),
    changes: dict | None = None,
) -> None:
    record_event(
        actor,
        action,
        object_type=object_type,
        object_id=object_id,
        centre_id=centre_id,
        person_id=person_id,
        person_ids=person_ids,
        changes=changes,
    )


def created(snapshot_values: dict) -> dict:
    """The audit changes of a new record: its non-empty audited values."""
    return {k: [None, v] for k, v in snapshot_values.items() if v not in ("", None, [], {})}


def locked_child(actor: User, record) -> ChildInDifficulty:
    """The child's record, row-locked, in the actor's centre (NotFound otherwise), with its case loaded."""
    pk = as_int(record)
    if pk is None or actor.centre_id is None:
        raise NotFound()
    rows = ChildInDifficulty.objects.select_for_update().filter(pk=pk, centre_id=actor.centre_id)
    found = list(rows.values_list("pk", flat=True))
    if not found:
        raise NotFound()
    return ChildInDifficulty.objects.select_related("case", "child", "centre").get(pk=pk)


def locked_meeting(actor: User, meeting) -> Meeting:
    pk = as_int(meeting)
    if pk is None or actor.centre_id is None:
        raise NotFound()
    try:
        return Meeting.objects.select_for_update().get(pk=pk, centre_id=actor.centre_id)
    except Meeting.DoesNotExist:
        raise NotFound() from None


def locked_task(actor: User, task) -> FollowUpTask:
    pk = as_int(task)
    if pk is None or actor.centre_id is None:
        raise NotFound()
    found = list(
        FollowUpTask.objects.select_for_update().filter(pk=pk, centre_id=actor.centre_id).values_list("pk", flat=True)
    )
    if not found:
        raise NotFound()
    return FollowUpTask.objects.select_related("case").get(pk=pk)


def require(allowed: bool) -> None:
    if not allowed:
        raise Forbidden()


def case_of(actor: User, value) -> Case:
    """A case of the actor's centre (not locked), NotFound otherwise."""
    pk = as_int(value)
    case = Case.objects.filter(pk=pk, centre_id=actor.centre_id).first() if pk is not None else None
    if case is None:
        raise NotFound()
    return case
