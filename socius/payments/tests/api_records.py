"""The payments the API tests read and move, built through the services: a grant of 552.00 PLN a month
(March–August 2025, by bank transfer) on pl_worker's case, and its runs in every state.

Imported by the API test modules (fixtures), beside the payments conftest (the benefits fixtures and the
toy fund)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from socius.accounts.roles import Role
from socius.benefits import services as benefits
from socius.payments import exports, funds, runs
from socius.payments.models import BankStatement, Payment, PaymentDetailsChange, StatementEntry
from socius.payments.tests.conftest import APPLIED, FEBRUARY, MARCH, PL_IBAN
from socius.testing.factories import UserFactory

AUGUST = dt.date(2025, 8, 1)
ON = dt.date(2025, 3, 5)
V1 = "/api/v1"
LT_IBAN = "LT121000011101001000"
MD_IBAN = "MD24AG000225100013104168"


def month(m: int, year: int = 2025) -> dt.date:
    return dt.date(year, m, 1)


@pytest.fixture
def md_finance(md_centre):
    return UserFactory(username="md_finance", centre=md_centre, role=Role.FINANCE_OFFICER)


def grant_for(worker, approver, case, mother, *, income="1000.00"):
    """An approved grant of 552.00 a month (2 × 776.00 − 1000.00), March to August 2025, by bank transfer."""
    application = benefits.file_application(
        worker,
        case.pk,
        {"benefit": "pl.toy_allowance", "applied_on": APPLIED, "period_from": MARCH, "period_to": AUGUST},
    )
    benefits.declare_incomes(
        worker, application.pk, [{"person": mother.pk, "month": FEBRUARY, "kind": "employment", "amount": income}]
    )
    proposal = benefits.propose_decision(
        worker, application.pk, {"payment_method": "bank_transfer", "iban": PL_IBAN}, on=ON
    )
    return benefits.approve_decision(approver, proposal.pk, on=dt.date(2025, 3, 6))


def prepared(finance, centre, m: dt.date, *, check=False, approver=None, export=False):
    run = runs.prepare_run(finance, centre.pk, m)
    if check or approver or export:
        run = runs.check_run(finance, run.pk)
    if approver or export:
        run = runs.approve_run(approver, run.pk)
    if export:
        run = exports.export_run(finance, run.pk)
    run.refresh_from_db()
    return run


@pytest.fixture
def world(pl_centre, case, interview, mother, pl_worker, pl_teamlead, pl_finance, pl_director, pl_worker2, toy_fund):
    """Runs of March (draft), April (checked), May (approved) and June (exported, its payment returned by the
    bank), a proposed transfer to the social canteen, a bank statement with a paid and an unmatched line,
    and a change of payment details."""
    grant = grant_for(pl_worker, pl_teamlead, case, mother)
    draft = prepared(pl_finance, pl_centre, month(3))
    checked = prepared(pl_finance, pl_centre, month(4), check=True)
    approved = prepared(pl_finance, pl_centre, month(5), approver=pl_director)
    exported = prepared(pl_finance, pl_centre, month(6), approver=pl_director, export=True)
    returned = Payment.objects.get(run=exported)
    Payment.objects.filter(pk=returned.pk).update(
        status="returned", return_code="AC04", return_reason="Closed account", returned_on=dt.date(2025, 6, 12)
    )
    transfer = funds.propose_transfer(
        pl_finance,
        {
            "fund": toy_fund.pk,
            "payee_name": "Stołówka społeczna",
            "purpose": "Obiady dla podopiecznych",
            "channel": "bank_transfer",
            "iban": "PL27114020040000300201355387",
            "amount": "2000.00",
            "month_from": month(4),
            "month_to": month(6),
        },
    )
    statement = BankStatement.objects.create(
        centre=pl_centre, format="csv", file_name="wyciag.csv", sha256="0" * 64, imported_by=pl_finance, entries=2
    )
    StatementEntry.objects.create(
        statement=statement,
        line=1,
        end_to_end_id=returned.end_to_end_id,
        amount=returned.amount,
        currency="PLN",
        outcome="returned",
        returned=True,
        reason_code="AC04",
        payment=returned,
    )
    StatementEntry.objects.create(
        statement=statement, line=2, end_to_end_id="UNKNOWN-1", amount=Decimal("10.00"), outcome="unmatched"
    )
    details = PaymentDetailsChange.objects.create(
        centre=pl_centre, person=mother, channel="bank_transfer", iban=PL_IBAN, changed_by=pl_finance
    )
    return {
        "grant": grant,
        "draft": draft,
        "checked": checked,
        "approved": approved,
        "exported": exported,
        "payment": Payment.objects.get(run=draft),
        "returned": returned,
        "transfer": transfer,
        "statement": statement,
        "details": details,
        "fund": toy_fund,
        "mother": mother,
        "staff": pl_worker2,
    }
