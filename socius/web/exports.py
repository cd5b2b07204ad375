"""Every list of the UI exports to CSV and XLSX within the viewer's access, and the export is audited (issue 12).

A list view calls `export_response(request, ...)` when `export_format(request)` names a format, with the same
queryset it pages through (already narrowed to what the viewer may read and by the list's filters), the columns
of the file and the persons each row names. Nothing else decides what leaves the server: the export is the
list as the viewer sees it, every page of it.

- CSV: UTF-8 with a byte-order mark, `;`-separated (what a spreadsheet in Polish, Romanian, Lithuanian or
  Russian opens as columns), dates as ISO 8601 (YYYY-MM-DD, times local HH:MM), amounts without grouping with
  the reader's decimal separator; a text cell never starts with = + - @ (CSV injection).
- XLSX: a sheet with the same columns, dates as dates and amounts as numbers.
- The audit: one EXPORT event under the list's record type, naming every person the file names, with the
  format, the number of rows and what was searched for; written before the file is sent. An export larger than
  `EXPORT_MAX_ROWS` is refused (400, with a message) and writes nothing: the viewer narrows the filters.

The templates offer the links with `{% load socius_exports %}{% export_links %}` (the current filters kept).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from socius.accounts.audit import record_event
from socius.accounts.models import AuditAction

FORMATS = ("csv", "xlsx")
EXPORT_MAX_ROWS = 50_000  # a bigger list is narrowed by its filters first (the file is built in memory)
CHUNK = 2_000

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class ExportColumn:
    """A column of an exported list: its heading and its value for a row (text, a number, an amount, a date)."""

    label: str | Promise
    value: Callable[[object], object]


def export_format(request) -> str | None:
    """The format asked for with `?export=` (csv, xlsx), or None: the page."""
    wanted = (request.GET.get("export") or "").strip().lower()
    return wanted if wanted in FORMATS else None


def list_params(request):
    """The list's query without `export`: a list view binds its filter form to this, so that the file is the list
    the page shows (a form bound to `?export=csv` alone could differ from the unbound page's defaults)."""
    params = request.GET.copy()
    params.pop("export", None)
    return params


def _csv_text(value) -> str:
    text = "" if value is None else str(value)
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


def _csv_cell(value, separator: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value).replace(".", separator)
    if isinstance(value, int | float):
        return str(value).replace(".", separator)
    return _csv_text(value)


def _xlsx_cell(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, dt.date | int | float | Decimal):
        return value
    return _csv_text(value)  # a text cell is never a formula either


def _chunks(rows, prepare: Callable[[list], None] | None) -> Iterable[list]:
    """The rows in chunks of CHUNK (a queryset read with iterator()), each passed to `prepare` first (the attach_*
    helpers that fill what the columns read, one query per chunk)."""
    source = rows.iterator(chunk_size=CHUNK) if isinstance(rows, QuerySet) else rows
    chunk: list = []
    for row in source:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            if prepare:
                prepare(chunk)
            yield chunk
            chunk = []
    if chunk:
        if prepare:
            prepare(chunk)
        yield chunk


def export_response(
    request,
    rows: QuerySet | Sequence,
    *,
    columns: Sequence[ExportColumn],
    object_type: str,
    persons_of: Callable[[object], Iterable[int | None]],
    name: str,
    query: str = "",
    prepare: Callable[[list], None] | None = None,
    fmt: str | None = None,
) -> HttpResponse:
    """The list `rows` as a CSV or XLSX download (`fmt`, else `?export=`), audited as an export of `object_type`
    naming every person of `persons_of(row)`."""
    fmt = fmt or export_format(request) or "csv"
    actor = request.user
    total = rows.count() if isinstance(rows, QuerySet) else len(rows)
    if total > EXPORT_MAX_ROWS:
        return HttpResponse(
            _("The list has %(count)s rows, more than %(limit)s can be exported at once: narrow the filters.")
            % {
                "count": formats.number_format(total, force_grouping=True),
                "limit": formats.number_format(EXPORT_MAX_ROWS, force_grouping=True),
            },
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    headings = [str(c.label) for c in columns]
    persons: list[int] = []
    table: list[list] = []
    for chunk in _chunks(rows, prepare):
        for row in chunk:
            table.append([c.value(row) for c in columns])
            persons.extend(p for p in persons_of(row) if p)
    content = _xlsx(headings, table) if fmt == "xlsx" else _csv(headings, table)
    changes = {"format": [None, fmt], "rows": [None, len(table)]}
    if query:
        changes["search"] = [None, query]
    record_event(
        actor,
        AuditAction.EXPORT,
        object_type=object_type,
        object_id=None,
        centre_id=actor.centre_id,
        person_ids=persons,
        changes=changes,
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _csv(headings: list[str], table: list[list]) -> bytes:
    separator = formats.get_format("DECIMAL_SEPARATOR", lang=get_language(), use_l10n=True)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_text(h) for h in headings])
    for values in table:
        writer.writerow([_csv_cell(v, separator) for v in values])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx(headings: list[str], table: list[list]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    bold = Font(bold=True)
    header = []
    for heading in headings:
        cell = WriteOnlyCell(sheet, value=heading)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for values in table:
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=_xlsx_cell(value))
            if isinstance(value, Decimal):
                cell.number_format = "#,##0.00"
            elif isinstance(value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
