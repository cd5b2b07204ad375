"""`manage.py backup [--output DIR]`: the database, the uploaded documents and a manifest with checksums."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from socius.ops.backups import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump's custom format on PostgreSQL, the online backup API on SQLite) and the "
        "uploaded documents into a new folder, with a manifest: row counts and checksums of every table, sha256 of "
        "every file (docs/restore-drill.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", metavar="DIR", help="where the backup folder is made (default: var/backups beside the data)"
        )

    def handle(self, *args, output=None, **options):
        where = Path(output) if output else Path(settings.VAR_DIR) / "backups"
        try:
            result = create_backup(where)
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = result.manifest
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"Backup written to {result.path}: {manifest['database']['vendor']} database, "
            f"{len(manifest['tables'])} tables, {rows} rows, {len(manifest['files'])} files."
        )
        self.stdout.write(result.path.as_posix())
