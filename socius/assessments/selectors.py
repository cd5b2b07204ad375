"""Reads for assessments: a case's assessments (case content) and a worker's overdue ones. Bounded queries."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from socius.accounts.models import User
from socius.accounts.permissions import require
from socius.accounts.roles import Role
from socius.assessments.models import Assessment, AssessmentStatus
from socius.casework.models import CaseShare
from socius.casework.permissions import can_view_case_content, can_view_cases, team_ids_of
from socius.casework.selectors import audit_case_read, cases_in_scope, get_case_content_for, readable_case_ids
from socius.casework.statuses import CaseStatus
from socius.common.errors import Forbidden, NotFound

DONE = (AssessmentStatus.COMPLETED, AssessmentStatus.SIGNED)


def assessments_for_case(actor: User, case_id) -> list[Assessment]:
    """The case's assessments, newest first. Opens the case's content through casework (NotFound outside
    the centre, Forbidden without access, the opening audited as a case view)."""
    case = get_case_content_for(actor, case_id)
    return list(Assessment.objects.filter(case_id=case.pk).order_by("-need_identified_on", "-id"))


def assessments_readable_by(actor: User, case=None) -> QuerySet[Assessment] | list[Assessment]:
    """Assessments on cases whose content the actor may read, newest first; with `case`, that case's
    (NotFound outside the centre, Forbidden without its content, the case view audited)."""
    require(actor, can_view_cases)
    if case is not None:
        return assessments_for_case(actor, case)
    return Assessment.objects.filter(case_id__in=readable_case_ids(actor)).order_by("-need_identified_on", "-id")


def get_assessment_for(actor: User, assessment_id) -> Assessment:
    """One assessment with its answers, for those who read the case's content; every opening is audited
    (a VIEW of the assessment). NotFound outside the centre, Forbidden for the rest of the centre."""
    require(actor, can_view_cases)
    try:
        pk = int(assessment_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    case_id = (
        Assessment.objects.filter(pk=pk, case__centre_id=actor.centre_id).values_list("case_id", flat=True).first()
    )
    if case_id is None:
        raise NotFound()
    case = cases_in_scope(actor).get(pk=case_id)
    if not can_view_case_content(actor, case):
        raise Forbidden()
    assessment = Assessment.objects.get(pk=pk)
    assessment.case = case
    audit_case_read(actor, case, object_type="assessment", object_id=pk)
    return assessment


def _content_scope(actor: User) -> Q:
    """The cases whose content the actor reads, as a filter on assessments (mirrors can_view_case_content)."""
    if actor.role == Role.DIRECTOR:
        return Q()
    scope = Q(case__assigned_worker_id=actor.pk) | Q(
        Exists(CaseShare.objects.filter(case_id=OuterRef("case_id"), user_id=actor.pk))
    )
    if actor.role == Role.TEAM_LEADER:
        scope |= Q(case__team_id__in=team_ids_of(actor))
    return scope


def completed_interviews_of(case_id: int) -> QuerySet[Assessment]:
    """A case's completed or signed interviews, newest first (what a help plan may be based on).
    Content: only for a case whose content the reader may see."""
    return Assessment.objects.filter(case_id=case_id, status__in=DONE, completed_on__isnull=False).order_by(
        "-completed_on", "-id"
    )


def overdue_assessments_in_centre(centre_id: int, on: dt.date) -> QuerySet[Assessment]:
    """Every assessment overdue on `on` in the centre's open cases: drafts past their due date, and
    completed ones whose renewal date has passed without a newer completed assessment. For counts
    (caseload); a reader's list goes through `overdue_assessments_for`, which keeps to their content."""
    newer_done = Assessment.objects.filter(
        case_id=OuterRef("case_id"), status__in=DONE, completed_on__isnull=False
    ).filter(
        Q(completed_on__gt=OuterRef("completed_on")) | Q(completed_on=OuterRef("completed_on"), id__gt=OuterRef("id"))
    )
    return (
        Assessment.objects.filter(case__centre_id=centre_id)
        .exclude(case__status=CaseStatus.CLOSED)
        .filter(
            Q(status=AssessmentStatus.DRAFT, due_on__lt=on)
            | (Q(status__in=DONE, renewal_due_on__lt=on) & ~Q(Exists(newer_done)))
        )
    )


def overdue_assessments_for(actor: User, on: dt.date) -> QuerySet[Assessment]:
    """Assessments overdue on `on` (see `overdue_assessments_in_centre`) in cases whose content the
    actor reads."""
    require(actor, can_view_cases)
    return (
        overdue_assessments_in_centre(actor.centre_id, on)
        .filter(_content_scope(actor))
        .select_related("case", "case__assigned_worker")
        .order_by("case_id", "id")
    )
