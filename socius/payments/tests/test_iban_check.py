"""The run check's IBAN verdicts equal python-stdnum's, number by number."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import iban as stdnum_iban

from socius.payments.iban_check import IbanChecker

VALID = [
    "PL61109010140000071219812874",
    "PL27114020040000300201355387",
    "LT121000011101001000",
    "MD24AG000225100013104168",
    "DE89370400440532013000",
    "BE62510007547061",  # stdnum has a national module for Belgium: decided number by number
    "GB29NWBK60161331926819",
]
INVALID = [
    "PL61109010140000071219812875",  # one digit mistyped
    "PL6110901014000007121981287",  # one digit short
    "LT121000011101001001",
    "MD24AG00022510001310416",  # too short for Moldova
    "PL6110901014000007121981287A",  # a letter where Poland wants a digit
    "XX61109010140000071219812874",  # no such country
    "BE68539007547034",  # check digits right, national check digits wrong
    "PL00109010140000071219812874",
    "",
    "pl61109010140000071219812874",  # not compact: stdnum decides
    "PL61 1090 1014 0000 0712 1981 2874",
]


def test_the_checker_agrees_with_stdnum_on_known_numbers():
    checker = IbanChecker()
    for number in VALID + INVALID:
        assert checker.is_valid(number) == stdnum_iban.is_valid(number), number
    assert all(checker.is_valid(n) for n in VALID)


def test_a_shape_answered_once_does_not_decide_the_check_digits():
    checker = IbanChecker()
    assert checker.is_valid("PL61109010140000071219812874")
    assert not checker.is_valid("PL62109010140000071219812874")  # same shape, wrong check digits


@settings(max_examples=300, deadline=None)
@given(
    country=st.sampled_from(["PL", "LT", "MD", "DE", "BE", "FR", "ZZ"]),
    body=st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=8, max_size=30),
    fix_check_digits=st.booleans(),
)
def test_the_checker_agrees_with_stdnum_on_any_number(country, body, fix_check_digits):
    number = country + "00" + body
    if fix_check_digits:
        number = country + stdnum_iban.calc_check_digits(number) + body
    assert IbanChecker().is_valid(number) == stdnum_iban.is_valid(number)
