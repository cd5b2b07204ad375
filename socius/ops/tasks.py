"""Celery tasks of running Socius (no domain): housekeeping the beat schedules (config/jobs.py)."""

from __future__ import annotations

from importlib import import_module

from celery import shared_task
from django.conf import settings


@shared_task(name="socius.ops.clear_expired_sessions")
def clear_expired_sessions_task() -> None:
    """Daily: delete the sessions past their expiry (database sessions keep them until told; `clearsessions`)."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
