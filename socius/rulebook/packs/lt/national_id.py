"""Lithuanian asmens kodas: G YYMMDD NNN K.

G gives sex and century (1/2 1800s, 3/4 1900s, 5/6 2000s; odd male, even female; 9 = special
number whose date is not checked). K is a two-pass mod-11 checksum (weights 1..9,1 then 3..9,1,2,3).
Checksum and date come from python-stdnum's `stdnum.lt.asmens`; sex is read from G here because
the library does not expose it.
"""

from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.lt import asmens

from socius.rulebook.engine.national_id import (
    BAD_DATE,
    CHECKSUM,
    LEADING_DIGIT,
    LENGTH,
    NOT_DIGITS,
    IdCheck,
    IdProblem,
    compact,
    is_ascii_digits,
)


def parse_asmens_kodas(value: str) -> IdCheck:
    number = compact(value)
    if not is_ascii_digits(number):
        return IdCheck(number, problems=(IdProblem(NOT_DIGITS),))
    if len(number) != 11:
        return IdCheck(number, problems=(IdProblem(LENGTH, {"expected": 11, "actual": len(number)}),))
    if number[0] not in "1234569":
        return IdCheck(number, problems=(IdProblem(LEADING_DIGIT, {"allowed": "1-6, 9"}),))
    try:
        asmens.validate(number)
    except InvalidChecksum:
        return IdCheck(number, problems=(IdProblem(CHECKSUM),))
    except (InvalidComponent, InvalidFormat, InvalidLength):
        return IdCheck(number, problems=(IdProblem(BAD_DATE),))
    if number[0] == "9":
        return IdCheck(number)
    sex = "M" if int(number[0]) % 2 else "F"
    return IdCheck(number, birth_date=asmens.get_birth_date(number), sex=sex)
