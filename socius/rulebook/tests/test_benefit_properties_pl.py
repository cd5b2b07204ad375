"""Properties of the PL benefits (hypothesis): never negative, floors and caps hold, member order does not
matter, and one grosz less income never lowers the amount."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socius.rulebook import get_jurisdiction
from socius.rulebook.engine.benefits import (
    INCOME_KINDS,
    BenefitNotInForce,
    Facts,
    IncomeRecord,
    Member,
    evaluate,
    months_before,
)
from socius.rulebook.engine.translations import missing_languages
from socius.rulebook.packs.pl.benefits import income as pl_income

PL = get_jurisdiction("PL")
GROSZ = Decimal("0.01")
BENEFITS = ("pl.permanent_allowance", "pl.periodic_allowance", "pl.purpose_allowance")
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _param(name: str, period: dt.date) -> Decimal:
    return Decimal(PL.parameter_in_force(name, period).value)


months = st.builds(lambda index: dt.date(2012 + (9 + index) // 12, (9 + index) % 12 + 1, 1), st.integers(0, 170))
money = st.integers(0, 400_000).map(lambda grosze: Decimal(grosze) / 100)
counted_kinds = st.sampled_from([kind for kind in INCOME_KINDS if kind != "farm_land"])


@st.composite
def records(draw, reference: dt.date) -> IncomeRecord:
    amount, deducted = draw(money), draw(money)
    # Mostly the reference month's income; sometimes a dated record up to 13 months back, a one-off (spread
    # when above 5 × the criterion) or an income due for several months.
    back = draw(st.one_of(st.none(), st.integers(0, 13)))
    month = None if back is None else (months_before(reference, back)[0] if back else reference)
    return IncomeRecord(
        kind=draw(counted_kinds),
        amount=amount,
        deductions=min(deducted, amount),
        month=month,
        one_off=draw(st.booleans()) if back is not None else False,
        covers_months=draw(st.integers(1, 3)) if back is not None else 1,
    )


@st.composite
def members(draw, role: str, reference: dt.date) -> Member:
    if draw(st.booleans()):
        return Member(role=role, income=draw(money), unable_to_work=draw(st.booleans()))
    typed = draw(st.lists(records(reference), max_size=3))
    return Member(role=role, incomes=tuple(typed), unable_to_work=draw(st.booleans()))


@st.composite
def facts(draw) -> Facts:
    period = draw(months)
    reference = months_before(period, 1)[0]
    others = draw(st.lists(members("member", reference), max_size=5))
    household = (draw(members("applicant", reference)), *others)
    flags = frozenset(draw(st.sets(st.sampled_from(["special_case"]))))
    need = draw(st.integers(1, 500_000).map(lambda grosze: Decimal(grosze) / 100))
    return Facts(period=period, members=household, amounts=(("need", need),), flags=flags)


def _less_by_a_grosz(member: Member) -> Member | None:
    """The member with one grosz less counted income, or None when it has none to lose."""
    if member.income is not None:
        return dataclasses.replace(member, income=member.income - GROSZ) if member.income >= GROSZ else None
    for index, record in enumerate(member.incomes):
        # A one-off may cross the art. 8 ust. 11 threshold, where the law itself is not monotone.
        if not record.one_off and record.amount - record.deductions >= GROSZ:
            lowered = dataclasses.replace(record, amount=record.amount - GROSZ)
            return dataclasses.replace(member, incomes=(*member.incomes[:index], lowered, *member.incomes[index + 1 :]))
    return None


@SETTINGS
@given(facts=facts(), benefit=st.sampled_from(BENEFITS))
def test_amounts_are_never_negative_and_lie_within_their_range(facts, benefit):
    outcome = evaluate(benefit, facts)
    assert outcome.amount >= 0
    if not outcome.eligible:
        assert outcome.amount == 0 and outcome.minimum is None and outcome.maximum is None
        return
    if outcome.minimum is not None:
        assert 0 <= outcome.minimum <= outcome.amount
    if outcome.maximum is not None:
        assert outcome.amount <= outcome.maximum


@SETTINGS
@given(facts=facts())
def test_floors_and_caps_hold(facts):
    period = facts.period
    single = len(facts.members) == 1

    permanent = evaluate("pl.permanent_allowance", facts)
    if permanent.eligible:
        assert permanent.amount >= _param("social_assistance/permanent_allowance/minimum", period)
        if single:
            assert permanent.amount <= _param("social_assistance/permanent_allowance/maximum", period)

    periodic = evaluate("pl.periodic_allowance", facts)
    if periodic.eligible:
        floor = _param("social_assistance/periodic_allowance/minimum", period)
        assert periodic.minimum >= floor and periodic.maximum >= floor
        assert periodic.amount == periodic.maximum
        if single:
            cap = _param("social_assistance/periodic_allowance/single_person_cap", period)
            assert periodic.maximum <= max(cap, floor)

    purpose = evaluate("pl.purpose_allowance", facts)
    if purpose.eligible:
        assert purpose.amount <= facts.amount("need")
        if purpose.maximum is not None:
            assert purpose.amount <= purpose.maximum


@SETTINGS
@given(facts=facts(), benefit=st.sampled_from(BENEFITS), data=st.data())
def test_the_result_does_not_depend_on_the_order_of_members(facts, benefit, data):
    shuffled = data.draw(st.permutations(facts.members))
    reordered = dataclasses.replace(facts, members=tuple(shuffled))
    first, second = evaluate(benefit, facts).as_dict("en"), evaluate(benefit, reordered).as_dict("en")
    assert first == second


@SETTINGS
@given(facts=facts(), benefit=st.sampled_from(BENEFITS), data=st.data())
def test_one_grosz_less_income_never_lowers_the_amount(facts, benefit, data):
    index = data.draw(st.integers(0, len(facts.members) - 1))
    poorer = _less_by_a_grosz(facts.members[index])
    if poorer is None:
        return
    lowered = dataclasses.replace(facts, members=(*facts.members[:index], poorer, *facts.members[index + 1 :]))
    before, after = evaluate(benefit, facts), evaluate(benefit, lowered)
    assert after.amount >= before.amount
    if before.eligible:
        assert after.eligible
        for bound in ("minimum", "maximum"):
            if getattr(before, bound) is not None:
                assert getattr(after, bound) >= getattr(before, bound)


# Data checks beside the properties -------------------------------------------------------------------------


def test_income_at_the_criterion_is_refused_by_art_37_and_38_and_entitled_by_art_8():
    for month in (
        dt.date(2013, 1, 1),
        dt.date(2016, 1, 1),
        dt.date(2019, 1, 1),
        dt.date(2022, 6, 1),
        dt.date(2025, 6, 1),
    ):
        criterion = _param("social_assistance/income_criterion/single_person", month)
        at = Facts(
            period=month,
            members=(Member(role="applicant", income=criterion, unable_to_work=True),),
            amounts=(("need", Decimal("100.00")),),
        )
        below = dataclasses.replace(at, members=(dataclasses.replace(at.members[0], income=criterion - GROSZ),))
        assert not evaluate("pl.permanent_allowance", at).eligible
        assert not evaluate("pl.periodic_allowance", at).eligible
        assert evaluate("pl.purpose_allowance", at).eligible
        assert evaluate("pl.permanent_allowance", below).eligible
        assert evaluate("pl.periodic_allowance", below).eligible


def test_the_single_person_cap_follows_the_per_person_criterion_from_2024():
    # docs/unconfirmed-law/pl.md: the cap is encoded as the per-person criterion's amount since 2024-01-01;
    # a new verification of the criteria must add its amount to the cap too.
    from socius.rulebook.engine.parameters import load_parameter

    criterion, cap = (
        "social_assistance/income_criterion/per_person",
        "social_assistance/periodic_allowance/single_person_cap",
    )
    days = {value.valid_from for name in (criterion, cap) for value in load_parameter(PL.data_dir, name).values}
    checked = sorted(day for day in days if day >= dt.date(2024, 1, 1))
    assert checked == [dt.date(2024, 1, 1), dt.date(2025, 1, 1)]
    for day in checked:
        assert _param(cap, day) == _param(criterion, day)
    assert _param(cap, dt.date(2023, 12, 1)) == Decimal("418.00")


def test_income_kinds_cover_the_engine_kinds_with_every_translation():
    kinds = {kind.code: kind for kind in pl_income.income_kinds()}
    assert set(INCOME_KINDS) <= set(kinds)
    assert all(kinds[code].counted for code in INCOME_KINDS)
    assert kinds["farm_land"].unit == "ha"
    assert {
        "one_off_social_benefit",
        "purpose_allowance",
        "in_kind",
        "child_raising_benefit",
    } <= pl_income.excluded_kinds()
    assert not kinds["child_raising_benefit"].confirmed
    assert not pl_income.exclusions_complete()  # art. 8 ust. 4 is known only in part
    for kind in (*pl_income.income_kinds(), *pl_income.deductions()):
        assert not missing_languages(kind.translations, "pl"), kind.code
    assert kinds["employment"].label_in("en") == "employment income"
    assert [deduction.code for deduction in pl_income.deductions()] == [
        "income_tax",
        "social_insurance",
        "health_insurance",
        "alimony_paid",
    ]


def test_an_unknown_income_kind_counts_like_other():
    facts = Facts(
        period=dt.date(2025, 3, 1),
        members=(Member(role="applicant", incomes=(IncomeRecord(kind="lottery_win", amount=Decimal("300.00")),)),),
    )
    assert evaluate("pl.periodic_allowance", facts).maximum == Decimal("710.00")


def test_the_reference_month():
    applied = dt.date(2025, 3, 10)
    facts = Facts(period=dt.date(2025, 4, 1), members=(), application_on=applied)
    assert pl_income.reference_month(facts) == dt.date(2025, 2, 1)
    assert pl_income.reference_month(dataclasses.replace(facts, income_lost=True)) == dt.date(2025, 3, 1)
    assert pl_income.reference_month(dataclasses.replace(facts, application_on=None)) == dt.date(2025, 3, 1)
    january = dataclasses.replace(facts, application_on=dt.date(2025, 1, 31))
    assert pl_income.reference_month(january) == dt.date(2024, 12, 1)


def test_the_versions_and_rules_version():
    assert PL.rules_version == "pl-2026.12.1"
    january_2024 = Facts(period=dt.date(2024, 1, 1), members=(Member(role="applicant", unable_to_work=True),))
    assert evaluate("pl.permanent_allowance", january_2024).version == dt.date(2024, 1, 1)
    december_2023 = dataclasses.replace(january_2024, period=dt.date(2023, 12, 1))
    assert evaluate("pl.permanent_allowance", december_2023).version == dt.date(2012, 10, 1)


def test_every_parameter_a_pl_benefit_lists_is_in_force_from_2012_10():
    for definition in PL.benefits():
        assert definition.parameters, definition.code
        for name in definition.parameters:
            for day in (dt.date(2012, 10, 1), dt.date(2025, 1, 1), dt.date(2026, 12, 1)):
                assert PL.parameter_in_force(name, day).source, (definition.code, name, day)


def test_an_unconfirmed_value_is_marked_in_the_trace():
    facts = Facts(period=dt.date(2025, 3, 1), members=(Member(role="applicant", income=Decimal("0")),))
    steps = {step["code"]: step for step in evaluate("pl.periodic_allowance", facts).as_dict("en")["trace"]}
    assert steps["single_person_cap"]["confirmed"] is False
    assert steps["criterion_single"]["confirmed"] is True
    before = dataclasses.replace(facts, period=dt.date(2023, 12, 1))
    steps = {step["code"]: step for step in evaluate("pl.periodic_allowance", before).as_dict("en")["trace"]}
    assert (steps["single_person_cap"]["value"], steps["single_person_cap"]["confirmed"]) == ("418.00", True)


def test_periods_before_2012_10_are_not_modelled():
    facts = Facts(period=dt.date(2012, 9, 1), members=(Member(role="applicant", income=Decimal("0")),))
    for benefit in BENEFITS:
        with pytest.raises(BenefitNotInForce):
            evaluate(benefit, facts)
