"""Importing persons and households from CSV or XLSX files (format: docs/import-format.md)."""

from socius.registry.importing.columns import COLUMNS
from socius.registry.importing.reading import EXTENSIONS
from socius.registry.importing.report import CREATE, PRESENT, REJECTED, STATUSES, ImportReport, RowResult, status_label
from socius.registry.importing.service import BATCH_SIZE, import_registry_file

__all__ = [
    "BATCH_SIZE",
    "COLUMNS",
    "CREATE",
    "EXTENSIONS",
    "PRESENT",
    "REJECTED",
    "STATUSES",
    "ImportReport",
    "RowResult",
    "import_registry_file",
    "status_label",
]
