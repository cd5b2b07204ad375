"""What the family app offers the read models of `socius.desk` (decision 0015): the family assistant's
and child protection's events on the case, household and person timelines, and on the desk the plan
actions due to a family assistant, the families' assessments due, the follow-up tasks assigned to the
reader and the reviews of the meetings' decisions on the reader's children.

Every row hangs on a case and is case content: only readers of the case's content see it (the desk
rows are the reader's own). The Blue Card never appears here: it has its own history (`BlueCardEvent`),
seen by its group alone, and no row of this module reads it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socius.accounts.models import User
from socius.accounts.roles import WORK_CHILD_PROTECTION, Role
from socius.casework.statuses import OPEN_STATUSES
from socius.common.timeline import (
    DeskSection,
    Entry,
    EventTable,
    Group,
    HistoryScope,
    TimelineItem,
    TimelineSource,
    day_text,
    desk_ref,
    move_text,
)
from socius.family.models import (
    ChildInDifficulty,
    FamilyEnrolment,
    FamilyEvent,
    FamilyEventKind,
    FollowUpTask,
    MeetingDecision,
    WorkPlanItem,
)
from socius.family.selectors_support import next_assessment_due
from socius.family.statuses import (
    ActivityPlace,
    ChildRisk,
    ChildStatus,
    ClosureOutcome,
    ConsentMethod,
    EnrolmentRoute,
    EnrolmentStatus,
    FormOfCare,
    MeetingBody,
    PlanItemStatus,
    TaskStatus,
    WorkArea,
    WorkPlanStatus,
)

FAMILY_SUPPORT = Group("family_support", gettext_lazy("Family assistant"), 90)
CHILD_PROTECTION = Group("child_protection", gettext_lazy("Child protection"), 95)

CHILD_PROTECTION_KINDS = frozenset(
    {
        FamilyEventKind.CHILD_RECORDED,
        FamilyEventKind.CHILD_CLOSED,
        FamilyEventKind.RISKS_CHANGED,
        FamilyEventKind.CARE_CHANGED,
        FamilyEventKind.AGENDA_ADDED,
        FamilyEventKind.MEETING_DECISION,
        FamilyEventKind.TASK_CREATED,
        FamilyEventKind.TASK_DONE,
    }
)
FAMILY_EVENT_GROUPS: dict[str, str] = {
    kind: (CHILD_PROTECTION.code if kind in CHILD_PROTECTION_KINDS else FAMILY_SUPPORT.code)
    for kind in FamilyEventKind.values
}
CASE_SECTION = "family"  # the case page's section "Family and children" (its anchor)


def timeline_source() -> TimelineSource:
    return TimelineSource(
        groups=(FAMILY_SUPPORT, CHILD_PROTECTION),
        events=EventTable(
            source="family",
            model=FamilyEvent,
            groups=FAMILY_EVENT_GROUPS,
            default_group=FAMILY_SUPPORT.code,
            labels=dict(FamilyEventKind.choices),
            describe=describe_family_event,
            user_ids=users_named,
        ),
        history=history,
    )


def optional_url(name: str, *args) -> str:
    """The URL of a page of the family's web views, or "" while that page is not there."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# --- the case timeline: family events in words -----------------------------------------------------------

# The keys of `FamilyEvent.data` that name users (ids), by kind; the describer names them in one query.
_USER_KEYS = ("assistant_id", "assistant", "assigned_to", "responsible_worker", "worker")


def _user_id(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def users_named(entry: Entry) -> set[int]:
    keys = (*_USER_KEYS, "from", "to") if entry.kind == FamilyEventKind.ASSISTANT_CHANGED else _USER_KEYS
    return {uid for key in keys if (uid := _user_id(entry.data.get(key))) is not None}


def _assistant(data: dict) -> int | None:
    return _user_id(data.get("assistant_id")) or _user_id(data.get("assistant"))


def _link(data: dict) -> str:
    """The page of the record an event is about (the family's page, the child's, the meeting's), when the
    web layer has it."""
    for key, url_name in (
        ("enrolment_id", "web:family_enrolment"),
        ("record", "web:child_detail"),
        ("meeting", "web:meeting_detail"),
    ):
        if _user_id(data.get(key)):
            return optional_url(url_name, data[key])
    return ""


def _label(choices, value) -> str:
    return str(dict(choices).get(value, "—")) if value else "—"


def _labels(choices, values) -> str:
    labels = dict(choices)
    if not isinstance(values, list | tuple):
        return "—"
    return ", ".join(str(labels.get(v, v)) for v in values) or "—"


def _from(data: dict, key: str) -> list:
    return [_("From %(date)s") % {"date": day_text(data[key])}] if data.get(key) else []


def describe_family_event(entry: Entry, name) -> list:
    data, kind = entry.data, entry.kind
    entry.link = _link(data)
    if kind in (
        FamilyEventKind.ENROLMENT_REQUESTED,
        FamilyEventKind.ENROLMENT_APPROVED,
        FamilyEventKind.ENROLMENT_ORDERED,
        FamilyEventKind.ENROLMENT_STATUTORY,
        FamilyEventKind.WORK_RESUMED,
    ):
        lines = []
        if data.get("route"):
            lines.append(_label(EnrolmentRoute.choices, data["route"]))
        if _assistant(data):
            lines.append(_("Family assistant: %(name)s") % {"name": name(_assistant(data))})
        if data.get("requested_on") and kind == FamilyEventKind.ENROLMENT_REQUESTED:
            lines.append(_("Requested on %(date)s") % {"date": day_text(data["requested_on"])})
        lines += _from(data, "started_on") + _from(data, "resumed_on")
        if data.get("court_name") or data.get("court_reference"):
            court = " ".join(str(data.get(k) or "") for k in ("court_name", "court_reference")).strip()
            lines.append(_("Court: %(court)s") % {"court": court})
        if data.get("legal_basis"):
            lines.append(_("Legal basis: %(basis)s") % {"basis": data["legal_basis"]})
        return lines
    if kind == FamilyEventKind.ENROLMENT_REFUSED:
        return [_("Decided on %(date)s") % {"date": day_text(data.get("decided_on"))}]
    if kind == FamilyEventKind.ASSISTANT_CHANGED:
        lines = [_("%(from)s → %(to)s") % {"from": name(data.get("from")), "to": name(data.get("to"))}]
        return lines + _from(data, "on")
    if kind == FamilyEventKind.CONSENT_GIVEN:
        return [
            _("Given on %(date)s (%(method)s)")
            % {"date": day_text(data.get("given_on")), "method": _label(ConsentMethod.choices, data.get("method"))}
        ]
    if kind == FamilyEventKind.CONSENT_WITHDRAWN:
        return [_("Withdrawn on %(date)s") % {"date": day_text(data.get("withdrawn_on"))}]
    if kind == FamilyEventKind.WORK_PLAN_AGREED:
        lines = [
            _("Version %(version)s, agreed on %(date)s")
            % {"version": data.get("version", "—"), "date": day_text(data.get("agreed_on"))}
        ]
        if data.get("review_on"):
            lines.append(_("Review on %(date)s") % {"date": day_text(data["review_on"])})
        return lines
    if kind == FamilyEventKind.ACTIVITY_LOGGED:
        place, minutes = _label(ActivityPlace.choices, data.get("place")), data.get("minutes", "—")
        if data.get("on"):
            what = {"place": place, "date": day_text(data["on"]), "minutes": minutes}
            lines = [_("%(place)s, %(date)s, %(minutes)s min") % what]
        else:
            lines = [_("%(place)s, %(minutes)s min") % {"place": place, "minutes": minutes}]
        if data.get("areas"):
            lines.append(_("Areas: %(areas)s") % {"areas": _labels(WorkArea.choices, data["areas"])})
        return lines
    if kind in (FamilyEventKind.ASSESSMENT_MADE, FamilyEventKind.COURT_OPINION):
        lines = [
            _("Period %(from)s – %(until)s")
            % {"from": day_text(data.get("period_from")), "until": day_text(data.get("period_until"))}
        ]
        if kind == FamilyEventKind.COURT_OPINION and (data.get("court_name") or data.get("court_reference")):
            court = " ".join(str(data.get(k) or "") for k in ("court_name", "court_reference")).strip()
            lines.append(_("Court: %(court)s") % {"court": court})
        return lines
    if kind == FamilyEventKind.WORK_CLOSED:
        lines = [_("Outcome: %(outcome)s") % {"outcome": _label(ClosureOutcome.choices, data.get("outcome"))}]
        if data.get("closed_on"):
            lines.append(_("Closed on %(date)s") % {"date": day_text(data["closed_on"])})
        if data.get("monitoring_until"):
            lines.append(_("Monitoring until %(date)s") % {"date": day_text(data["monitoring_until"])})
        return lines
    if kind == FamilyEventKind.MONITORING_ENDED:
        return [_("Ended on %(date)s") % {"date": day_text(data.get("ended_on"))}]
    if kind == FamilyEventKind.CHILD_RECORDED:
        lines = []
        if data.get("form_of_care") or data.get("form"):
            form = data.get("form_of_care") or data.get("form")
            lines.append(_("Form of care: %(form)s") % {"form": _label(FormOfCare.choices, form)})
        if data.get("risks"):
            lines.append(_("Risks: %(risks)s") % {"risks": _labels(ChildRisk.choices, data["risks"])})
        lines += _from(data, "care_from")
        if data.get("identified_on"):
            lines.append(_("Identified on %(date)s") % {"date": day_text(data["identified_on"])})
        if _user_id(data.get("responsible_worker")):
            lines.append(_("Responsible worker: %(name)s") % {"name": name(data["responsible_worker"])})
        return lines
    if kind == FamilyEventKind.CHILD_CLOSED:
        return [_("Closed on %(date)s") % {"date": day_text(data.get("closed_on"))}]
    if kind == FamilyEventKind.RISKS_CHANGED:
        return [_("Risks: %(risks)s") % {"risks": _labels(ChildRisk.choices, data.get("risks") or data.get("to"))}]
    if kind == FamilyEventKind.CARE_CHANGED:
        if "from" in data and "to" in data and not _user_id(data.get("to")):
            lines = [move_text(FormOfCare.choices, data)]
        else:
            form = data.get("form") or data.get("form_of_care")
            lines = [_("Form of care: %(form)s") % {"form": _label(FormOfCare.choices, form)}]
        return lines + _from(data, "valid_from")
    if kind == FamilyEventKind.AGENDA_ADDED:
        lines = [_label(MeetingBody.choices, data.get("body"))]
        if data.get("scheduled_on"):
            lines.append(_("Meeting on %(date)s") % {"date": day_text(data["scheduled_on"])})
        return lines
    if kind == FamilyEventKind.MEETING_DECISION:
        lines = [_label(MeetingBody.choices, data.get("body"))] if data.get("body") else []
        if data.get("form_of_care"):
            lines.append(_("Form of care: %(form)s") % {"form": _label(FormOfCare.choices, data["form_of_care"])})
        if data.get("review_on"):
            lines.append(_("Review on %(date)s") % {"date": day_text(data["review_on"])})
        return lines
    if kind == FamilyEventKind.TASK_CREATED:
        lines = []
        if _user_id(data.get("assigned_to")):
            lines.append(_("Assigned to %(name)s") % {"name": name(data["assigned_to"])})
        if data.get("due_on"):
            lines.append(_("Due on %(date)s") % {"date": day_text(data["due_on"])})
        return lines
    if kind == FamilyEventKind.TASK_DONE:
        return [_("Done on %(date)s") % {"date": day_text(data.get("done_on"))}]
    return []


# --- the household and person timelines --------------------------------------------------------------------


def history(scope: HistoryScope) -> list[TimelineItem]:
    """Family and child protection events of the cases whose content the reader reads, newest first (one
    query for both groups, one more for the users their details name). Summary-only readers see none."""
    wanted = {FAMILY_SUPPORT.code, CHILD_PROTECTION.code} & scope.wanted
    if not wanted or not scope.readable_ids:
        return []
    events = FamilyEvent.objects.filter(case_id__in=scope.readable_ids)
    if wanted == {FAMILY_SUPPORT.code}:
        events = events.exclude(kind__in=CHILD_PROTECTION_KINDS)
    elif wanted == {CHILD_PROTECTION.code}:
        events = events.filter(kind__in=CHILD_PROTECTION_KINDS)
    rows = list(events.order_by("-at", "-id")[: scope.limit])
    entries = [Entry("family", e.pk, e.at, e.kind, e.actor_id, e.data) for e in rows]
    ids = set().union(*(users_named(entry) for entry in entries)) if entries else set()
    users = User.objects.filter(centre_id=scope.actor.centre_id).in_bulk(ids) if ids else {}

    def name(user_id) -> str:
        user = users.get(user_id)
        return (user.get_full_name() or user.username) if user else "—"

    return [
        scope.case_item(
            e.at,
            FAMILY_EVENT_GROUPS.get(e.kind, FAMILY_SUPPORT.code),
            e.get_kind_display(),
            e.case_id,
            anchor=CASE_SECTION,
            detail=" · ".join(str(line) for line in describe_family_event(entry, name))[:300],
            sort_id=e.pk,
        )
        for e, entry in zip(rows, entries, strict=True)
    ]


# --- the desk ----------------------------------------------------------------------------------------------

ACTION_DAYS = 7  # a family assistant's plan actions due within a week, or overdue
ASSESSMENT_DAYS = 14  # assessments due within two weeks, or overdue
TASK_DAYS = 14
REVIEW_DAYS = 14
DESK_LIST_LIMIT = 50
_CLIENT = ("case", "case__household", "case__person")
WORKING = (EnrolmentStatus.ACTIVE, EnrolmentStatus.MONITORING)


def is_family_assistant(actor) -> bool:
    """Only family assistants are assigned families (support's `staff_assistant`): the others' desks have no
    assistant's sections, and pay no query for them."""
    return actor.role == Role.FAMILY_ASSISTANT


def works_with_children(actor) -> bool:
    return actor.can(WORK_CHILD_PROTECTION)


def family_plan_items_due(actor, day: dt.date) -> list[WorkPlanItem] | None:
    """Items of the agreed plans of the families the actor assists (active or monitored), not done nor
    dropped, due within 7 days or overdue (one query); None for who is not a family assistant."""
    if not is_family_assistant(actor):
        return None
    return list(
        WorkPlanItem.objects.filter(
            plan__enrolment__centre_id=actor.centre_id,
            plan__enrolment__assistant_id=actor.pk,
            plan__enrolment__status__in=WORKING,
            plan__enrolment__case__status__in=OPEN_STATUSES,
            plan__status=WorkPlanStatus.AGREED,
            status__in=(PlanItemStatus.PLANNED, PlanItemStatus.IN_PROGRESS),
            due_on__lte=day + dt.timedelta(days=ACTION_DAYS),
        )
        .select_related(*(f"plan__enrolment__{path}" for path in _CLIENT))
        .order_by("due_on", "id")[:DESK_LIST_LIMIT]
    )


@dataclass(frozen=True)
class AssessmentDue:
    enrolment: FamilyEnrolment
    due_on: dt.date
    last_assessed_on: dt.date | None

    @property
    def case(self):
        return self.enrolment.case


def family_assessments_due(actor, day: dt.date) -> list[AssessmentDue] | None:
    """The active families the actor assists whose periodic assessment (every `assessment_interval_months`
    of the pack, from the last one, or from the start of the work: `selectors_support.next_assessment_due`,
    as the assistant's desk counts it) is due within 14 days or overdue (one query); None for who is not a
    family assistant."""
    if not is_family_assistant(actor):
        return None
    enrolments = (
        FamilyEnrolment.objects.filter(
            centre_id=actor.centre_id,
            assistant_id=actor.pk,
            status=EnrolmentStatus.ACTIVE,
            case__status__in=OPEN_STATUSES,
        )
        .annotate(
            last_assessed_on=Max(
                "assessments__assessed_on",
                filter=Q(assessments__is_court_opinion=False, assessments__assessed_on__lte=day),
            )
        )
        .select_related("centre", *_CLIENT)
    )
    horizon = day + dt.timedelta(days=ASSESSMENT_DAYS)
    rows = []
    for enrolment in enrolments:
        due = next_assessment_due(enrolment, on=day)
        if due is not None and due <= horizon:
            rows.append(AssessmentDue(enrolment, due, enrolment.last_assessed_on))
    rows.sort(key=lambda r: (r.due_on, r.enrolment.pk))
    return rows[:DESK_LIST_LIMIT]


def follow_up_tasks_due(actor, day: dt.date) -> list[FollowUpTask] | None:
    """Open follow-up tasks assigned to the actor, due within 14 days or overdue (one query); None for who
    does no child protection work."""
    if not works_with_children(actor):
        return None
    return list(
        FollowUpTask.objects.filter(
            centre_id=actor.centre_id,
            assigned_to_id=actor.pk,
            status=TaskStatus.OPEN,
            case__status__in=OPEN_STATUSES,
            due_on__lte=day + dt.timedelta(days=TASK_DAYS),
        )
        .select_related(*_CLIENT)
        .order_by("due_on", "id")[:DESK_LIST_LIMIT]
    )


def child_reviews_due(actor, day: dt.date) -> list[MeetingDecision] | None:
    """The latest decision on each child the actor is responsible for (still in difficulty), whose review
    is due within 14 days or overdue (one query). A later decision on the same child replaces the review.
    None for who does no child protection work."""
    if not works_with_children(actor):
        return None
    later = MeetingDecision.objects.filter(
        item__child_id=OuterRef("item__child_id"), decided_at__gt=OuterRef("decided_at")
    )
    return list(
        MeetingDecision.objects.filter(
            item__child__centre_id=actor.centre_id,
            item__child__responsible_worker_id=actor.pk,
            item__child__status=ChildStatus.OPEN,
            item__case__status__in=OPEN_STATUSES,
            review_on__isnull=False,
            review_on__lte=day + dt.timedelta(days=REVIEW_DAYS),
        )
        .exclude(Exists(later))
        .select_related("item__child__child", "item__meeting", *(f"item__{path}" for path in _CLIENT))
        .order_by("review_on", "id")[:DESK_LIST_LIMIT]
    )


def _item_title(item: WorkPlanItem) -> str:
    return item.goal if not item.action else f"{item.goal}: {item.action}"[:200]


def _child_name(record: ChildInDifficulty) -> str:
    return record.child.full_name


def desk_sections() -> tuple[DeskSection, ...]:
    plan_items = DeskSection(
        code="family_plan_items",
        order=80,
        read=family_plan_items_due,
        cases=lambda items: [i.plan.enrolment.case for i in items or ()],
        refs=lambda items, day: [
            desk_ref(i.plan.enrolment.case, i.due_on, bool(i.due_on and i.due_on < day), _item_title(i))
            for i in items or ()
        ],
        template="web/desk/family_plan_items.html",
    )
    assessments = DeskSection(
        code="family_assessments",
        order=85,
        read=family_assessments_due,
        cases=lambda rows: [r.case for r in rows or ()],
        refs=lambda rows, day: [
            desk_ref(r.case, r.due_on, r.due_on < day, str(_("Assessment of the family's situation")))
            for r in rows or ()
        ],
        template="web/desk/family_assessments.html",
    )
    tasks = DeskSection(
        code="follow_up_tasks",
        order=90,
        read=follow_up_tasks_due,
        cases=lambda tasks: [t.case for t in tasks or ()],
        refs=lambda tasks, day: [desk_ref(t.case, t.due_on, t.due_on < day, t.description) for t in tasks or ()],
        template="web/desk/follow_up_tasks.html",
    )
    reviews = DeskSection(
        code="child_reviews",
        order=95,
        read=child_reviews_due,
        cases=lambda decisions: [d.item.case for d in decisions or ()],
        refs=lambda decisions, day: [
            desk_ref(
                d.item.case,
                d.review_on,
                d.review_on < day,
                _("Review: %(child)s") % {"child": _child_name(d.item.child)},
            )
            for d in decisions or ()
        ],
        template="web/desk/child_reviews.html",
    )
    return plan_items, assessments, tasks, reviews
