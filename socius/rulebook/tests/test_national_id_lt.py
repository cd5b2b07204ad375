"""Lithuanian asmens kodas: two-pass checksum, century and sex digit, special numbers (pure Python)."""

import datetime as dt

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from socius.rulebook import get_jurisdiction
from socius.rulebook.engine.national_id import (
    BAD_DATE,
    BIRTH_DATE_MISMATCH,
    CHECKSUM,
    LEADING_DIGIT,
    LENGTH,
    NOT_DIGITS,
    SEX_MISMATCH,
    IdCheck,
    IdProblem,
)
from socius.rulebook.packs.lt.national_id import parse_asmens_kodas
from socius.testing.national_ids import make_asmens_kodas


@pytest.mark.parametrize(
    ("number", "birth_date", "sex"),
    [
        ("33309240064", dt.date(1933, 9, 24), "M"),  # library docstring (DOMAIN.md H)
        ("38703181745", dt.date(1987, 3, 18), "M"),  # pass 1: 192 mod 11 = 5
        ("38703180157", dt.date(1987, 3, 18), "M"),  # pass 1 gives 10, pass 2: 194 mod 11 = 7
        ("49005150840", dt.date(1990, 5, 15), "F"),  # both passes give 10 -> check 0
        ("50503151236", dt.date(2005, 3, 15), "M"),  # G=5: 2000s, male
        ("60503151237", dt.date(2005, 3, 15), "F"),  # G=6: 2000s, female
        ("15003010011", dt.date(1850, 3, 1), "M"),  # G=1: 1800s, male
        ("28812310015", dt.date(1888, 12, 31), "F"),  # G=2: 1800s, female
    ],
)
def test_valid_asmens_kodas_yields_encoded_birth_date_and_sex(number, birth_date, sex):
    assert parse_asmens_kodas(number) == IdCheck(number, birth_date=birth_date, sex=sex)


@pytest.mark.parametrize("number", ["33309240164", "38703181744"])
def test_asmens_kodas_with_wrong_check_digit_is_a_checksum_problem(number):
    assert parse_asmens_kodas(number) == IdCheck(number, problems=(IdProblem(CHECKSUM),))


@pytest.mark.parametrize(
    "number",
    [
        "39013011237",  # month 13, correct check digit
        "39002301231",  # 30 February 1990, correct check digit
    ],
)
def test_asmens_kodas_with_impossible_birth_date_is_a_date_problem(number):
    assert parse_asmens_kodas(number) == IdCheck(number, problems=(IdProblem(BAD_DATE),))


def test_special_number_starting_with_9_skips_the_date_but_not_the_checksum():
    # 9 = special number: its "date" (month 13, day 99) is not a date and is not checked.
    assert parse_asmens_kodas("99913990014") == IdCheck("99913990014")


def test_special_number_starting_with_9_with_wrong_check_digit_is_a_checksum_problem():
    assert parse_asmens_kodas("99913990015").problems == (IdProblem(CHECKSUM),)


def test_special_number_is_consistent_with_any_entered_birth_date_and_sex():
    check = get_jurisdiction("LT").validate_national_id("99913990014", dt.date(1970, 1, 1), "F")

    assert check.is_valid


@pytest.mark.parametrize("number", ["70503151238", "80503151238", "00503151238"])
def test_asmens_kodas_with_leading_digit_other_than_1_to_6_or_9_is_refused(number):
    assert parse_asmens_kodas(number).problems == (IdProblem(LEADING_DIGIT, {"allowed": "1-6, 9"}),)


@pytest.mark.parametrize(("value", "actual"), [("3330924006", 10), ("333092400640", 12)])
def test_asmens_kodas_of_wrong_length_reports_expected_and_actual_length(value, actual):
    assert parse_asmens_kodas(value).problems == (IdProblem(LENGTH, {"expected": 11, "actual": actual}),)


@pytest.mark.parametrize("value", ["3330924006X", "LT33309240064", "3330924006４"])
def test_asmens_kodas_with_anything_but_ascii_digits_is_refused(value):
    assert parse_asmens_kodas(value).problems == (IdProblem(NOT_DIGITS),)


def test_asmens_kodas_spaces_are_removed():
    assert parse_asmens_kodas("333 0924 0064").number == "33309240064"


def test_asmens_kodas_differing_from_entered_birth_date_and_sex_reports_encoded_values():
    check = get_jurisdiction("LT").validate_national_id("50503151236", dt.date(2005, 3, 16), "F")

    assert check.problems == (
        IdProblem(BIRTH_DATE_MISMATCH, {"encoded": "2005-03-15"}),
        IdProblem(SEX_MISMATCH, {"encoded": "M"}),
    )


def test_asmens_kodas_matching_entered_birth_date_and_sex_is_valid():
    assert get_jurisdiction("LT").validate_national_id("60503151237", dt.date(2005, 3, 15), "F").is_valid


def test_two_pass_checksum_cannot_catch_every_single_digit_error():
    # The statutory rule maps remainders 10 -> pass 2 -> 0, so a few typos keep a valid check digit:
    # 1948-03-21 and 1948-03-26 with the same serial both check to 8. The registry must not rely on
    # the checksum alone to tell persons apart (hence the duplicate checks on name and birth date).
    assert parse_asmens_kodas("34803212618").is_valid
    assert parse_asmens_kodas("34803262618").is_valid


births = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))
sexes = st.sampled_from(["F", "M"])
serials = st.integers(min_value=0, max_value=999)


@settings(deadline=None)  # no timing in tests: a slow CI machine must not fail them
@given(birth_date=births, sex=sexes, serial=serials)
def test_generated_asmens_kodas_validates_and_round_trips_birth_date_and_sex(birth_date, sex, serial):
    number = make_asmens_kodas(birth_date, sex, serial)

    assert parse_asmens_kodas(number) == IdCheck(number, birth_date=birth_date, sex=sex)
    assert get_jurisdiction("LT").validate_national_id(number, birth_date, sex).is_valid


def _first_pass_remainder(number: str) -> int:
    return sum(w * int(d) for w, d in zip((1, 2, 3, 4, 5, 6, 7, 8, 9, 1), number[:10], strict=True)) % 11


@settings(deadline=None)  # no timing in tests: a slow CI machine must not fail them
@given(
    birth_date=births,
    sex=sexes,
    serial=serials,
    position=st.integers(min_value=0, max_value=10),
    shift=st.integers(min_value=1, max_value=9),
)
def test_changing_any_single_digit_of_a_valid_asmens_kodas_makes_it_invalid_when_pass_one_decides(
    birth_date, sex, serial, position, shift
):
    # Pass-1 weights 1..9, 1 are prime to 11, so a single-digit error always changes the pass-1
    # remainder; it is caught for certain whenever neither number falls back to pass 2 (remainder 10).
    # (The fallback cases can slip through; see test_two_pass_checksum_cannot_catch_every_single_digit_error.)
    number = make_asmens_kodas(birth_date, sex, serial)
    changed = number[:position] + str((int(number[position]) + shift) % 10) + number[position + 1 :]
    assume(_first_pass_remainder(number) != 10 and _first_pass_remainder(changed) != 10)

    assert not parse_asmens_kodas(changed).is_valid
