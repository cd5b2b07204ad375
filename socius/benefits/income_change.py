"""A change in a household's income reported after the decision, turned into the amendment it calls for:
the incomes declared for the months of the change (recalculation.report_income_change) and, in the same
transaction, the proposal recomputed with the law in force from the month the change first counts
(services.propose_amendment). The grant is never edited; the proposal is approved like any other."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from socius.accounts.models import User
from socius.benefits import services
from socius.benefits.models import Decision, IncomeDeclaration
from socius.benefits.recalculation import report_income_change
from socius.benefits.selectors import month_start
from socius.benefits.statuses import DecisionKind
from socius.common.errors import Conflict, NotFound, ValidationFailed


def next_month(day: dt.date) -> dt.date:
    return (month_start(day) + dt.timedelta(days=32)).replace(day=1)


def first_month_counted(rows) -> dt.date | None:
    """The month a reported change first counts in: the month after the latest month reported, since a
    month's benefit is computed from the income of the month before (PL art. 8 ust. 3 u.p.s.; the same rule
    the recalculation follows, batch.reference_on)."""
    months = [row.get("month") for row in rows if isinstance(row, dict) and isinstance(row.get("month"), dt.date)]
    return next_month(max(months)) if months else None


def report_income_change_and_propose(
    actor: User, decision_id, data: dict, *, on: dt.date | None = None
) -> tuple[list[IncomeDeclaration], Decision]:
    """On an approved, active grant: declare the reported incomes (`data["incomes"]`, rows as for
    declare_incomes, months from the application's month on; the months given replace what was declared for
    them) and propose the amendment from the month the change first counts (`from_month` may name a later
    one), with `justification` (else written from the trace) and `amount` within the law's range. Returns
    (incomes, proposal). Nothing is written when anything is refused."""
    data = dict(data or {})
    pk = services._as_int(decision_id)
    with transaction.atomic():
        grant = Decision.objects.filter(pk=pk, centre_id=actor.centre_id).first() if pk else None
        if grant is None:
            raise NotFound()
        services._workable_case(actor, grant.case_id)  # 404/403/409 before anything is written
        services._check_changeable(grant, DecisionKind.AMENDMENT)
        if grant.application_id is None:
            raise Conflict(_("This decision has no application to recompute from."), code="no_application")
        if services._pending_change(grant):
            raise Conflict(
                _("A proposal to change this decision is already waiting for approval."), code="change_pending"
            )
        rows = data.get("incomes")
        incomes = report_income_change(actor, grant.application_id, rows)
        counted = first_month_counted(rows)
        from_month = data.get("from_month") or counted
        if isinstance(from_month, dt.date) and counted and month_start(from_month) < counted:
            raise ValidationFailed(
                {"from_month": [_("The change counts from %(month)s on.") % {"month": counted.strftime("%Y-%m")}]}
            )
        if from_month and (
            month_start(from_month) < grant.period_from
            or (grant.period_to is not None and month_start(from_month) > grant.period_to)
        ):
            raise ValidationFailed(
                {
                    "from_month": [
                        _(
                            "The change counts from %(month)s on, outside the period of this decision: "
                            "nothing is proposed."
                        )
                        % {"month": month_start(from_month).strftime("%Y-%m")}
                    ]
                }
            )
        proposal_data = {"from_month": from_month}
        for key in ("amount", "justification", "payment_method", "iban"):
            if data.get(key) not in (None, ""):
                proposal_data[key] = data[key]
        proposal = services.propose_amendment(actor, grant.pk, proposal_data, on=on)
        return incomes, proposal


__all__ = ["first_month_counted", "report_income_change_and_propose"]
