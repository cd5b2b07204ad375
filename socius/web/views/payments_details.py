"""A person's payment details (how they are paid: bank transfer to an IBAN, cash at the cashier or by post)
and their history. Finance records a change here; it applies to every run not yet approved, never to an
approved one (payments.runs.change_payment_details). Each response is audited under the person."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from socius.accounts.audit import record_view
from socius.accounts.roles import PREPARE_PAYMENTS
from socius.benefits.models import Decision
from socius.benefits.statuses import DecisionStatus, GrantState
from socius.common.errors import ValidationFailed
from socius.payments import permissions, runs
from socius.payments.models import PaymentDetailsChange
from socius.registry.selectors import get_person_for
from socius.web.access import requires
from socius.web.forms_payments import PaymentDetailsForm
from socius.web.views._helpers import add_domain_errors, domain_404
from socius.web.views.payments_display import benefit_label


@requires(PREPARE_PAYMENTS)
@domain_404
@require_http_methods(["GET", "POST"])
def person_payment_details(request, pk):
    actor = request.user
    person = get_person_for(actor, pk)
    decisions = list(
        Decision.objects.filter(
            centre_id=actor.centre_id,
            applicant_id=person.pk,
            status=DecisionStatus.APPROVED,
            state__in=(GrantState.ACTIVE, GrantState.SUSPENDED),
        ).order_by("-period_from", "-id")
    )
    for decision in decisions:
        decision.benefit_label = benefit_label(decision.benefit)
    status = 200
    if request.method == "POST":
        form = PaymentDetailsForm(request.POST, decisions=decisions)
        status = 400
        if form.is_valid():
            try:
                runs.change_payment_details(actor, person.pk, form.cleaned_data)
            except ValidationFailed as exc:
                add_domain_errors(form, exc)
            else:
                messages.success(request, _("The payment details were changed; runs not yet approved now use them."))
                return redirect("web:person_payment_details", pk=person.pk)
    else:
        latest = decisions[0] if decisions else None
        form = PaymentDetailsForm(
            decisions=decisions,
            initial={
                "channel": "bank_transfer" if latest and latest.iban else "cashier",
                "holder_name": person.full_name,
            },
        )
    history = list(
        PaymentDetailsChange.objects.filter(centre_id=actor.centre_id, person_id=person.pk)
        .select_related("changed_by", "decision")
        .order_by("-changed_at", "-id")
    )
    for change in history:
        change.iban_shown = permissions.iban_for(actor, change.iban)
    for decision in decisions:
        decision.iban_shown = permissions.iban_for(actor, decision.iban)
    record_view(
        actor, object_type="payment_details", object_id=person.pk, centre_id=actor.centre_id, person_ids=[person.pk]
    )
    return render(
        request,
        "web/payments_details.html",
        {"person": person, "form": form, "history": history, "decisions": decisions},
        status=status,
    )
