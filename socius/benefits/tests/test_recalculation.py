"""Recalculation: a change of the criterion or of a household's income proposes amendments of the active
grants it changes (never recomputing the old decisions in place), listed old against new, approved in bulk by
another person with gapless numbers; refusals leave everything as it was."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from socius.accounts.models import AuditEvent
from socius.benefits import recalculation, services
from socius.benefits.batch import Compactor, evaluate_many, expanded_trace, facts_for_applications, save_templates
from socius.benefits.models import (
    Decision,
    DecisionCounter,
    DecisionEvent,
    IncomeDeclaration,
    RecalculationItem,
    RecalculationRun,
)
from socius.benefits.selectors import facts_for_application
from socius.benefits.tests.conftest import APPLIED, FEBRUARY, MARCH, PL_IBAN
from socius.common.errors import Conflict, Forbidden, ValidationFailed
from socius.rulebook.engine import benefits as engine
from socius.rulebook.engine.benefits import Facts, Result, Trace, months_before, sum_incomes

ON = dt.date(2025, 3, 5)
APRIL = dt.date(2025, 4, 1)
MAY = dt.date(2025, 5, 1)
JUNE = dt.date(2025, 6, 1)  # the toy criterion goes from 776.00 to 800.00 a person
DECEMBER = dt.date(2025, 12, 1)


def toy_allowance(facts: Facts, t: Trace) -> Result:
    """The toy allowance with the PL reference month: the month before the application (art. 8 ust. 3)."""
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
def grant(case, recent_interview, mother, pl_worker, pl_teamlead):
    """552.00 a month from March to December (2 × 776.00 − 1000.00 of February), approved as 1/2025; the case's
    interview was completed a week ago, current for the recalculation's proposals made today."""
    application = services.file_application(
        pl_worker,
        case.pk,
        {"benefit": "pl.toy_allowance", "applied_on": APPLIED, "period_from": MARCH, "period_to": DECEMBER},
    )
    services.declare_incomes(
        pl_worker,
        application.pk,
        [{"person": mother.pk, "month": FEBRUARY, "kind": "employment", "amount": "1000.00"}],
    )
    proposal = services.propose_decision(
        pl_worker, application.pk, {"payment_method": "bank_transfer", "iban": PL_IBAN}, on=ON
    )
    return services.approve_decision(pl_teamlead, proposal.pk, on=dt.date(2025, 3, 6))


def start_and_run(actor, month, django_capture_on_commit_callbacks, **data) -> RecalculationRun:
    with django_capture_on_commit_callbacks(execute=True):
        run = recalculation.start_recalculation(actor, {"month": month, **data})
    run.refresh_from_db()
    return run


def stored(decision: Decision) -> tuple:
    decision.refresh_from_db()
    return (
        decision.status,
        decision.amount,
        decision.facts,
        decision.parameters,
        decision.trace,
        decision.reference,
        decision.period_from,
        decision.period_to,
    )


def state_of_db() -> tuple:
    return (
        list(Decision.objects.order_by("id").values_list("id", "status", "state", "number", "approved_by")),
        DecisionEvent.objects.count(),
        list(DecisionCounter.objects.values_list("centre_id", "year", "last_number")),
        AuditEvent.objects.count(),
        list(RecalculationRun.objects.values_list("id", "status", "approved")),
        RecalculationItem.objects.count(),
    )


def test_a_new_criterion_proposes_an_amendment_listed_old_against_new(
    grant, pl_teamlead, mother, son, django_capture_on_commit_callbacks
):
    before = stored(grant)

    run = start_and_run(pl_teamlead, JUNE, django_capture_on_commit_callbacks, benefit="pl.toy_allowance")

    assert (run.status, run.total, run.done, run.proposed, run.unchanged, run.skipped, run.percent) == (
        "done",
        1,
        1,
        1,
        0,
        0,
        100,
    )
    item = run.items.get()
    assert (item.decision_id, item.old_amount, item.new_amount, item.difference, item.reasons) == (
        grant.pk,
        Decimal("552.00"),
        Decimal("600.00"),  # 2 × 800.00 − 1000.00: the grant was at its maximum, so is the amendment
        Decimal("48.00"),
        ["law"],
    )
    proposal = item.proposal
    assert (proposal.kind, proposal.status, proposal.changes_id, proposal.period_from, proposal.period_to) == (
        "amendment",
        "proposed",
        grant.pk,
        JUNE,
        DECEMBER,
    )
    assert (proposal.proposed_by_id, proposal.payment_method, proposal.iban) == (
        pl_teamlead.pk,
        "bank_transfer",
        PL_IBAN,
    )
    assert proposal.parameters == {
        "toy/criterion": {"value": "800.00", "valid_from": "2025-06-01", "source": "Dz.U. 2025 próba"}
    }
    assert [(s["code"], s["value"]) for s in proposal.trace] == [
        ("criterion", "800.00"),
        ("income", "1000.00"),
        ("amount", "600.00"),
    ]
    assert proposal.facts["period"] == "2025-06" and proposal.member_ids == [mother.pk, son.pk]
    assert "2025-06" in proposal.justification.splitlines()[0]  # the heading, in the centre's language (pl)
    assert list(proposal.events.values_list("kind", flat=True)) == ["proposed"]
    assert (
        AuditEvent.objects.filter(object_type="benefit_decision", object_id=proposal.pk, action="create").count() == 1
    )
    # The old decision is never recomputed in place.
    assert stored(grant) == before and grant.state == "active"


def test_bulk_approval_numbers_without_gaps_and_supersedes_the_grants(
    grant, pl_teamlead, pl_director, django_capture_on_commit_callbacks
):
    run = start_and_run(pl_teamlead, JUNE, django_capture_on_commit_callbacks)
    before = stored(grant)

    result = recalculation.approve_recalculation(pl_director, run.pk, on=dt.date(2025, 5, 20))

    assert result == {"approved": 1, "left_out": 0}
    proposal = run.items.get().proposal
    proposal.refresh_from_db()
    assert (proposal.status, proposal.reference, proposal.number, proposal.state, proposal.approved_by_id) == (
        "approved",
        "2/2025",  # the grant was 1/2025
        2,
        "active",
        pl_director.pk,
    )
    grant.refresh_from_db()
    assert grant.state == "superseded"
    assert stored(grant) == before  # only its state moved
    assert DecisionCounter.objects.get(year=2025).last_number == 2
    assert list(grant.events.values_list("kind", flat=True)) == ["proposed", "approved", "state_changed"]
    run.refresh_from_db()
    assert run.approved == 1
    # Again: nothing left to approve, nothing numbered.
    assert recalculation.approve_recalculation(pl_director, run.pk) == {"approved": 0, "left_out": 1}
    assert DecisionCounter.objects.get(year=2025).last_number == 2


def test_nobody_approves_their_own_recalculation_and_nothing_changes(
    grant, pl_teamlead, django_capture_on_commit_callbacks
):
    run = start_and_run(pl_teamlead, JUNE, django_capture_on_commit_callbacks)
    before = state_of_db()

    with pytest.raises(services.FourEyes):
        recalculation.approve_recalculation(pl_teamlead, run.pk)

    assert state_of_db() == before


def test_a_worker_cannot_start_or_approve_a_recalculation_and_nothing_changes(
    grant, pl_worker, pl_teamlead, django_capture_on_commit_callbacks
):
    run = start_and_run(pl_teamlead, JUNE, django_capture_on_commit_callbacks)
    before = state_of_db()

    with pytest.raises(Forbidden):
        recalculation.start_recalculation(pl_worker, {"month": JUNE})
    with pytest.raises(Forbidden):
        recalculation.approve_recalculation(pl_worker, run.pk)

    assert state_of_db() == before


def test_a_grant_whose_amount_does_not_change_gets_no_proposal(grant, pl_teamlead, django_capture_on_commit_callbacks):
    before = stored(grant)

    run = start_and_run(pl_teamlead, APRIL, django_capture_on_commit_callbacks)

    assert (run.status, run.total, run.proposed, run.unchanged) == ("done", 1, 0, 1)
    assert not run.items.exists()
    assert Decision.objects.filter(changes=grant).count() == 0
    assert stored(grant) == before


def test_a_reported_change_of_income_is_counted_from_the_next_month(
    grant, pl_worker, pl_teamlead, mother, django_capture_on_commit_callbacks
):
    recalculation.report_income_change(
        pl_worker,
        grant.application_id,
        [{"person": mother.pk, "month": APRIL, "kind": "employment", "amount": "1200.00"}],
    )

    run = start_and_run(pl_teamlead, MAY, django_capture_on_commit_callbacks)

    item = run.items.get()
    assert (item.old_amount, item.new_amount, item.reasons) == (Decimal("552.00"), Decimal("352.00"), ["income"])
    assert item.proposal.facts["application_on"] == "2025-05-01"  # April is the reference month now


def test_a_household_no_longer_entitled_gets_a_proposal_to_revoke(
    grant, pl_worker, pl_teamlead, mother, django_capture_on_commit_callbacks
):
    recalculation.report_income_change(
        pl_worker,
        grant.application_id,
        [{"person": mother.pk, "month": APRIL, "kind": "employment", "amount": "2000.00"}],
    )

    run = start_and_run(pl_teamlead, MAY, django_capture_on_commit_callbacks)

    item = run.items.get()
    assert (item.new_amount, item.proposal.kind, item.proposal.eligible, item.proposal.reasons) == (
        Decimal("0.00"),
        "revocation",
        False,
        [{"code": "income_not_below_criterion", "params": {}}],
    )


def test_a_grant_with_a_change_waiting_is_skipped(grant, pl_worker, pl_teamlead, django_capture_on_commit_callbacks):
    services.propose_suspension(pl_worker, grant.pk, {"from_month": MAY, "justification": "Abroad."})

    run = start_and_run(pl_teamlead, JUNE, django_capture_on_commit_callbacks)

    assert (run.proposed, run.skipped) == (0, 1)
    item = run.items.get()
    assert (item.skipped, item.proposal, item.new_amount) == ("change_pending", None, None)


@pytest.mark.parametrize(
    ("completed", "skipped"), [(dt.date(2025, 2, 20), "interview_outdated"), (None, "interview_missing")]
)
def test_a_grant_whose_case_has_no_current_interview_is_skipped(
    grant, recent_interview, pl_teamlead, completed, skipped, django_capture_on_commit_callbacks
):
    if completed is None:
        recent_interview.delete()
    else:
        type(recent_interview).objects.filter(pk=recent_interview.pk).update(completed_on=completed)

    run = start_and_run(pl_teamlead, JUNE, django_capture_on_commit_callbacks)

    assert (run.status, run.proposed, run.skipped) == ("done", 0, 1)
    item = run.items.get()
    assert (item.decision_id, item.skipped, item.proposal, item.new_amount) == (grant.pk, skipped, None, None)
    assert Decision.objects.filter(changes=grant).count() == 0


def test_a_second_run_waits_for_the_first_and_bad_input_is_refused(grant, pl_teamlead, pl_director):
    recalculation.start_recalculation(pl_teamlead, {"month": JUNE})  # queued: the job starts on commit
    before = state_of_db()

    with pytest.raises(Conflict):
        recalculation.start_recalculation(pl_director, {"month": JUNE})
    with pytest.raises(ValidationFailed) as refused:
        recalculation.start_recalculation(pl_director, {"month": "2025-06", "benefit": "md.social_aid"})

    assert set(refused.value.errors) == {"month", "benefit"}
    assert state_of_db() == before


def test_bulk_facts_are_the_facts_of_one_application(grant, mother, son):
    application = grant.application
    for month in (MARCH, JUNE):
        one = facts_for_application(application, month)
        many = facts_for_applications([application], month, follow_income_changes=False)[application.pk]
        assert many == one


def test_compact_outcomes_expand_to_the_stored_trace(grant):
    facts, _ids = facts_for_applications([grant.application], JUNE)[grant.application_id]
    outcomes, shapes = evaluate_many([("pl.toy_allowance", facts), ("pl.toy_allowance", facts)])
    templates = save_templates(shapes)

    assert len(templates) == 1 and outcomes[0] == outcomes[1]
    template = type(grant)._meta.apps.get_model("benefits", "TraceTemplate").objects.get()
    assert expanded_trace(template, outcomes[0].values) == services.stored_trace(
        engine.evaluate("pl.toy_allowance", facts)
    )
    assert Compactor()(engine.evaluate("pl.toy_allowance", facts)).template_key == outcomes[0].template_key
    assert not IncomeDeclaration.objects.filter(month__gt=FEBRUARY).exists()


def test_after_a_loss_of_income_the_application_month_is_not_a_reported_change(grant):
    application = grant.application
    application.income_lost = True
    IncomeDeclaration.objects.create(
        application=application, person_id=grant.applicant_id, month=MARCH, kind="employment", amount="300.00"
    )
    facts, _ids = facts_for_applications([application], JUNE)[application.pk]
    assert (facts.application_on, facts.income_lost) == (APPLIED, True)

    IncomeDeclaration.objects.create(
        application=application, person_id=grant.applicant_id, month=APRIL, kind="employment", amount="500.00"
    )
    facts, _ids = facts_for_applications([application], JUNE)[application.pk]
    assert (facts.application_on, facts.income_lost) == (MAY, False)  # April reported: the reference month
