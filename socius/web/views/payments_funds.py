"""Fund pages: the centre's funds (with the forms to add one and to set which fund each benefit draws on),
a fund's statement for a year (allocation, committed, spent, available per month and year to date, with
the form for an allocation or amendment), transfers to institutions (propose, approve, cancel) and the
director's page of payment approvers.

Funds hold no person's data, so their pages write no audit event; transfers name a payee who may be a
person, and their list audits those persons. Writes call one `socius.payments.funds` service each.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from socius.accounts.audit import record_list_view
from socius.accounts.models import User
from socius.accounts.roles import APPROVE_PAYMENTS, VIEW_PAYMENTS, Role
from socius.common.errors import Conflict, Forbidden, ValidationFailed
from socius.payments import funds, permissions
from socius.payments.models import BenefitFund, PaymentApprover, Transfer
from socius.payments.permissions import is_authorised_payment_approver
from socius.payments.statuses import TransferStatus
from socius.web.access import requires
from socius.web.forms_payments import (
    AllocationForm,
    ApproverForm,
    BenefitFundForm,
    CancelForm,
    FundForm,
    TransferForm,
)
from socius.web.views._helpers import add_domain_errors, domain_404, paginate
from socius.web.views.payments import refused
from socius.web.views.payments_display import benefit_label, centre_currency

TRANSFERS_PER_PAGE = 25


def _status_of(exc) -> int:
    return 409 if isinstance(exc, Conflict) else 403 if isinstance(exc, Forbidden) else 400


def _write(request, form, call):
    """Validate, call one service; (result, None) when done, (None, status) when refused (the reason is on
    the form: beside its field, or at its top)."""
    if not form.is_valid():
        return None, 400
    try:
        return call(form.cleaned_data), None
    except ValidationFailed as exc:
        add_domain_errors(form, exc)
        return None, 400
    except (Conflict, Forbidden) as exc:
        form.add_error(None, refused(request, exc))
        return None, _status_of(exc)


def _centre_funds(actor):
    return list(funds.list_funds_for(actor))


def _benefit_form(request, fund_list, data=None):
    return BenefitFundForm(
        data,
        jurisdiction=request.user.centre.jurisdiction,
        language=get_language(),
        funds=[f for f in fund_list if f.is_active],
        prefix="bf",
    )


@requires(VIEW_PAYMENTS)
@domain_404
@require_http_methods(["GET", "POST"])
def fund_list(request):
    """The funds with this year's figures; for those who manage funds, the forms to add one and to set a
    benefit's fund (`?form=benefit` posts the latter)."""
    actor = request.user
    manages = permissions.can_manage_funds(actor)
    fund_list_ = _centre_funds(actor)
    fund_form, benefit_form, status = FundForm(), _benefit_form(request, fund_list_), 200
    if request.method == "POST":
        if not manages:
            raise PermissionDenied
        if request.POST.get("form") == "benefit":
            benefit_form = _benefit_form(request, fund_list_, request.POST)
            result, status = _write(
                request,
                benefit_form,
                lambda d: funds.set_benefit_fund(actor, d["benefit"], d["fund"]),
            )
            if result is not None:
                messages.success(
                    request,
                    _("%(benefit)s now draws on %(fund)s.")
                    % {"benefit": benefit_label(result.benefit), "fund": result.fund},
                )
                return redirect(reverse("web:payment_funds") + "#benefit-funds")
        else:
            fund_form = FundForm(request.POST)
            result, status = _write(request, fund_form, lambda d: funds.create_fund(actor, d))
            if result is not None:
                messages.success(request, _("The fund %(name)s was added.") % {"name": result.name})
                return redirect("web:payment_fund", pk=result.pk)
    year = timezone.localdate().year
    rows = []
    for fund in fund_list_:
        rows.append((fund, funds.fund_statement(fund, year)))
    mapping = list(BenefitFund.objects.filter(centre_id=actor.centre_id).select_related("fund").order_by("benefit"))
    for m in mapping:
        m.benefit_label = benefit_label(m.benefit)
    return render(
        request,
        "web/payments_funds.html",
        {
            "rows": rows,
            "year": year,
            "mapping": mapping,
            "manages": manages,
            "fund_form": fund_form,
            "benefit_form": benefit_form,
        },
        status=status,
    )


@requires(VIEW_PAYMENTS)
@domain_404
@require_http_methods(["GET", "POST"])
def fund_detail(request, pk):
    actor = request.user
    fund = funds.get_fund_for(actor, pk)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 2000), 2100)
    manages = permissions.can_manage_funds(actor)
    form, status = AllocationForm(initial={"year": year, "decided_on": today}), 200
    if request.method == "POST":
        if not manages:
            raise PermissionDenied
        form = AllocationForm(request.POST)
        result, status = _write(request, form, lambda d: funds.allocate(actor, fund.pk, d))
        if result is not None:
            messages.success(request, _("The allocation for %(year)s was recorded.") % {"year": result.year})
            return redirect(reverse("web:payment_fund", args=[fund.pk]) + f"?year={result.year}")
    statement = funds.fund_statement(fund, year)
    allocations = fund.allocations.filter(year=year).select_related("recorded_by").order_by("recorded_at", "id")
    return render(
        request,
        "web/payments_fund.html",
        {
            "fund": fund,
            "year": year,
            "years": [year - 1, year + 1],
            "statement": statement,
            "allocations": allocations,
            "benefits": [benefit_label(b.benefit) for b in fund.benefits.all()],
            "manages": manages,
            "form": form,
        },
        status=status,
    )


# --- transfers ---------------------------------------------------------------------------------------


def _transfer_form(actor, data=None):
    return TransferForm(data, funds=[f for f in _centre_funds(actor) if f.is_active], prefix="t")


@requires(VIEW_PAYMENTS, or_if=is_authorised_payment_approver)
@domain_404
@require_http_methods(["GET", "POST"])
def transfer_list(request):
    actor = request.user
    may_propose = permissions.can_prepare_payments(actor)
    form, status = _transfer_form(actor), 200
    if request.method == "POST":
        if not may_propose:
            raise PermissionDenied
        form = _transfer_form(actor, request.POST)
        result, status = _write(request, form, lambda d: funds.propose_transfer(actor, d))
        if result is not None:
            messages.success(
                request,
                _("The transfer to %(payee)s was proposed; another person approves it.") % {"payee": result.payee_name},
            )
            return redirect(reverse("web:payment_transfers") + f"#transfer-{result.pk}")
    transfers = Transfer.objects.filter(centre_id=actor.centre_id).select_related("fund", "proposed_by", "approved_by")
    page = paginate(request, transfers.order_by("-proposed_at", "-id"), TRANSFERS_PER_PAGE)
    rows = list(page.object_list)
    for t in rows:
        t.iban_shown = permissions.iban_for(actor, t.iban) if t.iban else ""
        t.own = t.proposed_by_id == actor.pk
    record_list_view(actor, object_type="transfer", person_ids=[t.person_id for t in rows if t.person_id])
    return render(
        request,
        "web/payments_transfers.html",
        {
            "page": page,
            "transfers": rows,
            "form": form,
            "may_propose": may_propose,
            "may_approve": permissions.can_approve_payments(actor),
            "cancel_form": CancelForm(),
            "proposed": TransferStatus.PROPOSED,
        },
        status=status,
    )


def _transfer_move(request, pk, call, done: str):
    try:
        call()
    except (ValidationFailed, Conflict, Forbidden) as exc:
        messages.error(request, refused(request, exc))
    else:
        messages.success(request, done)
    return redirect(reverse("web:payment_transfers") + f"#transfer-{pk}")


@requires(VIEW_PAYMENTS, or_if=is_authorised_payment_approver)
@domain_404
@require_POST
def transfer_approve(request, pk):
    return _transfer_move(
        request,
        pk,
        lambda: funds.approve_transfer(request.user, pk),
        _("The transfer was approved; it is paid in the runs of its months."),
    )


@requires(VIEW_PAYMENTS)
@domain_404
@require_POST
def transfer_cancel(request, pk):
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the transfer is cancelled."))
        return redirect(reverse("web:payment_transfers") + f"#transfer-{pk}")
    reason = form.cleaned_data["reason"]
    return _transfer_move(
        request, pk, lambda: funds.cancel_transfer(request.user, pk, reason), _("The transfer was cancelled.")
    )


# --- the director's payment approvers ----------------------------------------------------------------


@requires(APPROVE_PAYMENTS)
@domain_404
@require_http_methods(["GET", "POST"])
def approver_list(request):
    """Who may approve payment runs and transfers besides the director: the director authorises staff and
    revokes the authorisation (each one audited by the service)."""
    actor = request.user
    active = list(
        PaymentApprover.objects.filter(centre_id=actor.centre_id, revoked_at__isnull=True).select_related(
            "user", "granted_by"
        )
    )
    candidates = (
        User.objects.filter(centre_id=actor.centre_id, is_active=True)
        .exclude(pk__in=[a.user_id for a in active])
        .exclude(role=Role.DIRECTOR)
        .order_by("last_name", "first_name", "username")
    )
    form, status = ApproverForm(users=candidates), 200
    if request.method == "POST":
        if request.POST.get("revoke"):
            try:
                funds.revoke_payment_approver(actor, int(request.POST["revoke"]))
            except (ValueError, ValidationFailed, Conflict, Forbidden) as exc:
                messages.error(
                    request, refused(request, exc) if not isinstance(exc, ValueError) else _("Choose a staff member.")
                )
            else:
                messages.success(request, _("The authorisation was revoked."))
            return redirect("web:payment_approvers")
        form = ApproverForm(request.POST, users=candidates)
        result, status = _write(request, form, lambda d: funds.authorise_payment_approver(actor, d["user"]))
        if result is not None or status is None:
            messages.success(request, _("The staff member may now approve payment runs and transfers."))
            return redirect("web:payment_approvers")
    history = PaymentApprover.objects.filter(centre_id=actor.centre_id, revoked_at__isnull=False).select_related(
        "user", "granted_by", "revoked_by"
    )[:50]
    return render(
        request,
        "web/payments_approvers.html",
        {"active": active, "history": history, "form": form, "currency": centre_currency(actor)},
        status=status,
    )
