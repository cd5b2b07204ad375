"""Properties of the MD benefits for any household: never negative, floors and caps hold, member order does not
matter, and one ban less income never lowers the amount."""

import dataclasses
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socius.rulebook.engine.benefits import BenefitNotInForce, Facts, IncomeRecord, Member, evaluate

BAN = Decimal("0.01")
FLOOR_FROM = dt.date(2012, 9, 1)  # the first month with the 25 lei minimum (social_aid/minimum_amount)
CUTS_FROM = dt.date(2022, 10, 1)  # HG 655/2022: cuts for long registered unemployment


def months(first: dt.date, last: dt.date):
    count = (last.year - first.year) * 12 + last.month - first.month
    return st.integers(0, count).map(
        lambda n: dt.date(first.year + (first.month - 1 + n) // 12, (first.month - 1 + n) % 12 + 1, 1)
    )


amounts = st.decimals(min_value=0, max_value=6000, places=2, allow_nan=False, allow_infinity=False)
category = st.sampled_from(["pension_age", "earning", "caring_for_child_under_3", "caring_for_family_member"])
left_out = st.sampled_from(["abroad", "in_custody", "conscript", "state_maintained"])

adults = st.builds(
    lambda year, income, flag, disabled, unemployed, away, months: Member(
        role="member",
        birth_date=dt.date(year, 6, 15),
        income=income,
        disabled=disabled,
        unemployed=unemployed,
        benefit_months_received=months,
        flags=frozenset({flag} | ({away} if away else set())),
    ),
    year=st.integers(1935, 1990),
    income=amounts,
    flag=category,
    disabled=st.booleans(),
    unemployed=st.booleans(),
    away=st.one_of(st.none(), left_out),
    months=st.integers(0, 14),
)
children = st.builds(
    lambda year, income, disabled: Member(
        role="child", birth_date=dt.date(year, 3, 1), income=income, disabled=disabled
    ),
    year=st.integers(2009, 2025),
    income=st.one_of(st.none(), amounts),
    disabled=st.booleans(),
)


@st.composite
def households(draw, first: dt.date, last: dt.date):
    period = draw(months(first, last))
    grown = draw(st.lists(adults, min_size=1, max_size=4))
    young = [child for child in draw(st.lists(children, max_size=4)) if child.birth_date < period]
    applicant = dataclasses.replace(
        grown[0], role="applicant", flags=grown[0].flags - {"abroad", "in_custody", "conscript", "state_maintained"}
    )
    members = [applicant, *grown[1:], *young]
    order = draw(st.permutations(members))
    return Facts(period=period, members=tuple(order))


def trace_value(outcome, code):
    for step in outcome.trace:
        if step.code == code:
            return step.value
    return None


def with_one_ban_less(facts: Facts, index: int) -> Facts:
    members = list(facts.members)
    member = members[index]
    members[index] = dataclasses.replace(member, income=member.income - BAN)
    return dataclasses.replace(facts, members=tuple(members))


SOCIAL = households(dt.date(2008, 10, 1), dt.date(2026, 12, 1))
COLD = households(dt.date(2010, 11, 1), dt.date(2026, 12, 1))


@settings(deadline=None, max_examples=300)  # no timing in tests: a slow CI machine must not fail them
@given(facts=SOCIAL)
def test_social_aid_is_never_negative_and_is_the_difference_or_the_floor(facts):
    outcome = evaluate("md.social_aid", facts)

    assert outcome.amount >= 0
    if not outcome.eligible:
        assert outcome.amount == Decimal("0.00")
        return
    difference = trace_value(outcome, "family_vlmg") - trace_value(outcome, "family_income")
    assert difference > 0
    reduced = trace_value(outcome, "reduced_amount")
    if reduced is not None:  # HG 655/2022: 20 % or 40 % less for long registered unemployment
        assert facts.period >= CUTS_FROM
        cents = Decimal("0.01")
        assert reduced in {
            (difference * share).quantize(cents, ROUND_HALF_UP) for share in (Decimal("0.8"), Decimal("0.6"))
        }
        difference = reduced
    if facts.period >= FLOOR_FROM:
        assert outcome.amount == max(difference, Decimal("25.00"))
    else:
        assert outcome.amount == difference
    assert outcome.amount <= max(trace_value(outcome, "family_vlmg"), Decimal("25.00"))


@settings(deadline=None, max_examples=200)
@given(facts=SOCIAL, data=st.data())
def test_social_aid_does_not_depend_on_member_order(facts, data):
    shuffled = dataclasses.replace(facts, members=tuple(data.draw(st.permutations(facts.members))))
    first, second = evaluate("md.social_aid", facts), evaluate("md.social_aid", shuffled)

    assert (first.eligible, first.amount, [r.code for r in first.reasons]) == (
        second.eligible,
        second.amount,
        [r.code for r in second.reasons],
    )


@settings(deadline=None, max_examples=300)
@given(facts=SOCIAL, data=st.data())
def test_one_ban_less_income_never_lowers_social_aid(facts, data):
    earners = [i for i, member in enumerate(facts.members) if member.income is not None and member.income >= BAN]
    if not earners:
        return
    poorer = with_one_ban_less(facts, data.draw(st.sampled_from(earners)))

    assert evaluate("md.social_aid", poorer).amount >= evaluate("md.social_aid", facts).amount


@settings(deadline=None, max_examples=300)
@given(facts=COLD)
def test_cold_season_aid_is_the_season_amount_or_nothing(facts):
    outcome = evaluate("md.cold_season_aid", facts)

    assert outcome.amount >= 0
    if outcome.eligible:
        assert facts.period.month in (1, 2, 3, 11, 12)
        assert facts.period < dt.date(2023, 11, 1)
        assert outcome.amount == trace_value(outcome, "amount") > 0
        assert trace_value(outcome, "family_income") < trace_value(outcome, "income_ceiling")
    else:
        assert outcome.amount == Decimal("0.00")


@settings(deadline=None, max_examples=200)
@given(facts=COLD, data=st.data())
def test_cold_season_aid_does_not_depend_on_member_order_and_less_income_never_lowers_it(facts, data):
    shuffled = dataclasses.replace(facts, members=tuple(data.draw(st.permutations(facts.members))))
    outcome = evaluate("md.cold_season_aid", facts)
    assert (outcome.eligible, outcome.amount) == (
        evaluate("md.cold_season_aid", shuffled).eligible,
        evaluate("md.cold_season_aid", shuffled).amount,
    )
    earners = [i for i, member in enumerate(facts.members) if member.income is not None and member.income >= BAN]
    if earners:
        poorer = with_one_ban_less(facts, data.draw(st.sampled_from(earners)))
        assert evaluate("md.cold_season_aid", poorer).amount >= outcome.amount


@settings(deadline=None, max_examples=300)
@given(
    period=months(dt.date(2000, 12, 1), dt.date(2026, 12, 1)),  # HG 1083/2000 from 02.11.2000
    purpose=st.sampled_from(["food", "medicines", "fuel", "repairs", "other"]),
    need=amounts,
    cap=st.one_of(st.none(), amounts),
)
def test_local_fund_aid_stays_within_the_need_and_the_cap(period, purpose, need, cap):
    asked = (("need", need),) + ((("fund_cap", cap),) if cap is not None else ())
    outcome = evaluate(
        "md.local_support_fund_aid",
        Facts(period=period, members=(Member(role="applicant"),), purpose=purpose, amounts=asked),
    )

    assert 0 <= outcome.amount <= need
    if cap is not None:
        assert outcome.amount <= cap
        assert outcome.amount == (min(need, cap) if outcome.eligible else Decimal("0.00"))


def test_typed_records_of_the_reference_month_are_averaged_and_others_ignored():
    facts = Facts(
        period=dt.date(2025, 6, 1),
        application_on=dt.date(2025, 5, 20),
        members=(
            Member(
                role="applicant",
                birth_date=dt.date(1950, 1, 1),
                flags=frozenset({"pension_age"}),
                incomes=(
                    IncomeRecord(
                        "pension", Decimal("1200.00"), dt.date(2025, 4, 1)
                    ),  # the month before the application
                    IncomeRecord(
                        "pension", Decimal("1200.00"), dt.date(2025, 5, 1)
                    ),  # the application month: not counted
                    IncomeRecord("death_allowance", Decimal("2000.00"), dt.date(2025, 4, 1)),  # excluded kind
                ),
            ),
        ),
    )
    outcome = evaluate("md.social_aid", facts)

    assert trace_value(outcome, "family_income") == Decimal("1200.00")
    assert outcome.amount == Decimal("549.00")  # 1 749 − 1 200


@pytest.mark.parametrize(
    ("code", "period"),
    [
        ("md.social_aid", dt.date(2008, 9, 1)),
        ("md.cold_season_aid", dt.date(2010, 10, 1)),
        ("md.local_support_fund_aid", dt.date(2000, 10, 1)),
    ],
)
def test_a_month_before_the_law_is_not_in_force(code, period):
    with pytest.raises(BenefitNotInForce):
        evaluate(code, Facts(period=period, members=(Member(role="applicant"),)))


def test_the_refusal_after_the_repeal_reads_in_every_language():
    outcome = evaluate("md.cold_season_aid", Facts(period=dt.date(2024, 1, 1), members=(Member(role="applicant"),)))
    reason = outcome.as_dict("en")["reasons"][0]

    assert reason["code"] == "repealed_replaced_by_energy_compensation"
    assert "806" in reason["label"] and "Ajutor la contor" in reason["label"]
    assert "806" in outcome.as_dict("ru")["reasons"][0]["label"]
    assert reason["statutory_label"].startswith("Ajutorul pentru perioada rece a anului nu mai este în vigoare")


def test_every_adult_who_fits_no_category_is_named_in_the_trace():
    facts = Facts(
        period=dt.date(2025, 5, 1),
        members=(
            Member(role="applicant", birth_date=dt.date(1970, 1, 1)),
            Member(role="spouse", birth_date=dt.date(1972, 1, 1), flags=frozenset({"pension_age"})),
            Member(role="member", birth_date=dt.date(1999, 1, 1)),
            Member(role="member", birth_date=dt.date(2001, 1, 1), flags=frozenset({"abroad"})),
        ),
    )
    outcome = evaluate("md.social_aid", facts)

    assert [reason.code for reason in outcome.reasons] == ["adult_not_in_category"]
    assert [step.value for step in outcome.trace if step.code == "adult_without_category"] == [
        "household[0] (applicant, 1970-01-01)",
        "household[2] (member, 1999-01-01)",
    ]
