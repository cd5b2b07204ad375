"""Payments fixtures: the benefits fixtures (a PL family case, a completed interview, the toy pack with
pl.toy_allowance and pl.toy_aid), and a PL fund the toy benefits draw on."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from socius.benefits.tests.conftest import (  # noqa: F401  (fixtures)
    APPLIED,
    FEBRUARY,
    MARCH,
    PL_IBAN,
    case,
    english,
    family_team,
    household,
    interview,
    mother,
    recent_interview,
    son,
    toy_pack,
)
from socius.payments.models import BenefitFund, Fund, FundAllocation

FUND_IBAN = "PL27114020040000300201355387"


@pytest.fixture
def fund(pl_centre):
    return Fund.objects.create(
        centre=pl_centre,
        code="own-tasks",
        name="Zadania własne",
        kind="own_tasks",
        currency="PLN",
        debtor_name="MOPS",
        debtor_iban=FUND_IBAN,
    )


def allocation(fund, year, amount, user, kind="initial"):
    return FundAllocation.objects.create(
        fund=fund, year=year, kind=kind, amount=Decimal(amount), decided_on=dt.date(year - 1, 12, 20), recorded_by=user
    )


@pytest.fixture
def toy_fund(fund, pl_centre, pl_finance):
    """The toy benefits draw on `fund`, allocated 10,000.00 PLN for 2025."""
    allocation(fund, 2025, "10000.00", pl_finance)
    BenefitFund.objects.create(centre=pl_centre, benefit="pl.toy_allowance", fund=fund)
    BenefitFund.objects.create(centre=pl_centre, benefit="pl.toy_aid", fund=fund)
    return fund
