"""The benefit engine: formula versions by date, traced parameters, refusals, rounding, snapshots."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from socius.rulebook.engine import benefits
from socius.rulebook.engine.benefits import (
    BenefitNotInForce,
    Facts,
    IncomeRecord,
    Member,
    Result,
    facts_from_dict,
    facts_to_dict,
    months_before,
    sum_incomes,
)
from socius.rulebook.engine.data import PackDataError
from socius.rulebook.engine.jurisdiction import Jurisdiction

D = dt.date


@pytest.fixture
def toy(tmp_path: Path, monkeypatch):
    """A pack of one benefit with two formula versions, written to a temporary folder."""
    (tmp_path / "benefits").mkdir()
    (tmp_path / "parameters").mkdir()
    (tmp_path / "parameters" / "floor.yaml").write_text(
        "description: floor\nunit: XTS\nlegal_basis: art. 1\n"
        "values:\n  2020-01-01: {value: '10.00', source: gazette 1}\n"
        "  2024-01-01: {value: '20.00', source: gazette 2, confirmed: false}\n"
    )
    (tmp_path / "benefits" / "toy.yaml").write_text(
        "code: xx.toy\nlabel: Zabawka\ntranslations: {en: Toy}\nlegal_basis: art. 2\n"
        "parameters: [floor]\n"
        "steps:\n  floor: {label: Minimum, translations: {en: Floor}}\n"
        "  income: {label: Dochód, legal_basis: art. 3}\n"
        "reasons:\n  too_rich: {label: Za bogaty, translations: {en: Too rich}}\n"
    )
    pack = Jurisdiction(
        code="XX",
        national_id_name="-",
        national_id_length=1,
        currency="XTS",
        default_language="pl",
        faker_locale="pl_PL",
        territory_levels=(),
        default_teams=(),
        parse_national_id=lambda value: None,
        data_dir=tmp_path,
        rules_version="xx-1",
    )
    from socius.rulebook.engine import jurisdiction

    monkeypatch.setitem(jurisdiction._REGISTRY, "XX", pack)
    monkeypatch.setitem(benefits._FORMULAS, "xx.toy", [])
    monkeypatch.setattr(benefits, "_DEFINITIONS", {})

    @benefits.formula("xx.toy", since="2020-01-01")
    def toy_2020(facts: Facts, t: benefits.Trace) -> Result:
        floor = t.parameter("floor", "floor")
        income = t.money("income", sum(m.income or 0 for m in facts.members))
        if income > 1000:
            t.refuse("too_rich")
        return Result(amount=floor - income / 3, minimum=floor)

    return pack


def test_the_version_in_force_for_the_period_is_applied_and_traced_with_its_law(toy):
    outcome = benefits.evaluate("xx.toy", Facts(period=D(2024, 3, 5), members=(Member(income=Decimal("-30")),)))

    assert outcome.period == D(2024, 3, 1)
    assert outcome.version == D(2020, 1, 1)
    assert outcome.rules_version == "xx-1"
    assert (outcome.eligible, outcome.amount, outcome.minimum, outcome.currency) == (
        True,
        Decimal("30.00"),
        Decimal("20.00"),
        "XTS",
    )
    floor = outcome.trace[0]
    assert (floor.code, floor.value, floor.valid_from, floor.source, floor.confirmed) == (
        "floor",
        Decimal("20.00"),
        D(2024, 1, 1),
        "gazette 2",
        False,
    )
    assert floor.label_in("en") == "Floor" and floor.label_in("ru") == "Minimum"
    assert outcome.trace[1].legal_basis == "art. 3"
    assert outcome.parameters_used == {"floor": {"value": "20.00", "valid_from": "2024-01-01", "source": "gazette 2"}}
    assert outcome.trace_template == ("floor", "income") and outcome.trace_values == ("20.00", "-30.00")


def test_a_refusal_makes_the_outcome_ineligible_with_zero_and_its_reason(toy):
    outcome = benefits.evaluate("xx.toy", Facts(period=D(2021, 1, 1), members=(Member(income=Decimal("1000.01")),)))

    assert (outcome.eligible, outcome.amount, outcome.minimum) == (False, Decimal("0.00"), None)
    assert [(reason.code, reason.label_in("en")) for reason in outcome.reasons] == [("too_rich", "Too rich")]
    shaped = outcome.as_dict("en")
    assert shaped["amount"] == "0.00" and shaped["reasons"][0]["statutory_label"] == "Za bogaty"


def test_a_period_before_the_first_version_is_an_error_not_a_guess(toy):
    with pytest.raises(BenefitNotInForce, match="2019-12"):
        benefits.evaluate("xx.toy", Facts(period=D(2019, 12, 1), members=(Member(),)))


def test_an_unknown_benefit_code_is_refused():
    with pytest.raises(benefits.UnknownBenefit):
        benefits.evaluate("pl.no_such_benefit", Facts(period=D(2025, 1, 1), members=()))


def test_a_step_without_a_label_in_the_yaml_is_a_pack_bug(toy):
    @benefits.formula("xx.toy", since="2025-01-01")
    def toy_2025(facts, t):
        t.value("unlabelled", 1)
        return Result(amount=Decimal(0))

    with pytest.raises(PackDataError, match="unlabelled"):
        benefits.evaluate("xx.toy", Facts(period=D(2025, 1, 1), members=()))


def test_facts_snapshot_round_trips_through_plain_json():
    facts = Facts(
        period=D(2025, 3, 1),
        members=(
            Member(
                role="applicant",
                birth_date=D(1950, 4, 2),
                incomes=(IncomeRecord("pension", Decimal("950.00"), D(2025, 2, 1), deductions=Decimal("12.50")),),
                unable_to_work=True,
                flags=frozenset({"abroad"}),
            ),
            Member(role="spouse", income=Decimal("800.00")),
        ),
        amounts=(("need", Decimal("300")),),
        flags=frozenset({"special_case"}),
        purpose="fuel",
    )
    assert facts_from_dict(facts_to_dict(facts)) == facts


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"period": "2025-13", "household": []}, "period"),
        ({"period": "2025-03", "household": [{"income": "abc"}]}, "household[0].income"),
        ({"period": "2025-03", "household": [{"income": 1.5}]}, "household[0].income"),
        ({"period": "2025-03", "household": [{"birth_date": "1950-02-30"}]}, "household[0].birth_date"),
        ({"period": "2025-03", "household": "x"}, "household"),
    ],
)
def test_malformed_facts_name_the_field(payload, field):
    with pytest.raises(ValueError, match=field.replace("[", r"\[").replace("]", r"\]")):
        facts_from_dict(payload)


def test_incomes_are_summed_net_over_the_months_asked_without_excluded_kinds():
    records = [
        IncomeRecord("employment", Decimal("1000"), D(2024, 12, 1), deductions=Decimal("200")),
        IncomeRecord("employment", Decimal("999"), D(2024, 11, 1)),
        IncomeRecord("family_benefit", Decimal("800"), D(2024, 12, 1)),
        IncomeRecord("alimony", Decimal("50")),
    ]
    assert months_before(D(2025, 1, 1), 2) == (D(2024, 11, 1), D(2024, 12, 1))
    assert sum_incomes(records, months_before(D(2025, 1, 1), 1), excluded={"family_benefit"}) == Decimal("850")
