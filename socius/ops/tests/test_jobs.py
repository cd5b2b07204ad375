"""The Celery wiring: every job the beat schedules is a task the workers know, each task goes to its queue, and
the housekeeping tasks do their work."""

import datetime as dt
import importlib.util

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from config.celery import app
from socius.ops.tasks import clear_expired_sessions_task

RETENTION = "socius.privacy.tasks.review_retention_task"


def registered_tasks() -> set[str]:
    app.loader.import_default_modules()  # what a worker imports at start (autodiscovery)
    return set(app.tasks)


def test_every_scheduled_job_is_a_task_the_workers_register():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    if importlib.util.find_spec("socius.privacy.tasks") is None:
        scheduled.discard(RETENTION)  # the retention stream's task; checked once its module is there

    assert scheduled - registered_tasks() == set()
    assert {
        "socius.reporting.precompute_reports",
        "socius.payments.renew_commitments",
        "socius.registry.sweep_import_uploads",
        "socius.ops.clear_expired_sessions",
    } <= scheduled


def test_the_retention_review_is_scheduled_daily_by_its_name():
    entry = settings.CELERY_BEAT_SCHEDULE["review-retention"]

    assert entry["task"] == RETENTION
    assert entry["schedule"].day_of_month == set(range(1, 32))


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("socius.reporting.precompute_reports", "reports"),
        ("socius.payments.prepare_run", "payments"),
        ("socius.payments.export_run", "payments"),
        ("socius.payments.renew_commitments", "payments"),
        ("socius.registry.import_registry_file", "default"),
        ("socius.benefits.recalculate", "default"),
        ("socius.ops.clear_expired_sessions", "default"),
    ],
)
def test_each_kind_of_work_goes_to_its_queue(task, queue):
    route = app.amqp.router.route({}, task)

    assert route["queue"].name == queue
    assert {q.name for q in settings.CELERY_TASK_QUEUES} == {"default", "reports", "payments"}


@pytest.mark.django_db
def test_clearing_sessions_deletes_the_expired_and_keeps_the_live():
    now = timezone.now()
    Session.objects.create(session_key="a" * 32, session_data="x", expire_date=now - dt.timedelta(minutes=1))
    Session.objects.create(session_key="b" * 32, session_data="x", expire_date=now + dt.timedelta(minutes=30))

    clear_expired_sessions_task.delay()

    assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]
