"""Payment run pages: the centre's runs with the form that prepares one, and a run's page (state, progress
bar polled with htmx while background work runs, totals by fund and territory, the check list of anomalies,
the actions the reader may take, downloads, and the payments table, paged and searchable).

Reads go through `socius.payments.selectors` (scoped to the reader's centre); each response that shows
persons writes a VIEW audit event naming them. Writes call one service each (`socius.payments.runs`,
`socius.payments.bankfiles`) and answer with a redirect to the run's page and a message, or the page
again with the reason (400 for bad input, 403 for four eyes, 409 for a move the run's state forbids).
Staff the director authorised to approve without the finance or director role approve through the API
(/api/v1/payment-runs/), as for recalculations.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socius.accounts.audit import record_list_view
from socius.accounts.roles import VIEW_PAYMENTS
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.common.formatting import month_in_text
from socius.payments import exports, permissions, runs, selectors
from socius.payments.models import PaymentRun
from socius.payments.permissions import is_authorised_payment_approver
from socius.payments.statuses import JobState, PaymentStatus, RunStatus
from socius.web.access import requires
from socius.web.exports import ExportColumn, export_format, export_response, list_params
from socius.web.forms_payments import CancelForm, PaymentSearchForm, PrepareRunForm
from socius.web.views._helpers import add_domain_errors, domain_404, paginate
from socius.web.views.payments_display import (
    anomaly_persons,
    anomaly_rows,
    centre_currency,
    payment_rows,
    run_actions,
)

PAYMENTS_PER_PAGE = 50
RUNS_PER_PAGE = 25
FILE_FORMATS = {"pain001", "csv", "pdf"}
WORKING = (JobState.QUEUED, JobState.RUNNING)


def run_url(run_id: int, anchor: str = "") -> str:
    url = reverse("web:payment_run", args=[run_id])
    return f"{url}#{anchor}" if anchor else url


def refused(request, exc) -> str:
    """A service's refusal in words, for the page's messages."""
    if isinstance(exc, ValidationFailed):
        return " ".join(str(m) for ms in exc.errors.values() for m in ms) or _("The request was refused.")
    return str(getattr(exc, "message", "") or exc)


# --- the runs --------------------------------------------------------------------------------------------


@requires(VIEW_PAYMENTS, or_if=is_authorised_payment_approver)
@domain_404
@require_http_methods(["GET", "POST"])
def run_list(request):
    actor = request.user
    may_prepare = permissions.can_prepare_payments(actor)
    form = PrepareRunForm(request.POST if request.method == "POST" else None)
    refusal, status = "", 200
    if request.method == "POST":
        if not may_prepare:
            raise PermissionDenied
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                run = runs.prepare_run(actor, actor.centre_id, data["month"], extra=data["extra"], note=data["note"])
            except ValidationFailed as exc:
                add_domain_errors(form, exc)
            except Conflict as exc:
                refusal, status = str(exc.message), 409
            else:
                messages.success(
                    request, _("The run for %(month)s is being prepared.") % {"month": month_in_text(run.month)}
                )
                return redirect(run_url(run.pk))
    readable = selectors.list_runs_for(actor)
    return render(
        request,
        "web/payments_runs.html",
        {
            "page": paginate(request, readable, RUNS_PER_PAGE),
            "form": form,
            "may_prepare": may_prepare,
            "refusal": refusal,
            "currency": centre_currency(actor),
        },
        status=status,
    )


def _run_context(request, run: PaymentRun) -> dict:
    actor = request.user
    lists = list(selectors.payment_lists(run))
    anomalies = anomaly_rows(run)
    return {
        "run": run,
        "currency": centre_currency(actor),
        "month": month_in_text(run.month),
        "lists": lists,
        "anomalies": anomalies,
        "actions": run_actions(actor, run),
        "cancel_form": CancelForm(),
        "working": run.job_state in WORKING,
        "downloads": run.status in (RunStatus.EXPORTED, RunStatus.RECONCILED),
        # Bank files and the CSV show IBANs in full: finance and auditors only (the cash list: every reader).
        "bank_files": permissions.sees_full_iban(actor),
    }


@requires(VIEW_PAYMENTS, or_if=is_authorised_payment_approver)
@domain_404
@require_GET
def run_detail(request, pk):
    run = selectors.get_run_for(request.user, pk)
    return render(request, "web/payments_run.html", _page_context(request, run))


def _page_context(request, run: PaymentRun) -> dict:
    """The whole page: its sections, and one VIEW event for the persons its anomalies name (the payments
    table audits its own page)."""
    context = _run_context(request, run)
    record_list_view(request.user, object_type="payment", person_ids=anomaly_persons(context["anomalies"]))
    context.update(_payments_context(request, run))
    return context


@requires(VIEW_PAYMENTS, or_if=is_authorised_payment_approver)
@domain_404
@require_GET
def run_progress(request, pk):
    """The state and progress section alone, polled while background work runs; when it ends, the page
    reloads once (its totals, anomalies and actions changed)."""
    run = selectors.get_run_for(request.user, pk)
    response = render(request, "web/payments_run_progress.html", _run_context(request, run))
    if run.job_state not in WORKING and request.htmx and request.GET.get("polling"):
        response["HX-Refresh"] = "true"
    return response


def _run_payments(request, run: PaymentRun):
    """The run's payments the list shows (its search and status filter): (queryset, form, query)."""
    actor = request.user
    form = PaymentSearchForm(list_params(request) or None, statuses=PaymentStatus.choices)
    payments = selectors.list_payments_for(actor, run=run.pk)
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if query:
            payments = payments.filter(
                Q(payee_name__icontains=query) | Q(end_to_end_id__icontains=query) | Q(iban__icontains=query)
            )
        if form.cleaned_data["status"]:
            payments = payments.filter(status=form.cleaned_data["status"])
    return payments.select_related("fund", "territory").order_by("payee_name", "id"), form, query


PAYMENT_EXPORT_COLUMNS = (
    ExportColumn(gettext_lazy("Payee"), lambda p: p.payee_name),
    ExportColumn(gettext_lazy("Benefit or purpose"), lambda p: p.benefit_label),
    ExportColumn(gettext_lazy("Month"), lambda p: p.month),
    ExportColumn(gettext_lazy("Channel"), lambda p: p.get_channel_display()),
    ExportColumn(gettext_lazy("IBAN"), lambda p: p.iban_shown),
    ExportColumn(gettext_lazy("Amount"), lambda p: p.amount),
    ExportColumn(gettext_lazy("Currency"), lambda p: p.currency),
    ExportColumn(gettext_lazy("Status"), lambda p: p.get_status_display()),
    ExportColumn(gettext_lazy("Fund"), lambda p: p.fund.name if p.fund_id else ""),
    ExportColumn(gettext_lazy("Locality"), lambda p: p.territory.name if p.territory_id else ""),
    ExportColumn(gettext_lazy("End-to-end ID"), lambda p: p.end_to_end_id),
)


def _payments_context(request, run: PaymentRun) -> dict:
    actor = request.user
    payments, form, query = _run_payments(request, run)
    page = paginate(request, payments, PAYMENTS_PER_PAGE)
    rows = payment_rows(actor, page.object_list)
    record_list_view(actor, object_type="payment", person_ids=[p.person_id for p in rows], query=query)
    return {"run": run, "payments_page": page, "payments": rows, "search_form": form, "query": query}


@requires(VIEW_PAYMENTS, or_if=is_authorised_payment_approver)
@domain_404
@require_GET
def run_payments(request, pk):
    """The payments table alone (htmx: searching, filtering, paging), or the page."""
    run = selectors.get_run_for(request.user, pk)
    if export_format(request):
        payments, _form, query = _run_payments(request, run)
        return export_response(
            request,
            payments,
            columns=PAYMENT_EXPORT_COLUMNS,
            object_type="payment",
            persons_of=lambda p: [p.person_id],
            name=f"payments-run-{run.pk}",
            query=query,
            prepare=lambda chunk: payment_rows(request.user, chunk),
        )
    if not request.htmx:
        return run_detail(request, pk)
    return render(request, "web/payments_run_payments.html", _payments_context(request, run))


# --- the run's moves -------------------------------------------------------------------------------------

_DONE = {
    "check": gettext_lazy("The run was checked. Look at the anomalies before it goes for approval."),
    "approve": gettext_lazy("The run is approved and locked. Finance can now export it."),
    "export": gettext_lazy("The bank files and cash lists are being written."),
    "exported": gettext_lazy("The bank files and cash lists are written: download them below."),
    "cancel": gettext_lazy("The run was cancelled."),
    "draft": gettext_lazy("The run is back in draft."),
}


def _move(request, pk, action: str, call):
    actor = request.user
    run = selectors.get_run_for(actor, pk)
    try:
        result = call(actor, run)
    except ValidationFailed as exc:
        messages.error(request, refused(request, exc))
        status = 400
    except Forbidden as exc:  # four eyes, or a right the reader lacks
        messages.error(request, refused(request, exc))
        status = 403
    except Conflict as exc:
        messages.error(request, refused(request, exc))
        status = 409
    else:
        done = "exported" if action == "export" and getattr(result, "status", "") == RunStatus.EXPORTED else action
        messages.success(request, str(_DONE[done]))
        return redirect(run_url(run.pk))
    run.refresh_from_db()
    return render(request, "web/payments_run.html", _page_context(request, run), status=status)


@requires(VIEW_PAYMENTS)
@domain_404
@require_POST
def run_check(request, pk):
    return _move(request, pk, "check", lambda actor, run: runs.check_run(actor, run.pk))


@requires(VIEW_PAYMENTS, or_if=is_authorised_payment_approver)
@domain_404
@require_POST
def run_approve(request, pk):
    return _move(request, pk, "approve", lambda actor, run: runs.approve_run(actor, run.pk))


@requires(VIEW_PAYMENTS)
@domain_404
@require_POST
def run_export(request, pk):
    return _move(request, pk, "export", lambda actor, run: exports.export_run(actor, run.pk))


@requires(VIEW_PAYMENTS)
@domain_404
@require_POST
def run_draft(request, pk):
    return _move(request, pk, "draft", lambda actor, run: runs.return_to_draft(actor, run.pk))


@requires(VIEW_PAYMENTS)
@domain_404
@require_POST
def run_cancel(request, pk):
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the run is cancelled."))
        return redirect(run_url(pk, "actions"))
    reason = form.cleaned_data["reason"]
    return _move(request, pk, "cancel", lambda actor, run: runs.cancel_run(actor, run.pk, reason))


@requires(VIEW_PAYMENTS)
@require_GET
def run_file(request, pk):
    """A bank file (pain.001), the CSV or the cash list PDF of an exported run (the download is audited by
    the service)."""
    kind = request.GET.get("format", "")
    if kind not in FILE_FORMATS:
        raise Http404
    try:
        name, content_type, stream = exports.open_run_file(request.user, pk, kind)
    except NotFound:
        raise Http404 from None
    except Forbidden:
        raise PermissionDenied from None
    except Conflict as exc:
        messages.error(request, refused(request, exc))
        return redirect(run_url(pk, "downloads"))
    return FileResponse(stream, as_attachment=True, filename=name, content_type=content_type)
