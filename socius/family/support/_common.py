"""What every family support service shares: the enrolment under lock, the caseload cap check, input checks,
the timeline event and the audit row."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from socius.accounts.audit import record_event
from socius.accounts.models import User
from socius.accounts.roles import Role
from socius.casework.selectors import persons_concerned
from socius.common.errors import Conflict, Forbidden, NotFound
from socius.common.validation import as_int, check_date, check_text, is_date, raise_if, text  # noqa: F401 (used by the support services)
from socius.family.errors import CaseloadCapReached, InvalidFamilyTransition
from socius.family.models import FamilyEnrolment, FamilyEvent
from socius.family.permissions import can_work_enrolment
from socius.family.rules import caseload_cap
from socius.family.statuses import ENROLMENT_TRANSITIONS, EnrolmentStatus
from socius.registry.models import Membership
from socius.registry.selectors import member_ids_by_household


def locked_enrolment(actor: User, enrolment) -> FamilyEnrolment:
    """The enrolment, row-locked for the rest of the transaction, re-read from the database (a stale object
    passed in never decides a state move); NotFound outside the actor's centre."""
    pk = as_int(enrolment)
    if pk is None or not actor.centre_id:
        raise NotFound()
    # list(): the row lock is taken only when the row is actually selected.
    if not list(
        FamilyEnrolment.objects.select_for_update()
        .filter(pk=pk, centre_id=actor.centre_id)
        .values_list("pk", flat=True)
    ):
        raise NotFound()
    return FamilyEnrolment.objects.select_related("case", "household", "assistant", "centre").get(pk=pk)


def workable_enrolment(actor: User, enrolment, *, statuses, to: str | None = None) -> FamilyEnrolment:
    """Locked; Forbidden unless the actor works this family (its assistant, the case's worker, the team leader,
    the director); a conflict when the enrolment is not in one of `statuses` (see require_status)."""
    locked = locked_enrolment(actor, enrolment)
    if not can_work_enrolment(actor, locked):
        raise Forbidden()
    require_status(locked, statuses, to=to)
    return locked


def require_status(enrolment: FamilyEnrolment, statuses, *, to: str | None = None) -> None:
    """A state move (`to` given) refused -> InvalidFamilyTransition; other work on an enrolment in the wrong state
    (an activity after the enrolment closed) -> Conflict "enrolment_state" naming the state."""
    if enrolment.status in statuses:
        return
    labels = dict(EnrolmentStatus.choices)
    if to is not None:
        raise InvalidFamilyTransition(enrolment, enrolment.status, to, labels=labels)
    raise Conflict(
        _("This cannot be done while the family's enrolment is “%(status)s”.")
        % {"status": labels.get(enrolment.status, enrolment.status)},
        code="enrolment_state",
    )


def move(enrolment: FamilyEnrolment, to: str) -> None:
    """Set the status through the transition map (InvalidFamilyTransition otherwise)."""
    if to not in ENROLMENT_TRANSITIONS.get(enrolment.status, frozenset()):
        raise InvalidFamilyTransition(enrolment, enrolment.status, to, labels=dict(EnrolmentStatus.choices))
    enrolment.status = to


def staff_assistant(actor: User, assistant, errors: dict, field: str = "assistant") -> User | None:
    """A family assistant of the actor's centre (active), or an error under `field`."""
    pk = as_int(assistant)
    user = (
        User.objects.filter(pk=pk, centre_id=actor.centre_id, is_active=True, role=Role.FAMILY_ASSISTANT).first()
        if pk is not None and actor.centre_id
        else None
    )
    if user is None:
        errors[field] = [_("Choose a family assistant of your centre.")]
    return user


def check_cap(assistant: User, centre, on: dt.date) -> None:
    """Lock the assistant's user row (concurrent approvals onto one assistant queue here), then count the
    families they work with; at or over the cap in force on `on` -> CaseloadCapReached. Call before any
    write, inside the transaction."""
    list(User.objects.select_for_update().filter(pk=assistant.pk).values_list("pk", flat=True))
    load = FamilyEnrolment.objects.filter(assistant_id=assistant.pk, status=EnrolmentStatus.ACTIVE).count()
    cap = caseload_cap(centre, on)
    if load >= cap.value:
        raise CaseloadCapReached(assistant, cap.value, load, cap.legal_basis)


def current_member_ids(household_id: int, on: dt.date) -> set[int]:
    """The persons who are members of the household on `on` (valid_from inclusive, valid_until exclusive)."""
    rows = Membership.objects.filter(household_id=household_id, valid_from__lte=on).exclude(valid_until__lte=on)
    return set(rows.values_list("person_id", flat=True))


def persons_of(enrolment: FamilyEnrolment) -> list[int]:
    """The persons a change to the enrolment concerns: the case's persons and every member of the family."""
    ids = list(persons_concerned(enrolment.case))
    for person_id in member_ids_by_household([enrolment.household_id]).get(enrolment.household_id, []):
        if person_id not in ids:
            ids.append(person_id)
    return ids


def event(actor: User, enrolment: FamilyEnrolment, kind: str, data: dict) -> FamilyEvent:
    return FamilyEvent.objects.create(case_id=enrolment.case_id, actor=actor, kind=kind, data=data)


def audit(actor: User, action: str, object_type: str, object_id: int, enrolment: FamilyEnrolment, changes: dict):
    record_event(
        actor,
        action,
        object_type=object_type,
        object_id=object_id,
        centre_id=enrolment.centre_id,
        person_ids=persons_of(enrolment),
        changes=changes,
    )
