"""What assessments offer the read models of `socius.desk`: interview events on the timelines, and the
interviews overdue or due on the worker's desk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socius.assessments.models import (
    Assessment,
    AssessmentEvent,
    AssessmentEventKind,
    AssessmentKind,
    AssessmentStatus,
)
from socius.assessments.selectors import overdue_assessments_for
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
)

ASSESSMENT = Group("assessment", gettext_lazy("Interviews"), 50)

# On the household and person timelines (drafts saved are left to the case timeline).
HISTORY_EVENT_KINDS = (AssessmentEventKind.STARTED, AssessmentEventKind.COMPLETED, AssessmentEventKind.SIGNED)


def timeline_source() -> TimelineSource:
    return TimelineSource(
        groups=(ASSESSMENT,),
        events=EventTable(
            source="assessment",
            model=AssessmentEvent,
            groups={},
            default_group=ASSESSMENT.code,
            labels=dict(AssessmentEventKind.choices),
            describe=describe_assessment_event,
        ),
        history=history,
    )


def describe_assessment_event(entry: Entry, name) -> list:
    data, kind = entry.data, entry.kind
    if kind == AssessmentEventKind.STARTED:
        lines = [str(dict(AssessmentKind.choices).get(data.get("kind"), "—"))]
        if data.get("due_on"):
            lines.append(_("Due on %(date)s") % {"date": day_text(data["due_on"])})
        return lines
    if kind == AssessmentEventKind.COMPLETED:
        lines = [_("Completed on %(date)s") % {"date": day_text(data.get("on"))}]
        if data.get("renewal_due_on"):
            lines.append(_("Renewal due on %(date)s") % {"date": day_text(data["renewal_due_on"])})
        return lines
    if kind == AssessmentEventKind.SIGNED:
        return [_("Signed on %(date)s") % {"date": day_text(data.get("on"))}]
    return []


def history(scope: HistoryScope) -> list[TimelineItem]:
    """Interviews started, completed and signed on readable cases (one query)."""
    if ASSESSMENT.code not in scope.wanted or not scope.readable_ids:
        return []
    events = AssessmentEvent.objects.filter(case_id__in=scope.readable_ids, kind__in=HISTORY_EVENT_KINDS)
    return [
        scope.case_item(e.at, ASSESSMENT.code, e.get_kind_display(), e.case_id, sort_id=e.pk)
        for e in events.order_by("-at", "-id")[: scope.limit]
    ]


# --- the worker's desk ------------------------------------------------------------------------------------

INTERVIEW_DAYS = 7
DESK_LIST_LIMIT = 50
_CLIENT = ("case", "case__household", "case__person")  # what a desk row needs to name the client


@dataclass(frozen=True)
class InterviewsDue:
    overdue: list[Assessment]  # drafts past their due date, completed ones past renewal
    due: list[Assessment]  # drafts due within INTERVIEW_DAYS


def interviews_due(actor, day: dt.date) -> InterviewsDue:
    """Interviews overdue, and drafts due within 7 days, on the actor's own open cases (two queries)."""
    overdue = overdue_assessments_for(actor, day).filter(case__assigned_worker_id=actor.pk).select_related(*_CLIENT)
    due = (
        Assessment.objects.filter(
            case__centre_id=actor.centre_id,
            case__assigned_worker_id=actor.pk,
            case__status__in=OPEN_STATUSES,
            status=AssessmentStatus.DRAFT,
            due_on__gte=day,
            due_on__lte=day + dt.timedelta(days=INTERVIEW_DAYS),
        )
        .select_related(*_CLIENT)
        .order_by("due_on", "id")
    )
    return InterviewsDue(overdue=list(overdue[:DESK_LIST_LIMIT]), due=list(due[:DESK_LIST_LIMIT]))


def _refs(rows: InterviewsDue, day: dt.date) -> list[dict]:
    overdue = [
        desk_ref(
            a.case, a.due_on if a.status == AssessmentStatus.DRAFT else a.renewal_due_on, True, a.get_kind_display()
        )
        for a in rows.overdue
    ]
    return overdue + [desk_ref(a.case, a.due_on, False, a.get_kind_display()) for a in rows.due]


def desk_sections() -> tuple[DeskSection, ...]:
    return (
        DeskSection(
            code="interviews",
            order=10,
            read=interviews_due,
            cases=lambda rows: [a.case for a in (*rows.overdue, *rows.due)],
            refs=_refs,
            template="web/desk/interviews.html",
        ),
    )
