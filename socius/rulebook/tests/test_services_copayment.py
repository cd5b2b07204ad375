"""The co-payment engine on worked examples from the named sources, and its properties at every band edge
(hypothesis): more income never pays less, the client never pays more than the cost, never a negative sum.

PL: the tables of Gmina Lipnica Murowana (uchwała Nr XXVII/213/05 of 28 Nov 2005 and uchwała Nr XLVI.450.2023
of 29 Nov 2023, załącznik nr 2), as published by GOPS Lipnica Murowana with the zloty amounts of each band:
the examples below are those printed amounts (931.20 zł = 120 % of 776 zł, 824.20 zł = 130 % of 634 zł …).
LT: Vilnius social support centre (spcentras.lt) on nutarimas Nr. 583: free below 2 VRP, at most 20 % of income,
an hour of home help 11.94 EUR from 2024-01-01. MD: Legea nr. 81/2004 (the canteen is free)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from socius.rulebook import CopaymentFacts, copayment_due, evaluate_copayment, get_jurisdiction
from socius.rulebook.engine import services as engine

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CENT = Decimal("0.01")
IN_2024 = dt.date(2024, 6, 1)  # PL criterion 776 / 600 zł (from 2022-01-01); LT VRP 176 EUR
IN_2016 = dt.date(2016, 6, 1)  # PL criterion 634 / 514 zł (from 2015-10-01); the 2005 table


def _pl(income: str, on: dt.date, *, alone: bool = True, service: str = "pl.home_help"):
    facts = CopaymentFacts(income=Decimal(income), household_size=1 if alone else 3, lives_alone=alone)
    return evaluate_copayment("PL", service, facts, on)


@pytest.mark.parametrize(
    ("income", "alone", "share"),
    [
        ("776.00", True, "0"),  # "do 100% (do 776,00 zł)": free
        ("776.01", True, "5"),
        ("931.20", True, "5"),  # "powyżej 100% do 120% (… do 931,20 zł)"
        ("931.21", True, "10"),
        ("1707.20", True, "20"),  # "powyżej 180% do 220% (… do 1.707,20 zł)"
        ("1707.21", True, "25"),
        ("600.00", False, "0"),  # a person in a family: "do 100% (do 600,00 zł)"
        ("600.01", False, "5"),
        ("1320.01", False, "30"),  # "powyżej 220% do 260% (powyżej 1.320,00 zł …)": 30 % in a family
        ("1560.00", False, "30"),
    ],
)
def test_pl_lipnica_murowana_2023_table_at_its_printed_amounts(income, alone, share):
    outcome = _pl(income, IN_2024, alone=alone)
    assert outcome.rule_version == dt.date(2024, 1, 1)
    assert outcome.share_of_cost_percent == Decimal(share)
    assert outcome.free is (share == "0")
    assert outcome.income_cap_percent is None


@pytest.mark.parametrize(
    ("income", "alone", "share"),
    [
        ("634.00", True, "0"),
        ("824.20", True, "5"),  # "powyżej 100% do 130% (… do 824,20 zł)"
        ("824.21", True, "10"),
        ("2219.00", True, "60"),  # "powyżej 300% do 350% (… do 2219,00 zł)"
        ("2219.01", True, "100"),  # "powyżej 350%": the whole cost
        ("514.00", False, "0"),
        ("668.21", False, "30"),  # "powyżej 130% do 160% (powyżej 668,20 zł …)": 30 % in a family
        ("1542.01", False, "100"),
    ],
)
def test_pl_lipnica_murowana_2005_table_at_its_printed_amounts(income, alone, share):
    outcome = _pl(income, IN_2016, alone=alone, service="pl.specialist_care")
    assert outcome.rule_version == dt.date(2005, 12, 28)
    assert outcome.share_of_cost_percent == Decimal(share)


def test_pl_trace_reads_the_art_8_criterion_with_its_date_and_names_the_resolution():
    outcome = _pl("931.21", IN_2024)
    steps = {step.code: step for step in outcome.trace}
    assert list(steps) == ["service", "income", "household_size", "lives_alone", "criterion",
                           "income_percent_of_criterion", "band", "share_of_cost"]  # fmt: skip
    criterion = steps["criterion"]
    assert criterion.value == Decimal("776.00") and criterion.valid_from == dt.date(2022, 1, 1)
    assert criterion.parameter == "social_assistance/income_criterion/single_person"
    assert steps["income_percent_of_criterion"].value == Decimal("120.00")
    assert steps["band"].value == "> 120 – ≤ 150"
    assert "XLVI.450.2023" in steps["share_of_cost"].legal_basis
    assert steps["share_of_cost"].confirmed is False  # the day it took effect is not confirmed
    assert outcome.confirmed is False
    shown = outcome.as_dict("en")
    assert shown["share_of_cost_percent"] == "10" and shown["rule_version"] == "2024-01-01"
    assert shown["rules_version"] == get_jurisdiction("PL").rules_version
    assert shown["trace"][4]["label"] == "Income criterion (art. 8(1) of the Social Assistance Act)"
    assert shown["trace"][4]["statutory_label"] == "Kryterium dochodowe (art. 8 ust. 1 u.p.s.)"


def test_pl_a_family_uses_the_per_person_criterion_and_a_household_of_one_the_single_one():
    family = _pl("700", IN_2024, alone=False)
    assert family.trace[4].parameter == "social_assistance/income_criterion/per_person"
    one = evaluate_copayment("PL", "pl.home_help", CopaymentFacts(Decimal("700"), 1, False), IN_2024)
    assert one.trace[4].parameter == "social_assistance/income_criterion/single_person"


def test_pl_due_for_twenty_hours_at_the_published_rate():
    # Lipnica Murowana published 19.87 zł an hour with the 2005 table; 10 % band, 20 hours.
    outcome = _pl("900.00", IN_2016)
    assert copayment_due(outcome, Decimal("397.40"), Decimal("900.00")) == Decimal("39.74")


@pytest.mark.parametrize(
    ("income", "free", "due"),
    [
        ("351.99", True, "0.00"),  # below 2 × 176 EUR: free
        ("352.00", False, "70.40"),  # at 2 VRP it is paid: 20 % of 352 < the month's cost
        ("600.00", False, "120.00"),  # 20 hours × 11.94 = 238.80 EUR; capped at 20 % of 600
        ("1500.00", False, "238.80"),  # the cap (300) is above the cost: the whole cost
    ],
)
def test_lt_home_help_free_below_two_vrp_else_the_cost_up_to_a_fifth_of_income(income, free, due):
    facts = CopaymentFacts(income=Decimal(income), household_size=1, lives_alone=True)
    outcome = evaluate_copayment("LT", "lt.home_help", facts, IN_2024)
    assert outcome.free is free
    steps = {step.code: step for step in outcome.trace}
    assert steps["threshold_base"].value == Decimal("176.00") and steps["threshold_base"].parameter
    assert steps["threshold"].value == Decimal("352.00")
    if not free:
        assert (outcome.share_of_cost_percent, outcome.income_cap_percent) == (Decimal("100"), Decimal("20"))
    assert copayment_due(outcome, Decimal("20") * Decimal("11.94"), Decimal(income)) == Decimal(due)


def test_lt_integrated_care_uses_the_day_social_care_rule_marked_unconfirmed():
    outcome = evaluate_copayment("LT", "lt.integrated_care", CopaymentFacts(Decimal("1000")), dt.date(2026, 3, 1))
    assert outcome.rule == "day_social_care" and outcome.confirmed is False
    assert outcome.as_dict("lt")["trace"][-1]["label"] == "Mokėjimas ne didesnis kaip % asmens pajamų"


def test_md_canteen_is_free_whatever_the_income_with_law_81_2004_in_the_trace():
    outcome = evaluate_copayment("MD", "md.social_canteen", CopaymentFacts(Decimal("90000")), IN_2024)
    assert outcome.free is True and outcome.share_of_cost_percent == 0
    assert outcome.trace[-1].code == "free_by_law" and "81" in outcome.trace[-1].legal_basis
    assert copayment_due(outcome, Decimal("560.00"), Decimal("90000")) == Decimal("0.00")


def test_a_service_free_in_the_catalogue_is_free_from_its_start():
    outcome = evaluate_copayment("PL", "pl.counselling", CopaymentFacts(Decimal("9000")), IN_2024)
    assert outcome.free is True and outcome.rule == "free" and outcome.rule_version == dt.date(2004, 5, 1)


def test_copayment_due_takes_stored_fields_as_a_mapping_or_an_object():
    class Stored:
        free = False
        share_of_cost_percent = Decimal("25.00")
        income_cap_percent = None

    assert copayment_due(Stored(), Decimal("100.10"), Decimal("0")) == Decimal("25.03")  # 25.025 half up
    fields = {"free": False, "share_of_cost_percent": "100", "income_cap_percent": "20"}
    assert copayment_due(fields, Decimal("500"), Decimal("1000"), country="LT") == Decimal("200.00")
    assert copayment_due({**fields, "free": True}, Decimal("500"), Decimal("1000")) == Decimal("0.00")
    assert copayment_due(fields, Decimal("-5"), Decimal("1000")) == Decimal("0.00")


def test_a_cost_with_more_decimals_never_gives_a_due_above_the_cost_as_shown():
    whole = {"free": False, "share_of_cost_percent": "100", "income_cap_percent": None}
    assert copayment_due(whole, Decimal("2.9875"), Decimal("0"), country="LT") == Decimal("2.99")
    assert copayment_due(whole, Decimal("2.9849"), Decimal("0"), country="LT") == Decimal("2.98")


def test_negative_income_or_an_empty_household_is_refused():
    with pytest.raises(ValueError, match="income"):
        evaluate_copayment("PL", "pl.home_help", CopaymentFacts(Decimal("-1")), IN_2024)
    with pytest.raises(ValueError, match="household_size"):
        evaluate_copayment("PL", "pl.home_help", CopaymentFacts(Decimal("1"), 0, False), IN_2024)
    with pytest.raises(TypeError, match="float"):
        evaluate_copayment("PL", "pl.home_help", CopaymentFacts(931.2), IN_2024)


def test_a_stored_trace_reads_back_in_the_readers_language():
    stored = evaluate_copayment("LT", "lt.home_help", CopaymentFacts(Decimal("900")), IN_2024).as_dict(None)["trace"]
    assert stored[1]["label"] == "Asmens pajamos per mėnesį (šeimoje – vienam šeimos nariui)"
    shown = engine.trace_in("LT", stored, "ru")
    assert shown[1]["label"] == "Ежемесячный доход лица (в семье – на члена семьи)"
    assert shown[1]["value"] == "900" and shown[1]["statutory_label"] == stored[1]["label"]


# Properties at the band edges ------------------------------------------------------------------------

PAID = [(c, s.code) for c in ("PL", "LT") for s in engine.service_catalogue(c) if s.copayment != engine.FREE]
DAYS = [dt.date(2016, 6, 1), dt.date(2024, 6, 1), dt.date(2026, 12, 1)]


def _edges(country: str, code: str, on: dt.date, single: bool) -> list[Decimal]:
    """The incomes where the outcome may change: each band's upper bound in money, or the free threshold."""
    jurisdiction = get_jurisdiction(country)
    rule = engine.copayment_rule(country, engine.service_definition(country, code).copayment)
    version = rule.version_on(on)
    if rule.kind == engine.INCOME_BANDS:
        name = version.criterion_single if single else version.criterion_family
        criterion = Decimal(jurisdiction.parameter(name, on))
        return [(criterion * band.up_to / 100).quantize(CENT) for band in version.bands if band.up_to is not None]
    base = Decimal(jurisdiction.parameter(version.threshold_parameter, on))
    return [jurisdiction.round_money(base * version.threshold_multiple)]


@st.composite
def situations(draw):
    country, code = draw(st.sampled_from(PAID))
    on = draw(st.sampled_from(DAYS if country == "PL" else DAYS[1:]))
    single = draw(st.booleans())
    edge = draw(st.sampled_from(_edges(country, code, on, single)))
    near = st.builds(lambda cents: max(edge + Decimal(cents) / 100, Decimal(0)), st.integers(-3, 3))
    a, b = sorted([draw(near), draw(st.one_of(near, st.decimals(0, 20000, places=2)))])
    cost = draw(st.decimals(0, 5000, places=2))
    return country, code, on, single, a, b, cost


def _due(country, code, on, single, income, cost):
    facts = CopaymentFacts(income=income, household_size=1 if single else 2, lives_alone=single)
    outcome = evaluate_copayment(country, code, facts, on)
    return outcome, copayment_due(outcome, cost, income)


@SETTINGS
@given(situations())
def test_more_income_never_pays_less_and_the_due_stays_between_zero_and_the_cost(situation):
    country, code, on, single, lower, higher, cost = situation
    low_outcome, low = _due(country, code, on, single, lower, cost)
    high_outcome, high = _due(country, code, on, single, higher, cost)
    assert Decimal(0) <= low <= high <= cost
    assert low_outcome.share_of_cost_percent <= high_outcome.share_of_cost_percent
    for outcome in (low_outcome, high_outcome):
        assert 0 <= outcome.share_of_cost_percent <= 100
        assert outcome.free == (outcome.share_of_cost_percent == 0)


@SETTINGS
@given(st.sampled_from(PAID), st.decimals(0, 50000, places=2), st.decimals(0, 5000, places=2))
@example(("PL", "pl.home_help"), Decimal("2900"), Decimal("2847.35"))  # 30 % of it is 854.205: half up, 854.21
def test_any_income_gives_a_share_of_at_most_the_whole_cost(service, income, cost):
    country, code = service
    outcome, due = _due(country, code, dt.date(2026, 12, 1), True, income, cost)
    assert Decimal(0) <= due <= cost
    round_money = get_jurisdiction(country).round_money  # the pack's rule (PL: half up), not Decimal's default
    if outcome.free:
        assert due == 0
    elif outcome.income_cap_percent is None:
        assert due == round_money(cost * outcome.share_of_cost_percent / 100)
    else:
        assert due == round_money(min(cost, income * outcome.income_cap_percent / 100))
