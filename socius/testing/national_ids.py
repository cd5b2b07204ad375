"""Synthetic national IDs for tests and demo data. Pure Python (no Django), so rulebook tests can use it."""

from __future__ import annotations

import datetime as dt
import random

from stdnum.ee import ik as stdnum_ik
from stdnum.pl import pesel as stdnum_pesel

_PESEL_MONTH_OFFSET = {18: 80, 19: 0, 20: 20, 21: 40, 22: 60}
_ASMENS_CENTURY_MALE = {18: 1, 19: 3, 20: 5}


def make_pesel(birth_date: dt.date, sex: str, serial: int | None = None) -> str:
    """A valid PESEL for a birth date and sex (synthetic)."""
    month = birth_date.month + _PESEL_MONTH_OFFSET[birth_date.year // 100]
    serial = random.randint(0, 999) if serial is None else serial
    sex_digit = random.choice([1, 3, 5, 7, 9] if sex == "M" else [0, 2, 4, 6, 8])
    body = f"{birth_date.year % 100:02d}{month:02d}{birth_date.day:02d}{serial:03d}{sex_digit}"
    return body + stdnum_pesel.calc_check_digit(body)


def make_asmens_kodas(birth_date: dt.date, sex: str, serial: int | None = None) -> str:
    """A valid Lithuanian asmens kodas for a birth date (1800-2099) and sex (synthetic)."""
    century = _ASMENS_CENTURY_MALE[birth_date.year // 100] + (1 if sex == "F" else 0)
    serial = random.randint(0, 999) if serial is None else serial
    body = f"{century}{birth_date.year % 100:02d}{birth_date.month:02d}{birth_date.day:02d}{serial:03d}"
    # stdnum's ee.ik.calc_check_digit takes the whole number and ignores its last digit: pad one.
    return body + stdnum_ik.calc_check_digit(body + "0")


def make_idnp(serial: int | None = None) -> str:
    """A 13-digit IDNP beginning with 2 (the check-digit rule is not confirmed, so any last digit)."""
    serial = random.randint(0, 10**11 - 1) if serial is None else serial
    return f"2{serial:011d}" + str(random.randint(0, 9))
