"""Celery tasks of payments: thin wrappers around the run services (inline when no broker is configured)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="socius.payments.prepare_run")
def prepare_run_task(run_id: int) -> dict:
    """Fill a queued run (runs.fill_run: decisions, transfers, reissues), progress on its job_* fields."""
    from socius.payments.runs import fill_run

    run = fill_run(run_id)
    return {"status": run.status, "job_state": run.job_state, "payments": run.payment_count, "total": str(run.total)}


@shared_task(name="socius.payments.check_run")
def check_run_task(run_id: int, actor_id: int) -> dict:
    """Check a run as the officer who asked (runs.check_run), progress on its job_* fields."""
    from socius.accounts.models import User
    from socius.payments.runs import check_run_job

    run = check_run_job(run_id, User.objects.get(pk=actor_id))
    return {"status": run.status, "job_state": run.job_state, "anomalies": len(run.anomalies or [])}


# Celery's autodiscovery imports this module only: bankfiles' tasks register with the worker from here.
from socius.payments.bankfiles.tasks import export_run_task, import_statement_task  # noqa: E402, F401
from socius.payments.tasks_funds import renew_commitments_task  # noqa: E402, F401  (the beat sends it to workers)
