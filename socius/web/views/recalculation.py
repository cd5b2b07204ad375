"""Recalculation pages: the centre's runs with the form that starts one, and a run's page (its progress bar,
polled with htmx while the job runs; its items old against new; the bulk-approval form).

Team leaders and the director start runs and approve them; staff the director authorised to approve
(benefits.ApproverAuthorisation) read and approve them here too (`or_if=is_authorised_approver`); only
those who may start a run see its form."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from socius.accounts.roles import APPROVE_DECISIONS
from socius.benefits import recalculation
from socius.benefits.api_recalculation import audit_items
from socius.benefits.models_recalculation import RecalculationReason
from socius.benefits.selectors import is_authorised_approver
from socius.benefits.services import FourEyes
from socius.common.errors import Conflict, ValidationFailed
from socius.rulebook.engine.jurisdiction import benefit_definitions
from socius.web.access import requires
from socius.web.views._helpers import add_domain_errors, domain_404, paginate
from socius.web.widgets import LocalDateInput

ITEMS_PER_PAGE = 50


class StartForm(forms.Form):
    month = forms.DateField(
        label=gettext_lazy("From month"),
        widget=LocalDateInput,
        help_text=gettext_lazy("Any day of the month: that month is recalculated, and the amendments apply from it."),
    )
    benefit = forms.ChoiceField(label=gettext_lazy("Benefit"), required=False)
    comment = forms.CharField(label=gettext_lazy("Comment"), required=False, max_length=300)

    def __init__(self, *args, jurisdiction: str, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["benefit"].choices = [("", gettext_lazy("Every monthly benefit"))] + [
            (d.code, d.label_in(language))
            for d in benefit_definitions()
            if d.country == jurisdiction and d.payment == "monthly"
        ]


def _start_form(request, data=None) -> StartForm:
    return StartForm(
        data, jurisdiction=request.user.centre.jurisdiction, language=getattr(request, "LANGUAGE_CODE", None)
    )


@requires(APPROVE_DECISIONS, or_if=is_authorised_approver)
@domain_404
@require_http_methods(["GET", "POST"])
def recalculation_list(request):
    runs = recalculation.recalculations_readable_by(request.user).order_by("-created_at", "-id")
    may_start = recalculation.can_start_recalculation(request.user)
    form = _start_form(request, request.POST if request.method == "POST" else None)
    refusal = ""
    if request.method == "POST":
        if not may_start:
            raise PermissionDenied
        if form.is_valid():
            try:
                run = recalculation.start_recalculation(request.user, form.cleaned_data)
            except ValidationFailed as exc:
                add_domain_errors(form, exc)
            except Conflict as exc:
                refusal = str(exc.message)
            else:
                return redirect("web:recalculation_detail", pk=run.pk)
    return render(
        request,
        "web/recalculations_list.html",
        {"page": paginate(request, runs), "form": form, "may_start": may_start, "refusal": refusal},
        status=400 if request.method == "POST" else 200,
    )


def _reasons(item) -> str:
    return "; ".join(str(RecalculationReason(code).label) for code in item.reasons)


_SKIPPED = {
    "change_pending": gettext_lazy("another change of this decision is waiting for approval"),
    "case_closed": gettext_lazy("the case is closed"),
    "rules_unavailable": gettext_lazy("the rules cannot be applied for this month"),
    "interview_missing": gettext_lazy("the law requires an environmental interview: none is completed on the case"),
    "interview_outdated": gettext_lazy("the latest environmental interview is too old: update it"),
}


@requires(APPROVE_DECISIONS, or_if=is_authorised_approver)
@domain_404
def recalculation_detail(request, pk):
    run = recalculation.get_recalculation_for(request.user, pk)
    page = paginate(request, recalculation.items_of(run), ITEMS_PER_PAGE)
    items = list(page.object_list)
    audit_items(request.user, items)
    for item in items:
        item.reason_text = _reasons(item)
        item.skipped_text = _SKIPPED.get(item.skipped, item.skipped)
    may_approve = run.proposed > run.approved and run.started_by_id != request.user.pk
    return render(
        request,
        "web/recalculations_detail.html",
        {
            "run": run,
            "page": page,
            "items": items,
            "may_approve": may_approve and recalculation.can_approve_decisions(request.user),
        },
    )


@requires(APPROVE_DECISIONS, or_if=is_authorised_approver)
@domain_404
def recalculation_progress(request, pk):
    """The progress section alone; polled while the job runs, the page reloads once it is done."""
    run = recalculation.get_recalculation_for(request.user, pk)
    response = render(request, "web/recalculations_progress.html", {"run": run})
    if run.is_finished and request.headers.get("HX-Request") and request.GET.get("polling"):
        response["HX-Refresh"] = "true"
    return response


@requires(APPROVE_DECISIONS, or_if=is_authorised_approver)
@domain_404
@require_POST
def recalculation_approve(request, pk):
    run = recalculation.get_recalculation_for(request.user, pk)
    chosen = request.POST.getlist("items")
    item_ids = None if request.POST.get("all") else chosen
    page_url = reverse("web:recalculation_detail", args=[run.pk])
    if item_ids is not None and not item_ids:
        messages.error(request, _("Choose the proposals to approve."))
        return redirect(page_url)
    try:
        result = recalculation.approve_recalculation(request.user, run.pk, item_ids)
    except FourEyes:
        messages.error(request, _("Nobody approves their own proposal: another person with the right must approve it."))
    except (Conflict, ValidationFailed) as exc:
        messages.error(request, str(getattr(exc, "message", "")) or _("Choose proposals of this recalculation."))
    else:
        messages.success(
            request,
            _("%(approved)s decisions approved; %(left)s left out (decided one by one or changed meanwhile).")
            % {"approved": result["approved"], "left": result["left_out"]},
        )
    return redirect(page_url)
