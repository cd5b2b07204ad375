"""The statutory report as an XLSX that follows the form: one sheet with the form's sections in order, each a
table of the form's rows and columns (real numbers; "." where the form asks for data Socius does not record), and a
sheet of sources saying, per section and row, where the layout comes from and whether it is confirmed.

Totals are the report's own figures, not SUM formulas: the forms count a person or family once in a total and once
under each row (a person in two forms of help), so the rows do not add up to the total."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from socius.reporting.statutory.statistics import NO_DATA, Statistics, is_money

MONEY_FORMAT = "#,##0.00"


def statistics_xlsx(stats: Statistics) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = stats.rule.slug.upper()[:31]
    bold = Font(bold=True)
    centre = stats.data.report.centre
    sheet.append([stats.title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([_("Centre"), centre.name])
    sheet.append([_("Period"), stats.period.label(), stats.period.key])
    sheet.append([_("Territory"), stats.territory.name if stats.territory else _("Whole centre")])
    version = stats.data.version
    sheet.append(
        [_("Version"), version.number if version else "", version.get_status_display() if version else _("Not saved")]
    )
    sheet.append([_("Currency"), stats.data.currency])
    sheet.append([])
    for table in stats.tables:
        sheet.append([table.title])
        sheet.cell(row=sheet.max_row, column=1).font = bold
        sheet.append(["", *[label for _code, label, _unit in table.columns]])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for line in table.rows:
            values = []
            for cell in line.cells:
                value = cell.value
                if value == NO_DATA:
                    values.append(NO_DATA)
                else:
                    values.append(value)  # an int, or a Decimal (openpyxl writes it as a number)
            sheet.append([line.label, *values])
            row = sheet[sheet.max_row]
            if line.code is None:
                for c in row:
                    c.font = bold
            for index, cell in enumerate(line.cells, start=2):
                if is_money(cell.unit) and cell.value != NO_DATA:
                    row[index - 1].number_format = MONEY_FORMAT
        sheet.append([])
    sheet.column_dimensions["A"].width = 60
    for letter in "BCDEFGH":
        sheet.column_dimensions[letter].width = 18

    sources = book.create_sheet(_("Sources")[:31])
    sources.append([_("Section"), _("Row"), _("Source"), _("Confirmed")])
    for c in sources[1]:
        c.font = bold
    sources.append([stats.title, "", stats.source, _("yes") if stats.confirmed else _("no")])
    for table in stats.tables:
        sources.append([table.title, "", table.source, _("yes") if table.confirmed else _("no")])
        for line in table.rows:
            if line.code is not None and line.source:
                sources.append([table.title, line.label, line.source, _("yes") if line.confirmed else _("no")])
    sources.column_dimensions["A"].width = 40
    sources.column_dimensions["B"].width = 50
    sources.column_dimensions["C"].width = 80
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(stats: Statistics) -> str:
    territory = f"-{stats.territory.pk}" if stats.territory else ""
    return f"{stats.rule.slug}-{stats.period.key}{territory}.xlsx"
