"""Dated parameters: the value in force on a day, errors before the first date, absent values, deadlines."""

import datetime as dt
from decimal import Decimal

import pytest

from socius.rulebook import ParameterNotInForce, UnknownParameter, get_jurisdiction, parameter
from socius.rulebook.engine.data import PackDataError
from socius.rulebook.engine.deadlines import UnsupportedDeadlineUnit, add_months, due_on
from socius.rulebook.engine.parameters import load_parameter, parameter_in_force, parameter_names

D = dt.date
DEADLINE = "casework/assessment/deadline"


def test_pl_interview_deadline_is_14_working_days_from_11_november_2021():
    value = get_jurisdiction("PL").parameter_in_force(DEADLINE, D(2021, 11, 11))

    assert (value.value, value.unit, value.valid_from) == (14, "working_days", D(2021, 11, 11))
    assert "Dz.U. 2021 poz. 893" in value.legal_basis
    assert value.source


def test_pl_interview_deadline_before_the_2021_regulation_is_an_error_not_a_guess():
    with pytest.raises(ParameterNotInForce, match="before 2021-11-11"):
        get_jurisdiction("PL").parameter(DEADLINE, D(2021, 11, 10))


def test_module_level_parameter_lookup_matches_the_jurisdiction():
    assert parameter("PL", "casework/assessment/urgent_deadline", D(2025, 1, 1)) == 2
    assert parameter("LT", DEADLINE, D(2025, 1, 1)) == 14


def test_pl_renewal_every_6_months_for_permanent_help_runs_by_calendar_month():
    pl = get_jurisdiction("PL")
    assert pl.parameter("casework/assessment/renewal_interval", D(2025, 1, 1)) == 6
    assert pl.due_on("casework/assessment/renewal_interval", D(2025, 3, 15)) == D(2025, 9, 15)
    assert pl.due_on("casework/assessment/renewal_interval", D(2025, 8, 31)) == D(2026, 2, 28)


def test_md_assessment_deadline_is_recorded_as_not_found_and_never_invented():
    md = get_jurisdiction("MD")

    assert DEADLINE in md.parameter_names()
    assert not md.has_parameter(DEADLINE, D(2025, 1, 1))
    with pytest.raises(ParameterNotInForce, match=r"\[NOT FOUND\]"):
        md.parameter(DEADLINE, D(2025, 1, 1))


def test_unknown_parameter_name_is_refused():
    with pytest.raises(UnknownParameter):
        get_jurisdiction("PL").parameter("casework/assessment/no_such_thing", D(2025, 1, 1))
    with pytest.raises(UnknownParameter):
        get_jurisdiction("PL").parameter("../circumstances", D(2025, 1, 1))


@pytest.mark.parametrize("country", ["PL", "MD", "LT"])
def test_every_parameter_file_of_every_pack_loads_with_description_basis_and_sourced_values(country):
    jurisdiction = get_jurisdiction(country)
    for name in jurisdiction.parameter_names():
        loaded = load_parameter(jurisdiction.data_dir, name)
        assert loaded.description and loaded.unit and loaded.legal_basis
        assert loaded.values or "[NOT FOUND]" in loaded.status
        assert all(value.source for value in loaded.values)


def _write(tmp_path, name, text):
    path = (tmp_path / "parameters" / name).with_suffix(".yaml")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_a_value_holds_until_the_next_date_and_amounts_are_decimal(tmp_path):
    _write(
        tmp_path,
        "social_assistance/income_criterion/single_person",
        "description: kryterium dochodowe osoby samotnie gospodarującej\n"
        "unit: PLN\n"
        "legal_basis: art. 8 ust. 1 pkt 1 u.p.s.\n"
        "values:\n"
        "  2022-01-01: {value: '776', source: Dz.U. 2021 poz. 1296}\n"
        "  2025-01-01: {value: '1010', source: Dz.U. 2024 poz. 1044}\n",
    )
    name = "social_assistance/income_criterion/single_person"

    assert parameter_in_force(tmp_path, name, D(2024, 12, 31)).value == Decimal("776")
    assert parameter_in_force(tmp_path, name, D(2025, 1, 1)).value == Decimal("1010")
    assert parameter_in_force(tmp_path, name, D(2025, 1, 1)).source == "Dz.U. 2024 poz. 1044"
    with pytest.raises(ParameterNotInForce):
        parameter_in_force(tmp_path, name, D(2021, 12, 31))
    assert parameter_names(tmp_path) == [name]


def test_a_float_in_parameter_data_is_refused(tmp_path):
    _write(
        tmp_path, "x", "description: d\nunit: PLN\nlegal_basis: b\nvalues:\n  2022-01-01: {value: 776.5, source: s}\n"
    )
    with pytest.raises(PackDataError, match="float"):
        load_parameter(tmp_path, "x")


def test_a_parameter_without_values_must_say_why(tmp_path):
    _write(tmp_path, "x", "description: d\nunit: months\nlegal_basis: b\nvalues: {}\n")
    with pytest.raises(PackDataError, match="status"):
        load_parameter(tmp_path, "x")


def test_due_on_refuses_a_parameter_that_is_not_a_period(tmp_path):
    _write(tmp_path, "x", "description: d\nunit: PLN\nlegal_basis: b\nvalues:\n  2022-01-01: {value: '1', source: s}\n")
    with pytest.raises(UnsupportedDeadlineUnit):
        due_on(D(2025, 1, 1), parameter_in_force(tmp_path, "x", D(2025, 1, 1)), "PL")


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [(D(2025, 1, 31), 1, D(2025, 2, 28)), (D(2024, 1, 31), 1, D(2024, 2, 29)), (D(2025, 11, 15), 2, D(2026, 1, 15)),
     (D(2025, 3, 31), -1, D(2025, 2, 28))],
)  # fmt: skip
def test_add_months_keeps_the_day_or_falls_back_to_the_month_end(start, months, expected):
    assert add_months(start, months) == expected
