"""Helpers of the payment-run tests: approved decisions made directly (numbered, approved by the director, so
they commit nothing: a run spends them beyond commitments), and a fund with its allocation."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from socius.benefits.models import Application, Decision
from socius.casework.tests.factories import CaseFactory
from socius.payments.models import BenefitFund, Fund, FundAllocation
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
    "grant",
    "make_client",
    "make_fund",
]
