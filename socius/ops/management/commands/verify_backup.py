"""`manage.py verify_backup BACKUP`: check a backup folder against its manifest without restoring it."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from socius.ops.backups import BackupError, read_manifest, verify_backup


class Command(BaseCommand):
    help = (
        "Verify a backup: the manifest's own checksum, the database file's and every document's sha256, files not "
        "in the manifest; on SQLite every table's row count and checksum, on PostgreSQL that the archive reads."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="the backup folder (as `manage.py backup` printed it)")

    def handle(self, *args, backup, **options):
        path = Path(backup)
        try:
            manifest = read_manifest(path)
            problems = verify_backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for problem in problems:
            self.stdout.write(f"  {problem}")
        if problems:
            raise CommandError(f"The backup {path} is damaged: {len(problems)} problem(s).")
        self.stdout.write(
            f"The backup {path} is sound: {manifest['database']['vendor']} database of {manifest['created_at']}, "
            f"{len(manifest['tables'])} tables, {len(manifest['files'])} files."
        )
