"""Report periods by key: `2026-10` a month, `2026-Q3` a quarter, `2026-H1` a half year, `2026` a year."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from socius.common.errors import ValidationFailed
from socius.common.formatting import month_in_text

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Period:
    key: str
    start: dt.date  # first day
    end: dt.date  # exclusive: the day after the last day
    kind: str  # "month" | "quarter" | "half" | "year"

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    def label(self) -> str:
        """The period in the reader's language ("October 2026", "2026, Q3", "2026, first half", "2026")."""
        if self.kind == "month":  # inside titles ("Raportul lunar de activitate, noiembrie 2026")
            return month_in_text(self.start)
        year = self.start.year
        if self.kind == "quarter":
            return _("%(year)s, quarter %(quarter)s") % {"year": year, "quarter": (self.start.month - 1) // 3 + 1}
        if self.kind == "half":
            return (
                _("%(year)s, first half") % {"year": year}
                if self.start.month == 1
                else _("%(year)s, second half") % {"year": year}
            )
        return str(year)

    def previous_months(self, count: int) -> list[Period]:
        """The `count` months before this one (a month period), oldest first: the charts' history."""
        months = []
        year, month = self.start.year, self.start.month
        for _i in range(count):
            month -= 1
            if month == 0:
                year, month = year - 1, 12
            months.append(month_period(year, month))
        return list(reversed(months))


def month_period(year: int, month: int) -> Period:
    start = dt.date(year, month, 1)
    end = dt.date(year + (month == 12), month % 12 + 1, 1)
    return Period(f"{year:04d}-{month:02d}", start, end, "month")


def parse_period(
    key, *, field: str = "period", kinds: tuple[str, ...] = ("month", "quarter", "half", "year")
) -> Period:
    """The period named by `key`, or ValidationFailed on `field` (a kind not in `kinds` is refused too)."""
    text = str(key or "").strip()
    found: Period | None = None
    if m := _MONTH.match(text):
        year, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12 and 1900 < year < 2200:
            found = month_period(year, month)
    elif m := _QUARTER.match(text):
        year, q = int(m.group(1)), int(m.group(2))
        if 1900 < year < 2200:
            start = dt.date(year, 3 * q - 2, 1)
            end = dt.date(year + (q == 4), (3 * q) % 12 + 1, 1)
            found = Period(f"{year:04d}-Q{q}", start, end, "quarter")
    elif m := _HALF.match(text):
        year, h = int(m.group(1)), int(m.group(2))
        if 1900 < year < 2200:
            start = dt.date(year, 1 if h == 1 else 7, 1)
            end = dt.date(year, 7, 1) if h == 1 else dt.date(year + 1, 1, 1)
            found = Period(f"{year:04d}-H{h}", start, end, "half")
    elif m := _YEAR.match(text):
        year = int(m.group(1))
        if 1900 < year < 2200:
            found = Period(f"{year:04d}", dt.date(year, 1, 1), dt.date(year + 1, 1, 1), "year")
    if found is None or found.kind not in kinds:
        examples = {"month": "2026-10", "quarter": "2026-Q3", "half": "2026-H1", "year": "2026"}
        raise ValidationFailed(
            {field: [_("Enter a period such as %(examples)s.") % {"examples": ", ".join(examples[k] for k in kinds)}]}
        )
    return found
