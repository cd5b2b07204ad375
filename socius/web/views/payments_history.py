"""A household's payment history on its benefits tab: each member's payments, month by month, with their
status (the IBAN masked except for finance and auditors). Social workers see the payments of the clients
whose cases they read (the payments selectors scope them); the response is audited under every person it
shows."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import render
from django.views.decorators.http import require_GET

from socius.accounts.audit import record_list_view
from socius.accounts.roles import VIEW_CASES
from socius.common.errors import Forbidden
from socius.payments import permissions, selectors
from socius.registry.models import Membership, Person
from socius.registry.selectors import get_household_for
from socius.web.access import requires
from socius.web.views._helpers import domain_404, paginate
from socius.web.views.payments_display import payment_rows

HISTORY_PER_PAGE = 36


@requires(VIEW_CASES)
@domain_404
@require_GET
def household_payments(request, pk):
    actor = request.user
    household = get_household_for(actor, pk)
    member_ids = list(Membership.objects.filter(household_id=household.pk).values_list("person_id", flat=True))
    try:
        payments = selectors.list_payments_for(actor)
    except Forbidden:
        payments = None
    page = rows = None
    if payments is not None:
        payments = payments.filter(Q(household_id=household.pk) | Q(person_id__in=member_ids)).select_related("run")
        page = paginate(request, payments.order_by("-month", "payee_name", "-id"), HISTORY_PER_PAGE)
        rows = payment_rows(actor, page.object_list)
        record_list_view(actor, object_type="payment", person_ids=[p.person_id for p in rows])
    # Finance changes how each member is paid (bank account, cash) on the person's payment details page.
    members = (
        list(Person.objects.filter(pk__in=member_ids).order_by("last_name", "first_name"))
        if permissions.can_prepare_payments(actor)
        else []
    )
    template = "web/payments_household_section.html" if request.htmx else "web/payments_household.html"
    return render(request, template, {"household": household, "page": page, "payments": rows, "members": members})
