"""Meetings on children's cases (MD commission, PL interdisciplinary team and group, LT meetings): the schedule,
members, agenda, attendance, decisions with their follow-up tasks and forms of care, holding, cancelling."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from socius.accounts.audit import diff, snapshot
from socius.accounts.models import AuditAction, User
from socius.casework.selectors import persons_concerned
from socius.casework.services import locked_workable_case
from socius.common.errors import Conflict, NotFound, ValidationFailed
from socius.family.errors import InvalidFamilyTransition, QuorumNotMet
from socius.family.models import (
    AgendaItem,
    ChildInDifficulty,
    FamilyEventKind,
    Meeting,
    MeetingDecision,
    MeetingMember,
)
from socius.family.permissions import can_manage_meeting, can_view_agenda_item, can_view_meetings
from socius.family.protection._common import (
    TEXT_MAX,
    as_int,
    audit,
    check_date,
    check_text,
    created,
    event,
    is_date,
    locked_child,
    locked_meeting,
    partner_of,
    require,
    staff_member,
    text,
)
from socius.family.protection.children import change_care
from socius.family.protection.tasks import create_follow_up
from socius.family.rules_protection import quorum_for, require_body
from socius.family.statuses import MEETING_TRANSITIONS, ChildStatus, FormOfCare, MeetingStatus

MEETING = "meeting"
AGENDA_ITEM = "agenda_item"
DECISION = "meeting_decision"
TASK = "follow_up_task"


@dataclass(frozen=True)
class MemberInput:
    """A member of a meeting: a staff member of the centre (`user`), or someone else by `name` (from a
    partner institution, say)."""

    user: object = None
    name: str = ""
    partner: object = None
    role: str = ""
    is_voting: bool = True


@dataclass(frozen=True)
class TaskInput:
    """A follow-up task a decision sets: to whom, what, by when."""

    assigned_to: object
    description: str
    due_on: dt.date


def _labels() -> dict:
    return dict(MeetingStatus.choices)


def _move(meeting: Meeting, to: str) -> None:
    if to not in MEETING_TRANSITIONS.get(meeting.status, frozenset()):
        raise InvalidFamilyTransition(meeting, meeting.status, to, labels=_labels())


def _require_scheduled(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.SCHEDULED:
        raise Conflict(_("The meeting was held or cancelled: it can no longer change."), code="meeting_closed")


def _members(actor: User, members) -> list[MeetingMember]:
    """Unsaved MeetingMember rows from MemberInput (or dicts of its fields); ValidationFailed on "members"."""
    rows: list[MeetingMember] = []
    problems: list[str] = []
    seen: set[int] = set()
    if members is None:
        members = ()
    if not isinstance(members, list | tuple):
        raise ValidationFailed({"members": [_("Give the members as a list.")]})
    for index, member in enumerate(members, start=1):
        if isinstance(member, dict):
            try:
                member = MemberInput(**member)
            except TypeError:
                problems.append(_("Member %(n)d: unknown fields.") % {"n": index})
                continue
        if not isinstance(member, MemberInput):
            problems.append(_("Member %(n)d: unknown fields.") % {"n": index})
            continue
        user = None
        if member.user not in (None, ""):
            user = staff_member(actor, member.user)
            if user is None:
                problems.append(_("Member %(n)d: choose an active staff member of the centre.") % {"n": index})
                continue
            if user.pk in seen:
                problems.append(_("Member %(n)d: this staff member is already a member.") % {"n": index})
                continue
            seen.add(user.pk)
        name = text(member.name)
        if user is None and not name:
            problems.append(_("Member %(n)d: choose a staff member or give a name.") % {"n": index})
            continue
        role = text(member.role)
        if len(name) > 200 or len(role) > 100:
            problems.append(_("Member %(n)d: the name or role is too long.") % {"n": index})
            continue
        partner = None
        if member.partner not in (None, ""):
            partner = partner_of(actor, member.partner)
            if partner is None:
                problems.append(_("Member %(n)d: choose an active partner institution of the centre.") % {"n": index})
                continue
        rows.append(
            MeetingMember(user=user, name=name, partner=partner, role=role, is_voting=member.is_voting is not False)
        )
    if problems:
        raise ValidationFailed({"members": problems})
    return rows


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


@transaction.atomic
def schedule_meeting(
    actor: User,
    *,
    body: str,
    scheduled_at: dt.datetime,
    place: str = "",
    chair=None,
    members=(),
) -> Meeting:
    """A meeting of one of the bodies of the centre's pack (NotInPack otherwise), with its members. The quorum
    the pack sets for that day and that number of voting members is kept on the meeting."""
    require(can_view_meetings(actor) and actor.centre_id is not None)
    require_body(actor.centre.jurisdiction, body)
    errors: dict[str, list] = {}
    if not isinstance(scheduled_at, dt.datetime):
        errors["scheduled_at"] = [_("Enter a date and time.")]
    elif timezone.is_naive(scheduled_at):
        scheduled_at = timezone.make_aware(scheduled_at)
    place = text(place)
    if len(place) > 300:
        errors["place"] = [_("Keep it to %(max)d characters.") % {"max": 300}]
    chair_user = None
    if chair not in (None, ""):
        chair_user = staff_member(actor, chair)
        if chair_user is None:
            errors["chair"] = [_("Choose an active staff member of the centre.")]
    try:
        rows = _members(actor, members)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        rows = []
    if errors:
        raise ValidationFailed(errors)
    voting = sum(1 for row in rows if row.is_voting)
    meeting = Meeting.objects.create(
        centre_id=actor.centre_id,
        body=body,
        scheduled_at=scheduled_at,
        place=place,
        chair=chair_user,
        quorum=quorum_for(actor.centre.jurisdiction, body, voting, _local_day(scheduled_at)),
        created_by=actor,
    )
    for row in rows:
        row.meeting = meeting
    MeetingMember.objects.bulk_create(rows)
    audit(
        actor,
        AuditAction.CREATE,
        MEETING,
        meeting.pk,
        centre_id=meeting.centre_id,
        changes={
            **created(snapshot(meeting, Meeting.AUDITED_FIELDS)),
            "members": [None, [row.user_id or row.name for row in rows]],
        },
    )
    return meeting


@transaction.atomic
def set_meeting_members(actor: User, meeting, members) -> Meeting:
    """Replace the members of a scheduled meeting (attendance starts again); the quorum is recomputed."""
    meeting = locked_meeting(actor, meeting)
    require(can_manage_meeting(actor, meeting))
    _require_scheduled(meeting)
    rows = _members(actor, members)
    before = [m.user_id or m.name for m in meeting.members.all()]
    meeting.members.all().delete()
    for row in rows:
        row.meeting = meeting
    MeetingMember.objects.bulk_create(rows)
    meeting._member_user_ids = None
    old_quorum = meeting.quorum
    meeting.quorum = quorum_for(
        meeting.centre.jurisdiction, meeting.body, sum(1 for r in rows if r.is_voting), _local_day(meeting.scheduled_at)
    )
    meeting.save(update_fields=["quorum", "updated_at"])
    changes = {"members": [before, [row.user_id or row.name for row in rows]]}
    if old_quorum != meeting.quorum:
        changes["quorum"] = [old_quorum, meeting.quorum]
    audit(actor, AuditAction.UPDATE, MEETING, meeting.pk, centre_id=meeting.centre_id, changes=changes)
    return meeting


@transaction.atomic
def put_on_agenda(actor: User, meeting, *, case, summary: str, child=None) -> AgendaItem:
    """Put a case (and one of its children, optionally) forward to a scheduled meeting. The actor must read
    the case's content. AGENDA_ADDED on the case."""
    meeting = locked_meeting(actor, meeting)
    require(can_manage_meeting(actor, meeting))
    _require_scheduled(meeting)
    case = locked_workable_case(actor, as_int(case))
    errors: dict[str, list] = {}
    summary = check_text(summary, errors, "summary", _("Say what the meeting is asked to decide."))
    record = None
    if child not in (None, ""):
        pk = as_int(child)
        record = (
            ChildInDifficulty.objects.filter(pk=pk, centre_id=actor.centre_id, case_id=case.pk).first()
            if pk is not None
            else None
        )
        if record is None:
            errors["child"] = [_("Choose a child recorded on this case.")]
        elif record.status != ChildStatus.OPEN:
            errors["child"] = [_("The child's record is closed.")]
        elif AgendaItem.objects.filter(meeting=meeting, child=record).exists():
            errors["child"] = [_("This child is already on the meeting's agenda.")]
    if errors:
        raise ValidationFailed(errors)
    last = meeting.agenda.aggregate(last=Max("position"))["last"]
    item = AgendaItem.objects.create(
        meeting=meeting,
        case=case,
        child=record,
        position=min((last or 0) + 1, 32767),
        summary=summary,
        proposed_by=actor,
    )
    event(
        actor,
        case.pk,
        FamilyEventKind.AGENDA_ADDED,
        {
            "meeting": meeting.pk,
            "item": item.pk,
            "body": meeting.body,
            "scheduled_on": _local_day(meeting.scheduled_at).isoformat(),
            "record": record.pk if record is not None else None,
        },
    )
    audit(
        actor,
        AuditAction.CREATE,
        AGENDA_ITEM,
        item.pk,
        centre_id=meeting.centre_id,
        person_id=case.person_id,
        person_ids=[*persons_concerned(case), *([record.child_id] if record else [])],
        changes={"meeting": [None, meeting.pk], "case": [None, case.pk], "child": [None, record and record.pk]},
    )
    return item


def _locked_item(actor: User, item) -> tuple[AgendaItem, Meeting]:
    pk = as_int(item)
    found = (
        AgendaItem.objects.filter(pk=pk, meeting__centre_id=actor.centre_id)
        .values_list("meeting_id", flat=True)
        .first()
        if pk is not None and actor.centre_id is not None
        else None
    )
    if found is None:
        raise NotFound()
    meeting = locked_meeting(actor, found)
    item = AgendaItem.objects.select_related("case", "child").get(pk=pk)
    item.meeting = meeting
    return item, meeting


@transaction.atomic
def remove_from_agenda(actor: User, item) -> None:
    """Take an undecided item off a scheduled meeting's agenda."""
    item, meeting = _locked_item(actor, item)
    require(can_manage_meeting(actor, meeting) and can_view_agenda_item(actor, item))
    _require_scheduled(meeting)
    if MeetingDecision.objects.filter(item_id=item.pk).exists():
        raise Conflict(_("The item has a decision: it stays on the agenda."), code="item_decided")
    item_pk, case = item.pk, item.case
    item.delete()
    audit(
        actor,
        AuditAction.DELETE,
        AGENDA_ITEM,
        item_pk,
        centre_id=meeting.centre_id,
        person_id=case.person_id,
        person_ids=persons_concerned(case),
        changes={"meeting": [meeting.pk, None], "case": [case.pk, None]},
    )


@transaction.atomic
def record_attendance(actor: User, meeting, *, present_member_ids) -> Meeting:
    """Who of the members is present; the others are marked absent."""
    meeting = locked_meeting(actor, meeting)
    require(can_manage_meeting(actor, meeting))
    _require_scheduled(meeting)
    if isinstance(present_member_ids, str | bytes) or not hasattr(present_member_ids, "__iter__"):
        raise ValidationFailed({"present_member_ids": [_("Choose the members who are present.")]})
    wanted = {as_int(value) for value in present_member_ids}
    member_ids = set(meeting.members.values_list("pk", flat=True))
    if None in wanted or not wanted <= member_ids:
        raise ValidationFailed({"present_member_ids": [_("Choose members of this meeting.")]})
    before = dict(meeting.members.values_list("pk", "is_present"))
    meeting.members.filter(pk__in=wanted).update(is_present=True)
    meeting.members.exclude(pk__in=wanted).update(is_present=False)
    after = {pk: pk in wanted for pk in member_ids}
    audit(
        actor,
        AuditAction.UPDATE,
        MEETING,
        meeting.pk,
        centre_id=meeting.centre_id,
        changes={"present": [sorted(k for k, v in before.items() if v), sorted(k for k, v in after.items() if v)]},
    )
    return meeting


def _check_quorum(meeting: Meeting, on: dt.date) -> int | None:
    """QuorumNotMet when fewer voting members are present than the pack's quorum for the day."""
    voting = list(meeting.members.filter(is_voting=True).values_list("is_present", flat=True))
    present = sum(1 for value in voting if value)
    quorum = quorum_for(meeting.centre.jurisdiction, meeting.body, len(voting), on)
    if quorum is not None and present < quorum:
        raise QuorumNotMet(present, quorum)
    return quorum


@transaction.atomic
def hold_meeting(actor: User, meeting, *, held_on: dt.date, minutes: str) -> Meeting:
    """The meeting took place (scheduled -> held) with its minutes. QuorumNotMet when fewer voting members are
    present than the pack's quorum: nothing is written."""
    meeting = locked_meeting(actor, meeting)
    require(can_manage_meeting(actor, meeting))
    _move(meeting, MeetingStatus.HELD)
    errors: dict[str, list] = {}
    check_date(held_on, errors, "held_on")
    if is_date(held_on) and held_on < _local_day(meeting.scheduled_at):
        errors["held_on"] = [_("The meeting cannot be held before the day it was scheduled for.")]
    if errors:
        raise ValidationFailed(errors)
    quorum = _check_quorum(meeting, held_on)
    before = snapshot(meeting, Meeting.AUDITED_FIELDS)
    meeting.status = MeetingStatus.HELD
    meeting.held_on = held_on
    meeting.minutes = text(minutes)
    meeting.quorum = quorum
    meeting.save(update_fields=["status", "held_on", "minutes", "quorum", "updated_at"])
    audit(
        actor,
        AuditAction.UPDATE,
        MEETING,
        meeting.pk,
        centre_id=meeting.centre_id,
        changes=diff(before, snapshot(meeting, Meeting.AUDITED_FIELDS)),
    )
    return meeting


@transaction.atomic
def cancel_meeting(actor: User, meeting, *, reason: str) -> Meeting:
    meeting = locked_meeting(actor, meeting)
    require(can_manage_meeting(actor, meeting))
    _move(meeting, MeetingStatus.CANCELLED)
    errors: dict[str, list] = {}
    reason = check_text(reason, errors, "reason", _("Say why the meeting is cancelled."))
    if errors:
        raise ValidationFailed(errors)
    before = snapshot(meeting, Meeting.AUDITED_FIELDS)
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancellation_reason = reason
    meeting.save(update_fields=["status", "cancellation_reason", "updated_at"])
    audit(
        actor,
        AuditAction.UPDATE,
        MEETING,
        meeting.pk,
        centre_id=meeting.centre_id,
        changes=diff(before, snapshot(meeting, Meeting.AUDITED_FIELDS)),
    )
    return meeting


def _tasks(actor: User, tasks, errors: dict) -> list[tuple[User, str, dt.date]]:
    if tasks is None:
        return []
    if not isinstance(tasks, list | tuple):
        errors["tasks"] = [_("Give the tasks as a list.")]
        return []
    out, problems = [], []
    for index, task in enumerate(tasks, start=1):
        if isinstance(task, dict):
            try:
                task = TaskInput(**task)
            except TypeError:
                problems.append(_("Task %(n)d: unknown fields.") % {"n": index})
                continue
        if not isinstance(task, TaskInput):
            problems.append(_("Task %(n)d: unknown fields.") % {"n": index})
            continue
        user = staff_member(actor, task.assigned_to)
        description = text(task.description)
        if user is None:
            problems.append(_("Task %(n)d: choose an active staff member of the centre.") % {"n": index})
        elif not description or len(description) > TEXT_MAX:
            message = _("Task %(n)d: describe the task (at most %(max)d characters).")
            problems.append(message % {"n": index, "max": TEXT_MAX})
        elif not is_date(task.due_on):
            problems.append(_("Task %(n)d: enter the date it is due.") % {"n": index})
        else:
            out.append((user, description, task.due_on))
    if problems:
        errors["tasks"] = problems
    return out


@transaction.atomic
def record_decision(
    actor: User,
    item,
    *,
    text: str,
    form_of_care: str = "",
    care_from: dt.date | None = None,
    support_measures: str = "",
    responsible=(),
    review_on: dt.date | None = None,
    tasks=(),
) -> MeetingDecision:
    """The meeting's decision on an agenda item. A form of care other than the child's current one starts a
    Placement ordered by the decision; each task becomes a FollowUpTask on the item's case, assigned to its
    person (who is added to the responsible persons). On a meeting not yet held, the members present must
    make the quorum (QuorumNotMet). Events MEETING_DECISION, CARE_CHANGED, TASK_CREATED on the case."""
    decision_text = text
    item, meeting = _locked_item(actor, item)
    require(can_manage_meeting(actor, meeting) and can_view_agenda_item(actor, item))
    if meeting.status == MeetingStatus.CANCELLED:
        raise Conflict(_("The meeting was cancelled."), code="meeting_cancelled")
    if MeetingDecision.objects.filter(item_id=item.pk).exists():
        raise Conflict(_("The item already has a decision."), code="item_decided")
    errors: dict[str, list] = {}
    decision_text = check_text(decision_text, errors, "text", _("Write the decision."))
    form_of_care = form_of_care or ""
    record = None
    if form_of_care:
        if form_of_care not in FormOfCare.values:
            errors["form_of_care"] = [_("Choose the form of care.")]
        elif item.child_id is None:
            errors["form_of_care"] = [_("A form of care is decided for a child: the item names no child.")]
        check_date(care_from, errors, "care_from")
    elif care_from is not None:
        errors["care_from"] = [_("Give a date only with a form of care.")]
    check_date(review_on, errors, "review_on", required=False)
    if isinstance(responsible, str | bytes) or not hasattr(responsible, "__iter__"):
        errors["responsible"] = [_("Choose staff members of the centre.")]
        responsible = ()
    people = []
    for value in responsible:
        user = staff_member(actor, value)
        if user is None:
            errors["responsible"] = [_("Choose staff members of the centre.")]
            break
        people.append(user)
    task_rows = _tasks(actor, tasks, errors)
    support_measures = support_measures.strip() if isinstance(support_measures, str) else ""
    if errors:
        raise ValidationFailed(errors)
    if form_of_care:
        record = locked_child(actor, item.child_id)
        if record.status != ChildStatus.OPEN:
            raise ValidationFailed({"form_of_care": [_("The child's record is closed.")]})
    if meeting.status == MeetingStatus.SCHEDULED:
        _check_quorum(meeting, _local_day(meeting.scheduled_at))
    decision = MeetingDecision.objects.create(
        item=item,
        form_of_care=form_of_care,
        care_from=care_from if form_of_care else None,
        support_measures=support_measures,
        text=decision_text,
        review_on=review_on,
        decided_by=actor,
    )
    responsible_ids = list(dict.fromkeys([*(u.pk for u in people), *(row[0].pk for row in task_rows)]))
    decision.responsible.set(responsible_ids)
    placement = None
    if record is not None:
        current = record.placements.filter(valid_until__isnull=True).values_list("form", flat=True).first()
        if current != form_of_care:
            placement = change_care(
                actor,
                record,
                form=form_of_care,
                valid_from=care_from,
                decision=decision,
                form_field="form_of_care",
                date_field="care_from",
            )
    event(
        actor,
        item.case_id,
        FamilyEventKind.MEETING_DECISION,
        {
            "meeting": meeting.pk,
            "item": item.pk,
            "decision": decision.pk,
            "body": meeting.body,
            "record": item.child_id,
            "form_of_care": form_of_care,
            "placement": placement.pk if placement is not None else None,
            "review_on": review_on.isoformat() if review_on else None,
        },
    )
    child_person = [item.child.child_id] if item.child_id else []
    audit(
        actor,
        AuditAction.CREATE,
        DECISION,
        decision.pk,
        centre_id=meeting.centre_id,
        person_id=item.case.person_id,
        person_ids=[*persons_concerned(item.case), *child_person],
        changes={**created(snapshot(decision, MeetingDecision.AUDITED_FIELDS)), "responsible": [None, responsible_ids]},
    )
    for user, description, due_on in task_rows:
        create_follow_up(actor, item.case, assigned_to=user, description=description, due_on=due_on, decision=decision)
    return decision
