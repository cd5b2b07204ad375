"""Due dates from deadline parameters: the unit in the pack's data says how to count."""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt

from socius.rulebook.engine.calendar import add_working_days
from socius.rulebook.engine.parameters import CALENDAR_DAYS, MONTHS, WORKING_DAYS, ParameterValue


class UnsupportedDeadlineUnit(ValueError):
    """The parameter's unit is not a period (working_days, calendar_days, months)."""


def due_on(start: dt.date, period: ParameterValue, country: str) -> dt.date:
    """The last day of a period of `period.value` units that starts after `start`."""
    amount = int(period.value)
    if period.unit == WORKING_DAYS:
        return add_working_days(start, amount, country)
    if period.unit == CALENDAR_DAYS:
        # Plain calendar arithmetic; whether a period ending on a day off moves to the next working
        # day depends on the procedure and is left to the caller.
        return start + dt.timedelta(days=amount)
    if period.unit == MONTHS:
        return add_months(start, amount)
    raise UnsupportedDeadlineUnit(f"parameter {period.name!r} has unit {period.unit!r}, not a period")


def add_months(start: dt.date, months: int) -> dt.date:
    """Same day of the month `months` later, or that month's last day (31 Aug + 6 months = 28/29 Feb)."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    last_day = month_calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(start.day, last_day))
