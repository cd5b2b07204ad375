"""UI views: home visits and social work on the case page (plan, record as done, cancel; record activity).

The sections are drawn by `web/cases_visits_section.html` and `web/cases_activities_section.html`,
included in the case page's content part; `case_page_context` gives them what they need. Writes go
through casework.services; a refusal re-renders the case page with the form and its messages.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socius.accounts.models import User
from socius.accounts.roles import WORK_CASES
from socius.casework import selectors, services
from socius.casework.models import Case, HomeVisit, VisitStatus
from socius.casework.permissions import can_view_case_content
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.registry.models import Person
from socius.web.access import requires
from socius.web.forms_casework_visits import ActivityForm, CancelVisitForm, PlanVisitForm, VisitDoneForm
from socius.web.views._helpers import add_domain_errors, domain_404


def persons_of_case(case: Case):
    if case.person_id:
        return Person.objects.filter(pk=case.person_id)
    return Person.objects.filter(pk__in=case.household.memberships.values("person_id")).order_by(
        "last_name", "first_name"
    )


SECTION_ROWS = 10


def _visits(case: Case, show_all: bool) -> tuple[list[HomeVisit], bool]:
    """Every planned visit (each waits for an action) and the latest SECTION_ROWS others; all with
    `show_all`. The rest stay one click away, and on the timeline. Returns (visits, more hidden?)."""
    visits = selectors.visits_for_case(case)
    if show_all:
        return list(visits), False
    planned = list(visits.filter(status=VisitStatus.PLANNED))
    others = list(visits.exclude(status=VisitStatus.PLANNED)[: SECTION_ROWS + 1])
    merged = sorted(planned + others[:SECTION_ROWS], key=lambda v: (v.planned_on, v.pk), reverse=True)
    return merged, len(others) > SECTION_ROWS


def case_page_context(actor: User, case: Case, forms_: dict, expand: frozenset[str] = frozenset()) -> dict:
    """The visits and social work sections of a case page whose content the actor may read. A long
    history shows its latest rows; `expand` ("visits", "activities") asks for every row of a section."""
    visits, more_visits = _visits(case, "visits" in expand)
    activities = list(selectors.activities_for_case(case)[: None if "activities" in expand else SECTION_ROWS + 1])
    more_activities = len(activities) > SECTION_ROWS and "activities" not in expand
    activities = activities[:SECTION_ROWS] if more_activities else activities
    may_work = actor.can(WORK_CASES) and case.is_open
    today = timezone.localdate()
    if may_work:
        for visit in visits:
            if visit.status == VisitStatus.PLANNED:
                visit.done_form = forms_.get(f"done-{visit.pk}") or VisitDoneForm(
                    initial={"done_on": min(today, max(visit.planned_on, case.opened_on))},
                    auto_id=f"done{visit.pk}_%s",
                )
                visit.cancel_form = forms_.get(f"cancel-{visit.pk}") or CancelVisitForm(auto_id=f"cancel{visit.pk}_%s")
    return {
        "visits": visits,
        "more_visits": more_visits,
        "activities": activities,
        "more_activities": more_activities,
        "section_rows": SECTION_ROWS,
        "may_work": may_work,
        "plan_visit_form": (forms_.get("plan_visit") or PlanVisitForm(actor=actor, case=case, auto_id="visit_%s"))
        if may_work
        else None,
        "activity_form": (
            forms_.get("activity")
            or ActivityForm(
                actor=actor,
                persons=persons_of_case(case),
                case=case,
                initial={"performed_on": today},
                auto_id="activity_%s",
            )
        )
        if may_work
        else None,
    }


def workable_case(actor: User, pk) -> Case:
    """The case in the URL (NotFound outside the centre, Forbidden without its content). The service
    checks again inside its transaction."""
    case = selectors.cases_in_scope(actor).filter(pk=pk).first()
    if case is None:
        raise NotFound()
    if not can_view_case_content(actor, case):
        raise Forbidden()
    return case


def _case_of_visit(actor: User, visit_pk) -> int:
    case_id = HomeVisit.objects.filter(pk=visit_pk).values_list("case_id", flat=True).first()
    if case_id is None:
        raise NotFound()
    return workable_case(actor, case_id).pk


def _rerender(request, pk, key: str, form, status: int):
    from socius.web.views.casework import render_case_page  # the case page owns the layout

    return render_case_page(request, pk, forms_={key: form} if form is not None else {}, status=status)


def _refused(request, pk, exc: Conflict):
    messages.error(request, str(exc.message))
    return _rerender(request, pk, "", None, 409)


@requires(WORK_CASES)
@require_POST
@domain_404
def visit_plan(request, pk):
    actor = request.user
    form = PlanVisitForm(request.POST, actor=actor, case=workable_case(actor, pk), auto_id="visit_%s")
    if form.is_valid():
        data = {**form.cleaned_data, "visitors": [u.pk for u in form.cleaned_data["visitors"]]}
        try:
            services.plan_visit(actor, pk, data)
        except Conflict as exc:
            return _refused(request, pk, exc)
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("The visit is planned."))
            return redirect("web:case_detail", pk=pk)
    messages.error(request, _("The visit was not planned."))
    return _rerender(request, pk, "plan_visit", form, 400)


@requires(WORK_CASES)
@require_POST
@domain_404
def visit_done(request, pk):
    actor, visit_pk = request.user, pk
    pk = _case_of_visit(actor, visit_pk)
    form = VisitDoneForm(request.POST, auto_id=f"done{visit_pk}_%s")
    if form.is_valid():
        try:
            visit = services.record_visit_done(actor, visit_pk, form.cleaned_data)
        except Conflict as exc:
            return _refused(request, pk, exc)
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            if visit.next_visit_id:
                messages.success(request, _("The visit is recorded as done and the next one is planned."))
            else:
                messages.success(request, _("The visit is recorded as done."))
            return redirect("web:case_detail", pk=pk)
    messages.error(request, _("The visit was not recorded."))
    return _rerender(request, pk, f"done-{visit_pk}", form, 400)


@requires(WORK_CASES)
@require_POST
@domain_404
def visit_cancel(request, pk):
    actor, visit_pk = request.user, pk
    pk = _case_of_visit(actor, visit_pk)
    form = CancelVisitForm(request.POST, auto_id=f"cancel{visit_pk}_%s")
    form.is_valid()
    try:
        services.cancel_visit(actor, visit_pk, reason=form.cleaned_data.get("reason") or "")
    except Conflict as exc:
        return _refused(request, pk, exc)
    messages.success(request, _("The visit is cancelled."))
    return redirect("web:case_detail", pk=pk)


@requires(WORK_CASES)
@require_POST
@domain_404
def activity_record(request, pk):
    actor = request.user
    case = workable_case(actor, pk)
    form = ActivityForm(request.POST, actor=actor, persons=persons_of_case(case), case=case, auto_id="activity_%s")
    if form.is_valid():
        data = {
            **form.cleaned_data,
            "participants": [p.pk for p in form.cleaned_data["participants"]],
            "performed_by": form.cleaned_data["performed_by"].pk if form.cleaned_data["performed_by"] else None,
        }
        try:
            services.record_activity(actor, pk, data)
        except Conflict as exc:
            return _refused(request, pk, exc)
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("The social work is recorded."))
            return redirect("web:case_detail", pk=pk)
    messages.error(request, _("The social work was not recorded."))
    return _rerender(request, pk, "activity", form, 400)
