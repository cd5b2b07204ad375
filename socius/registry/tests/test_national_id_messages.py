"""The pack's problem codes become messages naming the ID and what it encodes (English source texts)."""

import datetime as dt

import pytest
from django.utils import translation

from socius.registry.national_id import check_national_id, problem_messages
from socius.rulebook.engine.national_id import IdCheck, IdProblem


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _messages(country, value, birth_date=None, sex=None):
    return problem_messages(country, check_national_id(country, value, birth_date, sex))


def test_valid_id_has_no_messages():
    assert _messages("PL", "44051401359", dt.date(1944, 5, 14), "M") == []


def test_checksum_message_names_the_id():
    assert _messages("PL", "44051401358") == ["PESEL check digit is wrong: the number was probably mistyped."]
    assert _messages("LT", "33309240164") == ["Asmens kodas check digit is wrong: the number was probably mistyped."]


def test_length_message_gives_expected_and_actual_digits():
    assert _messages("MD", "200200123456") == ["IDNP must have 13 digits; this one has 12."]
    assert _messages("PL", "4405140135") == ["PESEL must have 11 digits; this one has 10."]


def test_letters_message():
    assert _messages("LT", "3330924006X") == ["Asmens kodas may contain digits only."]


def test_leading_digit_message():
    assert _messages("MD", "1002001234567") == ["IDNP must begin with 0, 2."]
    assert _messages("LT", "70503151238") == ["Asmens kodas must begin with 1-6, 9."]


def test_bad_date_message():
    assert _messages("PL", "90023012340") == ["PESEL does not encode a valid birth date."]


def test_birth_date_mismatch_message_gives_the_encoded_date():
    assert _messages("PL", "02211307589", dt.date(2002, 1, 14), "F") == [
        "PESEL encodes the birth date 13/01/2002, which differs from the birth date entered."
    ]


def test_sex_mismatch_message_gives_the_encoded_sex():
    assert _messages("LT", "60503151237", dt.date(2005, 3, 15), "M") == [
        "Asmens kodas encodes the sex female, which differs from the sex entered."
    ]
    assert _messages("PL", "44051401359", dt.date(1944, 5, 14), "F") == [
        "PESEL encodes the sex male, which differs from the sex entered."
    ]


def test_every_problem_gets_a_message_in_order():
    check = IdCheck(
        "44051401359",
        problems=(
            IdProblem("birth_date_mismatch", {"encoded": "1944-05-14"}),
            IdProblem("sex_mismatch", {"encoded": "M"}),
        ),
    )

    assert problem_messages("PL", check) == [
        "PESEL encodes the birth date 14/05/1944, which differs from the birth date entered.",
        "PESEL encodes the sex male, which differs from the sex entered.",
    ]


def test_encoded_date_follows_the_active_languages_format():
    check = IdCheck("44051401359", problems=(IdProblem("birth_date_mismatch", {"encoded": "1944-05-14"}),))

    with translation.override("pl"):
        (message,) = problem_messages("PL", check)

    assert "14.05.1944" in message  # config/formats/pl: d.m.Y, as Polish offices write dates
    assert "05/14/1944" not in message
    assert "PESEL" in message


def test_check_national_id_compacts_the_number():
    assert check_national_id("PL", "440 514 013-59").number == "44051401359"
