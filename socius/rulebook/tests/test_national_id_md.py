"""Moldovan IDNP: 13 digits and the leading digit; the 7-3-1 check digit stays off until confirmed."""

import datetime as dt

import pytest

from socius.rulebook import get_jurisdiction
from socius.rulebook.engine.national_id import CHECKSUM, LEADING_DIGIT, LENGTH, NOT_DIGITS, IdCheck, IdProblem
from socius.rulebook.packs.md import national_id as idnp
from socius.rulebook.packs.md.national_id import check_digit_731, parse_idnp
from socius.testing.national_ids import make_idnp


@pytest.mark.parametrize("number", ["2002001234567", "0971306012345", "2004500000000"])
def test_idnp_of_13_digits_beginning_with_0_or_2_is_valid(number):
    assert parse_idnp(number) == IdCheck(number)


def test_idnp_encodes_neither_birth_date_nor_sex_so_any_entered_values_are_consistent():
    check = get_jurisdiction("MD").validate_national_id("2002001234567", dt.date(1980, 1, 1), "F")

    assert check == IdCheck("2002001234567")


@pytest.mark.parametrize("number", ["1002001234567", "3002001234567", "9002001234567"])
def test_idnp_beginning_with_another_digit_is_refused(number):
    assert parse_idnp(number).problems == (IdProblem(LEADING_DIGIT, {"allowed": "0, 2"}),)


@pytest.mark.parametrize(("value", "actual"), [("200200123456", 12), ("20020012345678", 14), ("2", 1)])
def test_idnp_of_wrong_length_reports_expected_and_actual_length(value, actual):
    assert parse_idnp(value).problems == (IdProblem(LENGTH, {"expected": 13, "actual": actual}),)


@pytest.mark.parametrize("value", ["200200123456A", "MD2002001234567", "2²²²²²²²²²²²²", "2٠٠٠٠٠٠٠٠٠٠٠٠"])
def test_idnp_with_anything_but_ascii_digits_is_refused(value):
    assert parse_idnp(value).problems == (IdProblem(NOT_DIGITS),)


def test_idnp_spaces_and_dashes_are_removed():
    assert parse_idnp("2002-001 234 567").number == "2002001234567"


def test_unconfirmed_checksum_means_any_last_digit_is_accepted():
    assert idnp.CHECKSUM_CONFIRMED is False
    # 1008600038413 has 7-3-1 check digit 3; every other last digit passes too while unconfirmed.
    for last in "0123456789":
        assert parse_idnp("200860003841" + last).problems == ()


def test_check_digit_731_on_the_idno_worked_example():
    # stdnum.md.idno docstring (DOMAIN.md H): weights 7,3,1 repeated over 12 digits,
    # 7*1 + 3*0 + 1*0 + 7*8 + 3*6 + 1*0 + 7*0 + 3*0 + 1*3 + 7*8 + 3*4 + 1*1 = 153 -> 3.
    assert check_digit_731("1008600038413") == "3"
    assert check_digit_731("100860003841") == "3"  # the check digit itself is not read


def test_confirmed_checksum_refuses_a_wrong_last_digit(monkeypatch):
    monkeypatch.setattr(idnp, "CHECKSUM_CONFIRMED", True)
    body = "200860003841"
    right = check_digit_731(body)
    wrong = str((int(right) + 1) % 10)

    assert parse_idnp(body + right).is_valid
    assert parse_idnp(body + wrong).problems == (IdProblem(CHECKSUM),)


def test_generated_idnp_is_valid():
    for serial in (0, 1, 12345678901, 10**11 - 1):
        number = make_idnp(serial)
        assert len(number) == 13
        assert parse_idnp(number).is_valid
