"""Database helpers that differ between PostgreSQL (production) and SQLite (embedded)."""

from django.db import connection


def is_postgres(using_connection=None) -> bool:
    return (using_connection or connection).vendor == "postgresql"
