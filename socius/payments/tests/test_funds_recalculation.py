"""A recalculation's bulk approval commits through the same hook: the amendments' new amounts are committed and
the grants they supersede are shortened, all at once; a fund too small refuses the whole approval."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from socius.benefits import recalculation, services
from socius.benefits.models import Decision, DecisionCounter
from socius.payments import funds
from socius.payments.errors import BudgetExceeded
from socius.payments.models import Commitment, FundAllocation
from socius.payments.tests.conftest import APPLIED, FEBRUARY, MARCH, PL_IBAN
from socius.rulebook.engine import benefits as engine
from socius.rulebook.engine.benefits import Facts, Result, Trace, months_before, sum_incomes

M = Decimal
JUNE = dt.date(2025, 6, 1)  # the toy criterion goes from 776.00 to 800.00 a person


def toy_allowance(facts: Facts, t: Trace) -> Result:
    """The toy allowance with the PL reference month, as in benefits' recalculation tests."""
    criterion = t.parameter("criterion", "toy/criterion") * len(facts.members)
    months = months_before(facts.application_on or facts.period, 1)
    income = t.money("income", sum(sum_incomes(m.incomes, months) + (m.income or 0) for m in facts.members))
    if income >= criterion:
        t.refuse("income_not_below_criterion")
        return Result(amount=Decimal("0"))
    amount = t.money("amount", criterion - income)
    return Result(amount=amount, minimum=Decimal("20.00"), maximum=amount)


@pytest.fixture(autouse=True)
def reference_month_formula(toy_pack, monkeypatch):
    monkeypatch.setitem(engine._FORMULAS, "pl.toy_allowance", [(dt.date(2020, 1, 1), toy_allowance)])


@pytest.fixture
def grant(case, interview, mother, pl_worker, pl_teamlead, toy_fund):
    """552.00 a month from March to December 2025: 5,520.00 committed."""
    application = services.file_application(
        pl_worker,
        case.pk,
        {"benefit": "pl.toy_allowance", "applied_on": APPLIED, "period_from": MARCH, "period_to": dt.date(2025, 12, 1)},
    )
    services.declare_incomes(
        pl_worker, application.pk, [{"person": mother.pk, "month": FEBRUARY, "kind": "employment", "amount": "1000"}]
    )
    proposal = services.propose_decision(
        pl_worker, application.pk, {"payment_method": "bank_transfer", "iban": PL_IBAN}, on=dt.date(2025, 3, 5)
    )
    return services.approve_decision(pl_teamlead, proposal.pk, on=dt.date(2025, 3, 6))


@pytest.fixture
def run(grant, interview, pl_teamlead, django_capture_on_commit_callbacks):
    # The recalculation proposes today: the interview the law asks for must be current today (PL).
    type(interview).objects.filter(pk=interview.pk).update(completed_on=timezone.localdate() - dt.timedelta(days=7))
    with django_capture_on_commit_callbacks(execute=True):
        run = recalculation.start_recalculation(pl_teamlead, {"month": JUNE})
    run.refresh_from_db()
    return run


def test_the_bulk_approval_commits_the_amendments_and_shortens_the_grants(grant, run, pl_director, toy_fund):
    assert recalculation.approve_recalculation(pl_director, run.pk, on=dt.date(2025, 5, 20))["approved"] == 1

    amendment = run.items.get().proposal
    assert list(
        Commitment.objects.order_by("id").values_list(
            "decision_id", "month_from", "month_to", "monthly_amount", "amount"
        )
    ) == [
        (grant.pk, MARCH, dt.date(2025, 5, 1), M("552.00"), M("1656.00")),
        (amendment.pk, JUNE, dt.date(2025, 12, 1), M("600.00"), M("4200.00")),  # 2 × 800.00 − 1,000.00
    ]
    assert funds.available(toy_fund.pk, 2025) == M("4144.00")


def test_a_bulk_approval_the_fund_cannot_pay_is_refused_whole(grant, run, pl_director, pl_finance, toy_fund):
    FundAllocation.objects.create(
        fund=toy_fund, year=2025, kind="amendment", amount=M("-4400.00"), reason="Cut",
        decided_on=dt.date(2025, 5, 1), recorded_by=pl_finance,
    )  # fmt: skip
    before = (
        list(Decision.objects.order_by("id").values_list("id", "status", "state", "number")),
        list(DecisionCounter.objects.values_list("last_number", flat=True)),
        list(Commitment.objects.values_list("id", "month_to", "amount")),
    )

    with pytest.raises(BudgetExceeded) as refused:
        recalculation.approve_recalculation(pl_director, run.pk, on=dt.date(2025, 5, 20))

    assert refused.value.missing == M("256.00")  # 1,656.00 + 4,200.00 − 5,600.00
    assert before == (
        list(Decision.objects.order_by("id").values_list("id", "status", "state", "number")),
        list(DecisionCounter.objects.values_list("last_number", flat=True)),
        list(Commitment.objects.values_list("id", "month_to", "amount")),
    )
