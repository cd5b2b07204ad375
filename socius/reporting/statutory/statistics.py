"""The statutory statistics as the page, the API and the XLSX read them: a report kind for a period (and optionally
one territory of the centre's area), its figures as `ReportData` (frozen when a version was approved through
`socius.reporting.services`, live otherwise), and per section a table laid out like the form (rows × columns)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from socius.accounts.models import Territory, User
from socius.common.errors import Forbidden, NotFound, ValidationFailed
from socius.reporting.indicators import SECTIONS, Unit, build_scope, indicators_for
from socius.reporting.models import Report
from socius.reporting.periods import Period, parse_period
from socius.reporting.permissions import can_view_reports
from socius.reporting.report import ReportData, Row, compute_figures, report_data
from socius.reporting.statuses import ReportKind
from socius.reporting.statutory.layouts import layout
from socius.rulebook.engine.jurisdiction import get_jurisdiction


@dataclass(frozen=True)
class KindRule:
    kind: str
    slug: str  # the URL's name of the report
    jurisdiction: str
    periods: tuple[str, ...]
    param: str  # the query parameter naming the period
    layout: str


KINDS: dict[str, KindRule] = {
    rule.slug: rule
    for rule in (
        KindRule(ReportKind.MRPIPS_03, "mrpips-03", "PL", ("half", "year"), "period", "mrpips_03"),
        KindRule(ReportKind.OZPS, "ozps", "PL", ("year",), "year", "mrpips_03"),
        KindRule(
            ReportKind.LT_CASH_ASSISTANCE, "lt-cash-assistance", "LT", ("quarter",), "quarter", "lt_cash_assistance"
        ),
        KindRule(ReportKind.MD_YEARLY_AID, "md-yearly-aid", "MD", ("year",), "year", "md_yearly_aid"),
    )
}
NO_DATA = "."  # the forms' convention for "no data" (OZPS guidance, REPORTS.md 1.7): a row Socius does not record


def kinds_for(actor: User) -> list[KindRule]:
    """The statutory reports of the actor's centre's country."""
    country = actor.centre.jurisdiction if actor.centre_id else None
    return [rule for rule in KINDS.values() if rule.jurisdiction == country]


@dataclass(frozen=True)
class Cell:
    value: object  # a number, or NO_DATA
    unit: str
    indicator: str  # the indicator's code (for the drill-down)
    part: str | None


@dataclass(frozen=True)
class TableRow:
    code: str | None  # None: the total line
    label: str
    cells: tuple[Cell, ...]
    source: str = ""
    confirmed: bool = True


@dataclass(frozen=True)
class Table:
    section: str
    title: str
    columns: tuple[tuple[str, str, str], ...]  # (indicator code, label, unit)
    rows: tuple[TableRow, ...]
    source: str = ""
    confirmed: bool = True


@dataclass(frozen=True)
class Statistics:
    rule: KindRule
    period: Period
    territory: Territory | None
    data: ReportData
    tables: tuple[Table, ...]
    title: str
    source: str
    confirmed: bool

    @property
    def report(self) -> Report:
        return self.data.report


def _period(rule: KindRule, key) -> Period:
    return parse_period(key, field=rule.param, kinds=rule.periods)


def _territory(actor: User, territory_id) -> Territory | None:
    if territory_id in (None, ""):
        return None
    try:
        pk = int(territory_id)
    except (TypeError, ValueError):
        raise ValidationFailed({"territory": [_("Choose a territory of your centre's area.")]}) from None
    centre = actor.centre
    area = (
        build_scope(centre, timezone.localdate(), timezone.localdate(), centre.territory)
        if centre.territory_id
        else None
    )
    if area is None or pk not in (area.territory_ids or ()):
        raise ValidationFailed({"territory": [_("Choose a territory of your centre's area.")]})
    return Territory.objects.get(pk=pk)


def statistics_for(actor: User, slug: str, period_key, territory_id=None) -> Statistics:
    """The statutory report `slug` of the actor's centre for the period (NotFound for a report of another country,
    Forbidden without the right to read reports, ValidationFailed on the period or territory)."""
    if not can_view_reports(actor):
        raise Forbidden()
    rule = KINDS.get(slug)
    if rule is None or rule.jurisdiction != actor.centre.jurisdiction:
        raise NotFound(_("Your centre's country does not file this report."))
    period = _period(rule, period_key)
    territory = _territory(actor, territory_id)
    saved = Report.objects.filter(
        centre_id=actor.centre_id, kind=rule.kind, period=period.key, territory=territory
    ).first()
    if saved is not None:
        data = report_data(actor, saved, history=False)
    else:
        report = Report(
            centre=actor.centre,
            kind=rule.kind,
            period=period.key,
            period_start=period.start,
            period_end=period.end,
            territory=territory,
        )
        scope = build_scope(actor.centre, period.start, period.end, territory)
        indicators = [i for i in indicators_for(rule.kind) if i.requires is None or i.requires(actor)]
        figures = compute_figures(scope, indicators)
        data = ReportData(
            report=report,
            version=None,
            period=period,
            scope=scope,
            rows=tuple(Row(i, figures[i.code], figures[i.code]) for i in indicators),
            currency=get_jurisdiction(actor.centre.jurisdiction).currency,
            computed_at=timezone.now(),
            is_frozen=False,
        )
    lay = layout(rule.layout)
    return Statistics(
        rule=rule,
        period=period,
        territory=territory,
        data=data,
        tables=tuple(tables_of(data, rule)),
        title=lay.title.label_in() if rule.kind != ReportKind.OZPS else str(ReportKind.OZPS.label),
        source=lay.title.source,
        confirmed=lay.title.confirmed,
    )


def _row_meta(rule: KindRule, section_code: str, part: str) -> tuple[str, bool, bool]:
    """(source, confirmed, recorded) of a row of the layout; `recorded` False for a form row Socius has no data for."""
    lay = layout(rule.layout)
    for section in lay.sections:
        if section_code.endswith(f"_{section.code}"):
            for row in lay.rows(section):
                if row.code == part:
                    recorded = bool(row.get("benefits")) or bool(row.get("rest")) or row.get("benefits") is None
                    return row.source, row.confirmed, recorded
    for family_type in lay.family_types:
        if family_type.code == part:
            return family_type.source, family_type.confirmed, True
    return "", True, True


def tables_of(data: ReportData, rule: KindRule) -> list[Table]:
    """Per section: columns = its indicators, a total line, then a line per part (the form's rows)."""
    lay = layout(rule.layout)
    out = []
    for code, title, rows in data.sections():
        columns = tuple((r.indicator.code, str(r.indicator.label), r.indicator.unit) for r in rows)
        total = TableRow(
            None,
            _("Total"),
            tuple(Cell(r.figure.total, r.indicator.unit, r.indicator.code, None) for r in rows),
        )
        lines = [total]
        parts: list[tuple[str, str]] = []
        for r in rows:
            for p in r.figure.parts:
                if p.code not in {c for c, _l in parts}:
                    parts.append((p.code, p.label))
        for part_code, label in parts:
            source, confirmed, recorded = _row_meta(rule, code, part_code)
            cells = tuple(
                Cell(
                    r.figure.value(None, part_code) if recorded else NO_DATA,
                    r.indicator.unit,
                    r.indicator.code,
                    part_code,
                )
                for r in rows
            )
            lines.append(TableRow(part_code, str(label), cells, source, confirmed))
        section = next((s for s in lay.sections if code.endswith(f"_{s.code}")), None)
        if code == "mrpips03_helped":
            section = lay.section("social_work")
        out.append(
            Table(
                section=code,
                title=str(SECTIONS.get(code, title)),
                columns=columns,
                rows=tuple(lines),
                source=section.source if section else "",
                confirmed=section.confirmed if section else True,
            )
        )
    return out


def is_money(unit: str) -> bool:
    return unit == Unit.MONEY
