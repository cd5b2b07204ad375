"""Funds: what an approved decision commits and what a later decision releases, overspending refused with
nothing written, the fund statement's figures, allocations and their amendments, which fund a benefit draws on."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.test import APIClient

from socius.accounts.models import AuditEvent
from socius.benefits import services
from socius.benefits.models import Decision, DecisionCounter, DecisionEvent
from socius.common.errors import Conflict, Forbidden, ValidationFailed
from socius.payments import funds
from socius.payments.errors import BudgetExceeded, FundNotOpen
from socius.payments.models import BenefitFund, Commitment, Fund, FundAllocation, Payment, PaymentRun
from socius.payments.tests.conftest import APPLIED, FEBRUARY, MARCH, PL_IBAN, allocation

AUGUST = dt.date(2025, 8, 1)
ON = dt.date(2025, 3, 5)
M = Decimal


def month(m: int, year: int = 2025) -> dt.date:
    return dt.date(year, m, 1)


def file(worker, case, **data):
    payload = {"benefit": "pl.toy_allowance", "applied_on": APPLIED, "period_from": MARCH, "period_to": AUGUST}
    return services.file_application(worker, case.pk, {**payload, **data})


def propose(worker, case, mother, income="1000.00", **data):
    """A proposal of 552.00 a month (2 × 776.00 − 1000.00) from March to August 2025 by default."""
    application = file(worker, case, **data)
    services.declare_incomes(
        worker, application.pk, [{"person": mother.pk, "month": FEBRUARY, "kind": "employment", "amount": income}]
    )
    return services.propose_decision(
        worker, application.pk, {"payment_method": "bank_transfer", "iban": PL_IBAN}, on=ON
    )


@pytest.fixture
def grant(case, interview, mother, pl_worker, pl_teamlead, toy_fund):
    return services.approve_decision(pl_teamlead, propose(pl_worker, case, mother).pk, on=dt.date(2025, 3, 6))


def commitments():
    return list(
        Commitment.objects.order_by("id").values_list(
            "decision_id", "year", "month_from", "month_to", "monthly_amount", "amount"
        )
    )


def state_of_db() -> tuple:
    return (
        list(Decision.objects.order_by("id").values_list("id", "status", "state", "number")),
        DecisionEvent.objects.count(),
        list(DecisionCounter.objects.values_list("centre_id", "year", "last_number")),
        AuditEvent.objects.count(),
        commitments(),
        list(FundAllocation.objects.values_list("id", "amount")),
    )


# --- commitments through the benefits approval -----------------------------------------------------------


def test_an_approved_grant_commits_its_monthly_amount_for_its_months_on_its_benefits_fund(grant, toy_fund):
    assert commitments() == [(grant.pk, 2025, month(3), month(8), M("552.00"), M("3312.00"))]
    assert Commitment.objects.get().fund == toy_fund
    assert funds.available(toy_fund.pk, 2025) == M("6688.00")


def test_a_proposal_commits_nothing_until_it_is_approved(case, interview, mother, pl_worker, toy_fund):
    propose(pl_worker, case, mother)
    assert commitments() == []


def test_a_benefit_without_a_fund_commits_nothing(case, interview, mother, pl_worker, pl_teamlead, fund):
    decision = services.approve_decision(pl_teamlead, propose(pl_worker, case, mother).pk, on=ON)
    assert decision.state == "active"
    assert commitments() == []
    assert funds.fund_for_benefit(decision.centre_id, "pl.toy_allowance") is None


def test_a_suspension_shortens_the_commitment_and_a_resumption_commits_again(grant, pl_worker, pl_teamlead):
    suspension = services.propose_suspension(
        pl_worker, grant.pk, {"from_month": month(5), "justification": "Stay abroad."}
    )
    services.approve_decision(pl_teamlead, suspension.pk, on=dt.date(2025, 4, 20))
    assert commitments() == [(grant.pk, 2025, month(3), month(4), M("552.00"), M("1104.00"))]

    resumption = services.propose_resumption(pl_worker, grant.pk, {"from_month": month(7), "justification": "Back."})
    services.approve_decision(pl_teamlead, resumption.pk, on=dt.date(2025, 6, 25))
    assert commitments() == [
        (grant.pk, 2025, month(3), month(4), M("552.00"), M("1104.00")),
        (resumption.pk, 2025, month(7), month(8), M("552.00"), M("1104.00")),
    ]

    ending = services.propose_ending(pl_worker, grant.pk, {"from_month": month(8), "justification": "Job."})
    services.approve_decision(pl_teamlead, ending.pk, on=dt.date(2025, 7, 20))
    assert commitments()[1] == (resumption.pk, 2025, month(7), month(7), M("552.00"), M("552.00"))


def test_a_revocation_from_the_first_month_releases_the_whole_commitment(grant, pl_worker, pl_director, toy_fund):
    revocation = services.propose_revocation(pl_worker, grant.pk, {"from_month": month(3), "justification": "Fraud."})
    services.approve_decision(pl_director, revocation.pk, on=dt.date(2025, 3, 20))
    assert commitments() == [(grant.pk, 2025, month(3), month(3), M("552.00"), M("0.00"))]
    assert funds.available(toy_fund.pk, 2025) == M("10000.00")


def test_an_amendment_shortens_the_old_commitment_and_commits_the_new_amount(grant, mother, pl_worker, pl_director):
    application = grant.application
    type(application).objects.filter(pk=application.pk).update(status="draft")
    services.declare_incomes(
        pl_worker, application.pk, [{"person": mother.pk, "month": month(5), "kind": "employment", "amount": "900"}]
    )
    type(application).objects.filter(pk=application.pk).update(status="decided")
    amendment = services.propose_amendment(pl_worker, grant.pk, {"from_month": month(6)}, on=dt.date(2025, 5, 28))
    services.approve_decision(pl_director, amendment.pk, on=dt.date(2025, 5, 29))

    assert commitments() == [
        (grant.pk, 2025, month(3), month(5), M("552.00"), M("1656.00")),
        (amendment.pk, 2025, month(6), month(8), M("700.00"), M("2100.00")),
    ]


def test_one_off_aid_commits_its_amount_in_its_month(case, interview, pl_worker, pl_teamlead, toy_fund):
    application = file(pl_worker, case, benefit="pl.toy_aid", period_to=None, purpose="fuel", need_amount="350.00")
    proposal = services.propose_decision(pl_worker, application.pk, {"payment_method": "cash"}, on=ON)
    decision = services.approve_decision(pl_teamlead, proposal.pk, on=ON)
    assert commitments() == [(decision.pk, 2025, month(3), month(3), M("350.00"), M("350.00"))]


def test_an_open_ended_grant_commits_to_the_end_of_the_year_and_is_renewed_for_the_next_once(
    case, interview, mother, pl_worker, pl_teamlead, pl_finance, toy_fund, pl_centre
):
    decision = services.approve_decision(pl_teamlead, propose(pl_worker, case, mother, period_to=None).pk, on=ON)
    assert commitments() == [(decision.pk, 2025, month(3), month(12), M("552.00"), M("5520.00"))]

    allocation(toy_fund, 2026, "7000.00", pl_finance)
    assert funds.renew_commitments(pl_centre.pk, 2026) == 1
    assert funds.renew_commitments(pl_centre.pk, 2026) == 0
    assert commitments()[1] == (decision.pk, 2026, month(1, 2026), month(12, 2026), M("552.00"), M("6624.00"))


def test_a_grant_over_the_year_end_commits_each_year_and_next_year_is_checked_once_allocated(
    case, interview, mother, pl_worker, pl_teamlead, toy_fund, pl_finance
):
    # November's law: 2 × 800.00 and no income in October.
    proposal = propose(pl_worker, case, mother, period_from=month(11), period_to=month(4, 2026))
    decision = services.approve_decision(pl_teamlead, proposal.pk, on=dt.date(2025, 10, 20))
    assert commitments() == [
        (decision.pk, 2025, month(11), month(12), M("1600.00"), M("3200.00")),
        (decision.pk, 2026, month(1, 2026), month(4, 2026), M("1600.00"), M("6400.00")),
    ]  # 2026 has no allocation yet: not checked

    allocation(toy_fund, 2026, "7000.00", pl_finance)
    second = propose(pl_worker, case, mother, period_from=month(11), period_to=month(4, 2026))
    with pytest.raises(BudgetExceeded) as refused:
        services.approve_decision(pl_teamlead, second.pk, on=dt.date(2025, 10, 21))
    assert (refused.value.year, refused.value.missing) == (2026, M("5800.00"))
    assert len(commitments()) == 2


# --- overspending --------------------------------------------------------------------------------------------


@pytest.fixture
def tight_fund(toy_fund, pl_finance):
    """10,000.00 − 7,000.00 = 3,000.00 for 2025: 312.00 short of a 3,312.00 grant."""
    FundAllocation.objects.create(
        fund=toy_fund,
        year=2025,
        kind="amendment",
        amount=M("-7000.00"),
        reason="Budget cut",
        decided_on=dt.date(2025, 2, 1),
        recorded_by=pl_finance,
    )
    return toy_fund


def test_a_grant_the_fund_cannot_pay_is_refused_with_nothing_written(
    case, interview, mother, pl_worker, pl_teamlead, tight_fund
):
    proposal = propose(pl_worker, case, mother)
    before = state_of_db()

    with pytest.raises(BudgetExceeded) as refused:
        services.approve_decision(pl_teamlead, proposal.pk, on=ON)

    assert refused.value.code == "budget_exceeded"
    assert (refused.value.fund_id, refused.value.year, refused.value.missing) == (tight_fund.pk, 2025, M("312.00"))
    assert str(refused.value.message) == (
        "The fund “Zadania własne” has too little for 2025: PLN\xa0312.00 is missing. "
        "The director or a finance officer can amend the fund's allocation."
    )
    assert state_of_db() == before
    assert Decision.objects.get(pk=proposal.pk).status == "proposed"


def test_the_refusal_is_in_the_readers_language(case, interview, mother, pl_worker, pl_teamlead, tight_fund):
    proposal = propose(pl_worker, case, mother)
    with translation.override("pl"), pytest.raises(BudgetExceeded) as refused:
        services.approve_decision(pl_teamlead, proposal.pk, on=ON)
    assert "312,00" in str(refused.value.message)


def test_the_api_answers_409_with_the_reason_and_approves_nothing(
    case, recent_interview, mother, pl_worker, pl_teamlead, tight_fund
):
    proposal = propose(pl_worker, case, mother)
    before = state_of_db()
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(pl_teamlead)

    response = client.post(f"/api/v1/decisions/{proposal.pk}/approve/")

    assert response.status_code == 409, response.content
    assert response.json() == {
        "detail": "The fund “Zadania własne” has too little for 2025: PLN\xa0312.00 is missing. "
        "The director or a finance officer can amend the fund's allocation.",
        "code": "budget_exceeded",
    }
    assert state_of_db() == before


def test_an_amendment_that_frees_money_passes_even_on_a_full_fund(grant, pl_worker, pl_director, toy_fund, pl_finance):
    funds.allocate(pl_director, toy_fund.pk, {"year": 2025, "amount": "-6688.00", "reason": "Cut"})
    assert funds.available(toy_fund.pk, 2025) == M("0.00")
    ending = services.propose_ending(pl_worker, grant.pk, {"from_month": month(6), "justification": "Job."})
    services.approve_decision(pl_director, ending.pk, on=dt.date(2025, 5, 20))
    assert funds.available(toy_fund.pk, 2025) == M("1656.00")


def test_many_decisions_at_once_are_committed_in_a_few_queries(grant, toy_fund, pl_finance):
    allocation(toy_fund, 2026, "1.00", pl_finance)  # unrelated: other year
    FundAllocation.objects.create(
        fund=toy_fund, year=2025, kind="amendment", amount=M("400000.00"), reason="x",
        decided_on=ON, recorded_by=pl_finance,
    )  # fmt: skip
    Commitment.objects.all().delete()
    copies = []
    for i in range(120):  # over 100: the array parameter on PostgreSQL
        copy = Decision.objects.get(pk=grant.pk)
        copy.pk = None
        copy.number = 1000 + i
        copy.reference = f"{1000 + i}/2025"
        copies.append(copy)
    Decision.objects.bulk_create(copies)
    copies = list(Decision.objects.filter(number__gte=1000))

    with CaptureQueriesContext(connection) as queries:
        funds.on_decisions_approved(copies)

    assert len(queries) <= 8
    assert Commitment.objects.count() == 120
    assert funds.available(toy_fund.pk, 2025) == M("410000.00") - 120 * M("3312.00")

    endings = []
    for i, copy in enumerate(copies):
        ending = Decision.objects.get(pk=copy.pk)
        ending.pk, ending.kind, ending.changes_id, ending.period_from = None, "ending", copy.pk, month(6)
        ending.number, ending.reference, ending.state = 2000 + i, f"{2000 + i}/2025", ""
        endings.append(ending)
    Decision.objects.bulk_create(endings)
    endings = list(Decision.objects.filter(kind="ending").only("id", "kind", "changes_id", "period_from", "amount"))

    with CaptureQueriesContext(connection) as queries:
        funds.on_decisions_approved(endings)

    assert len(queries) <= 8
    assert set(Commitment.objects.values_list("month_to", "amount")) == {(month(5), M("1656.00"))}
    assert funds.available(toy_fund.pk, 2025) == M("410000.00") - 120 * M("1656.00")


# --- allocations, benefits' funds -----------------------------------------------------------------------------


def test_the_years_allocation_is_the_sum_of_its_rows_and_amendments_need_a_reason(fund, pl_finance, pl_director):
    first = funds.allocate(pl_finance, fund.pk, {"year": 2026, "amount": "50000.00", "decided_on": "2025-12-20"})
    with pytest.raises(ValidationFailed) as refused:
        funds.allocate(pl_director, fund.pk, {"year": 2026, "amount": "2500.50"})
    assert list(refused.value.errors) == ["reason"]
    second = funds.allocate(pl_director, fund.pk, {"year": 2026, "amount": "2500.50", "reason": "Uchwała XII/3"})

    assert (first.kind, second.kind) == ("initial", "amendment")
    assert funds.fund_statement(fund, 2026).allocation == M("52500.50")
    assert funds.available(fund.pk, 2026) == M("52500.50")


def test_a_cut_below_what_is_committed_is_refused_with_nothing_written(grant, toy_fund, pl_director):
    before = state_of_db()
    with pytest.raises(BudgetExceeded) as refused:
        funds.allocate(pl_director, toy_fund.pk, {"year": 2025, "amount": "-7000.00", "reason": "Cut"})
    assert refused.value.missing == M("312.00")
    assert state_of_db() == before


def test_a_benefits_fund_must_be_in_the_benefits_currency(pl_centre, pl_finance, toy_pack):
    euro = funds.create_fund(
        pl_finance, {"code": "eu-project", "name": "EU project", "kind": "project", "currency": "EUR"}
    )
    with pytest.raises(ValidationFailed) as refused:
        funds.set_benefit_fund(pl_finance, "pl.toy_allowance", euro.pk)
    assert refused.value.errors["fund"] == [
        "The benefit's decisions are in PLN and the fund is in EUR: choose a fund in PLN."
    ]
    assert not BenefitFund.objects.exists()


def test_a_benefit_of_another_country_cannot_be_given_a_fund(fund, pl_finance):
    with pytest.raises(ValidationFailed) as refused:
        funds.set_benefit_fund(pl_finance, "md.social_aid", fund.pk)
    assert list(refused.value.errors) == ["benefit"]


def test_setting_a_benefits_fund_is_audited_and_moves_it_to_the_new_fund(fund, pl_finance, toy_pack):
    other = funds.create_fund(pl_finance, {"code": "state", "name": "Zadania zlecone", "kind": "state_commissioned"})
    funds.set_benefit_fund(pl_finance, "pl.toy_allowance", fund.pk)
    row = funds.set_benefit_fund(pl_finance, "pl.toy_allowance", other.pk)

    assert funds.fund_for_benefit(fund.centre_id, "pl.toy_allowance") == other
    events = list(
        AuditEvent.objects.filter(object_type="benefit_fund").order_by("id").values_list("object_id", "changes")
    )
    assert events == [
        (row.pk, {"benefit": [None, "pl.toy_allowance"], "fund": [None, fund.pk]}),
        (row.pk, {"benefit": [None, "pl.toy_allowance"], "fund": [fund.pk, other.pk]}),
    ]


def test_creating_and_allocating_a_fund_is_audited(pl_finance, pl_centre):
    fund = funds.create_fund(
        pl_finance,
        {"code": "Asystent", "name": "Asystent rodziny 2026", "kind": "project", "valid_from": "2026-01-01",
         "valid_until": "2026-12-31", "debtor_iban": "PL27 1140 2004 0000 3002 0135 5387"},
    )  # fmt: skip
    row = funds.allocate(pl_finance, fund.pk, {"year": 2026, "amount": "84000.00"})

    assert (fund.code, fund.currency, fund.debtor_iban) == ("asystent", "PLN", "PL27114020040000300201355387")
    assert list(AuditEvent.objects.order_by("id").values_list("actor__username", "object_type", "object_id")) == [
        ("pl_finance", "fund", fund.pk),
        ("pl_finance", "fund_allocation", row.pk),
    ]


def test_a_fund_with_a_wrong_iban_or_a_taken_code_is_refused(fund, pl_finance):
    with pytest.raises(ValidationFailed) as refused:
        funds.create_fund(
            pl_finance, {"code": "own-tasks", "name": "x", "kind": "own_tasks", "debtor_iban": "PL00 1234"}
        )
    assert set(refused.value.errors) == {"code", "debtor_iban"}
    assert Fund.objects.count() == 1


@pytest.mark.parametrize(
    "persona,allowed",
    [
        ("pl_finance", True),
        ("pl_director", True),
        ("pl_worker", False),
        ("pl_teamlead", False),
        ("pl_auditor", False),
        ("pl_admin", False),
    ],
)
def test_who_manages_funds(persona, allowed, request, pl_centre):
    actor = request.getfixturevalue(persona)
    data = {"code": "x", "name": "X", "kind": "own_tasks"}
    if allowed:
        assert funds.create_fund(actor, data).centre == pl_centre
    else:
        with pytest.raises(Forbidden):
            funds.create_fund(actor, data)
        assert not Fund.objects.exists()


@pytest.mark.parametrize(
    "persona,allowed",
    [("pl_finance", True), ("pl_director", True), ("pl_auditor", True), ("pl_worker", False), ("pl_teamlead", False)],
)
def test_who_reads_funds(persona, allowed, request, fund, md_director):
    actor = request.getfixturevalue(persona)
    if allowed:
        assert list(funds.list_funds_for(actor)) == [fund]
    else:
        with pytest.raises(Forbidden):
            funds.list_funds_for(actor)
    assert list(funds.list_funds_for(md_director)) == []  # another centre's funds are not listed


# --- the statement ------------------------------------------------------------------------------------------


def test_the_statement_shows_allocation_committed_spent_and_available_per_month_and_to_date(
    grant, toy_fund, pl_finance, pl_director
):
    run = PaymentRun.objects.create(
        centre=toy_fund.centre, month=month(3), number=1, status="approved", prepared_by=pl_finance
    )
    draft = PaymentRun.objects.create(centre=toy_fund.centre, month=month(4), number=1, prepared_by=pl_finance)

    def pay(run, m, amount, e2e, status="pending"):
        return Payment.objects.create(
            run=run, centre=toy_fund.centre, fund=toy_fund, decision=grant, payee_name="Anna Nowak",
            month=m, amount=M(amount), currency="PLN", channel="bank_transfer", iban=PL_IBAN,
            end_to_end_id=e2e, status=status,
        )  # fmt: skip

    pay(run, month(3), "552.00", "E2E-1", status="paid")
    pay(run, month(9), "100.00", "E2E-2")  # a month no commitment covers
    pay(run, month(5), "552.00", "E2E-3", status="returned")  # returned: not spent
    pay(draft, month(4), "552.00", "E2E-4")  # not approved: not spent yet

    statement = funds.fund_statement(toy_fund, 2025)

    assert (statement.allocation, statement.committed, statement.spent, statement.uncommitted, statement.available) == (
        M("10000.00"),
        M("3312.00"),
        M("652.00"),
        M("100.00"),
        M("6588.00"),
    )
    rows = {
        m.month.month: (m.committed, m.spent, m.committed_to_date, m.spent_to_date, m.available)
        for m in statement.months
    }
    assert rows[2] == (M("0"), M("0"), M("0"), M("0"), M("10000.00"))
    assert rows[3] == (M("552.00"), M("552.00"), M("552.00"), M("552.00"), M("9448.00"))
    assert rows[8] == (M("552.00"), M("0"), M("3312.00"), M("552.00"), M("6688.00"))
    assert rows[9] == (M("0"), M("100.00"), M("3312.00"), M("652.00"), M("6588.00"))
    assert rows[12][-1] == statement.available
    assert funds.available(toy_fund.pk, 2025) == M("6588.00")
    assert funds.uncommitted_in_run(run.pk) == {(toy_fund.pk, 2025): M("100.00")}


def test_check_spending_refuses_a_run_beyond_what_is_available(grant, toy_fund, pl_centre):
    funds.check_spending(pl_centre.pk, {(toy_fund.pk, 2025): M("6688.00")})
    with pytest.raises(BudgetExceeded) as refused:
        funds.check_spending(pl_centre.pk, {(toy_fund.pk, 2025): M("6688.01")})
    assert refused.value.missing == M("0.01")


def test_a_currency_mismatch_between_decision_and_fund_is_refused_at_approval(
    case, interview, mother, pl_worker, pl_teamlead, toy_fund
):
    Fund.objects.filter(pk=toy_fund.pk).update(currency="EUR")  # set behind the services' back
    proposal = propose(pl_worker, case, mother)
    with pytest.raises(Conflict) as refused:
        services.approve_decision(pl_teamlead, proposal.pk, on=ON)
    assert refused.value.code == "currency_mismatch"
    assert commitments() == []


def test_a_grant_on_a_closed_fund_is_refused_with_nothing_written(
    case, interview, mother, pl_worker, pl_teamlead, toy_fund
):
    Fund.objects.filter(pk=toy_fund.pk).update(is_active=False)
    proposal = propose(pl_worker, case, mother)
    before = state_of_db()
    with translation.override("en"), pytest.raises(FundNotOpen) as refused:
        services.approve_decision(pl_teamlead, proposal.pk, on=ON)
    assert refused.value.code == "fund_not_open"
    assert str(refused.value.message).startswith(f"The fund “{toy_fund.name}” is closed.")
    assert state_of_db() == before
    assert Decision.objects.get(pk=proposal.pk).status == "proposed"


def test_a_grant_beyond_a_project_funds_period_is_refused_and_one_within_it_commits(
    case, interview, mother, pl_worker, pl_teamlead, toy_fund
):
    # The project runs March to June 2025: a grant to August reaches past it.
    Fund.objects.filter(pk=toy_fund.pk).update(valid_from=MARCH, valid_until=dt.date(2025, 7, 1))
    proposal = propose(pl_worker, case, mother)
    before = state_of_db()
    with translation.override("en"), pytest.raises(FundNotOpen) as refused:
        services.approve_decision(pl_teamlead, proposal.pk, on=ON)
    assert refused.value.month == AUGUST
    assert "does not pay for August 2025" in str(refused.value.message)
    assert state_of_db() == before

    Fund.objects.filter(pk=toy_fund.pk).update(valid_until=dt.date(2025, 9, 1))  # the project extended
    approved = services.approve_decision(pl_teamlead, proposal.pk, on=ON)
    assert approved.status == "approved"
    assert commitments() == [(proposal.pk, 2025, month(3), month(8), M("552.00"), M("3312.00"))]


def test_the_web_approval_answers_409_with_the_reason_and_approves_nothing(
    client, case, recent_interview, mother, pl_worker, pl_teamlead, tight_fund
):
    from django.urls import reverse

    proposal = propose(pl_worker, case, mother)
    client.force_login(pl_teamlead)
    before = state_of_db()[:3] + state_of_db()[4:]  # the page itself audits the read

    response = client.post(reverse("web:benefit_decision_approve", args=[proposal.pk]), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 409
    assert "has too little for 2025: PLN\xa0312.00 is missing" in response.content.decode()
    assert state_of_db()[:3] + state_of_db()[4:] == before


def test_the_year_change_task_renews_open_ended_grants_of_every_centre(
    case, interview, mother, pl_worker, pl_teamlead, pl_finance, toy_fund, pl_centre, md_centre
):
    from socius.payments.tasks_funds import renew_commitments_task

    services.approve_decision(pl_teamlead, propose(pl_worker, case, mother, period_to=None).pk, on=ON)
    assert renew_commitments_task(2026) == {
        "committed": {md_centre.pk: 0},
        "refused": {
            pl_centre.pk: "The fund “Zadania własne” has too little for 2026: PLN\xa06,624.00 is missing. "
            "The director or a finance officer can amend the fund's allocation."
        },
    }
    allocation(toy_fund, 2026, "7000.00", pl_finance)
    assert renew_commitments_task(2026, pl_centre.pk) == {"committed": {pl_centre.pk: 1}, "refused": {}}


def test_changing_a_funds_debtor_account_is_audited_with_before_and_after(fund, pl_director, pl_worker):
    with pytest.raises(Forbidden):
        funds.update_fund(pl_worker, fund.pk, {"debtor_iban": "PL61109010140000071219812874"})
    with pytest.raises(ValidationFailed) as refused:
        funds.update_fund(pl_director, fund.pk, {"debtor_iban": "PL61 0000", "name": ""})
    assert set(refused.value.errors) == {"debtor_iban", "name"}

    funds.update_fund(pl_director, fund.pk, {"debtor_iban": "PL61 1090 1014 0000 0712 1981 2874", "is_active": False})
    funds.update_fund(pl_director, fund.pk, {"is_active": False})  # nothing changes: nothing audited

    fund.refresh_from_db()
    assert (fund.debtor_iban, fund.is_active) == ("PL61109010140000071219812874", False)
    assert list(AuditEvent.objects.filter(object_type="fund").values_list("action", "changes")) == [
        (
            "update",
            {
                "debtor_iban": ["PL27114020040000300201355387", "PL61109010140000071219812874"],
                "is_active": [True, False],
            },
        )
    ]
