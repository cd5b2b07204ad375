"""The payments the API tests read and move, built through the services: a grant of 552.00 PLN a month
(March–August 2025, by bank transfer) on pl_worker's case, and its runs in every state.

Imported by the API test modules (fixtures), beside the payments conftest (the benefits fixtures and the
toy fund)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cached_property

import pytest

from socius.accounts.roles import Role
from socius.benefits import services as benefits
from socius.payments import exports, funds, runs
from socius.payments.models import BankStatement, Payment, PaymentApprover, PaymentDetailsChange, StatementEntry
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


class World:
    """Runs of March (draft), April (checked), May (approved) and June (exported, its payment returned by the
    bank), a proposed transfer to the social canteen, a bank statement with a returned and an unmatched line,
    and a change of payment details — each built on first use, so that a test pays only for what it reads.
    A test that counts or compares the database builds what it needs first (`touch`)."""

    ALL = ("draft", "checked", "approved", "exported", "returned", "transfer", "statement", "details")

    def __init__(self, *, centre, case, mother, worker, teamlead, finance, director, staff, fund):
        self.centre, self.case, self.mother = centre, case, mother
        self.worker, self.teamlead, self.finance, self.director = worker, teamlead, finance, director
        self.staff, self.fund = staff, fund

    def __getitem__(self, key: str):
        return getattr(self, key)

    def touch(self, *keys: str) -> World:
        for key in keys:
            getattr(self, key)
        return self

    def touch_all(self) -> World:
        return self.touch(*self.ALL)

    @cached_property
    def grant(self):
        return grant_for(self.worker, self.teamlead, self.case, self.mother)

    def _run(self, m: int, **moves):
        self.grant  # noqa: B018  (the grant pays the run)
        return prepared(self.finance, self.centre, month(m), **moves)

    @cached_property
    def draft(self):
        return self._run(3)

    @cached_property
    def checked(self):
        return self._run(4, check=True)

    @cached_property
    def approved(self):
        return self._run(5, approver=self.director)

    @cached_property
    def exported(self):
        return self._run(6, approver=self.director, export=True)

    @cached_property
    def payment(self):
        return Payment.objects.get(run=self.draft)

    @cached_property
    def returned(self):
        returned = Payment.objects.get(run=self.exported)
        Payment.objects.filter(pk=returned.pk).update(
            status="returned", return_code="AC04", return_reason="Closed account", returned_on=dt.date(2025, 6, 12)
        )
        returned.refresh_from_db()
        return returned

    @cached_property
    def transfer(self):
        return funds.propose_transfer(
            self.finance,
            {
                "fund": self.fund.pk,
                "payee_name": "Stołówka społeczna",
                "purpose": "Obiady dla podopiecznych",
                "channel": "bank_transfer",
                "iban": "PL27114020040000300201355387",
                "amount": "2000.00",
                "month_from": month(4),
                "month_to": month(6),
            },
        )

    @cached_property
    def statement(self):
        returned = self.returned
        statement = BankStatement.objects.create(
            centre=self.centre,
            format="csv",
            file_name="wyciag.csv",
            sha256="0" * 64,
            imported_by=self.finance,
            entries=2,
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
        return statement

    @cached_property
    def approver_grant(self):
        return PaymentApprover.objects.create(centre=self.centre, user=self.staff, granted_by=self.director)

    @cached_property
    def details(self):
        return PaymentDetailsChange.objects.create(
            centre=self.centre, person=self.mother, channel="bank_transfer", iban=PL_IBAN, changed_by=self.finance
        )


@pytest.fixture
def world(pl_centre, case, interview, mother, pl_worker, pl_teamlead, pl_finance, pl_director, pl_worker2, toy_fund):
    return World(
        centre=pl_centre,
        case=case,
        mother=mother,
        worker=pl_worker,
        teamlead=pl_teamlead,
        finance=pl_finance,
        director=pl_director,
        staff=pl_worker2,
        fund=toy_fund,
    )
