"""Celery tasks of the registry: thin wrappers around services (inline when no broker is configured)."""

from __future__ import annotations

from celery import shared_task
from django.utils import translation
from django.utils.translation import gettext as _

from socius.accounts.models import User
from socius.common.context import RequestOrigin, reset_origin, set_origin
from socius.common.errors import Forbidden
from socius.registry.importing import ImportReport, import_registry_file, storage


@shared_task(name="socius.registry.import_registry_file")
def import_registry_file_task(*, user_id: int, token: str, dry_run: bool, language: str, ip: str | None = None) -> dict:
    """Run an import on a file uploaded through the UI (see importing.storage) and store its report.

    Returns the report's summary (counts and file-level errors)."""
    user = User.objects.select_related("centre").get(pk=user_id)
    data, file_name = storage.read_source(user_id, token)
    origin = set_origin(RequestOrigin(ip=ip, channel="import"))
    try:
        with translation.override(language):
            try:
                report = import_registry_file(data, file_name, centre=user.centre, actor=user, dry_run=dry_run)
            except Forbidden:
                report = ImportReport(file_name=file_name, dry_run=dry_run, centre_id=user.centre_id)
                report.file_errors = [_("You are not allowed to import into the registry.")]
            except Exception:
                failed = ImportReport(file_name=file_name, dry_run=dry_run, centre_id=user.centre_id)
                failed.file_errors = [
                    _(
                        "The import stopped because of an unexpected error. Households imported before it "
                        "stopped are kept: import the file again to finish (those rows will be skipped)."
                    )
                ]
                storage.save_report(user_id, token, failed)
                raise
    finally:
        reset_origin(origin)
    storage.save_report(user_id, token, report)
    if not dry_run:
        storage.discard_source(user_id, token)
    return report.summary()


@shared_task(name="socius.registry.sweep_import_uploads")
def sweep_import_uploads_task() -> int:
    """Daily (beat): delete uploaded import files older than a day; the import page sweeps too, but only when
    someone opens it. Returns how many uploads went."""
    return storage.sweep()
