"""A report as documents (issue 12): the PDF, the XLSX and the CSV, each rendered from one `ReportData`
(`socius.reporting.report.report_data`), so they say what the page and the API say.

- `report_pdf(data)`: print-ready A4 (WeasyPrint): the heading, the narrative page signed off, then per section a
  table of the indicators with a column per territory group and the total (long tables split into blocks of
  columns, landscape when wide), then the definitions. A draft is marked as one; a figure that changed after
  approval carries a note.
- `report_xlsx(data)`: a summary sheet with the numbers as numbers (money as amounts with two decimals) and, where
  a figure's total is the sum of its columns (events, money), the total as a `SUM` formula; a figure of distinct
  persons or households counts a person once in the total even when they appear in two columns, so its total is
  written as the number and marked; then a sheet per territory group (indicator, value).
- `report_csv(data)`: one line per figure, part and column ("long" form, for a pivot table or a script): UTF-8 with
  a byte-order mark, `;`-separated, numbers without grouping and with the document language's decimal separator.
  This is what a spreadsheet in Polish, Romanian, Lithuanian or Russian opens as columns and numbers without an
  import dialogue (their list separator is `;`, their decimal separator `,`); a script reads it with
  `csv.reader(f, delimiter=";")` and `Decimal(value.replace(",", "."))`. The JSON of the API is the
  machine-readable form.

All three are written in the centre's language unless `language` names another (the document goes to the
district council or the ministry in the centre's language, whatever the reader's interface language). They show
figures, never a person's data: callers audit the download as an export of the report.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socius.common.formatting import format_money
from socius.reporting.indicators import Number, Unit
from socius.reporting.report import ReportData, Row
from socius.reporting.statuses import VersionStatus
from socius.rulebook.engine.jurisdiction import get_jurisdiction

# The most territory columns one printed table shows; more are split into further blocks of the same section.
PDF_COLUMNS_PER_TABLE = 8
# Wider than this, the tables' pages turn to landscape.
PDF_PORTRAIT_COLUMNS = 4

UNIT_LABELS = {
    Unit.COUNT: gettext_lazy("number"),
    Unit.PERSONS: gettext_lazy("persons"),
    Unit.HOUSEHOLDS: gettext_lazy("households"),
    Unit.MONEY: gettext_lazy("amount"),
}


def document_language(data: ReportData, language: str | None = None) -> str:
    """`language` when given, else the centre's (its jurisdiction's default language)."""
    return language or get_jurisdiction(data.report.centre.jurisdiction).default_language


def sums_up(row: Row) -> bool:
    """Whether the figure's total is the sum of its columns: true of events and money; not of distinct persons or
    households, where someone in two columns counts once in the total (checked on the numbers, not assumed)."""
    figure = row.figure
    if row.indicator.unit not in (Unit.COUNT, Unit.MONEY):
        return False
    return sum(figure.by_group.values(), Decimal(0) if row.indicator.unit == Unit.MONEY else 0) == figure.total


def _title(data: ReportData) -> str:
    return str(data.report.get_kind_display())


def _territory(data: ReportData) -> str:
    report = data.report
    return report.territory.name if report.territory_id else _("Whole centre")


def _status(data: ReportData) -> str:
    if data.version is None:
        return _("Not started")
    return str(data.version.get_status_display())


def _version(data: ReportData) -> str:
    return str(data.version.number) if data.version is not None else "—"


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _number(value: Number, unit: str, currency: str, language: str) -> str:
    if unit == Unit.MONEY:
        return format_money(value, currency, language)
    with translation.override(language):
        return formats.number_format(value, 0, use_l10n=True, force_grouping=True)


def _signed(value: Number, unit: str, currency: str, language: str) -> str:
    text = _number(abs(value), unit, currency, language)
    return f"+{text}" if value > 0 else f"−{text}" if value < 0 else text


def _change_note(row: Row, data: ReportData, language: str) -> str:
    """A figure changed after approval, in words (the frozen figure stays what the report says)."""
    if not data.is_frozen or not row.changed_since_approval:
        return ""
    diff = row.difference()
    if diff:
        return _("Changed after approval: %(change)s (now %(now)s).") % {
            "change": _signed(diff, row.indicator.unit, data.currency, language),
            "now": _number(row.live.total, row.indicator.unit, data.currency, language),
        }
    return _("The records behind this figure changed after approval.")


# --- PDF ---------------------------------------------------------------------------------------------------------

# As socius.web.pdf (which sits above this app): A4, the DejaVu fonts (every glyph of pl, ro, lt, ru).
PRINT_CSS = """
@page { size: A4; margin: 1.6cm; }
html, body { font-family: "DejaVu Sans" !important; }
body { margin: 0 !important; }
"""


def _render_pdf(template: str, context: dict, *, language: str) -> bytes:
    from weasyprint import CSS, HTML  # imported lazily: heavy, and only the PDF needs it

    with translation.override(language):
        html = render_to_string(template, {**context, "document_language": language})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=[CSS(string=PRINT_CSS)])


@dataclass(frozen=True)
class _Line:
    label: str
    part: bool  # a breakdown line under its indicator
    cells: list[str]
    total: str
    note: str


def _pdf_tables(data: ReportData, language: str) -> list[dict]:
    """Per section, the blocks of columns printed as tables."""
    groups = list(data.scope.groups)
    blocks = [groups[i : i + PDF_COLUMNS_PER_TABLE] for i in range(0, len(groups), PDF_COLUMNS_PER_TABLE)] or [[]]
    out = []
    for code, heading, rows in data.sections():
        for index, block in enumerate(blocks):
            lines = []
            for row in rows:
                unit, fig = row.indicator.unit, row.figure

                def cells(source, unit=unit, block=block) -> list[str]:
                    return [_number(source.by_group.get(g.id, 0), unit, data.currency, language) for g in block]

                lines.append(
                    _Line(
                        str(row.indicator.label),
                        False,
                        cells(fig),
                        _number(fig.total, unit, data.currency, language),
                        _change_note(row, data, language) if index == 0 else "",
                    )
                )
                for part in fig.parts:
                    lines.append(
                        _Line(
                            str(part.label), True, cells(part), _number(part.total, unit, data.currency, language), ""
                        )
                    )
            out.append(
                {
                    "code": code,
                    "heading": heading,
                    "continued": index > 0,
                    "groups": [g.name for g in block],
                    "lines": lines,
                }
            )
    return out


def report_pdf(data: ReportData, *, language: str | None = None) -> bytes:
    """The report as a print-ready PDF in the centre's language (or `language`)."""
    language = document_language(data, language)
    with translation.override(language):
        version = data.version
        context = {
            "data": data,
            "centre": data.report.centre,
            "issued_on": timezone.localdate(),
            "title": _title(data),
            "period": data.period.label(),
            "territory": _territory(data),
            "version_number": _version(data),
            "status": _status(data),
            "is_draft": version is None or version.status == VersionStatus.DRAFT,
            "narrative": version.narrative if version is not None else "",
            "narrative_signed": bool(version and version.narrative_signed_at),
            "signed_by": _person(version.narrative_signed_by) if version is not None else "",
            "signed_at": version.narrative_signed_at if version is not None else None,
            "approved_by": _person(version.approved_by) if version is not None else "",
            "approved_at": version.approved_at if version is not None else None,
            "tables": _pdf_tables(data, language),
            "wide": len(data.scope.groups) > PDF_PORTRAIT_COLUMNS,
            "definitions": [
                (str(row.indicator.label), str(row.indicator.definition), str(UNIT_LABELS.get(row.indicator.unit, "")))
                for row in data.rows
            ],
            "computed_at": data.computed_at,
        }
    return _render_pdf("web/reports/report_pdf.html", context, language=language)


# --- XLSX --------------------------------------------------------------------------------------------------------

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(name: str, taken: set[str]) -> str:
    """A worksheet name Excel accepts (31 characters, none of []:*?/\\), unique in the workbook."""
    base = _SHEET_FORBIDDEN.sub("-", name).strip("'") or "-"
    title = base[:31]
    n = 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title.lower())
    return title


def _cell_value(value: Number, unit: str):
    if unit == Unit.MONEY:
        return Decimal(value).quantize(Decimal("0.01"))
    return value


def _formats(unit: str) -> str:
    return "#,##0.00" if unit == Unit.MONEY else "#,##0"


def report_xlsx(data: ReportData, *, language: str | None = None) -> bytes:
    """The report as a workbook: a summary sheet (a column per territory group, totals as SUM formulas where the
    total is the sum of the columns) and a sheet per territory group."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    language = document_language(data, language)
    bold = Font(bold=True)
    groups = list(data.scope.groups)
    workbook = Workbook()
    workbook.calculation.fullCalcOnLoad = True  # the formulas are computed when the file is opened
    with translation.override(language):
        summary = workbook.active
        taken: set[str] = set()
        summary.title = _sheet_title(_("Summary"), taken)
        head = [
            (_("Report"), _title(data)),
            (_("Centre"), data.report.centre.name),
            (_("Period"), data.period.label()),
            (_("Territory"), _territory(data)),
            (_("Version"), _version(data)),
            (_("Status"), _status(data)),
            (_("Currency"), data.currency),
        ]
        for label, value in head:
            summary.append([label, value])
            summary.cell(summary.max_row, 1).font = bold
        summary.append([])
        first_group_col = 4
        total_col = first_group_col + len(groups)
        header = [_("Section"), _("Indicator"), _("Unit"), *[g.name for g in groups], _("Total"), _("Definition")]
        if data.is_frozen:
            header.append(_("Change after approval"))
        summary.append(header)
        header_row = summary.max_row
        for cell in summary[header_row]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        summary.freeze_panes = summary.cell(header_row + 1, first_group_col)
        distinct_note = _(
            "Distinct persons or households: someone counted in two columns counts once in the total, so the total "
            "is not the sum of the columns."
        )

        def write_line(section: str, label: str, unit: str, source, total: Number, exact_sum: bool, extra=()):
            values = [section, label, str(UNIT_LABELS.get(unit, unit))]
            values += [_cell_value(source.by_group.get(g.id, 0), unit) for g in groups]
            summary.append(values)
            r = summary.max_row
            for col in range(first_group_col, total_col):
                summary.cell(r, col).number_format = _formats(unit)
            total_cell = summary.cell(r, total_col)
            if exact_sum and groups:
                first, last = get_column_letter(first_group_col), get_column_letter(total_col - 1)
                total_cell.value = f"=SUM({first}{r}:{last}{r})"
            else:
                total_cell.value = _cell_value(total, unit)
                if unit in (Unit.PERSONS, Unit.HOUSEHOLDS):
                    total_cell.comment = Comment(distinct_note, "Socius")
            total_cell.number_format = _formats(unit)
            total_cell.font = bold
            for offset, value in enumerate(extra, start=1):
                summary.cell(r, total_col + offset).value = value
            return r

        for _code, heading, rows in data.sections():
            for row in rows:
                unit, fig = row.indicator.unit, row.figure
                r = write_line(
                    heading,
                    str(row.indicator.label),
                    unit,
                    fig,
                    fig.total,
                    sums_up(row),
                    [str(row.indicator.definition)] + ([_change_note(row, data, language)] if data.is_frozen else []),
                )
                summary.cell(r, 2).font = bold
                for part in fig.parts:
                    part_sums = unit in (Unit.COUNT, Unit.MONEY) and (
                        sum(part.by_group.values(), Decimal(0) if unit == Unit.MONEY else 0) == part.total
                    )
                    r = write_line(heading, f"  {part.label}", unit, part, part.total, part_sums)
                    summary.cell(r, 2).alignment = Alignment(indent=1)
        widths = {1: 28, 2: 44, 3: 12, total_col: 14, total_col + 1: 60, total_col + 2: 40}
        for col in range(1, total_col + 3):
            summary.column_dimensions[get_column_letter(col)].width = widths.get(col, 14)

        for group in groups:
            sheet = workbook.create_sheet(_sheet_title(group.name, taken))
            sheet.append([_("Report"), _title(data)])
            sheet.append([_("Period"), data.period.label()])
            sheet.append([_("Territory"), group.name])
            sheet.append([])
            sheet.append([_("Section"), _("Indicator"), _("Unit"), _("Value")])
            for cell in sheet[sheet.max_row]:
                cell.font = bold
            for _code, heading, rows in data.sections():
                for row in rows:
                    unit = row.indicator.unit
                    sheet.append(
                        [
                            heading,
                            str(row.indicator.label),
                            str(UNIT_LABELS.get(unit, unit)),
                            _cell_value(row.figure.by_group.get(group.id, 0), unit),
                        ]
                    )
                    sheet.cell(sheet.max_row, 4).number_format = _formats(unit)
                    sheet.cell(sheet.max_row, 2).font = bold
                    for part in row.figure.parts:
                        sheet.append(
                            [
                                heading,
                                f"  {part.label}",
                                str(UNIT_LABELS.get(unit, unit)),
                                _cell_value(part.by_group.get(group.id, 0), unit),
                            ]
                        )
                        sheet.cell(sheet.max_row, 4).number_format = _formats(unit)
            for col, width in {1: 28, 2: 44, 3: 12, 4: 14}.items():
                sheet.column_dimensions[get_column_letter(col)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- CSV ---------------------------------------------------------------------------------------------------------


def csv_text(value) -> str:
    """A text cell that a spreadsheet never runs as a formula (CSV injection): = + - @ tab or CR first get a '."""
    text = "" if value is None else str(value)
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


def _plain_number(value: Number, unit: str, language: str) -> str:
    """A number without grouping, with the language's decimal separator (money with two decimals)."""
    text = str(Decimal(value).quantize(Decimal("0.01"))) if unit == Unit.MONEY else str(value)
    with translation.override(language):
        separator = formats.get_format("DECIMAL_SEPARATOR", lang=language, use_l10n=True)
    return text.replace(".", separator)


def _csv_rows(data: ReportData, language: str) -> Iterable[list[str]]:
    groups = list(data.scope.groups)
    period, territory, version, status = data.period.key, _territory(data), _version(data), _status(data)
    for _code, heading, rows in data.sections():
        for row in rows:
            ind, unit = row.indicator, row.indicator.unit
            lines = [("", "", row.figure, row.live)]
            live_parts = {p.code: p for p in row.live.parts}
            lines += [(p.code, p.label, p, live_parts.get(p.code)) for p in row.figure.parts]
            for part_code, part_label, source, live in lines:
                columns = [(str(g.id), g.name, source.by_group.get(g.id, 0), g.id) for g in groups]
                columns.append(("", _("Total"), source.total, None))
                for group_id, group_name, value, gid in columns:
                    change = ""
                    if data.is_frozen:
                        now = (live.total if gid is None else live.by_group.get(gid, 0)) if live is not None else 0
                        change = _plain_number(now - value, unit, language)
                    yield [
                        csv_text(period),
                        csv_text(territory),
                        version,
                        csv_text(status),
                        csv_text(heading),
                        ind.code,
                        csv_text(ind.label),
                        csv_text(UNIT_LABELS.get(unit, unit)),
                        csv_text(part_code),
                        csv_text(part_label),
                        group_id,
                        csv_text(group_name),
                        _plain_number(value, unit, language),
                        change,
                    ]


def report_csv(data: ReportData, *, language: str | None = None) -> bytes:
    """The report as CSV: UTF-8 with BOM, `;`-separated, one line per figure × part × column (and the total)."""
    language = document_language(data, language)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    with translation.override(language):
        writer.writerow(
            [
                _("Period"),
                _("Territory"),
                _("Version"),
                _("Status"),
                _("Section"),
                _("Indicator code"),
                _("Indicator"),
                _("Unit"),
                _("Part code"),
                _("Part"),
                _("Column ID"),
                _("Column"),
                _("Value"),
                _("Change after approval"),
            ]
        )
        for line in _csv_rows(data, language):
            writer.writerow(line)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
