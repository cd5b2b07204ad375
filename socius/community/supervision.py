"""Staff group supervision (decision 0016): plan a session, change it while planned, record it as held
(participants, facilitator, topics, notes, follow-ups), cancel it, plan it again, mark a follow-up done.

Everyone in the centre who reads cases sees that a session took place, when, who facilitated it and how many
took part; its topics, notes and follow-ups are written and read only by its participants, its facilitator
on staff and the director (permissions.can_read_supervision_notes). The audit names no person (these are
staff records); the change trail says that topics or notes changed, never what they say.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from socius.accounts.audit import diff, record_event, snapshot
from socius.accounts.models import AuditAction, User
from socius.common.errors import Forbidden, NotFound, ValidationFailed
from socius.community.errors import InvalidCommunityTransition
from socius.community.models import Supervision, SupervisionFollowUp
from socius.community.permissions import can_read_supervision_notes, can_view_supervision, can_work_community
from socius.community.statuses import SUPERVISION_TRANSITIONS, FacilitatorKind, SupervisionStatus

SUPERVISION = "supervision"
FOLLOW_UP = "supervision_follow_up"
TEXT_MAX = 10_000
NAME_MAX = 200


@dataclass(frozen=True)
class FollowUpInput:
    """Something agreed at the session: what, who answers for it (a staff member, optional), by when."""

    text: str
    responsible: object = None
    due_on: dt.date | None = None


# --- input checks ---------------------------------------------------------------------------------------


def _as_int(value) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value.pk if hasattr(value, "pk") else value)
    except (TypeError, ValueError):
        return None


def _is_date(value) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _staff_member(actor: User, value) -> User | None:
    pk = _as_int(value)
    if pk is None:
        return None
    return User.objects.filter(pk=pk, centre_id=actor.centre_id, is_active=True).first()


def _staff_list(actor: User, values, errors: dict, field: str) -> list[User]:
    if values is None:
        return []
    if not isinstance(values, list | tuple | set):
        errors[field] = [_("Give the staff members as a list.")]
        return []
    pks = [_as_int(v) for v in values]
    if any(pk is None for pk in pks):
        errors[field] = [_("Choose active staff members of the centre.")]
        return []
    pks = list(dict.fromkeys(pks))
    found = {u.pk: u for u in User.objects.filter(pk__in=pks, centre_id=actor.centre_id, is_active=True)}
    if len(found) != len(pks):
        errors[field] = [_("Choose active staff members of the centre.")]
        return []
    return [found[pk] for pk in pks]


def _times(starts_at, ends_at, errors: dict) -> None:
    for field, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if value is not None and not isinstance(value, dt.time):
            errors[field] = [_("Enter a time.")]
    if isinstance(starts_at, dt.time) and isinstance(ends_at, dt.time) and ends_at <= starts_at:
        errors["ends_at"] = [_("The end must come after the start.")]


def _facilitator(actor: User, kind, facilitator, name, errors: dict) -> tuple[str, User | None, str]:
    name = _text(name)
    if kind not in FacilitatorKind.values:
        errors["facilitator_kind"] = [_("Choose who facilitates the session.")]
        return "", None, ""
    if kind == FacilitatorKind.INTERNAL:
        user = _staff_member(actor, facilitator)
        if user is None:
            errors["facilitator"] = [_("Choose the member of staff who facilitates the session.")]
        return kind, user, ""
    if not name:
        errors["facilitator_name"] = [_("Give the external supervisor's name.")]
    elif len(name) > NAME_MAX:
        errors["facilitator_name"] = [_("Keep it to %(max)d characters.") % {"max": NAME_MAX}]
    return kind, None, name


def _long_text(value, errors: dict, field: str) -> str:
    value = _text(value)
    if len(value) > TEXT_MAX:
        errors[field] = [_("Keep it to %(max)d characters.") % {"max": TEXT_MAX}]
    return value


def _follow_ups(actor: User, rows, errors: dict) -> list[SupervisionFollowUp]:
    if rows is None:
        return []
    if not isinstance(rows, list | tuple):
        errors["follow_ups"] = [_("Give the follow-ups as a list.")]
        return []
    out, problems = [], []
    for index, row in enumerate(rows, start=1):
        if isinstance(row, dict):
            try:
                row = FollowUpInput(**row)
            except TypeError:
                problems.append(_("Follow-up %(n)d: unknown fields.") % {"n": index})
                continue
        if not isinstance(row, FollowUpInput):
            problems.append(_("Follow-up %(n)d: unknown fields.") % {"n": index})
            continue
        text = _text(row.text)
        if not text or len(text) > 2000:
            problems.append(_("Follow-up %(n)d: say what is to be done (up to 2000 characters).") % {"n": index})
            continue
        responsible = None
        if row.responsible not in (None, ""):
            responsible = _staff_member(actor, row.responsible)
            if responsible is None:
                problems.append(_("Follow-up %(n)d: choose an active staff member of the centre.") % {"n": index})
                continue
        if row.due_on is not None and not _is_date(row.due_on):
            problems.append(_("Follow-up %(n)d: enter a date.") % {"n": index})
            continue
        out.append(SupervisionFollowUp(text=text, responsible=responsible, due_on=row.due_on))
    if problems:
        errors["follow_ups"] = problems
    return out


# --- records ------------------------------------------------------------------------------------------


def _locked(actor: User, supervision) -> Supervision:
    """The session, row-locked, if the actor may see it (NotFound otherwise: another centre's looks absent)."""
    pk = _as_int(supervision)
    if pk is None or not actor.centre_id:
        raise NotFound()
    record = Supervision.objects.select_for_update().filter(pk=pk, centre_id=actor.centre_id).first()
    if record is None or not can_view_supervision(actor, record):
        raise NotFound()
    return record


def _require(allowed: bool) -> None:
    if not allowed:
        raise Forbidden()


def _move(supervision: Supervision, to: str) -> None:
    if to not in SUPERVISION_TRANSITIONS.get(supervision.status, frozenset()):
        raise InvalidCommunityTransition(supervision, supervision.status, to, labels=dict(SupervisionStatus.choices))


def _plain(changes: dict) -> dict:
    """Times as ISO text (the audit log's snapshot leaves them as they are)."""

    def value(v):
        if isinstance(v, dt.time):
            return v.isoformat(timespec="minutes")
        if isinstance(v, list):
            return [value(x) for x in v]
        return v

    return {k: value(v) for k, v in changes.items()}


def _audit(actor: User, action: str, supervision: Supervision, changes: dict) -> None:
    record_event(
        actor, action, object_type=SUPERVISION, object_id=supervision.pk, centre_id=supervision.centre_id,
        changes=_plain(changes),
    )  # fmt: skip


def _participant_ids(supervision: Supervision) -> list[int]:
    return sorted(supervision.participants.values_list("pk", flat=True))


# --- services ------------------------------------------------------------------------------------------


@transaction.atomic
def plan_supervision(
    actor: User,
    *,
    date,
    facilitator_kind,
    facilitator=None,
    facilitator_name: str = "",
    participants=(),
    starts_at=None,
    ends_at=None,
    topics: str = "",
    on: dt.date,
) -> Supervision:
    """A planned session. The planner need not take part; the topics planned are restricted like the notes."""
    _require(can_work_community(actor))
    errors: dict = {}
    if not _is_date(date):
        errors["date"] = [_("Enter a date.")]
    _times(starts_at, ends_at, errors)
    kind, user, name = _facilitator(actor, facilitator_kind, facilitator, facilitator_name, errors)
    people = _staff_list(actor, participants, errors, "participants")
    topics = _long_text(topics, errors, "topics")
    if errors:
        raise ValidationFailed(errors)
    supervision = Supervision.objects.create(
        centre_id=actor.centre_id, date=date, starts_at=starts_at, ends_at=ends_at, facilitator_kind=kind,
        facilitator=user, facilitator_name=name, topics=topics, created_by=actor,
    )  # fmt: skip
    supervision.participants.set(people)
    values = snapshot(supervision, Supervision.AUDITED_FIELDS)
    changes = {k: [None, v] for k, v in values.items() if v not in ("", None)}
    changes["participants"] = [None, [u.pk for u in people]]
    if topics:
        changes["topics"] = [None, "…"]
    _audit(actor, AuditAction.CREATE, supervision, changes)
    return supervision


@transaction.atomic
def update_supervision(
    actor: User,
    supervision,
    *,
    date,
    facilitator_kind,
    facilitator=None,
    facilitator_name: str = "",
    participants=(),
    starts_at=None,
    ends_at=None,
    topics: str | None = None,
    on: dt.date,
) -> Supervision:
    """Change a planned session (date, times, facilitator, participants; topics only by who reads them)."""
    record = _locked(actor, supervision)
    _require(can_work_community(actor))
    if record.status != SupervisionStatus.PLANNED:
        raise InvalidCommunityTransition(
            record, record.status, SupervisionStatus.PLANNED, labels=dict(SupervisionStatus.choices)
        )
    if topics is not None:
        _require(can_read_supervision_notes(actor, record))
    errors: dict = {}
    if not _is_date(date):
        errors["date"] = [_("Enter a date.")]
    _times(starts_at, ends_at, errors)
    kind, user, name = _facilitator(actor, facilitator_kind, facilitator, facilitator_name, errors)
    people = _staff_list(actor, participants, errors, "participants")
    new_topics = _long_text(topics, errors, "topics") if topics is not None else record.topics
    if errors:
        raise ValidationFailed(errors)
    before = snapshot(record, Supervision.AUDITED_FIELDS)
    before_people = _participant_ids(record)
    old_topics = record.topics
    record.date, record.starts_at, record.ends_at = date, starts_at, ends_at
    record.facilitator_kind, record.facilitator, record.facilitator_name = kind, user, name
    record.topics = new_topics
    record.save()
    record.participants.set(people)
    changes = diff(before, snapshot(record, Supervision.AUDITED_FIELDS))
    after_people = sorted(u.pk for u in people)
    if after_people != before_people:
        changes["participants"] = [before_people, after_people]
    if new_topics != old_topics:
        changes["topics"] = ["…", "…"]
    if changes:
        _audit(actor, AuditAction.UPDATE, record, changes)
    return record


@transaction.atomic
def record_supervision_held(
    actor: User,
    supervision,
    *,
    participants,
    topics: str = "",
    notes: str = "",
    follow_ups=(),
    facilitator_kind=None,
    facilitator=None,
    facilitator_name: str = "",
    on: dt.date,
) -> Supervision:
    """The session took place: who took part (replaces the list), topics, notes and follow-ups (replace the
    follow-ups). Only those who read the notes record them; a session is not held in the future."""
    record = _locked(actor, supervision)
    _require(can_work_community(actor) and can_read_supervision_notes(actor, record))
    _move(record, SupervisionStatus.HELD)
    errors: dict = {}
    if record.date > on:
        errors["date"] = [_("A session planned for a later day cannot be recorded as held yet.")]
    if facilitator_kind is None:
        kind, user, name = record.facilitator_kind, record.facilitator, record.facilitator_name
    else:
        kind, user, name = _facilitator(actor, facilitator_kind, facilitator, facilitator_name, errors)
    people = _staff_list(actor, participants, errors, "participants")
    if not people and "participants" not in errors:
        errors["participants"] = [_("Choose who took part.")]
    topics = _long_text(topics, errors, "topics")
    notes = _long_text(notes, errors, "notes")
    rows = _follow_ups(actor, follow_ups, errors)
    if errors:
        raise ValidationFailed(errors)
    before = snapshot(record, Supervision.AUDITED_FIELDS)
    before_people = _participant_ids(record)
    record.status = SupervisionStatus.HELD
    record.facilitator_kind, record.facilitator, record.facilitator_name = kind, user, name
    record.topics, record.notes = topics, notes
    record.save()
    record.participants.set(people)
    record.follow_ups.all().delete()
    for row in rows:
        row.supervision = record
    SupervisionFollowUp.objects.bulk_create(rows)
    changes = diff(before, snapshot(record, Supervision.AUDITED_FIELDS))
    changes["participants"] = [before_people, sorted(u.pk for u in people)]
    changes["topics"] = ["…", "…"]
    changes["notes"] = ["…", "…"]
    changes["follow_ups"] = [None, len(rows)]
    _audit(actor, AuditAction.UPDATE, record, changes)
    return record


@transaction.atomic
def cancel_supervision(actor: User, supervision, *, on: dt.date) -> Supervision:
    record = _locked(actor, supervision)
    _require(can_work_community(actor))
    _move(record, SupervisionStatus.CANCELLED)
    record.status = SupervisionStatus.CANCELLED
    record.save(update_fields=["status", "updated_at"])
    _audit(actor, AuditAction.UPDATE, record, {"status": [SupervisionStatus.PLANNED, SupervisionStatus.CANCELLED]})
    return record


@transaction.atomic
def replan_supervision(actor: User, supervision, *, date, on: dt.date) -> Supervision:
    """A cancelled session planned again, on a new date."""
    record = _locked(actor, supervision)
    _require(can_work_community(actor))
    _move(record, SupervisionStatus.PLANNED)
    if not _is_date(date):
        raise ValidationFailed({"date": [_("Enter a date.")]})
    before = snapshot(record, Supervision.AUDITED_FIELDS)
    record.status, record.date = SupervisionStatus.PLANNED, date
    record.save(update_fields=["status", "date", "updated_at"])
    _audit(actor, AuditAction.UPDATE, record, diff(before, snapshot(record, Supervision.AUDITED_FIELDS)))
    return record


@transaction.atomic
def mark_follow_up_done(actor: User, follow_up, *, on: dt.date) -> SupervisionFollowUp:
    pk = _as_int(follow_up)
    row = (
        SupervisionFollowUp.objects.select_for_update()
        .select_related("supervision")
        .filter(pk=pk, supervision__centre_id=actor.centre_id)
        .first()
        if pk is not None and actor.centre_id
        else None
    )
    if row is None or not can_read_supervision_notes(actor, row.supervision):
        raise NotFound()
    _require(can_work_community(actor))
    if row.done_on is None:
        row.done_on = on
        row.save(update_fields=["done_on"])
        record_event(
            actor, AuditAction.UPDATE, object_type=FOLLOW_UP, object_id=row.pk, centre_id=actor.centre_id,
            changes={"done_on": [None, on.isoformat()]},
        )  # fmt: skip
    return row
