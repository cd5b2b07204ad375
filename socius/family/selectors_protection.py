"""Reads of child protection: children in difficulty, their history of care, meetings and their agendas, follow-up
tasks, and what the minutes need. Each `get_*_for` answers "not found" for what the actor may not see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone, translation

from socius.accounts.audit import record_list_view, record_view
from socius.accounts.models import User
from socius.accounts.roles import VIEW_CASES, Role
from socius.casework.models import Case
from socius.casework.selectors import content_readable_q, persons_shown_by_cases
from socius.common.errors import NotFound
from socius.family.models import (
    AgendaItem,
    ChildInDifficulty,
    FollowUpTask,
    Meeting,
    MeetingDecision,
    MeetingMember,
    Placement,
)
from socius.family.permissions import can_view_child, can_view_meetings, can_work_task
from socius.family.rules_protection import body_info, form_of_care_label, quorum_text
from socius.family.statuses import ChildRisk, ChildStatus, MeetingBody, TaskStatus


class ChildNotFound(NotFound, ChildInDifficulty.DoesNotExist):
    """The child's record does not exist or the actor may not see it (both look the same)."""


class MeetingNotFound(NotFound, Meeting.DoesNotExist):
    """The meeting does not exist, is another centre's, or the actor does not do child protection work."""


class TaskNotFound(NotFound, FollowUpTask.DoesNotExist):
    """The task does not exist or the actor may not see it."""


def _pk(value) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value.pk if hasattr(value, "pk") else value)
    except (TypeError, ValueError):
        return None


# --- children ---------------------------------------------------------------------------------------------

CURRENT_PLACEMENTS = Placement.objects.filter(valid_until__isnull=True).select_related("partner")


def _children_base() -> QuerySet[ChildInDifficulty]:
    return ChildInDifficulty.objects.select_related(
        "child", "case", "case__assigned_worker", "responsible_worker"
    ).prefetch_related(Prefetch("placements", queryset=CURRENT_PLACEMENTS, to_attr="current_placements"))


def get_child_for(actor: User, pk, *, audit: bool = True) -> ChildInDifficulty:
    """The child's record for its responsible worker and the case's readers; ChildNotFound otherwise. The read
    is audited under the child (`audit=False` for a write's own fetch)."""
    record_pk = _pk(pk)
    if record_pk is None or not actor.centre_id:
        raise ChildNotFound()
    record = _children_base().filter(pk=record_pk, centre_id=actor.centre_id).first()
    if record is None or not can_view_child(actor, record):
        raise ChildNotFound()
    if audit:
        record_view(
            actor,
            object_type="child_in_difficulty",
            object_id=record.pk,
            centre_id=record.centre_id,
            person_id=record.child_id,
        )
    return record


def current_placement(record: ChildInDifficulty) -> Placement | None:
    """The child's form of care now (from the prefetch of the list selectors, else one query)."""
    cached = getattr(record, "current_placements", None)
    if cached is not None:
        return cached[0] if cached else None
    return record.placements.filter(valid_until__isnull=True).first()


def _visible_children_q(actor: User) -> Q:
    readable_cases = Case.objects.filter(content_readable_q(actor)).values("pk")
    return Q(centre_id=actor.centre_id) & (Q(responsible_worker_id=actor.pk) | Q(case_id__in=readable_cases))


def list_children_for(
    actor: User,
    *,
    status: str | None = None,
    risk: str | None = None,
    worker_id=None,
    q: str | None = None,
) -> QuerySet[ChildInDifficulty]:
    """The children the actor may see (responsible for, or on a case they read), newest first, with the child,
    the case, the worker and the current form of care in a fixed number of queries. Filters narrow; an unknown
    status or risk finds nothing. The caller audits the page it shows (`audit_children_list`)."""
    if not actor.centre_id or not actor.can(VIEW_CASES):
        return ChildInDifficulty.objects.none()
    queryset = _children_base().filter(_visible_children_q(actor))
    if status:
        if status not in ChildStatus.values:
            return ChildInDifficulty.objects.none()
        queryset = queryset.filter(status=status)
    if risk:
        if risk not in ChildRisk.values:
            return ChildInDifficulty.objects.none()
        # The JSON list as text holds the code in quotes on SQLite and PostgreSQL alike.
        queryset = queryset.annotate(risks_text=Cast("risks", TextField())).filter(risks_text__contains=f'"{risk}"')
    if worker_id not in (None, ""):
        worker_pk = _pk(worker_id)
        if worker_pk is None:
            return ChildInDifficulty.objects.none()
        queryset = queryset.filter(responsible_worker_id=worker_pk)
    if q and q.strip():
        for word in q.split()[:5]:
            queryset = queryset.filter(
                Q(child__first_name__icontains=word)
                | Q(child__last_name__icontains=word)
                | Q(case__reference__icontains=word)
            )
    return queryset.order_by("-identified_on", "-id")


def audit_children_list(actor: User, records: Iterable[ChildInDifficulty], query: str = "") -> None:
    """One VIEW event naming the children a list page showed."""
    record_list_view(actor, object_type="child_in_difficulty", person_ids=[r.child_id for r in records], query=query)


def case_children(case) -> list[ChildInDifficulty]:
    """The children recorded on a case (the caller has checked the case's content may be read)."""
    return list(_children_base().filter(case_id=_pk(case)).order_by("status", "-identified_on", "-id"))


def care_history(record) -> list[Placement]:
    """The child's forms of care in time order, the current one (no end) last."""
    return list(
        Placement.objects.filter(record_id=_pk(record))
        .select_related("partner", "decision", "decision__item__meeting", "recorded_by")
        .order_by("valid_from", "id")
    )


# --- meetings -------------------------------------------------------------------------------------------


def _meetings_in_scope(actor: User) -> QuerySet[Meeting]:
    if not actor.centre_id or not can_view_meetings(actor):
        return Meeting.objects.none()
    return Meeting.objects.filter(centre_id=actor.centre_id)


def get_meeting_for(actor: User, pk) -> Meeting:
    """A meeting of the actor's centre for those who do child protection work; MeetingNotFound otherwise.
    Members come in the same round trip (with their users)."""
    meeting_pk = _pk(pk)
    meeting = (
        _meetings_in_scope(actor)
        .select_related("chair")
        .prefetch_related(Prefetch("members", queryset=MeetingMember.objects.select_related("user", "partner")))
        .filter(pk=meeting_pk)
        .first()
        if meeting_pk is not None
        else None
    )
    if meeting is None:
        raise MeetingNotFound()
    meeting._member_user_ids = frozenset(m.user_id for m in meeting.members.all() if m.user_id)
    return meeting


def list_meetings_for(
    actor: User,
    *,
    date_from: dt.date | None = None,
    date_until: dt.date | None = None,
    body: str | None = None,
) -> QuerySet[Meeting]:
    """The centre's meetings (for those who do child protection work), with the number of agenda items,
    soonest first; `date_until` exclusive, dates in the centre's time zone."""
    queryset = _meetings_in_scope(actor)
    if date_from is not None:
        queryset = queryset.filter(scheduled_at__gte=_start_of(date_from))
    if date_until is not None:
        queryset = queryset.filter(scheduled_at__lt=_start_of(date_until))
    if body:
        if body not in MeetingBody.values:
            return Meeting.objects.none()
        queryset = queryset.filter(body=body)
    return queryset.select_related("chair").annotate(agenda_count=Count("agenda")).order_by("scheduled_at", "id")


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass
class HiddenItem:
    """An agenda item the actor may not read: only its place on the agenda and whose case it is."""

    pk: int
    position: int
    worker: User
    case_reference: str
    summary: str = ""
    child = None
    decision = None
    is_hidden: bool = True


def meeting_agenda(actor: User, meeting) -> list[tuple[AgendaItem | HiddenItem, bool]]:
    """The agenda in order, as (item, visible). An item the actor may read (director, the meeting's members
    and chair, the case's readers) comes whole with its child, case and decision; any other is a HiddenItem:
    "a case of <worker>", no question, no child, no decision. Fixed number of queries; the read is audited
    under the persons the visible items showed."""
    if not isinstance(meeting, Meeting):
        meeting = get_meeting_for(actor, meeting)
    if not actor.centre_id or actor.centre_id != meeting.centre_id or not can_view_meetings(actor):
        raise MeetingNotFound()
    items = list(
        AgendaItem.objects.filter(meeting_id=meeting.pk)
        .select_related("case", "case__assigned_worker", "child", "child__child", "proposed_by")
        .prefetch_related(
            Prefetch(
                "decision__tasks",
                queryset=FollowUpTask.objects.select_related("assigned_to").order_by("due_on", "id"),
            ),
            "decision__responsible",
            "decision__placements",
        )
        .order_by("position", "id")
    )
    sees_all = actor.role == Role.DIRECTOR or _is_member(actor, meeting)
    readable: set[int] = set()
    if not sees_all and items:
        case_ids = {item.case_id for item in items}
        readable = set(Case.objects.filter(content_readable_q(actor), pk__in=case_ids).values_list("pk", flat=True))
    rows: list[tuple[AgendaItem | HiddenItem, bool]] = []
    shown_cases = []
    for item in items:
        if sees_all or item.case_id in readable:
            rows.append((item, True))
            shown_cases.append(item)
        else:
            rows.append(
                (
                    HiddenItem(
                        pk=item.pk,
                        position=item.position,
                        worker=item.case.assigned_worker,
                        case_reference=item.case.reference,
                    ),
                    False,
                )
            )
    if shown_cases:
        persons = persons_shown_by_cases({item.case_id: item.case for item in shown_cases}.values())
        person_ids = [p for item in shown_cases for p in persons.get(item.case_id, [])]
        person_ids += [item.child.child_id for item in shown_cases if item.child_id]
        record_view(
            actor,
            object_type="meeting",
            object_id=meeting.pk,
            centre_id=meeting.centre_id,
            person_ids=person_ids,
        )
    return rows


def _is_member(actor: User, meeting: Meeting) -> bool:
    cached = getattr(meeting, "_member_user_ids", None)
    if cached is None:
        cached = frozenset(meeting.members.filter(user__isnull=False).values_list("user_id", flat=True))
        meeting._member_user_ids = cached
    return actor.pk in cached or meeting.chair_id == actor.pk


# --- follow-up tasks ---------------------------------------------------------------------------------------


def tasks_for(actor: User, *, status: str | None = "open") -> QuerySet[FollowUpTask]:
    """The follow-up tasks assigned to the actor (open by default; None: all), soonest due first."""
    if not actor.centre_id:
        return FollowUpTask.objects.none()
    queryset = FollowUpTask.objects.filter(centre_id=actor.centre_id, assigned_to_id=actor.pk)
    if status:
        if status not in TaskStatus.values:
            return FollowUpTask.objects.none()
        queryset = queryset.filter(status=status)
    return queryset.select_related("case", "decision", "decision__item__meeting").order_by("due_on", "id")


def case_tasks(case, *, status: str | None = None) -> QuerySet[FollowUpTask]:
    """The follow-up tasks of a case (the caller has checked the case may be read), soonest due first."""
    queryset = FollowUpTask.objects.filter(case_id=_pk(case))
    if status:
        queryset = queryset.filter(status=status)
    return queryset.select_related("assigned_to", "decision").order_by("due_on", "id")


def get_task_for(actor: User, pk) -> FollowUpTask:
    """A task for the person it is assigned to and the readers of its case; TaskNotFound otherwise."""
    task_pk = _pk(pk)
    task = (
        FollowUpTask.objects.select_related("case", "assigned_to", "decision")
        .filter(pk=task_pk, centre_id=actor.centre_id)
        .first()
        if task_pk is not None and actor.centre_id
        else None
    )
    if task is None or not can_work_task(actor, task):
        raise TaskNotFound()
    return task


# --- minutes ------------------------------------------------------------------------------------------------


@dataclass
class MinutesItem:
    position: int
    case_reference: str
    child_name: str
    summary: str
    decision: MeetingDecision | None
    form_of_care: str  # the decided form of care, its statutory name in the minutes' language
    responsible: list[str]
    tasks: list[FollowUpTask]


@dataclass
class MinutesContext:
    meeting: Meeting
    centre_name: str
    language: str
    body_label: str
    body_statutory: str
    body_language: str
    legal_basis: str
    quorum: int | None
    quorum_text: str
    chair: str
    present: list[MeetingMember]
    absent: list[MeetingMember]
    voting_present: int
    items: list[MinutesItem] = field(default_factory=list)


def _member_name(member: MeetingMember) -> str:
    if member.user_id:
        return member.user.get_full_name() or member.user.username
    return member.name


def minutes_context(meeting, language: str) -> MinutesContext:
    """What the minutes PDF needs, in `language` (the centre's): the body's statutory name, who was present,
    each item with its decision, responsible persons and tasks. For the meeting's own record: it holds every
    item whole, so the caller shows it only to those who manage the meeting."""
    meeting = (
        Meeting.objects.select_related("chair", "centre")
        .prefetch_related(Prefetch("members", queryset=MeetingMember.objects.select_related("user", "partner")))
        .get(pk=_pk(meeting))
    )
    with translation.override(language):
        info = body_info(meeting.centre.jurisdiction, meeting.body, language=language, on=_day_of(meeting))
        items = (
            AgendaItem.objects.filter(meeting_id=meeting.pk)
            .select_related("case", "child__child", "decision")
            .prefetch_related(
                "decision__responsible",
                Prefetch(
                    "decision__tasks",
                    queryset=FollowUpTask.objects.select_related("assigned_to").order_by("due_on", "id"),
                ),
            )
            .order_by("position", "id")
        )
        rows = []
        for item in items:
            decision = getattr(item, "decision", None) if _has_decision(item) else None
            rows.append(
                MinutesItem(
                    position=item.position,
                    case_reference=item.case.reference,
                    child_name=f"{item.child.child.first_name} {item.child.child.last_name}" if item.child_id else "",
                    summary=item.summary,
                    decision=decision,
                    form_of_care=(
                        form_of_care_label(meeting.centre.jurisdiction, decision.form_of_care, language=language)
                        if decision is not None and decision.form_of_care
                        else ""
                    ),
                    responsible=[u.get_full_name() or u.username for u in decision.responsible.all()]
                    if decision is not None
                    else [],
                    tasks=list(decision.tasks.all()) if decision is not None else [],
                )
            )
        members = list(meeting.members.all())
        context = MinutesContext(
            meeting=meeting,
            centre_name=meeting.centre.name,
            language=language,
            body_label=info.label,
            body_statutory=info.statutory,
            body_language=info.language,
            legal_basis=info.legal_basis,
            quorum=meeting.quorum,
            quorum_text=quorum_text(info.quorum_rule),
            chair=(meeting.chair.get_full_name() or meeting.chair.username) if meeting.chair_id else "",
            present=[m for m in members if m.is_present],
            absent=[m for m in members if not m.is_present],
            voting_present=sum(1 for m in members if m.is_present and m.is_voting),
            items=rows,
        )
    return context


def _has_decision(item: AgendaItem) -> bool:
    try:
        item.decision  # noqa: B018  (loaded by select_related; raises when there is none)
    except MeetingDecision.DoesNotExist:
        return False
    return True


def _day_of(meeting: Meeting) -> dt.date:
    if meeting.held_on:
        return meeting.held_on
    return timezone.localtime(meeting.scheduled_at).date()


def member_name(member: MeetingMember) -> str:
    return _member_name(member)
