"""Returned payments to handle (reissue in the next extra run with corrected details, or cancel with a
reason) and bank statements (upload, and what an import matched: paid, returned, unmatched, already
recorded). Each response that shows persons writes a VIEW audit event naming them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socius.accounts.audit import record_list_view
from socius.accounts.roles import VIEW_PAYMENTS
from socius.common.errors import Conflict, Forbidden, ValidationFailed
from socius.payments import permissions, selectors, statements
from socius.payments.models import BankStatement, StatementEntry
from socius.payments.statuses import EntryOutcome
from socius.web.access import requires
from socius.web.exports import ExportColumn, export_format, export_response
from socius.web.forms_payments import CancelForm, ReissueForm, StatementForm
from socius.web.views._helpers import add_domain_errors, domain_404, paginate
from socius.web.views.payments import PAYMENT_EXPORT_COLUMNS, refused
from socius.web.views.payments_display import payment_rows

LINES_PER_PAGE = 50
STATEMENTS_PER_PAGE = 20


# --- returns -----------------------------------------------------------------------------------------


def _returns_page(request, *, forms_=None, status=200):
    actor = request.user
    page = paginate(request, selectors.returns_to_handle(actor), 50)
    rows = payment_rows(actor, page.object_list)
    forms_ = forms_ or {}
    for p in rows:
        p.reissue_form = forms_.get(("reissue", p.pk)) or ReissueForm(
            prefix=f"r{p.pk}", initial={"channel": p.channel, "iban": ""}
        )
        p.cancel_form = forms_.get(("cancel", p.pk)) or CancelForm(prefix=f"c{p.pk}")
    record_list_view(actor, object_type="payment", person_ids=[p.person_id for p in rows])
    return render(
        request,
        "web/payments_returns.html",
        {"page": page, "payments": rows, "may_handle": permissions.can_prepare_payments(actor)},
        status=status,
    )


RETURN_EXPORT_COLUMNS = (
    *PAYMENT_EXPORT_COLUMNS,
    ExportColumn(gettext_lazy("Returned on"), lambda p: p.returned_on),
    ExportColumn(gettext_lazy("Return reason"), lambda p: p.return_reason or p.return_code),
)


@requires(VIEW_PAYMENTS)
@domain_404
@require_GET
def returns_list(request):
    if export_format(request):
        actor = request.user
        return export_response(
            request,
            selectors.returns_to_handle(actor),
            columns=RETURN_EXPORT_COLUMNS,
            object_type="payment",
            persons_of=lambda p: [p.person_id],
            name="payment-returns",
            prepare=lambda chunk: payment_rows(actor, chunk),
        )
    return _returns_page(request)


def _handle(request, pk, kind: str, form, call, done: str):
    if not permissions.can_prepare_payments(request.user):
        raise PermissionDenied
    status = 400
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
        except (Conflict, Forbidden) as exc:
            form.add_error(None, refused(request, exc))
            status = 409 if isinstance(exc, Conflict) else 403
        else:
            messages.success(request, done)
            return redirect("web:payment_returns")
    messages.error(request, _("The returned payment was not handled: see the reason beside it."))
    return _returns_page(request, forms_={(kind, int(pk)): form}, status=status)


@requires(VIEW_PAYMENTS)
@domain_404
@require_POST
def return_reissue(request, pk):
    form = ReissueForm(request.POST, prefix=f"r{pk}")
    return _handle(
        request,
        pk,
        "reissue",
        form,
        lambda d: statements.reissue_payment(request.user, int(pk), d),
        _("The payment will be paid again in the next extra run."),
    )


@requires(VIEW_PAYMENTS)
@domain_404
@require_POST
def return_cancel(request, pk):
    form = CancelForm(request.POST, prefix=f"c{pk}")
    return _handle(
        request,
        pk,
        "cancel",
        form,
        lambda d: statements.cancel_returned_payment(request.user, int(pk), d["reason"]),
        _("The returned payment was cancelled."),
    )


# --- bank statements -----------------------------------------------------------------------------------


@requires(VIEW_PAYMENTS)
@domain_404
@require_http_methods(["GET", "POST"])
def statement_list(request):
    actor = request.user
    may_import = permissions.can_prepare_payments(actor)
    form, status, refusal = StatementForm(), 200, ""
    if request.method == "POST":
        if not may_import:
            raise PermissionDenied
        form = StatementForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            try:
                statement = statements.import_statement(actor, actor.centre_id, form.cleaned_data["file"])
            except ValidationFailed as exc:
                add_domain_errors(form, exc)
                if "file" not in form.errors and not form.non_field_errors():
                    form.add_error("file", refused(request, exc))
            except (Conflict, Forbidden) as exc:
                refusal, status = refused(request, exc), 409
            else:
                messages.success(request, _("The statement was imported."))
                return redirect("web:payment_statement", pk=statement.pk)
    imported = BankStatement.objects.filter(centre_id=actor.centre_id).select_related("imported_by")
    return render(
        request,
        "web/payments_statements.html",
        {
            "page": paginate(request, imported, STATEMENTS_PER_PAGE),
            "form": form,
            "may_import": may_import,
            "refusal": refusal,
        },
        status=status,
    )


@requires(VIEW_PAYMENTS)
@domain_404
@require_GET
def statement_detail(request, pk):
    actor = request.user
    statement = BankStatement.objects.filter(centre_id=actor.centre_id, pk=pk).select_related("imported_by").first()
    if statement is None:
        from django.http import Http404

        raise Http404
    outcome = request.GET.get("outcome", "")
    lines = StatementEntry.objects.filter(statement=statement).select_related("payment")
    if outcome in EntryOutcome.values:
        lines = lines.filter(outcome=outcome)
    page = paginate(request, lines.order_by("line"), LINES_PER_PAGE)
    entries = list(page.object_list)
    record_list_view(actor, object_type="payment", person_ids=[e.payment.person_id for e in entries if e.payment_id])
    return render(
        request,
        "web/payments_statement.html",
        {
            "statement": statement,
            "page": page,
            "entries": entries,
            "outcome": outcome,
            "outcomes": EntryOutcome.choices,
            "working": statement.job_state in ("queued", "running"),
            "percent": 100
            if statement.job_state == "done"
            else (int(statement.job_done * 100 / statement.job_total) if statement.job_total else 0),
            "returns_url": reverse("web:payment_returns"),
        },
    )
