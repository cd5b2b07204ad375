"""PESEL (ustawa o ewidencji ludności, art. 15): YYMMDD, serial, sex digit, check digit.

Checksum, date and sex come from python-stdnum's `stdnum.pl.pesel`; the sex digit is the tenth
(even: female, odd: male); the month carries the century (+80 1800s, +0 1900s, +20 2000s ...).
"""

from stdnum.pl import pesel

from socius.rulebook.engine.national_id import IdCheck, compact, shape_problem, stdnum_problem


def parse_pesel(value: str) -> IdCheck:
    number = compact(value)
    problem = shape_problem(number, 11) or stdnum_problem(pesel.validate, number)
    if problem:
        return IdCheck(number, problems=(problem,))
    return IdCheck(number, birth_date=pesel.get_birth_date(number), sex=pesel.get_gender(number))
