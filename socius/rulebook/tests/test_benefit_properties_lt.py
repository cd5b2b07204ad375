"""Lithuania's benefits under random households: never negative, within their caps, blind to member order,
and never lower for a cent less income; plus the pack's own checks (not in force before the euro, members
named in refusals)."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socius.rulebook.engine.benefits import BenefitNotInForce, Facts, IncomeRecord, Member, evaluate
from socius.rulebook.engine.jurisdiction import get_jurisdiction

LT = get_jurisdiction("LT")
CENT = Decimal("0.01")
PERIODS = [dt.date(year, month, 1) for year in range(2015, 2027) for month in (1, 5, 6, 12)]
KINDS = ["employment", "self_employment", "pension", "unemployment_benefit", "family_benefit", "other"]

money = st.integers(min_value=0, max_value=150_000).map(lambda cents: Decimal(cents) / 100)


@st.composite
def members(draw, role: str):
    # A child's age decides the activity condition (16+) and the disregard (under 18); an adult may omit it.
    age = draw(st.integers(min_value=0, max_value=20) if role == "child" else st.integers(min_value=18, max_value=80))
    birth = dt.date(2025 - age, 6, 1) if role == "child" or draw(st.booleans()) else None
    typed = draw(st.booleans())
    incomes = ()
    income = None
    if typed:
        incomes = tuple(
            IncomeRecord(
                kind=draw(st.sampled_from(KINDS)),
                amount=draw(money),
                month=draw(st.sampled_from([None, *PERIODS])),
            )
            for _ in range(draw(st.integers(min_value=1, max_value=3)))
        )
    else:
        income = draw(money)
    return Member(
        role=role,
        birth_date=birth,
        income=income,
        incomes=incomes,
        unemployed=draw(st.booleans()) or draw(st.booleans()),
        flags=frozenset(draw(st.sets(st.sampled_from(["works", "studying", "caring_for_child"]), max_size=1))),
        benefit_months_received=draw(st.integers(min_value=0, max_value=30)),
    )


@st.composite
def households(draw):
    roles = ["applicant", *draw(st.lists(st.sampled_from(["spouse", "child", "parent"]), max_size=4))]
    period = draw(st.sampled_from(PERIODS))
    return Facts(
        period=period,
        members=tuple(draw(members(role)) for role in roles),
        income_lost=draw(st.booleans()),
        amounts=(
            ("drinking_water_cost", draw(money)),
            ("heated_area_m2", Decimal(draw(st.integers(min_value=20, max_value=150)))),
            ("heating_cost", draw(money)),
            ("hot_water_cost", draw(money)),
        ),
    )


BENEFITS = ["lt.social_benefit", "lt.heating_compensation", "lt.water_compensation"]
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None)


@PROPERTY_SETTINGS
@given(facts=households(), benefit=st.sampled_from(BENEFITS))
def test_amounts_are_never_negative_and_zero_when_refused(facts, benefit):
    outcome = evaluate(benefit, facts)
    assert outcome.amount >= 0
    # Refused means nothing paid; entitled means something paid (no LT benefit is granted at zero).
    assert outcome.eligible == (outcome.amount > 0)


def _vrp(period):
    return Decimal(LT.parameter("social_assistance/vrp", period))


@PROPERTY_SETTINGS
@given(facts=households())
def test_the_social_benefit_never_exceeds_what_a_household_without_income_gets(facts):
    outcome = evaluate("lt.social_benefit", facts)
    vrp = _vrp(facts.period)
    n = len(facts.members)
    if n == 1:
        cap = vrp * Decimal(
            LT.parameter("social_assistance/social_benefit/single_person/coefficient_months_1_6", facts.period)
        )
    else:
        base = vrp * Decimal(LT.parameter("social_assistance/social_benefit/family_share/base_multiple", facts.period))
        second = Decimal(LT.parameter("social_assistance/social_benefit/family_share/second_member", facts.period))
        further = Decimal(LT.parameter("social_assistance/social_benefit/family_share/further_members", facts.period))
        cap = base * (1 + second + further * (n - 2)) + CENT * n  # each share rounds by at most half a cent
    assert outcome.amount <= cap


@PROPERTY_SETTINGS
@given(facts=households())
def test_compensations_never_exceed_the_costs(facts):
    heating = evaluate("lt.heating_compensation", facts)
    water = evaluate("lt.water_compensation", facts)
    assert heating.amount <= facts.amount("heating_cost")
    assert water.amount <= facts.amount("drinking_water_cost") + facts.amount("hot_water_cost")


@PROPERTY_SETTINGS
@given(facts=households(), benefit=st.sampled_from(BENEFITS), data=st.data())
def test_the_outcome_does_not_depend_on_the_order_of_members(facts, benefit, data):
    shuffled = data.draw(st.permutations(facts.members))
    again = Facts(period=facts.period, members=tuple(shuffled), income_lost=facts.income_lost, amounts=facts.amounts)
    first, second = evaluate(benefit, facts), evaluate(benefit, again)
    assert (first.eligible, first.amount) == (second.eligible, second.amount)
    assert sorted(reason.code for reason in first.reasons) == sorted(reason.code for reason in second.reasons)


def _one_cent_less(member: Member, record_index: int | None) -> Member:
    if record_index is None:
        return replace(member, income=max(member.income - CENT, Decimal("0")))
    records = list(member.incomes)
    records[record_index] = replace(
        records[record_index], amount=max(records[record_index].amount - CENT, Decimal("0"))
    )
    return replace(member, incomes=tuple(records))


@PROPERTY_SETTINGS
@given(facts=households(), benefit=st.sampled_from(BENEFITS), data=st.data())
def test_one_cent_less_income_never_lowers_the_amount(facts, benefit, data):
    index = data.draw(st.integers(min_value=0, max_value=len(facts.members) - 1))
    member = facts.members[index]
    record_index = None if not member.incomes else data.draw(st.integers(0, len(member.incomes) - 1))
    poorer = list(facts.members)
    poorer[index] = _one_cent_less(member, record_index)
    less = Facts(period=facts.period, members=tuple(poorer), income_lost=facts.income_lost, amounts=facts.amounts)
    before, after = evaluate(benefit, facts), evaluate(benefit, less)
    assert after.amount >= before.amount
    assert after.eligible or not before.eligible


# The pack's own rules -------------------------------------------------------------------------------


def test_no_lt_benefit_is_in_force_before_the_euro():
    facts = Facts(
        period=dt.date(2014, 12, 1), members=(Member(role="applicant", income=Decimal("0"), unemployed=True),)
    )
    with pytest.raises(BenefitNotInForce):
        evaluate("lt.social_benefit", facts)


def test_a_refusal_names_each_member_who_meets_no_activity_condition_in_every_language():
    facts = Facts(
        period=dt.date(2024, 3, 1),
        members=(
            Member(role="applicant", income=Decimal("0")),
            Member(role="spouse", income=Decimal("0"), unemployed=True),
            Member(role="parent", income=Decimal("0")),
        ),
    )
    outcome = evaluate("lt.social_benefit", facts)

    assert not outcome.eligible
    reasons = outcome.as_dict("en")["reasons"]
    assert [reason["code"] for reason in reasons] == ["activity_condition_not_met", "activity_condition_not_met"]
    assert reasons[0]["label"].startswith("Member no. 1 meets none")
    assert reasons[1]["label"].startswith("Member no. 3 meets none")
    assert reasons[1]["statutory_label"].startswith("Bendrai gyvenantis asmuo Nr. 3 neatitinka")
    assert outcome.as_dict("pl")["reasons"][0]["label"].startswith("Osoba nr 1 nie spełnia")


def test_every_unconfirmed_value_is_marked_in_the_trace():
    facts = Facts(period=dt.date(2025, 3, 1), members=(Member(role="applicant", income=Decimal("0"), unemployed=True),))
    trace = {step["code"]: step for step in evaluate("lt.social_benefit", facts).as_dict("en")["trace"]}

    assert trace["vrp"]["value"] == "221.00"
    assert trace["vrp"]["confirmed"] is False
    assert trace["vrp"]["valid_from"] == "2025-01-01"
    assert trace["single_coefficient"]["parameter"] == (
        "social_assistance/social_benefit/single_person/coefficient_months_1_6"
    )


def test_the_pack_states_its_rules_version():
    assert (
        evaluate(
            "lt.social_benefit",
            Facts(
                period=dt.date(2026, 1, 1), members=(Member(role="applicant", income=Decimal("0"), unemployed=True),)
            ),
        ).rules_version
        == LT.rules_version
        == "lt-2026.12.1"
    )
