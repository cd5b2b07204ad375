"""Deployment checks (`manage.py check --deploy`): what a production installation needs beyond Django's own
list. Each names the variable that fixes it (docs/deploy.md)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register

SHARED_CACHES = ("django.core.cache.backends.redis.RedisCache",)


@register(Tags.database, deploy=True)
def check_production_database(app_configs, **kwargs) -> list[Warning]:
    found = []
    for alias, config in settings.DATABASES.items():
        if config.get("ENGINE") != "django.db.backends.postgresql":
            found.append(
                Warning(
                    f"The database {alias!r} is not PostgreSQL.",
                    hint="Set DATABASE_URL (and DATABASE_REPLICA_URL) to postgres:// URLs: the embedded SQLite "
                    "serves one machine's demo, not a centre.",
                    id="socius.W001",
                )
            )
    return found


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs) -> list[Warning]:
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in SHARED_CACHES:
        return []
    return [
        Warning(
            "The cache is not shared by every app server.",
            hint="Set SOCIUS_CACHE_URL to redis://host:6379/1: the login throttle and the sessions' cache must "
            "be the same on every server.",
            id="socius.W002",
        )
    ]


@register(deploy=True)
def check_broker(app_configs, **kwargs) -> list[Warning]:
    if settings.CELERY_BROKER_URL:
        return []
    return [
        Warning(
            "No Celery broker: long jobs (imports, payment runs, reports) run inside web requests, and the "
            "scheduled jobs do not run.",
            hint="Set CELERY_BROKER_URL to redis://host:6379/0 and run the workers and the beat (docs/deploy.md).",
            id="socius.W003",
        )
    ]
