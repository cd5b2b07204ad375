"""Batch evaluation (`evaluate_values`): the same figures, reasons and trace values as `evaluate`, with a
shape that changes exactly when the full trace's shape (everything but the values) changes."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socius.rulebook.engine import benefits
from socius.rulebook.engine.benefits import Facts, IncomeRecord, Member, evaluate, evaluate_values, facts_from_dict
from socius.rulebook.tests.test_benefit_situations import _situations

D = dt.date


def full_shape(outcome: benefits.Outcome) -> tuple:
    """Everything of a full trace but its values."""
    return (
        outcome.benefit,
        outcome.version,
        outcome.rules_version,
        tuple(
            (s.code, s.label, s.unit, s.parameter, s.valid_from, s.legal_basis, s.source, s.confirmed)
            for s in outcome.trace
        ),
    )


def assert_same(code: str, facts: Facts) -> benefits.ValuesOutcome:
    outcome = evaluate(code, facts)
    values = evaluate_values(code, facts)
    assert (values.benefit, values.version, values.rules_version) == (
        outcome.benefit,
        outcome.version,
        outcome.rules_version,
    )
    assert (values.eligible, values.amount, values.minimum, values.maximum) == (
        outcome.eligible,
        outcome.amount,
        outcome.minimum,
        outcome.maximum,
    )
    assert values.reasons == tuple(reason.code for reason in outcome.reasons)
    assert values.trace_values == outcome.trace_values
    assert len(values.shape) == len(outcome.trace)
    return values


@pytest.mark.parametrize("situation", list(_situations()))
def test_every_situation_gives_the_same_outcome_in_batch(situation):
    assert_same(situation["benefit"], facts_from_dict(situation["facts"]))


def test_equal_batch_shapes_are_equal_full_shapes_across_all_situations():
    by_shape: dict[tuple, tuple] = {}
    by_full: dict[tuple, tuple] = {}
    for param in _situations():
        situation = param.values[0]
        code, facts = situation["benefit"], facts_from_dict(situation["facts"])
        batch = evaluate_values(code, facts)
        key = (batch.benefit, batch.version, batch.rules_version, batch.shape)
        full = full_shape(evaluate(code, facts))
        assert by_shape.setdefault(key, full) == full  # one batch shape, one full shape
        by_full.setdefault(full, key)
    assert len(by_full) > 20  # the situations cover many shapes, so the check above means something


PERIODS = [D(2023, 1, 1), D(2024, 6, 1), D(2025, 1, 1), D(2025, 11, 1), D(2026, 11, 1)]
KINDS = ["employment", "pension", "alimony", "unemployment_benefit", "family_benefit", "self_employment"]
money = st.integers(min_value=0, max_value=600_000).map(lambda cents: Decimal(cents) / 100)


@st.composite
def households(draw):
    period = draw(st.sampled_from(PERIODS))
    months = benefits.months_before(period, 3)
    members = []
    for index in range(draw(st.integers(min_value=1, max_value=5))):
        age = draw(st.integers(min_value=0, max_value=90))
        incomes = tuple(
            IncomeRecord(kind=draw(st.sampled_from(KINDS)), amount=draw(money), month=draw(st.sampled_from(months)))
            for _ in range(draw(st.integers(min_value=0, max_value=4)))
        )
        members.append(
            Member(
                role="applicant" if index == 0 else draw(st.sampled_from(["spouse", "child", "parent", "other"])),
                birth_date=D(period.year - age, draw(st.integers(1, 12)), 15),
                incomes=incomes,
                unemployed=draw(st.booleans()),
                disabled=draw(st.booleans()),
                unable_to_work=draw(st.booleans()),
                benefit_months_received=draw(st.integers(min_value=0, max_value=14)),
                flags=frozenset(draw(st.sets(st.sampled_from(["works", "studying", "receives_pension"]), max_size=1))),
            )
        )
    return Facts(period=period, members=tuple(members), application_on=period)


@settings(max_examples=150, deadline=None)
@given(
    code=st.sampled_from(["pl.periodic_allowance", "pl.permanent_allowance", "md.social_aid", "lt.social_benefit"]),
    facts=households(),
)
def test_random_households_give_the_same_outcome_in_batch(code, facts):
    assert_same(code, facts)


def test_same_shape_for_different_values_and_a_new_shape_when_a_parameter_changes():
    def single(income: str, period: dt.date) -> Facts:
        member = Member(role="applicant", income=Decimal(income))
        return Facts(period=period, members=(member,), application_on=period)

    code = "pl.periodic_allowance"
    a = evaluate_values(code, single("100.00", D(2025, 3, 1)))
    b = evaluate_values(code, single("250.00", D(2025, 3, 1)))
    c = evaluate_values(code, single("100.00", D(2025, 1, 1)))  # the criterion changed on 2025-01-01
    before = evaluate_values(code, single("100.00", D(2024, 12, 1)))

    assert a.shape == b.shape and a.values != b.values
    assert a.shape == c.shape
    assert before.shape != a.shape  # another criterion value: another effective date in the shape
    assert a.trace_values == evaluate(code, single("100.00", D(2025, 3, 1))).trace_values
