"""Finance's home page is its work (issue 9): this month's run and its state, the returns to handle, the
funds' balances, and the decisions starting or ending this month. The director sees the runs and
transfers waiting for approval and the balances. Read here, drawn by web/payments_home.html inside the
home page."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from socius.accounts.audit import record_list_view
from socius.accounts.roles import Role
from socius.benefits.selectors import decisions_ending_in, decisions_readable_by, month_end
from socius.benefits.statuses import DecisionStatus, GrantState
from socius.common.formatting import month_in_text
from socius.payments import funds, permissions, selectors
from socius.payments.models import Transfer
from socius.payments.statuses import RunStatus, TransferStatus
from socius.web.views.payments_display import benefit_label, centre_currency, payment_rows

LIST_LIMIT = 10


def payments_home(actor, today: dt.date | None = None) -> dict | None:
    """What the home page shows of payments for this reader; None for those who do not work with them."""
    if actor.role not in (Role.FINANCE_OFFICER, Role.DIRECTOR) or not permissions.reads_every_payment(actor):
        return None
    today = today or timezone.localdate()
    month = today.replace(day=1)
    runs = list(
        selectors.list_runs_for(actor).filter(month=month).exclude(status=RunStatus.CANCELLED).order_by("number")
    )
    to_approve = list(
        selectors.list_runs_for(actor).filter(status=RunStatus.CHECKED).order_by("month", "number")[:LIST_LIMIT]
    )
    returns_qs = selectors.returns_to_handle(actor)
    returns = payment_rows(actor, returns_qs[:LIST_LIMIT])
    year = today.year
    balances = [(f, funds.fund_statement(f, year)) for f in funds.list_funds_for(actor) if f.is_active]
    transfers = list(
        Transfer.objects.filter(centre_id=actor.centre_id, status=TransferStatus.PROPOSED).order_by("proposed_at")[
            :LIST_LIMIT
        ]
    )
    starting = ending = []
    if actor.role == Role.FINANCE_OFFICER:
        readable = decisions_readable_by(actor).select_related("applicant")
        starting = list(
            readable.filter(
                status=DecisionStatus.APPROVED,
                state=GrantState.ACTIVE,
                period_from__gte=month,
                period_from__lte=month_end(month),
            ).order_by("period_from", "id")[:LIST_LIMIT]
        )
        ending = list(decisions_ending_in(actor, today).select_related("applicant")[:LIST_LIMIT])
        for d in (*starting, *ending):
            d.benefit_label = benefit_label(d.benefit)
    record_list_view(
        actor,
        object_type="payment",
        person_ids=[p.person_id for p in returns] + [d.applicant_id for d in (*starting, *ending)],
    )
    return {
        "month": month,
        "month_label": month_in_text(month),
        "runs": runs,
        "to_approve": to_approve,
        "returns": returns,
        "returns_count": returns_qs.count(),
        "balances": balances,
        "transfers": transfers,
        "starting": starting,
        "ending": ending,
        "currency": centre_currency(actor),
        "may_prepare": permissions.can_prepare_payments(actor),
        "may_approve": permissions.can_approve_payments(actor),
        "year": year,
    }
