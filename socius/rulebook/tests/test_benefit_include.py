"""A benefit's YAML may include step and reason labels several benefits share (engine extension for the PL pack)."""

from pathlib import Path

import pytest

from socius.rulebook.engine import benefits
from socius.rulebook.engine.data import PackDataError


def _write(folder: Path, name: str, text: str) -> None:
    path = folder / "benefits" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_included_labels_are_merged_and_the_benefits_own_win(tmp_path):
    _write(
        tmp_path,
        "common/shared.yaml",
        "steps:\n  income: {label: Dochód wspólny}\n  size: {label: Liczba osób}\nreasons:\n  empty: {label: Pusto}\n",
    )
    _write(
        tmp_path,
        "toy.yaml",
        "code: yy.toy\nlabel: Zabawka\nlegal_basis: art. 1\ninclude: [common/shared.yaml]\n"
        "steps:\n  income: {label: Dochód własny}\n",
    )
    (definition,) = benefits.load_definitions(tmp_path, "YY")
    assert definition.step("income").label == "Dochód własny"
    assert definition.step("size").label == "Liczba osób"
    assert definition.reason("empty").label == "Pusto"


@pytest.mark.parametrize("name", ["common/missing.yaml", "../outside.yaml"])
def test_an_include_outside_benefits_or_missing_is_refused(tmp_path, name):
    (tmp_path / "outside.yaml").write_text("steps: {}\n")
    _write(tmp_path, "toy.yaml", f"code: zz.toy\nlabel: Zabawka\nlegal_basis: art. 1\ninclude: [{name!r}]\n")
    with pytest.raises(PackDataError, match="include"):
        benefits.load_definitions(tmp_path, "ZZ")


def test_the_pl_benefits_share_the_income_labels():
    from socius.rulebook.engine.jurisdiction import benefit_definition

    for code in ("pl.permanent_allowance", "pl.periodic_allowance", "pl.purpose_allowance"):
        definition = benefit_definition(code)
        assert definition.step("reference_month").label_in("en") == "Month whose income is counted"
        assert definition.reason("no_household").label_in("ro")
