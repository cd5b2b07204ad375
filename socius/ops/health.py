"""Is this server fit to take requests? The database(s), the Celery broker, the cache, free disk space.

Each check answers "ok", "fail" or "not configured" and nothing else: the page is public (load balancers and
uptime probes call it without signing in), so no host names, versions, sizes or error texts are shown. What
failed and why goes to the log, under the request's id.
"""

from __future__ import annotations

import logging
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connections

logger = logging.getLogger("socius.health")

OK = "ok"
FAIL = "fail"
NOT_CONFIGURED = "not configured"


@dataclass(frozen=True)
class HealthReport:
    checks: dict[str, str] = field(default_factory=dict)

    @property
    def is_healthy(self) -> bool:
        return FAIL not in self.checks.values()

    def as_json(self) -> dict:
        return {"status": OK if self.is_healthy else FAIL, "checks": dict(self.checks)}


def check_health() -> HealthReport:
    return HealthReport(
        {
            "database": _run("database", check_databases),
            "broker": _run("broker", check_broker),
            "cache": _run("cache", check_cache),
            "disk": _run("disk", check_disk),
        }
    )


def _run(name: str, check) -> str:
    try:
        return check()
    except Exception as error:
        logger.warning("Health check %s failed", name, exc_info=error)
        return FAIL


def check_databases() -> str:
    """Every configured database (the primary, and the read replica when there is one) answers a query."""
    for alias in settings.DATABASES:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    return OK


def check_broker() -> str:
    """The Celery broker accepts a connection. Without one (`make run`) jobs run inline: nothing to check."""
    url = getattr(settings, "CELERY_BROKER_URL", "")
    if not url:
        return NOT_CONFIGURED
    from kombu import Connection

    timeout = settings.SOCIUS_HEALTH_TIMEOUT_SECONDS
    with Connection(url, connect_timeout=timeout) as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
    return OK


def check_cache() -> str:
    """The cache (the login throttle counts there) stores and returns a value."""
    key = "socius:healthz"
    value = uuid.uuid4().hex
    cache.set(key, value, 30)
    if cache.get(key) != value:
        raise RuntimeError("The cache did not return the value just stored.")
    return OK


def check_disk() -> str:
    """Free space where Socius writes: var/ (SQLite, the file cache, metrics) and the uploaded documents'
    folder when documents are kept on this machine's disk (not on an object store)."""
    minimum = settings.SOCIUS_HEALTH_MIN_FREE_MB * 1024 * 1024
    for folder in _folders_written():
        free = shutil.disk_usage(folder).free
        if free < minimum:
            raise RuntimeError(f"{free // (1024 * 1024)} MB free, below the minimum of {minimum // (1024 * 1024)} MB.")
    return OK


def _folders_written() -> list[Path]:
    folders = [Path(settings.VAR_DIR)]
    location = getattr(default_storage, "location", None)  # FileSystemStorage; an object store has none
    if location:
        folders.append(Path(location))
    return [_existing(folder) for folder in folders]


def _existing(folder: Path) -> Path:
    """The folder, or its nearest existing parent (MEDIA_ROOT is created with the first upload)."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder
