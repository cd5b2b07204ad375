"""Moldovan IDNP (numărul de identificare de stat al persoanei fizice), 13 digits.

The check-digit rule is not confirmed from a primary source (see docs/decisions/0002-idnp.md):
python-stdnum has no IDNP module, public validators check only ^\\d{13}$, and the 7-3-1 rule of
the company IDNO is widely assumed but unproven for persons. Until a primary source is found we
check length, digits and the leading digit; CHECKSUM_CONFIRMED switches the 7-3-1 check on.
"""

from socius.rulebook.engine.national_id import (
    CHECKSUM,
    LEADING_DIGIT,
    IdCheck,
    IdProblem,
    compact,
    shape_problem,
)

# Personal codes begin with 2 (assigned by the State Registry since 1990s: 2 + year of assignment);
# codes beginning with 0 were issued on Soviet-era documents and are still in use. [NOT CONFIRMED]
ALLOWED_LEADING_DIGITS = "02"
CHECKSUM_CONFIRMED = False
_WEIGHTS = (7, 3, 1) * 4


def check_digit_731(number: str) -> str:
    return str(sum(w * int(d) for w, d in zip(_WEIGHTS, number[:12], strict=True)) % 10)


def parse_idnp(value: str) -> IdCheck:
    number = compact(value)
    problem = shape_problem(number, 13)
    if problem:
        return IdCheck(number, problems=(problem,))
    if number[0] not in ALLOWED_LEADING_DIGITS:
        return IdCheck(number, problems=(IdProblem(LEADING_DIGIT, {"allowed": "0, 2"}),))
    if CHECKSUM_CONFIRMED and check_digit_731(number) != number[-1]:
        return IdCheck(number, problems=(IdProblem(CHECKSUM),))
    return IdCheck(number)
