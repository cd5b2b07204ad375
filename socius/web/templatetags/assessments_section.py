"""The "Interviews" section of a case page, drawn from the page's own context (case, forms, user)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from socius.accounts.roles import WORK_CASES
from socius.assessments.models import Assessment, AssessmentStatus
from socius.web.forms_assessments import StartAssessmentForm

register = template.Library()

DONE = (AssessmentStatus.COMPLETED, AssessmentStatus.SIGNED)


@register.inclusion_tag("web/assessments_case_list.html", takes_context=True)
def assessments_section(context):
    """`case` must come from `get_case_content_for` (the page shows the section only then, audited there)."""
    case = context.get("case")
    user = context["request"].user
    today = timezone.localdate()
    assessments = (
        list(Assessment.objects.filter(case_id=case.pk).order_by("-need_identified_on", "-id")) if case else []
    )
    latest_done = max(
        (a for a in assessments if a.status in DONE and a.completed_on),
        key=lambda a: (a.completed_on, a.pk),
        default=None,
    )
    for item in assessments:
        item.due_overdue = item.status == AssessmentStatus.DRAFT and item.due_on is not None and item.due_on < today
        item.renewal_overdue = item is latest_done and item.renewal_due_on is not None and item.renewal_due_on < today
    may_work = bool(case is not None and user.can(WORK_CASES) and case.is_open)
    forms_ = context.get("forms") or {}
    return {
        "case": case,
        "assessments": assessments,
        "may_work": may_work,
        "start_form": (
            forms_.get("assessment")
            or StartAssessmentForm(initial={"need_identified_on": today}, auto_id="interview_%s")
        )
        if may_work
        else None,
        "csrf_token": context.get("csrf_token"),
        "request": context["request"],
    }
