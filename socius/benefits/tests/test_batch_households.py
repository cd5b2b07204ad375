"""Registry households evaluated in ranges (batch.households): the facts of one query equal those of the
one-application service, the stored outcome expands to the service's trace, a batch outcome that differs
from the full one stops the range, and rules that cannot be applied are counted, not raised."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from socius.benefits import services
from socius.benefits.batch import expanded_trace, facts_for_households, save_templates
from socius.benefits.batch.households import (
    ShapeMismatch,
    ValuesCompactor,
    copy_results,
    evaluate_range,
    household_facts,
)
from socius.benefits.models_recalculation import EvaluationResult
from socius.benefits.selectors import facts_for_application
from socius.rulebook.engine import benefits as engine
from socius.rulebook.engine.benefits import Facts, IncomeRecord, Member, Result, Trace
from socius.testing.factories import MembershipFactory, PersonFactory

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only (array_agg, COPY)")

MONTH = dt.date(2025, 3, 1)
JANUARY, FEBRUARY = dt.date(2025, 1, 1), dt.date(2025, 2, 1)


@pytest.fixture
def lodger_and_newcomer(pl_centre, household):
    """A lodger who left before March and a grandmother who came after its first day: neither counts."""
    lodger = PersonFactory(centre=pl_centre, birth_date=dt.date(1990, 1, 1), employment_status="employed")
    MembershipFactory(
        household=household,
        person=lodger,
        relationship="other",
        valid_from=dt.date(2021, 1, 1),
        valid_until=dt.date(2025, 2, 15),
    )
    grandmother = PersonFactory(centre=pl_centre, birth_date=dt.date(1950, 1, 1), employment_status="pensioner")
    MembershipFactory(household=household, person=grandmother, relationship="parent", valid_from=dt.date(2025, 3, 2))
    return lodger, grandmother


@pytest.fixture
def application(case, mother, son, pl_worker, lodger_and_newcomer):
    """The mother's application for March, filed on its first day, with February's and January's incomes."""
    application = services.file_application(
        pl_worker, case.pk, {"benefit": "pl.periodic_allowance", "applied_on": MONTH, "period_from": MONTH}
    )
    services.declare_incomes(
        pl_worker,
        application.pk,
        [
            {"person": mother.pk, "month": FEBRUARY, "kind": "employment", "amount": "600.00"},
            {"person": mother.pk, "month": FEBRUARY, "kind": "alimony", "amount": "150.50"},
            {"person": mother.pk, "month": JANUARY, "kind": "employment", "amount": "2900.00"},
            {"person": son.pk, "month": FEBRUARY, "kind": "family_benefit", "amount": "800.00"},
        ],
    )
    return application


def incomes_of(application) -> str:
    return (
        "(SELECT person_id, month, kind, amount FROM benefits_incomedeclaration "
        f"WHERE application_id = {int(application.pk)})"
    )


@postgres_only
def test_one_query_gives_the_facts_of_the_one_application_service(application, household, pl_centre):
    [(household_id, facts)] = household_facts(
        pl_centre.pk, household.pk, household.pk + 1, MONTH, incomes_sql=incomes_of(application)
    )
    service, _ids = facts_for_application(application)

    assert household_id == household.pk
    assert facts.period == service.period and facts.application_on == service.application_on
    # The declarations store deductions as 0.00: the same facts up to that zero's exponent.
    assert [
        (m.role, m.birth_date, m.unemployed, m.disabled, m.unable_to_work, m.flags, m.benefit_months_received)
        for m in facts.members
    ] == [
        (m.role, m.birth_date, m.unemployed, m.disabled, m.unable_to_work, m.flags, m.benefit_months_received)
        for m in service.members
    ]
    assert [sorted((r.kind, r.amount, r.month) for r in m.incomes) for m in facts.members] == [
        sorted((r.kind, r.amount, r.month) for r in m.incomes) for m in service.members
    ]
    assert engine.evaluate("pl.periodic_allowance", facts) == engine.evaluate("pl.periodic_allowance", service)


@postgres_only
def test_the_one_query_facts_equal_the_facts_of_several_queries(application, household, pl_centre, mother, son):
    incomes = {
        mother.pk: (
            IncomeRecord(kind="alimony", amount=Decimal("150.50"), month=FEBRUARY),
            IncomeRecord(kind="employment", amount=Decimal("2900.00"), month=JANUARY),
            IncomeRecord(kind="employment", amount=Decimal("600.00"), month=FEBRUARY),
        ),
        son.pk: (IncomeRecord(kind="family_benefit", amount=Decimal("800.00"), month=FEBRUARY),),
    }
    flags = lambda person: ("works",) if person.employment_status == "employed" else ()  # noqa: E731
    many = facts_for_households(pl_centre.pk, range(household.pk, household.pk + 1), MONTH, incomes, member_flags=flags)

    one = household_facts(
        pl_centre.pk, household.pk, household.pk + 1, MONTH, incomes_sql=incomes_of(application), member_flags=flags
    )

    def by_month(facts: Facts) -> Facts:  # the one query orders each member's incomes by month, kind, amount
        members = tuple(
            Member(**{**m.__dict__, "incomes": tuple(sorted(m.incomes, key=lambda r: (r.month, r.kind, r.amount)))})
            for m in facts.members
        )
        return Facts(period=facts.period, members=members, application_on=facts.application_on)

    assert [(h, by_month(f)) for h, f in one] == [(household.pk, by_month(many[household.pk][0]))]


@postgres_only
def test_stored_results_expand_to_the_trace_the_service_stores(application, household, pl_centre):
    facts = household_facts(pl_centre.pk, household.pk, household.pk + 1, MONTH, incomes_sql=incomes_of(application))
    compactor = ValuesCompactor()
    counted, evaluated = evaluate_range(pl_centre.pk, "pl.periodic_allowance", facts, compactor)
    templates = save_templates(compactor.shapes)

    written = copy_results(pl_centre.pk, "pl.periodic_allowance", MONTH, evaluated, templates, at=timezone.now())

    service = engine.evaluate("pl.periodic_allowance", facts_for_application(application)[0])
    stored = EvaluationResult.objects.select_related("template").get()
    assert written == 1 and (counted.households, counted.eligible, counted.errors) == (1, 1, [])
    assert (stored.household_id, stored.eligible, stored.amount, stored.minimum, stored.maximum, stored.reasons) == (
        household.pk,
        service.eligible,
        service.amount,
        service.minimum,
        service.maximum,
        [],
    )
    # 2 × 823.00 − February's 600.00 + 150.50 + 800.00 (January's 2,900.00 is outside the reference month)
    assert (service.eligible, service.amount, service.minimum) == (True, Decimal("95.50"), Decimal("47.75"))
    assert expanded_trace(stored.template, stored.trace_values) == services.stored_trace(service)


def escaping(facts: Facts, t: Trace) -> Result:
    t.value("criterion", 'a\\b\tc "d"\nżółw')
    return Result(amount=Decimal("1.00"))


@postgres_only
def test_backslashes_tabs_quotes_and_newlines_in_trace_values_survive_the_copy(
    household, mother, pl_centre, monkeypatch
):
    monkeypatch.setitem(engine._FORMULAS, "pl.toy_allowance", [(dt.date(2020, 1, 1), escaping)])
    facts = household_facts(pl_centre.pk, household.pk, household.pk + 1, MONTH)
    compactor = ValuesCompactor()
    _counted, evaluated = evaluate_range(pl_centre.pk, "pl.toy_allowance", facts, compactor)

    copy_results(
        pl_centre.pk, "pl.toy_allowance", MONTH, evaluated, save_templates(compactor.shapes), at=timezone.now()
    )

    assert EvaluationResult.objects.get().trace_values == ['a\\b\tc "d"\nżółw']


def two_faced(facts: Facts, t: Trace) -> Result:
    """A formula that reads the trace it is given: the batch and the full evaluation disagree."""
    amount = Decimal("2.00") if isinstance(t, engine.ValuesTrace) else Decimal("1.00")
    t.money("amount", amount)
    return Result(amount=amount)


def test_a_batch_outcome_that_differs_from_the_full_one_stops_the_range(monkeypatch):
    monkeypatch.setitem(engine._FORMULAS, "pl.toy_allowance", [(dt.date(2020, 1, 1), two_faced)])
    facts = [(1, Facts(period=MONTH, members=(Member(role="applicant"),)))]

    with pytest.raises(ShapeMismatch, match=r"2\.00"):
        evaluate_range(1, "pl.toy_allowance", facts, ValuesCompactor())


def test_rules_that_cannot_be_applied_are_counted_per_household_not_raised():
    facts = [
        (7, Facts(period=dt.date(2011, 1, 1), members=(Member(role="applicant"),))),  # before the formula's law
        (8, Facts(period=MONTH, members=(Member(role="applicant", income=Decimal("100.00")),))),
    ]

    counted, evaluated = evaluate_range(1, "pl.periodic_allowance", facts, ValuesCompactor())

    assert (counted.households, counted.eligible, len(evaluated)) == (2, 1, 1)
    assert [household for household, _error in counted.errors] == [7]
    assert "BenefitNotInForce" in counted.errors[0][1]


def test_a_household_deleted_through_the_orm_takes_its_results_and_a_used_template_is_protected(pl_centre):
    """The results' references are Django's (no database constraint): its cascade and protection still hold."""
    from django.db.models import ProtectedError

    from socius.benefits.models_recalculation import TraceTemplate
    from socius.testing.factories import HouseholdFactory

    gone, kept = HouseholdFactory(centre=pl_centre), HouseholdFactory(centre=pl_centre)
    template = TraceTemplate.objects.create(key="k", benefit="pl.toy_allowance", formula_version=MONTH, steps=[])
    for household in (gone, kept):
        EvaluationResult.objects.create(
            centre=pl_centre, household=household, benefit="pl.toy_allowance", period=MONTH, eligible=False,
            amount=Decimal("0.00"), template=template, trace_values=[],
        )  # fmt: skip

    gone.delete()

    assert list(EvaluationResult.objects.values_list("household_id", flat=True)) == [kept.pk]
    with pytest.raises(ProtectedError):
        template.delete()
    assert TraceTemplate.objects.filter(pk=template.pk).exists()
