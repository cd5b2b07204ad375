"""Reading the environment: one place that knows the variable names."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SOCIUS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_config(default_sqlite: Path) -> dict:
    """DATABASE_URL (any dj-database-url URL) or an embedded SQLite file."""
    config = dj_database_url.config(
        default=f"sqlite:///{default_sqlite}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,  # a kept connection (DB_CONN_MAX_AGE) is checked before a request reuses it
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers go on while one connection writes. IMMEDIATE makes every transaction take the
        # write lock when it begins, so a second writer waits (up to `timeout` seconds) at BEGIN. In the
        # default DEFERRED mode a transaction that read first and then writes cannot wait for the lock:
        # SQLite answers "database is locked" at once, whatever the timeout (review D8: 87-428 ms).
        config.setdefault("OPTIONS", {}).update(
            {
                "timeout": int(os.environ.get("SOCIUS_SQLITE_TIMEOUT", "30")),
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            }
        )
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # No JIT: compiling costs 10-30 ms a query and pays only in long reports; person search's
        # candidate queries can cross its cost threshold on large centres (docs/decisions/0004).
        config.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    return config
