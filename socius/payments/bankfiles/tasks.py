"""Celery tasks of the bank files: thin wrappers around the services (inline when no broker is configured)."""

from __future__ import annotations

from celery import shared_task

from socius.accounts.models import User
from socius.common.context import RequestOrigin, reset_origin, set_origin


@shared_task(name="socius.payments.export_run")
def export_run_task(*, user_id: int, run_id: int) -> int:
    """Write an approved run's files and mark it exported; progress on the run's job_* fields."""
    from socius.payments.exports import write_run_files

    user = User.objects.select_related("centre").get(pk=user_id)
    origin = set_origin(RequestOrigin(channel="system"))
    try:
        return write_run_files(user, run_id).pk
    finally:
        reset_origin(origin)


@shared_task(name="socius.payments.import_statement")
def import_statement_task(*, user_id: int, centre_id: int, storage_name: str, format: str | None = None) -> int:
    """Import a statement saved in the default storage (the upload), then delete the upload; progress on the
    statement's job_* fields."""
    from django.core.files.storage import default_storage

    from socius.payments.statements import import_statement

    user = User.objects.select_related("centre").get(pk=user_id)
    origin = set_origin(RequestOrigin(channel="import"))
    try:
        with default_storage.open(storage_name, "rb") as upload:
            statement = import_statement(user, centre_id, upload, format=format)
    finally:
        reset_origin(origin)
    default_storage.delete(storage_name)
    return statement.pk
