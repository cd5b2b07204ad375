"""Result types of national ID validation, shared by all packs.

Packs report problems as codes with parameters; the edge (registry forms, API) turns them into
translated messages, so the rulebook stays free of Django and of any language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

Sex = Literal["F", "M"]

# Problem codes a pack may report.
LENGTH = "length"
NOT_DIGITS = "not_digits"
LEADING_DIGIT = "leading_digit"
CHECKSUM = "checksum"
BAD_DATE = "bad_date"
BIRTH_DATE_MISMATCH = "birth_date_mismatch"
SEX_MISMATCH = "sex_mismatch"


@dataclass(frozen=True)
class IdProblem:
    code: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class IdCheck:
    """What a pack learned from a national ID: its compact form, what it encodes, what is wrong."""

    number: str
    birth_date: dt.date | None = None
    sex: Sex | None = None
    problems: tuple[IdProblem, ...] = ()

    @property
    def is_valid(self) -> bool:
        return not self.problems


def compact(value: str) -> str:
    return "".join(ch for ch in value if not ch.isspace() and ch not in "-./")


def is_ascii_digits(value: str) -> bool:
    """0-9 only: str.isdigit() alone also accepts other scripts' digits and superscripts (٣, ３, ²)."""
    return value.isascii() and value.isdigit()


def shape_problem(number: str, length: int) -> IdProblem | None:
    """The first problem with a number's shape: ASCII digits only, the statutory length."""
    if not is_ascii_digits(number):
        return IdProblem(NOT_DIGITS)
    if len(number) != length:
        return IdProblem(LENGTH, {"expected": length, "actual": len(number)})
    return None


def stdnum_problem(validate: Callable[[str], object], number: str) -> IdProblem | None:
    """Run a python-stdnum validator; its exceptions become our problem codes."""
    try:
        validate(number)
    except InvalidChecksum:
        return IdProblem(CHECKSUM)
    except (InvalidComponent, InvalidFormat, InvalidLength):
        return IdProblem(BAD_DATE)
    return None


def check_consistency(check: IdCheck, birth_date: dt.date | None, sex: str | None) -> IdCheck:
    """Add mismatch problems when the ID encodes a birth date or sex that differs from what was entered."""
    if check.problems:
        return check
    problems: list[IdProblem] = []
    if birth_date and check.birth_date and birth_date != check.birth_date:
        problems.append(IdProblem(BIRTH_DATE_MISMATCH, {"encoded": check.birth_date.isoformat()}))
    if sex in ("F", "M") and check.sex and sex != check.sex:
        problems.append(IdProblem(SEX_MISMATCH, {"encoded": check.sex}))
    if not problems:
        return check
    return IdCheck(check.number, check.birth_date, check.sex, tuple(problems))
