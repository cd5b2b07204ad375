"""`manage.py restore BACKUP --database-url URL`: restore into a new database and verify it against the manifest."""

from __future__ import annotations

from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from socius.ops.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup into a NEW database (created when it does not exist; refused when it has tables), then "
        "compare every table's row count and checksum with the manifest. The documents go into an empty folder "
        "(--media-dir) or the configured storage (--into-storage); without either they are only verified."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="the backup folder")
        parser.add_argument("--database-url", required=True, help="the new database, e.g. postgres://…/socius_new")
        where = parser.add_mutually_exclusive_group()
        where.add_argument("--media-dir", metavar="DIR", help="restore the documents into this empty folder")
        where.add_argument(
            "--into-storage",
            action="store_true",
            help="restore the documents into the default storage (refused if any of them is already there)",
        )

    def handle(self, *args, backup, database_url, media_dir=None, into_storage=False, **options):
        try:
            result = restore_backup(
                Path(backup),
                database_url,
                media_dir=Path(media_dir) if media_dir else None,
                storage=default_storage if into_storage else None,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        for problem in result.problems:
            self.stdout.write(f"  {problem}")
        if result.problems:
            raise CommandError(f"The restored database differs from the backup: {len(result.problems)} problem(s).")
        self.stdout.write(
            f"Restored and verified: {result.tables} tables, {result.rows} rows, identical to the manifest."
        )
        if result.files_where:
            self.stdout.write(f"{result.files} files restored into {result.files_where}, checksums identical.")
        else:
            self.stdout.write("Documents not restored (use --media-dir or --into-storage); verified in the backup.")
