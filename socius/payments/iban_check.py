"""IBAN validity for a whole payment run at once: python-stdnum's verdict, at a fraction of its cost per IBAN.

`stdnum.iban.is_valid` does four things per number: cleans it, checks the ISO 7064 mod 97-10 check digits, looks
the country up in its IBAN registry and matches the BBAN against the country's structure, then runs the country's
own module if stdnum has one. For a run of 800,000 transfers the registry lookup and the cleaning are three
quarters of the check's time (issue 9's benchmark), yet their answer depends only on the number's shape: its
country, its length and which positions hold digits or letters. So each distinct shape is asked of stdnum once
(on a representative given valid check digits by `stdnum.iban.calc_check_digits`), and each number is then
checked for its own check digits with stdnum's `mod_97_10`. Countries for which stdnum has a national IBAN module
(national check digits) are left to `stdnum.iban.is_valid` number by number. The verdict equals stdnum's for every
number (tested against `is_valid` on valid, mistyped, mis-shaped and unknown-country IBANs).
"""

from __future__ import annotations

import re

from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError
from stdnum.iso7064 import mod_97_10
from stdnum.util import get_cc_module

_COMPACT = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$")
_SHAPE = str.maketrans("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", "n" * 10 + "a" * 26)


class IbanChecker:
    """Answers `is_valid(iban)` as `stdnum.iban.is_valid` does, remembering what depends only on the shape."""

    def __init__(self) -> None:
        self._shapes: dict[str, bool] = {}
        self._national: dict[str, bool] = {}

    def _has_national_module(self, country: str) -> bool:
        found = self._national.get(country)
        if found is None:
            found = self._national[country] = get_cc_module(country, "iban") is not None
        return found

    def _shape_ok(self, number: str) -> bool:
        shape = number[:2] + number[4:].translate(_SHAPE)
        found = self._shapes.get(shape)
        if found is None:
            try:
                representative = number[:2] + stdnum_iban.calc_check_digits(number) + number[4:]
                found = stdnum_iban.is_valid(representative, check_country=False)
            except ValidationError:
                found = False
            self._shapes[shape] = found
        return found

    def is_valid(self, number: str) -> bool:
        if not _COMPACT.match(number or ""):
            return stdnum_iban.is_valid(number or "")  # not in compact form: stdnum cleans and decides
        if self._has_national_module(number[:2]):
            return stdnum_iban.is_valid(number)
        return self._shape_ok(number) and mod_97_10.is_valid(number[4:] + number[:4])
