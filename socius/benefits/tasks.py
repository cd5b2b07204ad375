"""Celery tasks of benefits: thin wrappers around services (inline when no broker is configured)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="socius.benefits.recalculate")
def recalculate_task(run_id: int) -> dict:
    """Run a queued recalculation (benefits.recalculation.run_recalculation); returns its counters."""
    from socius.benefits.recalculation import run_recalculation

    run = run_recalculation(run_id)
    return {
        "status": run.status,
        "total": run.total,
        "done": run.done,
        "proposed": run.proposed,
        "unchanged": run.unchanged,
        "skipped": run.skipped,
    }
