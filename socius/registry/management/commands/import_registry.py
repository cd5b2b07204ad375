"""manage.py import_registry FILE --centre CODE [--dry-run] [--user USERNAME]: import persons and households."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from socius.accounts.models import Centre, User
from socius.common.context import RequestOrigin, reset_origin, set_origin
from socius.common.errors import Forbidden
from socius.registry.importing import BATCH_SIZE, CREATE, PRESENT, REJECTED, import_registry_file, status_label


class Command(BaseCommand):
    help = (
        "Import persons and households from a CSV (UTF-8, ; or , separated) or XLSX file into a centre. "
        "Columns: see docs/import-format.md. With --dry-run nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to a .csv or .xlsx file")
        parser.add_argument("--centre", required=True, help="the centre's code")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument("--user", help="username the import is recorded under (must be of the centre)")
        parser.add_argument("--language", default=None, help="language of the report's messages (pl, ro, lt, ru, en)")
        parser.add_argument("--report", help="write the full per-row report to this CSV file")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="rows per transaction")
        parser.add_argument("--show", type=int, default=50, help="rejected rows to print (default 50; 0: none)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            centre = Centre.objects.get(code=options["centre"])
        except Centre.DoesNotExist:
            raise CommandError(f"No centre with the code {options['centre']!r}.") from None
        actor = None
        if options["user"]:
            try:
                actor = User.objects.get(username=options["user"])
            except User.DoesNotExist:
                raise CommandError(f"No user {options['user']!r}.") from None
        language = options["language"] or translation.get_language() or "en"
        origin = set_origin(RequestOrigin(channel="command"))
        try:
            with translation.override(language):
                report = import_registry_file(
                    path.read_bytes(),
                    path.name,
                    centre=centre,
                    actor=actor,
                    dry_run=options["dry_run"],
                    batch_size=options["batch_size"],
                )
                self._print(report, options)
        except Forbidden:
            raise CommandError(
                f"User {actor.username!r} may not import into centre {centre.code!r} "
                "(needs a team leader, director or administrator role in that centre)."
            ) from None
        finally:
            reset_origin(origin)
        if report.file_errors:
            raise CommandError("The file was not imported.")

    def _print(self, report, options) -> None:
        for message in report.file_errors:
            self.stderr.write(message)
        if report.file_errors:
            return
        totals = report.totals
        shown = 0
        for row in report.rows:
            if row.status != REJECTED or shown >= options["show"]:
                continue
            shown += 1
            reasons = "; ".join(f"{report.column_header(c) or '-'}: {m}" for c, m in row.reasons)
            self.stdout.write(f"row {row.row}: {reasons}")
        if totals[REJECTED] > shown:
            self.stdout.write(f"... {totals[REJECTED] - shown} more rejected rows (see --report)")
        if options["report"]:
            Path(options["report"]).write_text(report.to_csv(), encoding="utf-8")
        mode = "dry run" if report.dry_run else "import"
        rate = totals["rows"] / report.seconds if report.seconds else 0
        self.stdout.write(
            f"{mode}: {totals['rows']} rows in {report.seconds:.1f} s ({rate:,.0f} rows/s): "
            f"{status_label(CREATE, report.dry_run)} {totals[CREATE]}, "
            f"{status_label(PRESENT, report.dry_run)} {totals[PRESENT]}, "
            f"{status_label(REJECTED, report.dry_run)} {totals[REJECTED]}; "
            f"households new {report.households_created}, existing {report.households_reused}"
        )
