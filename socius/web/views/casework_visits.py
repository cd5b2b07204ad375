"""UI views: home visits and social work on the case page (record a visit made, plan, record as done,
cancel; record an activity).

The sections "visits" and "social-work" are drawn by `case_page`; every write here is one service call
through `CASE_PAGE.run_action` (the section again in place, or the page at the section without
JavaScript; a refusal says why at the section's top and beside the field).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socius.accounts.roles import WORK_CASES
from socius.casework import services
from socius.casework.models import HomeVisit
from socius.web.access import requires
from socius.web.forms_casework_visits import (
    ActivityForm,
    CancelVisitForm,
    PlanVisitForm,
    RecordVisitForm,
    VisitDoneForm,
)
from socius.web.views._helpers import domain_404
from socius.web.views.case_page import CASE_PAGE, case_id_of, persons_of_case, workable_case

VISITS, SOCIAL_WORK = "visits", "social-work"


@requires(WORK_CASES)
@require_POST
@domain_404
def visit_record(request, pk):
    """A visit already made (today, as a rule), recorded as done in one step."""
    actor = request.user
    form = RecordVisitForm(request.POST, actor=actor, case=workable_case(actor, pk), auto_id="record_%s")

    def done(visit) -> str:
        if visit.next_visit_id:
            return _("The visit is recorded as done and the next one is planned.")
        return _("The visit is recorded as done.")

    return CASE_PAGE.run_action(
        request,
        pk,
        VISITS,
        form=form,
        write=lambda data: services.record_done_visit(actor, pk, form.visit_data()),
        key="record_visit",
        done=done,
        failed=_("The visit was not recorded."),
    )


@requires(WORK_CASES)
@require_POST
@domain_404
def visit_plan(request, pk):
    actor = request.user
    form = PlanVisitForm(request.POST, actor=actor, case=workable_case(actor, pk), auto_id="visit_%s")
    return CASE_PAGE.run_action(
        request,
        pk,
        VISITS,
        form=form,
        write=lambda data: services.plan_visit(actor, pk, {**data, "visitors": [u.pk for u in data["visitors"]]}),
        key="plan_visit",
        done=_("The visit is planned."),
        failed=_("The visit was not planned."),
    )


@requires(WORK_CASES)
@require_POST
@domain_404
def visit_done(request, pk):
    actor, visit_pk = request.user, pk
    case_id = case_id_of(actor, HomeVisit, visit_pk)

    def done(visit) -> str:
        if visit.next_visit_id:
            return _("The visit is recorded as done and the next one is planned.")
        return _("The visit is recorded as done.")

    return CASE_PAGE.run_action(
        request,
        case_id,
        VISITS,
        form=VisitDoneForm(request.POST, auto_id=f"done{visit_pk}_%s"),
        write=lambda data: services.record_visit_done(actor, visit_pk, data),
        key=f"done-{visit_pk}",
        done=done,
        failed=_("The visit was not recorded."),
    )


@requires(WORK_CASES)
@require_POST
@domain_404
def visit_cancel(request, pk):
    actor, visit_pk = request.user, pk
    case_id = case_id_of(actor, HomeVisit, visit_pk)
    return CASE_PAGE.run_action(
        request,
        case_id,
        VISITS,
        form=CancelVisitForm(request.POST, auto_id=f"cancel{visit_pk}_%s"),
        write=lambda data: services.cancel_visit(actor, visit_pk, reason=data.get("reason") or ""),
        key=f"cancel-{visit_pk}",
        done=_("The visit is cancelled."),
        failed=_("The visit was not cancelled."),
    )


@requires(WORK_CASES)
@require_POST
@domain_404
def activity_record(request, pk):
    actor = request.user
    case = workable_case(actor, pk)
    form = ActivityForm(request.POST, actor=actor, persons=persons_of_case(case), case=case, auto_id="activity_%s")

    def write(data):
        return services.record_activity(
            actor,
            pk,
            {
                **data,
                "participants": [p.pk for p in data["participants"]],
                "performed_by": data["performed_by"].pk if data["performed_by"] else None,
            },
        )

    return CASE_PAGE.run_action(
        request,
        pk,
        SOCIAL_WORK,
        form=form,
        write=write,
        key="activity",
        done=_("The social work is recorded."),
        failed=_("The social work was not recorded."),
    )
