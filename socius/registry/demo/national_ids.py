"""Synthetic national IDs, valid per the rulebook packs and consistent with birth date and sex.

Deterministic for a given random generator, so `load_demo --seed` gives the same data every time.
"""

from __future__ import annotations

import datetime as dt
import random

from stdnum.lt import asmens
from stdnum.pl import pesel

# Not imported from the MD pack: importing one pack module directly registers only that pack, and
# `get_jurisdiction` then skips loading the others (it loads packs only while its registry is empty).
_IDNP_WEIGHTS = (7, 3, 1) * 4


def _idnp_check_digit(body: str) -> str:
    return str(sum(w * int(d) for w, d in zip(_IDNP_WEIGHTS, body, strict=True)) % 10)


_PESEL_MONTH_OFFSET = {18: 80, 19: 0, 20: 20, 21: 40, 22: 60}
_ASMENS_CENTURY = {18: 1, 19: 3, 20: 5}


def make_pesel(rng: random.Random, birth_date: dt.date, sex: str) -> str:
    """PESEL: YYMMDD (century in the month), three serial digits, a sex digit (odd male), a check digit."""
    month = birth_date.month + _PESEL_MONTH_OFFSET[birth_date.year // 100]
    sex_digit = rng.choice("13579" if sex == "M" else "02468")
    body = f"{birth_date.year % 100:02d}{month:02d}{birth_date.day:02d}{rng.randrange(1000):03d}{sex_digit}"
    return body + pesel.calc_check_digit(body)


def make_asmens_kodas(rng: random.Random, birth_date: dt.date, sex: str) -> str:
    """Asmens kodas: G (sex and century), YYMMDD, three serial digits, a check digit."""
    first = _ASMENS_CENTURY[birth_date.year // 100] + (1 if sex == "F" else 0)
    body = f"{first}{birth_date:%y%m%d}{rng.randrange(1000):03d}"
    return body + asmens.calc_check_digit(body + "0")  # stdnum ignores the last digit it is given


def make_idnp(rng: random.Random, birth_date: dt.date, today: dt.date) -> str:
    """IDNP: 2, the last three digits of the year the number was assigned, eight digits, a check digit.

    The IDNP encodes neither birth date nor sex. The check digit follows the 7-3-1 rule the pack
    keeps ready (not confirmed, so not enforced): demo numbers stay valid if the pack switches it on.
    """
    year = rng.randint(max(2000, birth_date.year), today.year)
    body = f"2{year % 1000:03d}{rng.randrange(10**8):08d}"
    return body + _idnp_check_digit(body)


def make_national_id(code: str, rng: random.Random, birth_date: dt.date, sex: str, today: dt.date) -> str:
    if code == "PL":
        return make_pesel(rng, birth_date, sex)
    if code == "LT":
        return make_asmens_kodas(rng, birth_date, sex)
    if code == "MD":
        return make_idnp(rng, birth_date, today)
    raise ValueError(f"no demo national IDs for {code}")
