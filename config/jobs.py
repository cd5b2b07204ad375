"""Celery wiring read by the settings: the queues by kind of work, which task goes to which, and the beat's
schedule. Tasks are named here by their registered names, so this file imports no app.

Queues (docs/deploy.md runs one worker per queue, each autoscaling):
- `default`: imports, recalculations, retention, housekeeping;
- `reports`: report precomputation (long reads; on the read replica's side of the load);
- `payments`: payment runs, bank files, statements, commitments (short, must not wait behind a report).
"""

from celery.schedules import crontab
from kombu import Queue

CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = (Queue("default"), Queue("reports"), Queue("payments"))
CELERY_TASK_ROUTES = {
    "socius.reporting.*": {"queue": "reports"},
    "socius.payments.*": {"queue": "payments"},
}
# One task at a time per worker process: the jobs are long (a payment run, a report), so prefetching more
# would leave them waiting behind a busy process while another idles.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TRACK_STARTED = True
CELERY_RESULT_EXPIRES = 24 * 60 * 60

# Times are in settings.TIME_ZONE (Europe/Warsaw; Celery follows it): night hours in all three countries.
CELERY_BEAT_SCHEDULE = {
    # Last month's report figures and their 12 months of history, early on the 1st.
    "precompute-reports": {
        "task": "socius.reporting.precompute_reports",
        "schedule": crontab(minute=30, hour=2, day_of_month=1),
    },
    # The new year's commitments of open-ended grants, on 2 January (the 1st is a public holiday).
    "renew-commitments": {
        "task": "socius.payments.renew_commitments",
        "schedule": crontab(minute=0, hour=3, day_of_month=2, month_of_year=1),
    },
    # What the retention periods let go, listed for the director's approval (the privacy app's job).
    "review-retention": {
        "task": "socius.privacy.tasks.review_retention_task",
        "schedule": crontab(minute=15, hour=1),
    },
    # Uploaded import files older than a day are deleted (personal data must not linger).
    "sweep-import-uploads": {
        "task": "socius.registry.sweep_import_uploads",
        "schedule": crontab(minute=45, hour=1),
    },
    "clear-expired-sessions": {
        "task": "socius.ops.clear_expired_sessions",
        "schedule": crontab(minute=0, hour=4),
    },
}
