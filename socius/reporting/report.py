"""A report as the page, the API and the exports read it (decision 0017): its indicators' figures for the scope,
live for a draft or frozen for an approved version, with the difference found since approval and, for the monthly
report, each indicator's last 12 months.

`report_data()` is the one entry point: the web page, the API's JSON, the PDF, the XLSX and the CSV all render the
same `ReportData`, so they never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from socius.accounts.models import User
from socius.reporting.indicators import SECTIONS, Figure, Indicator, Number, Scope, Unit, build_scope, indicators_for
from socius.reporting.models import Report, ReportVersion
from socius.reporting.periods import Period, parse_period
from socius.reporting.statuses import ReportKind, VersionStatus
from socius.rulebook.engine.jurisdiction import get_jurisdiction

HISTORY_MONTHS = 12  # the charts: each indicator against the previous 12 months


@dataclass(frozen=True)
class Row:
    """One indicator of a report."""

    indicator: Indicator
    figure: Figure  # what the report says: frozen for an approved version, live for a draft
    live: Figure  # the records as they are now (equal to `figure` for a draft)
    history: tuple[tuple[Period, Number], ...] = ()  # previous months' totals, oldest first (monthly report)

    @property
    def changed_since_approval(self) -> bool:
        return self.figure != self.live

    def difference(self, group_id: int | None = None, part: str | None = None) -> Number:
        """Live minus frozen ("3 home visits added after approval" is +3)."""
        return self.live.value(group_id, part) - self.figure.value(group_id, part)


@dataclass(frozen=True)
class ReportData:
    report: Report
    version: ReportVersion | None
    period: Period
    scope: Scope
    rows: tuple[Row, ...]
    currency: str
    computed_at: dt.datetime
    is_frozen: bool  # the version is approved or superseded: `figure` is the stored one
    extra: dict = field(default_factory=dict)

    def sections(self) -> list[tuple[str, str, list[Row]]]:
        """(code, heading, rows) in the report's order."""
        out: list[tuple[str, str, list[Row]]] = []
        for row in self.rows:
            code = row.indicator.section
            if not out or out[-1][0] != code:
                out.append((code, str(SECTIONS.get(code, code)), []))
            out[-1][2].append(row)
        return out

    def row(self, code: str) -> Row | None:
        return next((r for r in self.rows if r.indicator.code == code), None)


def period_of(report: Report) -> Period:
    return parse_period(report.period)


def scope_of(report: Report) -> Scope:
    return build_scope(report.centre, report.period_start, report.period_end, report.territory)


def compute_figures(scope: Scope, indicators: Iterable[Indicator]) -> dict[str, Figure]:
    """Every indicator's figure for the scope, computed from the records now (no cache)."""
    return {indicator.code: indicator.compute(scope) for indicator in indicators}


def report_data(
    actor: User, report: Report, version: ReportVersion | None = None, *, history: bool = True
) -> ReportData:
    """The report as `actor` reads it (the caller has checked `can_view_report`). `version` None: the latest
    version (the draft if there is one, else the approved one); a report without versions reads live."""
    if version is None and report.pk is not None:  # an unsaved report (selectors.find_report) reads live
        version = report.versions.order_by("-number").first()
    period = period_of(report)
    scope = scope_of(report)
    indicators = [i for i in indicators_for(report.kind) if i.requires is None or i.requires(actor)]
    # The figure cache (socius.reporting.cache) serves a figure while the records behind it are unchanged.
    from socius.reporting.cache import cached_figures, cached_months

    live = cached_figures(scope, report.kind, indicators, period=report.period)
    is_frozen = version is not None and version.status in (VersionStatus.APPROVED, VersionStatus.SUPERSEDED)
    rows = []
    past: dict[str, list[tuple[Period, Number]]] = {i.code: [] for i in indicators}
    if history and report.kind == ReportKind.MONTHLY_ACTIVITY and period.kind == "month":
        months = period.previous_months(HISTORY_MONTHS)
        history_figures = cached_months(scope, report.kind, indicators, months)  # same columns, other months
        for month in months:
            for code, fig in history_figures[month.key].items():
                past[code].append((month, fig.total))
    for indicator in indicators:
        figure = live[indicator.code]
        if is_frozen:
            stored = version.figures.get(indicator.code)
            figure = (
                Figure.from_json(stored, money=indicator.unit == Unit.MONEY)
                if stored is not None
                else Figure(total=0, by_group={})
            )
        rows.append(Row(indicator, figure, live[indicator.code], tuple(past[indicator.code])))
    return ReportData(
        report=report,
        version=version,
        period=period,
        scope=scope,
        rows=tuple(rows),
        currency=get_jurisdiction(report.centre.jurisdiction).currency,
        computed_at=timezone.now(),
        is_frozen=is_frozen,
    )
