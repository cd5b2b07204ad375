"""Checking a run (the anomalies) and approving it (four eyes, funds, blocking anomalies)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from socius.accounts.models import AuditEvent
from socius.accounts.roles import Role
from socius.common.errors import Conflict, Forbidden, NotFound
from socius.payments import runs
from socius.payments.errors import BudgetExceeded, FourEyesPayments
from socius.payments.models import BenefitFund, Payment, PaymentApprover, PaymentRun
from socius.payments.tests.runs_support import (
    FEBRUARY,
    MARCH,
    PL_IBAN,
    PURPOSE,
    grant,
    make_client,
    make_fund,
)
from socius.testing.factories import CentreFactory, PersonFactory, UserFactory


@pytest.fixture
def fund(pl_centre, pl_finance):
    return make_fund(pl_centre, pl_finance)


@pytest.fixture
def anna(pl_centre, pl_worker):
    return make_client(pl_centre, pl_worker, first="Anna", last="Nowak", national_id="80050112345")


@pytest.fixture
def anna_grant(anna, pl_worker, pl_director):
    person, _household, case = anna
    return grant(case, person, pl_worker, pl_director, amount="500.00", period_from=FEBRUARY)


@pytest.fixture
def checked(pl_finance, pl_centre, fund, anna_grant):
    run = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    return runs.check_run(pl_finance, run.pk)


def _codes(run):
    return sorted(a["code"] for a in run.anomalies)


# --- checking ----------------------------------------------------------------------------------------------


def test_a_clean_run_is_checked_without_anomalies(pl_finance, checked):
    assert (checked.status, checked.checked_by_id, checked.anomalies) == ("checked", pl_finance.pk, [])
    assert AuditEvent.objects.filter(object_type="payment_run", object_id=checked.pk, action="update").count() == 1


def test_check_lists_missing_and_invalid_ibans_and_a_benefit_without_fund(
    pl_finance, pl_centre, pl_worker, pl_director, fund, anna_grant
):
    person, _household, case = make_client(pl_centre, pl_worker, first="Jan", last="Kowalski")
    bad = grant(case, person, pl_worker, pl_director, amount="200.00", period_from=MARCH)
    person3, _household3, case3 = make_client(pl_centre, pl_worker, first="Ewa", last="Lis")
    grant(case3, person3, pl_worker, pl_director, benefit="pl.permanent_allowance", amount="719.00", method="cash")
    run = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    Payment.objects.filter(run=run, decision=anna_grant).update(iban="")
    Payment.objects.filter(run=run, decision=bad).update(iban="PL61109010140000071219812875")
    run = runs.check_run(pl_finance, run.pk)
    by_code = {a["code"]: a for a in run.anomalies}
    assert _codes(run) == ["iban_invalid", "no_fund", "no_iban"]
    assert by_code["no_iban"]["params"] == {"payee": "Anna Nowak"}
    assert by_code["iban_invalid"]["params"] == {"payee": "Jan Kowalski", "iban": "PL61 •••• 2875"}
    assert by_code["no_fund"] == {
        "code": "no_fund",
        "payment": None,
        "params": {"benefit": "pl.permanent_allowance", "count": 1},
    }
    with translation.override("en"):
        assert runs.anomaly_message(by_code["no_iban"]) == "Anna Nowak is paid by bank transfer but has no IBAN."
        assert runs.anomaly_message(by_code["no_fund"]) == (
            "The benefit Permanent allowance draws on no fund: set its fund before approving."
        )
    with translation.override("pl"):
        assert "Zasiłek stały" in runs.anomaly_message(by_code["no_fund"])  # the benefit in the reader's language


def test_check_lists_an_amount_changed_since_last_month(pl_finance, pl_director, pl_centre, fund, anna_grant):
    february = runs.prepare_run(pl_finance, pl_centre.pk, FEBRUARY)
    Payment.objects.filter(run=february).update(amount=Decimal("450.00"))
    run = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    run = runs.check_run(pl_finance, run.pk)
    [anomaly] = run.anomalies
    assert anomaly["code"] == "amount_changed"
    assert anomaly["params"] == {
        "payee": "Anna Nowak",
        "benefit": anna_grant.benefit,
        "previous": "450.00",
        "amount": "500.00",
        "currency": "PLN",
    }


def test_check_lists_a_person_paid_twice_in_a_month_across_runs(
    pl_finance, pl_director, pl_worker, pl_centre, fund, anna, anna_grant
):
    person, _household, case = anna
    runs.check_run(pl_finance, runs.prepare_run(pl_finance, pl_centre.pk, MARCH).pk)
    runs.approve_run(pl_director, PaymentRun.objects.get(month=MARCH, number=1).pk)
    grant(case, person, pl_worker, pl_director, amount="120.00", period_from=MARCH)  # the same benefit again
    extra = runs.prepare_run(pl_finance, pl_centre.pk, MARCH, extra=True)
    extra = runs.check_run(pl_finance, extra.pk)
    [anomaly] = extra.anomalies
    assert (anomaly["code"], anomaly["params"]["count"], anomaly["params"]["month"]) == ("paid_twice", 2, "2025-03")


def test_check_lists_a_person_paid_by_another_centre_for_the_month(
    pl_finance, pl_director, pl_centre, fund, anna, anna_grant
):
    other = CentreFactory(code="pl-other", name="MOPS Inny", jurisdiction="PL")
    moved = PersonFactory(centre=other, first_name="Anna", last_name="Nowak", national_id="80050112345")
    other_finance = UserFactory(username="other_finance", centre=other, role=Role.FINANCE_OFFICER)
    other_run = PaymentRun.objects.create(centre=other, month=MARCH, number=1, prepared_by=other_finance)
    Payment.objects.create(
        run=other_run, centre=other, transfer=None, decision=anna_grant, person=moved, payee_name="Anna Nowak",
        month=MARCH, amount=Decimal("500.00"), currency="PLN", channel="cashier", end_to_end_id="OTHER-1",
    )  # fmt: skip
    run = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    # The other centre's payment of the same decision blocks nothing here: a different centre, a different person row.
    Payment.objects.filter(run=other_run).update(decision=None, transfer=_a_transfer(other, other_finance))
    run = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    run = runs.check_run(pl_finance, run.pk)
    [anomaly] = run.anomalies
    assert (anomaly["code"], anomaly["params"]["centre"]) == ("paid_in_two_centres", "MOPS Inny")


def _a_transfer(centre, user):
    from socius.payments.models import Transfer

    fund = make_fund(centre, user, code="x", benefits=())
    return Transfer.objects.create(
        centre=centre, fund=fund, payee_name="X", channel="cashier", purpose="x", amount=Decimal("1.00"),
        currency="PLN", month_from=MARCH, status="approved", proposed_by=user,
    )  # fmt: skip


def test_check_lists_a_fund_short_of_money(pl_finance, pl_centre, pl_worker, pl_director, anna_grant):
    make_fund(pl_centre, pl_finance, code="small", amount="300.00")
    run = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    run = runs.check_run(pl_finance, run.pk)
    [anomaly] = run.anomalies
    assert anomaly == {
        "code": "fund_short",
        "payment": None,
        "params": {"fund": "Fund small", "year": 2025, "missing": "200.00", "currency": "PLN"},
    }


def test_only_finance_checks(pl_director, pl_worker, pl_auditor, pl_finance, pl_centre, fund, anna_grant):
    run = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    for actor in (pl_director, pl_worker, pl_auditor):
        with pytest.raises(Forbidden):
            runs.check_run(actor, run.pk)
    run.refresh_from_db()
    assert (run.status, run.checked_by_id) == ("draft", None)


# --- approving ---------------------------------------------------------------------------------------------


def test_director_approves_a_checked_run(pl_director, checked):
    run = runs.approve_run(pl_director, checked.pk)
    run.refresh_from_db()
    assert (run.status, run.approved_by_id, run.is_locked) == ("approved", pl_director.pk, True)
    assert AuditEvent.objects.filter(
        object_type="payment_run", object_id=run.pk, actor=pl_director, changes__status=["checked", "approved"]
    ).exists()


def test_nobody_approves_a_run_they_prepared_or_checked(pl_centre, pl_finance, pl_director, fund, anna_grant):
    # The director authorises the finance officer to approve: still never their own run (four eyes).
    PaymentApprover.objects.create(centre=pl_centre, user=pl_finance, granted_by=pl_director)
    run = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    runs.check_run(pl_finance, run.pk)
    with pytest.raises(FourEyesPayments):
        runs.approve_run(pl_finance, run.pk)
    run.refresh_from_db()
    assert (run.status, run.approved_by_id) == ("checked", None)


def test_approving_needs_the_right(pl_worker, pl_auditor, pl_teamlead, checked, pl_centre, pl_director):
    for actor in (pl_worker, pl_auditor, pl_teamlead):
        with pytest.raises(Forbidden):
            runs.approve_run(actor, checked.pk)
    PaymentApprover.objects.create(centre=pl_centre, user=pl_teamlead, granted_by=pl_director)
    pl_teamlead._payments_authorised = None
    assert runs.approve_run(pl_teamlead, checked.pk).approved_by_id == pl_teamlead.pk


def test_run_of_another_centre_is_not_found(checked, md_director):
    with pytest.raises(NotFound):
        runs.approve_run(md_director, checked.pk)


def test_approving_twice_answers_who_approved_it(pl_centre, pl_director, pl_teamlead, checked):
    PaymentApprover.objects.create(centre=pl_centre, user=pl_teamlead, granted_by=pl_director)
    runs.approve_run(pl_director, checked.pk)
    with pytest.raises(Conflict) as refused:
        runs.approve_run(pl_teamlead, checked.pk)
    assert refused.value.code == "invalid_run_transition"
    assert "already approved by" in str(refused.value.message)


def test_blocking_anomalies_stop_the_approval(pl_finance, pl_director, pl_centre, fund, anna_grant):
    run = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    Payment.objects.filter(run=run).update(iban="")
    runs.check_run(pl_finance, run.pk)
    with pytest.raises(Conflict) as refused:
        runs.approve_run(pl_director, run.pk)
    assert refused.value.code == "run_has_blocking_anomalies"
    run.refresh_from_db()
    assert run.status == "checked"


def test_overspending_fund_refuses_the_approval_with_nothing_written(
    pl_finance, pl_director, pl_centre, fund, anna_grant
):
    run = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    runs.check_run(pl_finance, run.pk)
    # Money spent elsewhere after the check: the approval checks the funds again, under their row locks.
    fund.allocations.update(amount=Decimal("100.00"))
    with pytest.raises(BudgetExceeded) as refused:
        runs.approve_run(pl_director, run.pk)
    assert (refused.value.fund_id, refused.value.missing) == (fund.pk, Decimal("400.00"))
    run.refresh_from_db()
    assert (run.status, run.approved_by_id) == ("checked", None)
    assert not AuditEvent.objects.filter(object_type="payment_run", changes__status=["checked", "approved"]).exists()


def test_payments_of_a_benefit_moved_to_another_fund_follow_it_at_the_next_preparation(
    pl_finance, pl_centre, fund, anna_grant
):
    other = make_fund(pl_centre, pl_finance, code="state", benefits=())
    BenefitFund.objects.filter(benefit=anna_grant.benefit).update(fund=other)
    run = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    assert list(Payment.objects.filter(run=run).values_list("fund_id", flat=True)) == [other.pk]


def test_purpose_allowance_is_paid_once_in_its_month(pl_finance, pl_centre, pl_worker, pl_director, fund):
    person, _household, case = make_client(pl_centre, pl_worker, first="Ewa", last="Lis")
    one_off = grant(case, person, pl_worker, pl_director, benefit=PURPOSE, one_off=True, amount="250.00", iban=PL_IBAN)
    assert [p.decision_id for p in Payment.objects.filter(run=runs.prepare_run(pl_finance, pl_centre.pk, MARCH))] == [
        one_off.pk
    ]
    assert not Payment.objects.filter(run=runs.prepare_run(pl_finance, pl_centre.pk, "2025-04")).exists()
