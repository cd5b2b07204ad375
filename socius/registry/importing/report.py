"""What an import did or would do, row by row: kept as JSON between the run and the report page."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

CREATE = "create"  # would be created (dry run) / was created
PRESENT = "present"  # already in the registry: skipped
REJECTED = "rejected"
STATUSES = (CREATE, PRESENT, REJECTED)


def status_label(status: str, dry_run: bool) -> str:
    if status == CREATE:
        return str(gettext_lazy("Would be created") if dry_run else gettext_lazy("Created"))
    if status == PRESENT:
        return str(gettext_lazy("Already registered: skipped"))
    return str(gettext_lazy("Rejected"))


@dataclass(slots=True)
class RowResult:
    row: int
    status: str
    household_ref: str
    name: str
    reasons: list[tuple[str, str]] = field(default_factory=list)  # (column code, translated message)
    person_id: int | None = None


@dataclass
class ImportReport:
    file_name: str
    dry_run: bool
    centre_id: int | None = None
    columns: dict[str, str] = field(default_factory=dict)  # column code -> header as written in the file
    file_errors: list[str] = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)
    households_created: int = 0
    households_reused: int = 0
    memberships_created: int = 0
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def totals(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for r in self.rows:
            counts[r.status] += 1
        return {"rows": len(self.rows), **counts}

    @property
    def is_readable(self) -> bool:
        return not self.file_errors

    def column_header(self, code: str) -> str:
        return self.columns.get(code, code)

    def summary(self) -> dict:
        return {
            "file_name": self.file_name,
            "dry_run": self.dry_run,
            "file_errors": list(self.file_errors),
            **self.totals,
            "households_created": self.households_created,
            "households_reused": self.households_reused,
            "memberships_created": self.memberships_created,
            "seconds": round(self.seconds, 3),
        }

    def to_json(self) -> dict:
        return {
            "version": 1,
            "file_name": self.file_name,
            "dry_run": self.dry_run,
            "centre_id": self.centre_id,
            "columns": self.columns,
            "file_errors": self.file_errors,
            "households_created": self.households_created,
            "households_reused": self.households_reused,
            "memberships_created": self.memberships_created,
            "seconds": self.seconds,
            # Compact rows: a 100,000-row report stays a few megabytes.
            "rows": [[r.row, r.status, r.household_ref, r.name, r.reasons, r.person_id] for r in self.rows],
        }

    @classmethod
    def from_json(cls, data: dict) -> ImportReport:
        return cls(
            file_name=data["file_name"],
            dry_run=data["dry_run"],
            centre_id=data.get("centre_id"),
            columns=data.get("columns", {}),
            file_errors=data.get("file_errors", []),
            rows=[
                RowResult(n, s, ref, name, [tuple(x) for x in reasons], pid)
                for n, s, ref, name, reasons, pid in data["rows"]
            ],
            households_created=data.get("households_created", 0),
            households_reused=data.get("households_reused", 0),
            memberships_created=data.get("memberships_created", 0),
            seconds=data.get("seconds", 0.0),
        )

    def to_csv(self, statuses: tuple[str, ...] = STATUSES) -> str:
        """The report as CSV for a spreadsheet: one line per reason (UTF-8 with BOM, ';' as most locales expect)."""
        out = io.StringIO()
        out.write("\ufeff")
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(
            [
                _("row"),
                pgettext("import row", "status"),
                _("household reference"),
                pgettext("person", "name"),
                _("column"),
                _("reason"),
            ]
        )
        for r in self.rows:
            if r.status not in statuses:
                continue
            label = status_label(r.status, self.dry_run)
            ref, name = _cell(r.household_ref), _cell(r.name)
            if not r.reasons:
                writer.writerow([r.row, label, ref, name, "", ""])
            for column, message in r.reasons:
                writer.writerow([r.row, label, ref, name, _cell(self.column_header(column)), _cell(message)])
        return out.getvalue()


def _cell(value: str) -> str:
    """Text a spreadsheet would run as a formula is quoted (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
