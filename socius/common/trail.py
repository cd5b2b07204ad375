"""Who is acting, told to the database, so the change trail's triggers (PostgreSQL) can record the app user.

The triggers read the session setting `socius.actor_id` (docs/decisions/0008). It is set once the request's
user is known, outside any transaction (a setting made inside a transaction that rolls back would be undone),
and cleared when the request ends, so a connection kept for the next request never carries a stale user.
The web's user is known after AuthenticationMiddleware; an API token's user when DRF authenticates it
(accounts.tokens calls set_database_actor). On SQLite there are no triggers and nothing is sent.
"""

from __future__ import annotations

from django.db import connection

_SETTING = "socius.actor_id"


def _send(value: str) -> None:
    # On the driver's own cursor: one round trip that is not a query of the application (not logged,
    # not counted by the query-count tests), in autocommit, so no transaction can undo it.
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, false)", [_SETTING, value])


def set_database_actor(user_id: int | None) -> None:
    """The user the triggers record for this connection's next statements (None: unknown)."""
    if connection.vendor != "postgresql":
        return
    value = str(user_id) if user_id else ""
    if _sent_on_this_connection() == value:
        return
    _send(value)
    connection._socius_actor = (connection.connection, value)


def _sent_on_this_connection() -> str:
    """What this very driver connection was told ("" for a new one: a reconnect starts unknown)."""
    sent_on, value = getattr(connection, "_socius_actor", (None, ""))
    return value if sent_on is not None and sent_on is connection.connection else ""


def clear_database_actor() -> None:
    if connection.vendor != "postgresql" or not _sent_on_this_connection():
        return
    try:
        _send("")
    except Exception:  # a broken connection is closed by Django at the end of the request anyway
        connection.close()
    connection._socius_actor = (None, "")


class DatabaseActorMiddleware:
    """After AuthenticationMiddleware: the signed-in user is the actor of what the request changes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if connection.vendor != "postgresql":
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            set_database_actor(user.pk)
        try:
            return self.get_response(request)
        finally:
            clear_database_actor()
