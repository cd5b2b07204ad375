"""Working days per country: Monday to Friday, minus public holidays from python-holidays.

The day a period starts from is not counted (PL: art. 57 § 1 k.p.a. — the term runs from the day
after the event), so `add_working_days(friday, 1, ...)` is the next working Monday. Saturdays and
Sundays are days off in PL, MD and LT; a holiday falling on a weekend changes nothing here (a
Polish employer's substitute day off is not a public holiday). Holiday tables come from the
`holidays` package version pinned in requirements.txt: a correction there changes results, so
upgrade it deliberately.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import holidays

WEEKEND = frozenset({5, 6})  # date.weekday(): Saturday, Sunday


class UnknownCalendar(LookupError):
    """python-holidays has no public-holiday table for this country code."""


def is_working_day(day: dt.date, country: str) -> bool:
    return day.weekday() not in WEEKEND and day not in _public_holidays(country)


def is_public_holiday(day: dt.date, country: str) -> bool:
    return day in _public_holidays(country)


def holiday_name(day: dt.date, country: str) -> str | None:
    """The holiday's English name from python-holidays, for traces and tests; None on an ordinary day."""
    return _public_holidays(country).get(day)


def add_working_days(start: dt.date, n: int, country: str) -> dt.date:
    """The n-th working day after `start` (start itself not counted); n < 0 counts back; n = 0 is `start`."""
    step = dt.timedelta(days=1 if n >= 0 else -1)
    day = start
    remaining = abs(n)
    while remaining:
        day += step
        if is_working_day(day, country):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date, country: str) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is earlier)."""
    if end < start:
        return -working_days_between(end, start, country)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day, country):
            count += 1
    return count


@cache
def _public_holidays(country: str) -> holidays.HolidayBase:
    try:
        # Years are filled in lazily on first lookup, so one object serves any date.
        return holidays.country_holidays(country, categories=(holidays.PUBLIC,))
    except NotImplementedError as exc:
        raise UnknownCalendar(f"no public-holiday calendar for country {country!r}") from exc
