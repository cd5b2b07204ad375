"""Celery tasks of the privacy app: thin wrappers around services (inline when no broker is configured)."""

from __future__ import annotations

from celery import shared_task

from socius.accounts.models import Centre
from socius.privacy import services_retention


@shared_task(name="socius.privacy.tasks.review_retention_task")
def review_retention_task(centre_code: str | None = None) -> dict:
    """The scheduled retention review (decision 0023): for each active centre (or the one named), list what has
    expired on the centre's day into its pending review for the director. Idempotent: running it twice on a day
    leaves the same one pending review. Returns {centre code: persons listed}."""
    centres = Centre.objects.all()
    if centre_code:
        centres = centres.filter(code=centre_code)
    out = {}
    for centre in centres.order_by("pk"):
        review = services_retention.review_retention(centre, on=services_retention.centre_today(centre))
        out[centre.code] = review.items.count()
    return out


@shared_task(name="socius.privacy.produce_subject_access_export")
def produce_subject_access_export_task(sar_id: int) -> dict:
    """Produce an approved subject-access request's export (services.produce_export)."""
    from socius.privacy.services import produce_export

    sar = produce_export(sar_id)
    return {"status": sar.status, "export_state": sar.export_state}
