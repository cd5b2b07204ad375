"""Every pack's benefit situations: YAML files of facts and expected outcomes, beside the pack.

`packs/<cc>/benefits/situations/*.yaml` hold a list of situations:

    - name: single person, no income, March 2025
      source: "infor.pl 7061811: 1313.00 zł"      # where the expected figure comes from (worked examples)
      benefit: pl.permanent_allowance
      facts: {period: "2025-03", household: [{role: applicant, income: "0.00", unable_to_work: true}]}
      expected:
        eligible: true
        amount: "1229.00"                # every key given is checked; keys left out are not
        minimum: null
        reasons: []                      # reason codes, in order
        trace: {criterion: "1010.00"}    # step code → value as the API shows it

Each dated change of a parameter or formula has one situation before and one after it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from socius.rulebook.engine.benefits import evaluate, facts_from_dict
from socius.rulebook.engine.data import load_yaml

PACKS = Path(__file__).resolve().parent.parent / "packs"


def _situations():
    for path in sorted(PACKS.glob("*/benefits/situations/*.yaml")):
        for index, situation in enumerate(load_yaml(path) or []):
            name = situation.get("name", f"#{index}")
            yield pytest.param(situation, id=f"{path.parent.parent.parent.name}/{path.stem}: {name}")


@pytest.mark.parametrize("situation", list(_situations()))
def test_situation(situation):
    outcome = evaluate(situation["benefit"], facts_from_dict(situation["facts"]))
    shaped = outcome.as_dict("en")
    expected = situation["expected"]
    for key in ("eligible", "amount", "minimum", "maximum", "currency"):
        if key in expected:
            assert shaped[key] == expected[key], f"{key}: {shaped[key]!r} != {expected[key]!r}"
    if "reasons" in expected:
        assert [reason["code"] for reason in shaped["reasons"]] == expected["reasons"]
    if "trace" in expected:
        values = {step["code"]: step["value"] for step in shaped["trace"]}
        for code, value in expected["trace"].items():
            assert values.get(code) == str(value), f"trace step {code}: {values.get(code)!r} != {value!r}"


def test_every_situation_file_names_a_source_for_its_worked_examples():
    for path in sorted(PACKS.glob("*/benefits/situations/*.yaml")):
        for situation in load_yaml(path) or []:
            assert situation.get("name"), f"{path}: a situation without a name"
            assert situation.get("benefit") and situation.get("facts") and situation.get("expected"), (
                f"{path}: {situation.get('name')}: benefit, facts and expected are required"
            )


def test_every_declared_benefit_has_a_formula_and_every_label_in_every_language():
    from socius.rulebook import get_jurisdiction
    from socius.rulebook.engine.jurisdiction import benefit_definitions
    from socius.rulebook.engine.translations import missing_languages

    for definition in benefit_definitions():
        own = get_jurisdiction(definition.country).default_language
        assert definition.versions(), f"{definition.code}: no formula registered"
        assert not missing_languages(definition.translations, own), definition.code
        inputs = {code: item.label for code, item in definition.inputs.items()}
        options = {
            f"{code}.{o}": label for code, item in definition.inputs.items() for o, label in item.options.items()
        }
        for kind, labels in (
            ("step", definition.steps),
            ("reason", definition.reasons),
            ("input", inputs),
            ("input option", options),
            ("member flag", definition.member_flags),
        ):
            for code, label in labels.items():
                assert not missing_languages(label.translations, own), f"{definition.code} {kind} {code}"
