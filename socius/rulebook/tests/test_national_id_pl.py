"""PESEL: checksum, century encoding, date, sex and consistency with what was entered (pure Python)."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socius.rulebook import get_jurisdiction
from socius.rulebook.engine.national_id import (
    BAD_DATE,
    BIRTH_DATE_MISMATCH,
    CHECKSUM,
    LENGTH,
    NOT_DIGITS,
    SEX_MISMATCH,
    IdCheck,
    IdProblem,
)
from socius.rulebook.packs.pl.national_id import parse_pesel
from socius.testing.national_ids import make_pesel

# Worked examples from DOMAIN.md section H (checked with python-stdnum 2.2).


@pytest.mark.parametrize(
    ("number", "birth_date", "sex"),
    [
        ("44051401359", dt.date(1944, 5, 14), "M"),  # library docstring: sum 101 -> check 9
        ("02211307589", dt.date(2002, 1, 13), "F"),  # month 21 -> 2000s
        ("02122401358", dt.date(1902, 12, 24), "M"),
        ("90090515836", dt.date(1990, 9, 5), "M"),
        ("10271500242", dt.date(2010, 7, 15), "F"),  # month 27 -> July 2010
        ("00222900153", dt.date(2000, 2, 29), "M"),  # 2000 is a leap year
        ("50830100139", dt.date(1850, 3, 1), "M"),  # month 83 -> 1800s
    ],
)
def test_valid_pesel_yields_encoded_birth_date_and_sex(number, birth_date, sex):
    assert parse_pesel(number) == IdCheck(number, birth_date=birth_date, sex=sex)


def test_pesel_with_wrong_check_digit_is_a_checksum_problem():
    check = parse_pesel("44051401358")

    assert check.problems == (IdProblem(CHECKSUM),)
    assert check.birth_date is None
    assert check.sex is None
    assert not check.is_valid


def test_pesel_90090515837_has_a_wrong_check_digit():
    assert parse_pesel("90090515837").problems == (IdProblem(CHECKSUM),)


@pytest.mark.parametrize(
    "number",
    [
        "02381307589",  # month 38 -> 2000s month 18
        "90023012340",  # 30 February 1990, correct check digit
        "00022900157",  # 29 February 1900: not a leap year
        "90001000154",  # month 00
    ],
)
def test_pesel_with_impossible_birth_date_is_a_date_problem(number):
    assert parse_pesel(number) == IdCheck(number, problems=(IdProblem(BAD_DATE),))


@pytest.mark.parametrize(
    ("value", "actual"),
    [("4405140135", 10), ("440514013590", 12), ("4", 1)],
)
def test_pesel_of_wrong_length_reports_expected_and_actual_length(value, actual):
    assert parse_pesel(value).problems == (IdProblem(LENGTH, {"expected": 11, "actual": actual}),)


@pytest.mark.parametrize(
    "value",
    [
        "4405140135A",
        "PESEL44051401359",
        "",
        "44051401３59",  # full-width digit
        "4405140135٩",  # Arabic-Indic digit nine
        "4405140135²",  # superscript two
    ],
)
def test_pesel_with_anything_but_ascii_digits_is_refused(value):
    assert parse_pesel(value).problems == (IdProblem(NOT_DIGITS),)


def test_pesel_separators_and_spaces_are_removed():
    check = parse_pesel(" 440514-013.59 ")

    assert check.number == "44051401359"
    assert check.is_valid


def test_pesel_matching_the_entered_birth_date_and_sex_is_valid():
    check = get_jurisdiction("PL").validate_national_id("44051401359", dt.date(1944, 5, 14), "M")

    assert check.is_valid


def test_pesel_differing_from_entered_birth_date_reports_the_encoded_date():
    check = get_jurisdiction("PL").validate_national_id("44051401359", dt.date(1944, 5, 15), "M")

    assert check.problems == (IdProblem(BIRTH_DATE_MISMATCH, {"encoded": "1944-05-14"}),)


def test_pesel_differing_from_entered_sex_reports_the_encoded_sex():
    check = get_jurisdiction("PL").validate_national_id("02211307589", dt.date(2002, 1, 13), "M")

    assert check.problems == (IdProblem(SEX_MISMATCH, {"encoded": "F"}),)


def test_pesel_differing_in_both_birth_date_and_sex_reports_both():
    check = get_jurisdiction("PL").validate_national_id("44051401359", dt.date(1945, 5, 14), "F")

    assert check.problems == (
        IdProblem(BIRTH_DATE_MISMATCH, {"encoded": "1944-05-14"}),
        IdProblem(SEX_MISMATCH, {"encoded": "M"}),
    )


def test_pesel_consistency_is_not_checked_when_nothing_was_entered():
    assert get_jurisdiction("PL").validate_national_id("44051401359", None, None).is_valid
    assert get_jurisdiction("PL").validate_national_id("44051401359", None, "").is_valid


def test_invalid_pesel_reports_only_its_own_problem_not_a_mismatch():
    check = get_jurisdiction("PL").validate_national_id("44051401358", dt.date(2000, 1, 1), "F")

    assert check.problems == (IdProblem(CHECKSUM),)


# Properties over the whole range the registry meets.

births = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))
sexes = st.sampled_from(["F", "M"])
serials = st.integers(min_value=0, max_value=999)


@settings(deadline=None)  # no timing in tests: a slow CI machine must not fail them
@given(birth_date=births, sex=sexes, serial=serials)
def test_generated_pesel_validates_and_round_trips_birth_date_and_sex(birth_date, sex, serial):
    number = make_pesel(birth_date, sex, serial)

    assert parse_pesel(number) == IdCheck(number, birth_date=birth_date, sex=sex)
    assert get_jurisdiction("PL").validate_national_id(number, birth_date, sex).is_valid


@settings(deadline=None)  # no timing in tests: a slow CI machine must not fail them
@given(
    birth_date=births,
    sex=sexes,
    serial=serials,
    position=st.integers(min_value=0, max_value=10),
    shift=st.integers(min_value=1, max_value=9),
)
def test_changing_any_single_digit_of_a_valid_pesel_makes_it_invalid(birth_date, sex, serial, position, shift):
    # Weights 1, 3, 7, 9 are prime to 10, so every single-digit error changes the check digit.
    number = make_pesel(birth_date, sex, serial)
    changed = number[:position] + str((int(number[position]) + shift) % 10) + number[position + 1 :]

    assert not parse_pesel(changed).is_valid
