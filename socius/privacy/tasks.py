"""Celery tasks of privacy: thin wrappers around the services (inline when no broker is configured)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="socius.privacy.produce_subject_access_export")
def produce_subject_access_export_task(sar_id: int) -> dict:
    """Produce an approved subject-access request's export (services.produce_export)."""
    from socius.privacy.services import produce_export

    sar = produce_export(sar_id)
    return {"status": sar.status, "export_state": sar.export_state}
