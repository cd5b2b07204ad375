"""Monthly statements of social services (issue 11, decision 0016): the statements of a month (filters, totals,
generate, issue all, the month's PDF), one statement (its lines per decision and price period, issue, cancel,
correct, PDF), and the API's PDF action.

Reading needs VIEW_SERVICES (team leaders, finance, the director, auditors); every page is an audited read of
the clients it shows. Writes need ISSUE_STATEMENTS (finance, the director; the services check again). PDFs
are drawn in the centre's language unless `?lang=` names another.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import action

from socius.accounts.roles import ISSUE_STATEMENTS, VIEW_SERVICES
from socius.common.api import NOT_FOUND
from socius.common.api import pk_or_404 as _pk
from socius.common.errors import Conflict, Forbidden, ValidationFailed
from socius.rulebook import get_jurisdiction
from socius.services import statements as services
from socius.services.api_statements import FORBIDDEN, StatementViewSet
from socius.services.models import MonthlyStatement
from socius.services.permissions import can_issue_statements
from socius.services.selectors_statements import (
    audit_statement_list,
    audit_statement_view,
    get_statement_for,
    list_statements_for,
    month_totals,
)
from socius.services.statuses import ServiceUnit, StatementStatus
from socius.web.access import requires
from socius.web.forms_family_support import MonthField
from socius.web.pdf import document_language, pdf_response, render_pdf
from socius.web.views._helpers import domain_404, paginate

PER_PAGE = 50


def refused(exc) -> str:
    if isinstance(exc, ValidationFailed):
        return " ".join(str(m) for ms in exc.errors.values() for m in ms) or _("The request was refused.")
    return str(getattr(exc, "message", "") or exc)


def default_month(today: dt.date) -> dt.date:
    """Statements are made after the month: the previous month by default."""
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


class StatementFilterForm(forms.Form):
    month = MonthField(label=gettext_lazy("Month"), required=False, widget=forms.TextInput(attrs={"type": "month"}))
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All statuses")), *StatementStatus.choices],
    )
    q = forms.CharField(
        label=gettext_lazy("Client, number or payment reference"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class MonthForm(forms.Form):
    month = MonthField(label=gettext_lazy("Month"), widget=forms.TextInput(attrs={"type": "month"}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500, required=False)


# --- what a statement shows ------------------------------------------------------------------------------


def display_lines(statement: MonthlyStatement, language: str | None = None) -> list[dict]:
    """The statement's lines with the service's name and unit in the reader's language."""
    country = statement.centre.jurisdiction
    units = dict(ServiceUnit.choices)
    language = language or get_language()
    rows = []
    for line in statement.lines or []:
        rows.append(
            {
                **line,
                "service": services.service_label(country, line.get("service_code", ""), language),
                "unit_label": units.get(line.get("unit"), line.get("unit", "")),
                "periods": [
                    {**p, "from": dt.date.fromisoformat(p["from"]), "until": dt.date.fromisoformat(p["until"])}
                    for p in line.get("periods", [])
                ],
                "copayment": line.get("copayment"),
            }
        )
    return rows


# --- the month -------------------------------------------------------------------------------------------


@requires(VIEW_SERVICES)
@require_GET
def statement_list(request):
    actor = request.user
    form = StatementFilterForm(request.GET or None)
    month, status, search = default_month(timezone.localdate()), "", ""
    if form.is_valid():
        month = form.cleaned_data["month"] or month
        status, search = form.cleaned_data["status"], form.cleaned_data["q"]
    statements = list_statements_for(actor, month=month, status=status or None, search=search)
    page = paginate(request, statements, PER_PAGE)
    audit_statement_list(actor, page.object_list, query=search)
    return render(
        request,
        "web/services/statements.html",
        {
            "form": form,
            "month": month,
            "month_value": f"{month:%Y-%m}",
            "page": page,
            "totals": month_totals(actor, month),
            "currency": get_jurisdiction(actor.centre.jurisdiction).currency,
            "may_issue": can_issue_statements(actor),
        },
        status=200 if form.is_valid() or not request.GET else 400,
    )


def _month_post(request) -> dt.date | None:
    if not can_issue_statements(request.user):
        raise PermissionDenied
    form = MonthForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return None
    return form.cleaned_data["month"]


def _back_to_month(month: dt.date | None):
    url = reverse("web:service_statements")
    return redirect(f"{url}?month={month:%Y-%m}" if month else url)


@requires(ISSUE_STATEMENTS)
@require_POST
def statements_generate(request):
    month = _month_post(request)
    if month is not None:
        try:
            result = services.generate_statements(request.user, request.user.centre_id, month, on=timezone.localdate())
        except (ValidationFailed, Conflict, Forbidden) as exc:
            messages.error(request, refused(exc))
        else:
            messages.success(
                request,
                _(
                    "Statements made: %(created)s new, %(replaced)s drafts brought up to date, %(removed)s drafts "
                    "removed; %(issued)s issued statements left as they are."
                )
                % {
                    "created": result.created,
                    "replaced": result.replaced,
                    "removed": result.removed,
                    "issued": result.issued_untouched,
                },
            )
    return _back_to_month(month)


@requires(ISSUE_STATEMENTS)
@require_POST
def statements_issue_all(request):
    month = _month_post(request)
    if month is not None:
        try:
            count = services.issue_statements(request.user, request.user.centre_id, month, on=timezone.localdate())
        except (ValidationFailed, Conflict, Forbidden) as exc:
            messages.error(request, refused(exc))
        else:
            messages.success(request, _("Statements issued: %(count)s.") % {"count": count})
    return _back_to_month(month)


def _pdf(request, statements: list[MonthlyStatement], stem: str):
    centre = request.user.centre
    language = document_language(request, centre.jurisdiction)
    documents = [{"statement": s, "lines": display_lines(s, language)} for s in statements]
    context = {
        "documents": documents,
        "centre": centre,
        "issued_on": timezone.localdate(),
        "national_id_name": get_jurisdiction(centre.jurisdiction).national_id_name,
    }
    content = render_pdf(
        "web/services/statement_pdf.html", context, language=language, base_url=request.build_absolute_uri("/")
    )
    return pdf_response(content, stem)


@requires(VIEW_SERVICES)
@require_GET
def statements_month_pdf(request):
    actor = request.user
    form = MonthForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Give the month as YYYY-MM."))
    month = form.cleaned_data["month"]
    statements = [
        s
        for s in list_statements_for(actor, month=month).select_related("centre")
        if s.status != StatementStatus.CANCELLED
    ]
    for statement in statements:
        audit_statement_view(actor, statement, export=True)
    return _pdf(request, statements, f"statements-{month:%Y-%m}")


# --- one statement ---------------------------------------------------------------------------------------


@requires(VIEW_SERVICES)
@domain_404
@require_GET
def statement_detail(request, pk):
    actor = request.user
    statement = get_statement_for(actor, pk)
    audit_statement_view(actor, statement)
    replaced_by = MonthlyStatement.objects.filter(replaces=statement).only("pk", "number").first()
    return render(
        request,
        "web/services/statement.html",
        {
            "statement": statement,
            "lines": display_lines(statement),
            "replaced_by": replaced_by,
            "may_issue": can_issue_statements(actor),
            "reason_form": ReasonForm(),
        },
    )


@requires(VIEW_SERVICES)
@domain_404
@require_GET
def statement_pdf(request, pk):
    actor = request.user
    statement = get_statement_for(actor, pk)
    audit_statement_view(actor, statement, export=True)
    return _pdf(request, [statement], f"statement-{statement.number.replace('/', '-')}")


def _statement_post(request, pk, act):
    actor = request.user
    statement = get_statement_for(actor, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        result = act(actor, statement, reason)
    except (ValidationFailed, Conflict) as exc:
        messages.error(request, refused(exc))
        return redirect("web:service_statement", pk=statement.pk)
    return redirect("web:service_statement", pk=result.pk)


@requires(ISSUE_STATEMENTS)
@domain_404
@require_POST
def statement_issue(request, pk):
    def act(actor, statement, _reason):
        issued = services.issue_statement(actor, statement, on=timezone.localdate())
        messages.success(request, _("The statement was issued."))
        return issued

    return _statement_post(request, pk, act)


@requires(ISSUE_STATEMENTS)
@domain_404
@require_POST
def statement_cancel(request, pk):
    def act(actor, statement, reason):
        cancelled = services.cancel_statement(actor, statement, on=timezone.localdate(), reason=reason)
        messages.success(request, _("The statement was cancelled."))
        return cancelled

    return _statement_post(request, pk, act)


@requires(ISSUE_STATEMENTS)
@domain_404
@require_POST
def statement_correct(request, pk):
    def act(actor, statement, reason):
        replacement = services.correct_statement(actor, statement, on=timezone.localdate(), reason=reason)
        messages.success(request, _("The statement was cancelled and its correction drafted: check it and issue it."))
        return replacement

    return _statement_post(request, pk, act)


# --- the API's PDF ---------------------------------------------------------------------------------------


class StatementApiViewSet(StatementViewSet):
    """The statements API with the PDF of a statement (drawn by the web layer)."""

    @extend_schema(
        parameters=[OpenApiParameter("lang", str, description="Language of the document (default: the centre's).")],
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The statement as PDF."),
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
        description="The statement as a printable PDF. Audited (an export under the client).",
    )
    @action(detail=True, methods=["get"], serializer_class=None)
    def pdf(self, request, pk=None):
        statement = get_statement_for(request.user, _pk(pk))
        audit_statement_view(request.user, statement, export=True)
        return _pdf(request, [statement], f"statement-{statement.number.replace('/', '-')}")
