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


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated variable as a list, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def replica_config() -> dict | None:
    """DATABASE_REPLICA_URL: a PostgreSQL read replica (streaming replication) that reports and exports read
    from (socius.ops.replica). None when unset. Under the test runner it mirrors the default database."""
    url = os.environ.get("DATABASE_REPLICA_URL", "").strip()
    if not url:
        return None
    config = dj_database_url.parse(url, conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")))
    if config["ENGINE"] == "django.db.backends.postgresql":
        config.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    config["TEST"] = {"MIRROR": "default"}
    return config


def default_storage_config() -> dict:
    """Where uploaded documents, imports and bank files live: an S3-compatible bucket when SOCIUS_S3_BUCKET is
    set (django-storages; every app server sees the same files), else the local folder MEDIA_ROOT. The keys
    come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (read by boto3 itself, never kept in settings), or
    from the machine's role."""
    bucket = os.environ.get("SOCIUS_S3_BUCKET", "").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        "location": os.environ.get("SOCIUS_S3_PREFIX", "media").strip("/"),
        # Names stay unique as on a local disk (Storage.get_available_name): a second file of the same name
        # never replaces the first (S3Storage's own default overwrites).
        "file_overwrite": False,
        # Private objects: the application streams documents itself after checking who asks (never a URL).
        "default_acl": None,
        "querystring_auth": True,
    }
    # Encryption at rest by the store (SSE-S3); "none" for a store that has no such option.
    encryption = os.environ.get("SOCIUS_S3_ENCRYPTION", "AES256").strip()
    if encryption.lower() != "none":
        options["object_parameters"] = {"ServerSideEncryption": encryption}
    if os.environ.get("SOCIUS_S3_ENDPOINT_URL"):  # MinIO, Ceph, a national cloud: any S3-compatible store
        options["endpoint_url"] = os.environ["SOCIUS_S3_ENDPOINT_URL"]
    if os.environ.get("SOCIUS_S3_REGION"):
        options["region_name"] = os.environ["SOCIUS_S3_REGION"]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
