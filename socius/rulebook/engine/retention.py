"""Retention periods: how long each kind of record is kept, one YAML file per record type under a pack's
`retention/` folder (decision 0023).

A file holds `description`, `record_type`, `anchor` (the event the period runs from: `case_closed`,
`decision_ended`, `payment_made`, `contact_recorded`, `record_changed`), `counted_from` (`anchor`: from the
anchor's day; `next_year`: from 1 January of the year after it, as the archival and accounting rules count),
`period_of` (`anchor`: the period in force on the anchor's day, as an archival category is fixed when the
file is made; `review_day`: the period in force on the day of the review, as the storage-limitation principle
is judged now), `statutory_keep` (whether a statute forbids erasing the record before the period ends, so an
erasure request is refused), `keep_reason` (that statute, in words, given with the refusal) and `values`
keyed by ISO start date, each with `years`, `source` and optionally `confirmed: false`. The period in force on
the anchor's day (or on the review day) applies; a record with no period in force on that day is kept
(never a silent fallback).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from socius.rulebook.engine.data import PackDataError, as_date, load_yaml, require_text

ANCHORS = ("case_closed", "decision_ended", "payment_made", "contact_recorded", "record_changed")
COUNTED_FROM = ("anchor", "next_year")
PERIOD_OF = ("anchor", "review_day")


@dataclass(frozen=True)
class RetentionPeriod:
    """One dated value of a record type's period, with what a reviewer needs to see why."""

    record_type: str
    years: int
    valid_from: dt.date
    source: str
    legal_basis: str
    confirmed: bool = True


@dataclass(frozen=True)
class RetentionRule:
    record_type: str
    description: str
    anchor: str
    counted_from: str
    period_of: str
    statutory_keep: bool
    keep_reason: str
    legal_basis: str
    periods: tuple[RetentionPeriod, ...]  # ordered by valid_from

    def period_for(self, anchor_on: dt.date, on: dt.date) -> RetentionPeriod | None:
        """The period that applies to a record anchored on `anchor_on`, reviewed on `on`; None before the first one."""
        day = on if self.period_of == "review_day" else anchor_on
        index = bisect_right([p.valid_from for p in self.periods], day) - 1
        return self.periods[index] if index >= 0 else None

    def expires_on(self, anchor_on: dt.date, on: dt.date) -> dt.date | None:
        """The first day the record may be anonymised; None when no period applies (kept)."""
        period = self.period_for(anchor_on, on)
        if period is None:
            return None
        start = dt.date(anchor_on.year + 1, 1, 1) if self.counted_from == "next_year" else anchor_on
        return _add_years(start, period.years)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


@cache
def retention_rules(pack_dir: Path) -> dict[str, RetentionRule]:
    """Every record type's rule in the pack, by record type (empty when the pack has no retention folder)."""
    root = pack_dir / "retention"
    if not root.is_dir():
        return {}
    rules = {}
    for path in sorted(root.glob("*.yaml")):
        rule = _load_rule(path)
        if rule.record_type in rules:
            raise PackDataError(f"{path}: record type {rule.record_type!r} declared twice")
        rules[rule.record_type] = rule
    return rules


def _load_rule(path: Path) -> RetentionRule:
    document = load_yaml(path)
    where = str(path)
    if not isinstance(document, dict):
        raise PackDataError(f"{where}: expected a mapping")
    record_type = require_text(document, "record_type", where)
    if record_type != path.stem:
        raise PackDataError(f"{where}: record_type {record_type!r} must match the file name")
    anchor = require_text(document, "anchor", where)
    if anchor not in ANCHORS:
        raise PackDataError(f"{where}: anchor {anchor!r} is not one of {', '.join(ANCHORS)}")
    counted_from = (document.get("counted_from") or "anchor").strip()
    if counted_from not in COUNTED_FROM:
        raise PackDataError(f"{where}: counted_from {counted_from!r} is not one of {', '.join(COUNTED_FROM)}")
    period_of = (document.get("period_of") or "anchor").strip()
    if period_of not in PERIOD_OF:
        raise PackDataError(f"{where}: period_of {period_of!r} is not one of {', '.join(PERIOD_OF)}")
    statutory_keep = document.get("statutory_keep", False)
    if not isinstance(statutory_keep, bool):
        raise PackDataError(f"{where}: statutory_keep must be true or false")
    keep_reason = (document.get("keep_reason") or "").strip()
    if statutory_keep and not keep_reason:
        raise PackDataError(f"{where}: a statutory keep needs its keep_reason")
    legal_basis = require_text(document, "legal_basis", where)
    raw = document.get("values") or {}
    if not isinstance(raw, dict) or not raw:
        raise PackDataError(f"{where}: 'values' must map ISO start dates to periods")
    periods = []
    for key, entry in raw.items():
        start = as_date(key, f"{where}: values key")
        entry_where = f"{where}: values[{start}]"
        if not isinstance(entry, dict):
            raise PackDataError(f"{entry_where}: expected a mapping with 'years' and 'source'")
        years = entry.get("years")
        if isinstance(years, bool) or not isinstance(years, int) or years < 0:
            raise PackDataError(f"{entry_where}: 'years' must be a whole number of years")
        confirmed = entry.get("confirmed", True)
        if not isinstance(confirmed, bool):
            raise PackDataError(f"{entry_where}: 'confirmed' must be true or false")
        periods.append(
            RetentionPeriod(
                record_type=record_type,
                years=years,
                valid_from=start,
                source=require_text(entry, "source", entry_where),
                legal_basis=(entry.get("legal_basis") or legal_basis).strip(),
                confirmed=confirmed,
            )
        )
    periods.sort(key=lambda p: p.valid_from)
    return RetentionRule(
        record_type=record_type,
        description=require_text(document, "description", where),
        anchor=anchor,
        counted_from=counted_from,
        period_of=period_of,
        statutory_keep=statutory_keep,
        keep_reason=keep_reason,
        legal_basis=legal_basis,
        periods=tuple(periods),
    )
