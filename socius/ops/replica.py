"""Reads of reports and exports from a PostgreSQL read replica (the `replica` alias, DATABASE_REPLICA_URL).

Nothing is sent to the replica unless asked: a read goes there only inside `reading_from_replica()`, which the
middleware opens around the GET requests of the views named in SOCIUS_REPLICA_VIEWS (statistics, the dashboard,
report drill-downs and exports), and never inside a transaction on the primary. Writes always go to the
primary, also for objects read from the replica. A user who has
just written (any POST, PUT, PATCH or DELETE) reads from the primary for SOCIUS_REPLICA_PIN_SECONDS, so the
page after the write never shows the state before it while the replica catches up (docs/decisions/0018).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from fnmatch import fnmatchcase

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
PIN_COOKIE = "socius_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_reading_from_replica: ContextVar[bool] = ContextVar("socius_reading_from_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def reading_from_replica() -> Iterator[None]:
    """Reads inside go to the replica when one is configured (a no-op otherwise). Only around read-only work:
    a read-then-write (get_or_create, select_for_update) must stay on the primary."""
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


class ReplicaRouter:
    """DATABASE_ROUTERS entry: the replica for reads inside `reading_from_replica()`, the primary otherwise."""

    def db_for_read(self, model, **hints) -> str | None:
        if not _reading_from_replica.get() or not replica_configured():
            return None
        # Inside a transaction on the primary a read must see that transaction's own writes (and its locks).
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None
        return REPLICA

    def db_for_write(self, model, **hints) -> str:
        # Explicitly the primary: without an answer Django would write to the database the instance was read
        # from (the replica, read-only).
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # one database and its copy

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db != REPLICA  # the replica follows the primary's WAL, migrations included


def is_replica_view(view_name: str | None) -> bool:
    """Whether the resolved view (namespace:name) is one whose GET reads from the replica."""
    if not view_name:
        return False
    return any(fnmatchcase(view_name, pattern) for pattern in getattr(settings, "SOCIUS_REPLICA_VIEWS", ()))


class ReplicaReadsMiddleware:
    """Opens `reading_from_replica()` around GET/HEAD requests of the replica views (not for a user who has
    just written: the pin cookie), and sets the pin cookie after every unsafe request. Idle without a
    replica (the whole request is passed through)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        request._socius_replica_token = None
        try:
            response = self.get_response(request)
        finally:
            token = getattr(request, "_socius_replica_token", None)
            if token is not None:
                _reading_from_replica.reset(token)
        if request.method not in SAFE_METHODS:
            seconds = int(getattr(settings, "SOCIUS_REPLICA_PIN_SECONDS", 15))
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not replica_configured() or request.method not in ("GET", "HEAD") or PIN_COOKIE in request.COOKIES:
            return None
        match = getattr(request, "resolver_match", None)
        if match is not None and is_replica_view(match.view_name):
            request._socius_replica_token = _reading_from_replica.set(True)
        return None
