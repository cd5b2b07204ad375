"""Helpers and fixtures of the payment-run tests: approved decisions made directly (numbered, approved by the
director), a fund with its allocation, and, until the funds branch lands, stand-ins for its services."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.db.models import Sum

from socius.benefits.models import Application, Decision
from socius.casework.tests.factories import CaseFactory
from socius.payments import funds
from socius.payments.errors import BudgetExceeded
from socius.payments.models import BenefitFund, Fund, FundAllocation, Payment
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory, TerritoryFactory

MARCH = dt.date(2025, 3, 1)
APRIL = dt.date(2025, 4, 1)
FEBRUARY = dt.date(2025, 2, 1)
PL_IBAN = "PL61109010140000071219812874"
PL_IBAN_2 = "PL27114020040000300201355387"
LT_IBAN = "LT121000011101001000"
MD_IBAN = "MD24AG000225100013104168"
PERIODIC = "pl.periodic_allowance"
PURPOSE = "pl.purpose_allowance"

_numbers = itertools.count(1)


def _stand_in_check_spending(centre_id, amounts):
    """What the funds branch's check_spending does, simply: allocation minus live payments of approved runs."""
    for (fund_id, year), amount in sorted(amounts.items()):
        fund = Fund.objects.get(pk=fund_id)
        allocated = FundAllocation.objects.filter(fund=fund, year=year).aggregate(s=Sum("amount"))["s"] or 0
        spent = (
            Payment.objects.filter(
                fund=fund,
                month__year=year,
                run__status__in=("approved", "exported", "reconciled"),
                status__in=("pending", "exported", "paid"),
            ).aggregate(s=Sum("amount"))["s"]
            or 0
        )
        if amount > allocated - spent:
            raise BudgetExceeded(fund, year, amount - (allocated - spent), fund.currency)


def _stand_in_uncommitted_in_run(run_id):
    from socius.payments.models import PaymentRun
    from socius.payments.runs import spending_of

    return spending_of(PaymentRun.objects.get(pk=run_id))


@pytest.fixture(autouse=True)
def fund_services(monkeypatch):
    """The funds branch's lock_funds / check_spending / uncommitted_in_run, stood in while it is not merged."""
    if not hasattr(funds, "lock_funds"):
        monkeypatch.setattr(funds, "lock_funds", lambda ids: {}, raising=False)
    if not hasattr(funds, "check_spending"):
        monkeypatch.setattr(funds, "check_spending", _stand_in_check_spending, raising=False)
    if not hasattr(funds, "uncommitted_in_run"):
        monkeypatch.setattr(funds, "uncommitted_in_run", _stand_in_uncommitted_in_run, raising=False)


def make_fund(centre, user, *, code="own", amount="1000000.00", year=2025, benefits=(PERIODIC, PURPOSE)):
    fund = Fund.objects.create(
        centre=centre,
        code=code,
        name=f"Fund {code}",
        kind="own_tasks",
        currency="PLN",
        debtor_name="GOPS",
        debtor_iban=PL_IBAN_2,
    )
    FundAllocation.objects.create(
        fund=fund, year=year, kind="initial", amount=Decimal(amount), decided_on=dt.date(year, 1, 2), recorded_by=user
    )
    for benefit in benefits:
        BenefitFund.objects.update_or_create(centre=centre, benefit=benefit, defaults={"fund": fund})
    return fund


def make_client(centre, worker, *, first="Anna", last="Nowak", territory=None, national_id=""):
    """A person heading a household, with a case held by `worker`."""
    household = HouseholdFactory(centre=centre)
    person = PersonFactory(
        centre=centre, first_name=first, last_name=last, territory=territory, national_id=national_id
    )
    MembershipFactory(household=household, person=person, relationship="head", valid_from=dt.date(2020, 1, 1))
    case = CaseFactory(centre=centre, household=household, assigned_worker=worker)
    return person, household, case


def grant(
    case,
    person,
    proposer,
    approver,
    *,
    benefit=PERIODIC,
    amount="500.00",
    period_from=MARCH,
    period_to=None,
    one_off=False,
    method="bank_transfer",
    iban=PL_IBAN,
    kind="grant",
    changes=None,
    applied_on=None,
    approved_at=None,
):
    """An approved decision written directly (numbered and approved, as the benefits services store it)."""
    application = None
    if applied_on is not None:
        application = Application.objects.create(
            centre=case.centre,
            case=case,
            household=case.household,
            applicant=person,
            benefit=benefit,
            applied_on=applied_on,
            period_from=period_from,
            status="decided",
        )
    n = next(_numbers)
    return Decision.objects.create(
        centre=case.centre,
        case=case,
        household=case.household,
        applicant=person,
        application=application,
        changes=changes,
        kind=kind,
        benefit=benefit,
        one_off=one_off,
        period_from=period_from,
        period_to=period_to,
        amount=Decimal(amount),
        currency="PLN",
        payment_method=method if kind in ("grant", "amendment") else "",
        iban=iban if method == "bank_transfer" and kind in ("grant", "amendment") else "",
        status="approved",
        state="active",
        proposed_by=proposer,
        approved_by=approver,
        approved_at=approved_at or dt.datetime(2025, 1, 1, 12, tzinfo=dt.UTC) + dt.timedelta(minutes=n),
        decided_on=dt.date(2025, 1, 2),
        year=2025,
        number=n,
        reference=f"DEC/{n}/2025",
    )


def change(decision, kind, proposer, approver, *, period_from):
    """A later approved decision that stops (suspension, ending, revocation) or restarts (resumption) a grant."""
    return grant(
        decision.case,
        decision.applicant,
        proposer,
        approver,
        benefit=decision.benefit,
        amount="0",
        period_from=period_from,
        kind=kind,
        changes=decision,
        method="",
    )


__all__ = [
    "APRIL",
    "FEBRUARY",
    "LT_IBAN",
    "MARCH",
    "MD_IBAN",
    "PERIODIC",
    "PL_IBAN",
    "PL_IBAN_2",
    "PURPOSE",
    "TerritoryFactory",
    "change",
    "fund_services",
    "grant",
    "make_client",
    "make_fund",
]
