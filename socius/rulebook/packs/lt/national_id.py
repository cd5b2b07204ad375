"""Lithuanian asmens kodas: G YYMMDD NNN K.

G gives sex and century (1/2 1800s, 3/4 1900s, 5/6 2000s; odd male, even female; 9 = special
number whose date is not checked). K is a two-pass mod-11 checksum (weights 1..9,1 then 3..9,1,2,3).
Checksum and date come from python-stdnum's `stdnum.lt.asmens`; sex is read from G here because
the library does not expose it.
"""

from stdnum.lt import asmens

from socius.rulebook.engine.national_id import (
    LEADING_DIGIT,
    IdCheck,
    IdProblem,
    compact,
    shape_problem,
    stdnum_problem,
)


def parse_asmens_kodas(value: str) -> IdCheck:
    number = compact(value)
    problem = shape_problem(number, 11)
    if problem is None and number[0] not in "1234569":
        problem = IdProblem(LEADING_DIGIT, {"allowed": "1-6, 9"})
    problem = problem or stdnum_problem(asmens.validate, number)
    if problem:
        return IdCheck(number, problems=(problem,))
    if number[0] == "9":
        return IdCheck(number)
    sex = "M" if int(number[0]) % 2 else "F"
    return IdCheck(number, birth_date=asmens.get_birth_date(number), sex=sex)
