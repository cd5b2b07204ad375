"""Transfers to institutions and one-off payments (four eyes; approval commits them), and who the director
authorises to approve payments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from socius.accounts.models import AuditEvent
from socius.accounts.roles import Role
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.payments import funds
from socius.payments.errors import BudgetExceeded, FourEyesPayments, FundNotOpen
from socius.payments.models import Commitment, Fund, Payment, PaymentApprover, PaymentRun, Transfer
from socius.payments.permissions import can_approve_payments
from socius.payments.tests.conftest import allocation
from socius.testing.factories import UserFactory

M = Decimal
CANTEEN_IBAN = "PL61109010140000071219812874"


def canteen(fund, **data):
    return {
        "fund": fund.pk,
        "payee_name": "Jadłodajnia Caritas",
        "purpose": "Dożywianie: grudzień–luty",
        "channel": "bank_transfer",
        "iban": CANTEEN_IBAN,
        "amount": "2000.00",
        "month_from": "2025-11-01",
        "month_to": "2026-02-01",
        **data,
    }


@pytest.fixture
def funded(fund, pl_finance):
    allocation(fund, 2025, "5000.00", pl_finance)
    allocation(fund, 2026, "5000.00", pl_finance)
    return fund


def test_a_transfer_proposed_by_finance_is_approved_by_the_director_and_commits_its_months(
    funded, pl_finance, pl_director
):
    transfer = funds.propose_transfer(pl_finance, canteen(funded))
    assert (transfer.status, transfer.currency, transfer.month_from, transfer.month_to) == (
        "proposed",
        "PLN",
        dt.date(2025, 11, 1),
        dt.date(2026, 2, 1),
    )
    assert not Commitment.objects.exists()

    approved = funds.approve_transfer(pl_director, transfer.pk)

    assert (approved.status, approved.approved_by) == ("approved", pl_director)
    assert list(
        Commitment.objects.order_by("year").values_list("transfer_id", "year", "month_from", "month_to", "amount")
    ) == [
        (transfer.pk, 2025, dt.date(2025, 11, 1), dt.date(2025, 12, 1), M("4000.00")),
        (transfer.pk, 2026, dt.date(2026, 1, 1), dt.date(2026, 2, 1), M("4000.00")),
    ]
    assert funds.available(funded.pk, 2025) == M("1000.00")


def test_nobody_approves_the_transfer_they_proposed(funded, pl_finance, pl_director):
    transfer = funds.propose_transfer(pl_finance, canteen(funded))
    funds.authorise_payment_approver(pl_director, pl_finance.pk)
    with pytest.raises(FourEyesPayments):
        funds.approve_transfer(pl_finance, transfer.pk)
    assert Transfer.objects.get(pk=transfer.pk).status == "proposed"
    assert not Commitment.objects.exists()


def test_an_authorised_approver_approves_and_a_revoked_one_no_longer_can(funded, pl_finance, pl_director, pl_centre):
    accountant = UserFactory(username="pl_accountant", centre=pl_centre, role=Role.FINANCE_OFFICER)
    first = funds.propose_transfer(pl_finance, canteen(funded, amount="100.00"))
    second = funds.propose_transfer(pl_finance, canteen(funded, amount="100.00"))
    with pytest.raises(Forbidden):
        funds.approve_transfer(accountant, first.pk)

    funds.authorise_payment_approver(pl_director, accountant.pk)
    accountant = type(accountant).objects.get(pk=accountant.pk)  # the next request
    funds.approve_transfer(accountant, first.pk)
    funds.revoke_payment_approver(pl_director, accountant.pk)
    accountant = type(accountant).objects.get(pk=accountant.pk)  # the authorisation is read once per request

    assert not can_approve_payments(accountant)
    with pytest.raises(Forbidden):
        funds.approve_transfer(accountant, second.pk)
    assert list(
        AuditEvent.objects.filter(object_type="payment_approver")
        .order_by("id")
        .values_list("actor__username", "action")
    ) == [
        ("pl_director", "create"),
        ("pl_director", "update"),
    ]


def test_a_transfer_the_fund_cannot_pay_is_refused_with_nothing_written(funded, pl_finance, pl_director):
    transfer = funds.propose_transfer(pl_finance, canteen(funded, amount="2600.00"))
    audits = AuditEvent.objects.count()
    with pytest.raises(BudgetExceeded) as refused:
        funds.approve_transfer(pl_director, transfer.pk)
    assert (refused.value.year, refused.value.missing) == (2025, M("200.00"))
    assert Transfer.objects.get(pk=transfer.pk).status == "proposed"
    assert not Commitment.objects.exists()
    assert AuditEvent.objects.count() == audits


def test_a_transfer_from_a_project_fund_after_its_end_is_refused_with_nothing_written(funded, pl_finance, pl_director):
    transfer = funds.propose_transfer(pl_finance, canteen(funded))
    Fund.objects.filter(pk=transfer.fund_id).update(valid_until=transfer.month_from)  # the project ended before
    audits = AuditEvent.objects.count()
    with pytest.raises(FundNotOpen) as refused:
        funds.approve_transfer(pl_director, transfer.pk)
    assert refused.value.code == "fund_not_open"
    assert Transfer.objects.get(pk=transfer.pk).status == "proposed"
    assert not Commitment.objects.exists()
    assert AuditEvent.objects.count() == audits


@pytest.mark.parametrize(
    "persona,may_propose,may_approve",
    [
        ("pl_finance", True, False),
        ("pl_director", False, True),
        ("pl_worker", False, False),
        ("pl_teamlead", False, False),
        ("pl_auditor", False, False),
    ],
)
def test_who_proposes_and_who_approves_transfers(persona, may_propose, may_approve, request, funded, pl_finance):
    actor = request.getfixturevalue(persona)
    if may_propose:
        assert funds.propose_transfer(actor, canteen(funded)).proposed_by == actor
    else:
        with pytest.raises(Forbidden):
            funds.propose_transfer(actor, canteen(funded))
    transfer = funds.propose_transfer(pl_finance, canteen(funded))
    if may_approve:
        assert funds.approve_transfer(actor, transfer.pk).status == "approved"
    else:
        with pytest.raises((Forbidden, FourEyesPayments)):
            funds.approve_transfer(actor, transfer.pk)


def test_another_centre_does_not_find_the_transfer(funded, pl_finance, md_director):
    transfer = funds.propose_transfer(pl_finance, canteen(funded))
    with pytest.raises(NotFound):
        funds.approve_transfer(md_director, transfer.pk)


def test_a_transfer_is_validated_field_by_field(funded, pl_finance):
    with pytest.raises(ValidationFailed) as refused:
        funds.propose_transfer(
            pl_finance,
            canteen(funded, payee_name="", purpose="", iban="PL00 0000", amount="-1", month_to="2025-01-01"),
        )
    assert set(refused.value.errors) == {"payee_name", "purpose", "iban", "amount", "month_to"}
    assert not Transfer.objects.exists()


def test_a_cash_one_off_payment_needs_no_iban_and_commits_its_month(funded, pl_finance, pl_director):
    transfer = funds.propose_transfer(
        pl_finance, canteen(funded, channel="cashier", iban="", month_to=None, amount="350.00", purpose="Opał")
    )
    funds.approve_transfer(pl_director, transfer.pk)
    assert list(Commitment.objects.values_list("year", "month_from", "month_to", "amount")) == [
        (2025, dt.date(2025, 11, 1), dt.date(2025, 11, 1), M("350.00"))
    ]


def test_cancelling_an_approved_transfer_releases_the_months_not_paid(funded, pl_finance, pl_director):
    transfer = funds.approve_transfer(pl_director, funds.propose_transfer(pl_finance, canteen(funded)).pk)
    run = PaymentRun.objects.create(
        centre=funded.centre, month=dt.date(2025, 11, 1), number=1, status="approved", prepared_by=pl_finance
    )
    Payment.objects.create(
        run=run, centre=funded.centre, fund=funded, transfer=transfer, payee_name="Jadłodajnia",
        month=dt.date(2025, 11, 1), amount=M("2000.00"), currency="PLN", channel="bank_transfer",
        iban=CANTEEN_IBAN, end_to_end_id="T-1",
    )  # fmt: skip

    with pytest.raises(ValidationFailed):
        funds.cancel_transfer(pl_finance, transfer.pk, "")
    funds.cancel_transfer(pl_finance, transfer.pk, "The canteen closed.")

    assert list(Commitment.objects.order_by("year").values_list("year", "month_to", "amount")) == [
        (2025, dt.date(2025, 11, 1), M("2000.00")),
        (2026, dt.date(2026, 1, 1), M("0.00")),
    ]
    with pytest.raises(Conflict):
        funds.cancel_transfer(pl_finance, transfer.pk, "again")
    with pytest.raises(Conflict):
        funds.approve_transfer(pl_director, transfer.pk)


def test_only_the_director_authorises_payment_approvers(pl_finance, pl_director, pl_teamlead, pl_worker):
    for actor in (pl_finance, pl_teamlead):
        with pytest.raises(Forbidden):
            funds.authorise_payment_approver(actor, pl_worker.pk)
    funds.authorise_payment_approver(pl_director, pl_worker.pk)
    with pytest.raises(Conflict):
        funds.authorise_payment_approver(pl_director, pl_worker.pk)
    assert PaymentApprover.objects.filter(user=pl_worker, revoked_at__isnull=True).count() == 1
    with pytest.raises(Forbidden):
        funds.revoke_payment_approver(pl_finance, pl_worker.pk)


def test_staff_of_another_centre_cannot_be_authorised(pl_director, md_director):
    with pytest.raises(NotFound):
        funds.authorise_payment_approver(pl_director, md_director.pk)
