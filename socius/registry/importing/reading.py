"""Reading an import file (CSV in UTF-8, or XLSX) into a header and numbered rows of cells."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath

from django.utils.translation import gettext as _

EXTENSIONS = (".csv", ".xlsx")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls / .doc


class ImportFileError(Exception):
    """The file as a whole cannot be imported (type, encoding, header); the message is translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    header: list
    header_row: int  # the header's row number as a spreadsheet shows it (1-based)
    rows: Iterator[tuple[int, list]]  # (row number, cells); fully empty rows are left out


def extension_of(file_name: str) -> str:
    return PurePath(file_name or "").suffix.lower()


def read_table(data: bytes, file_name: str) -> Table:
    ext = extension_of(file_name)
    if ext == ".csv":
        if data.startswith(_ZIP_MAGIC) or data.startswith(_OLE_MAGIC):
            raise ImportFileError(_("This is a spreadsheet file, not CSV text: save it as .xlsx or as CSV UTF-8."))
        return _read_csv(data)
    if ext == ".xlsx":
        return _read_xlsx(data)
    raise ImportFileError(
        _("Choose a CSV or XLSX file (.csv, .xlsx); “%(name)s” is neither.") % {"name": PurePath(file_name).name}
    )


def _sniff_delimiter(first_line: str) -> str:
    """The header row has no quoted separators in practice: the most frequent of ; , and tab wins."""
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _read_csv(data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")  # with or without a byte-order mark
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file is not UTF-8 text. In your spreadsheet program, save it as “CSV UTF-8”.")
        ) from None
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(first_line))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    except csv.Error:
        raise ImportFileError(_("The file is not valid CSV.")) from None

    def rows() -> Iterator[tuple[int, list]]:
        number = 1
        try:
            for cells in reader:
                number += 1
                if any(c.strip() for c in cells):
                    yield number, cells
        except csv.Error:
            raise ImportFileError(_("Row %(row)s is not valid CSV (check the quotes).") % {"row": number}) from None

    return Table(header=header, header_row=1, rows=rows())


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if not data.startswith(_ZIP_MAGIC):
        raise ImportFileError(_("The file is not a valid XLSX workbook."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise ImportFileError(_("The file is not a valid XLSX workbook.")) from None
    if not workbook.worksheets:
        workbook.close()
        raise ImportFileError(_("The file is empty."))
    sheet_rows = enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1)
    header, header_row = None, 0
    for number, cells in sheet_rows:
        if any(_filled(c) for c in cells):
            header, header_row = list(cells), number
            break
    if header is None:
        workbook.close()
        raise ImportFileError(_("The file is empty."))

    def rows() -> Iterator[tuple[int, list]]:
        try:
            for number, cells in sheet_rows:
                if any(_filled(c) for c in cells):
                    yield number, list(cells)
        finally:
            workbook.close()

    return Table(header=header, header_row=header_row, rows=rows())


def _filled(cell) -> bool:
    return cell is not None and (not isinstance(cell, str) or bool(cell.strip()))
