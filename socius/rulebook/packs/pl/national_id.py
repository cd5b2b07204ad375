"""PESEL (ustawa o ewidencji ludności, art. 15): YYMMDD, serial, sex digit, check digit.

Checksum, date and sex come from python-stdnum's `stdnum.pl.pesel`; the sex digit is the tenth
(even: female, odd: male); the month carries the century (+80 1800s, +0 1900s, +20 2000s ...).
"""

from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.pl import pesel

from socius.rulebook.engine.national_id import (
    BAD_DATE,
    CHECKSUM,
    LENGTH,
    NOT_DIGITS,
    IdCheck,
    IdProblem,
    compact,
    is_ascii_digits,
)


def parse_pesel(value: str) -> IdCheck:
    number = compact(value)
    if not is_ascii_digits(number):
        return IdCheck(number, problems=(IdProblem(NOT_DIGITS),))
    if len(number) != 11:
        return IdCheck(number, problems=(IdProblem(LENGTH, {"expected": 11, "actual": len(number)}),))
    try:
        pesel.validate(number)
    except InvalidChecksum:
        return IdCheck(number, problems=(IdProblem(CHECKSUM),))
    except (InvalidComponent, InvalidFormat, InvalidLength):
        return IdCheck(number, problems=(IdProblem(BAD_DATE),))
    return IdCheck(number, birth_date=pesel.get_birth_date(number), sex=pesel.get_gender(number))
