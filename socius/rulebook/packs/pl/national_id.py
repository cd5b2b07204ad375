"""PESEL (ustawa o ewidencji ludności, art. 15): YYMMDD, serial, sex digit, check digit.

Checksum and date come from python-stdnum's `stdnum.pl.pesel`; the sex digit is the tenth
(even: female, odd: male); the month carries the century (+80 1800s, +0 1900s, +20 2000s ...).
"""

from stdnum.exceptions import InvalidComponent
from stdnum.pl import pesel

from socius.rulebook.engine.national_id import BAD_DATE, CHECKSUM, IdCheck, IdProblem, compact, shape_problem


def parse_pesel(value: str) -> IdCheck:
    number = compact(value)
    problem = shape_problem(number, 11)
    if problem:
        return IdCheck(number, problems=(problem,))
    # What pesel.validate checks, called on the number directly: it is already stdnum's compact form
    # (11 ASCII digits), and stdnum cleans a number again in each of validate, get_birth_date and
    # get_gender, four Unicode clean-ups per PESEL that cost half an import's row checks.
    if number[-1] != pesel.calc_check_digit(number[:-1]):
        return IdCheck(number, problems=(IdProblem(CHECKSUM),))
    try:
        birth_date = pesel.get_birth_date(number)
    except InvalidComponent:
        return IdCheck(number, problems=(IdProblem(BAD_DATE),))
    return IdCheck(number, birth_date=birth_date, sex="F" if number[9] in "02468" else "M")
