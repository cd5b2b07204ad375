"""Production settings come from the environment, and `manage.py check --deploy` is clean with a production-like
one: PostgreSQL, a replica, Redis for the cache, sessions and Celery, an S3-compatible store."""

import importlib
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def production_environment(tmp_path, **extra) -> dict:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SOCIUS_SECRET_KEY": secrets.token_urlsafe(50),
        "SOCIUS_ALLOWED_HOSTS": "socius.example.org",
        "DATABASE_URL": "postgres://socius:secret@db.internal:5432/socius",
        "DATABASE_REPLICA_URL": "postgres://socius:secret@replica.internal:5432/socius",
        "SOCIUS_CACHE_URL": "redis://redis.internal:6379/1",
        "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
        "SOCIUS_VAR_DIR": str(tmp_path / "var"),
    }
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def check_deploy(env: dict) -> subprocess.CompletedProcess:
    # Checks only: nothing connects to the hosts named above.
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_a_production_environment(tmp_path):
    result = check_deploy(production_environment(tmp_path, SOCIUS_S3_BUCKET="socius-documents"))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_names_what_is_missing_for_production(tmp_path):
    env = production_environment(tmp_path, DATABASE_URL=None, SOCIUS_CACHE_URL=None, CELERY_BROKER_URL=None)
    env.pop("DATABASE_REPLICA_URL")

    result = check_deploy(env)

    assert result.returncode == 1
    found = sorted(code for code in ("socius.W001", "socius.W002", "socius.W003") if code in result.stderr)
    assert found == ["socius.W001", "socius.W002", "socius.W003"]


def _production(monkeypatch, **env):
    """config.settings.production executed afresh (its base too) under the given environment."""
    monkeypatch.setenv("SOCIUS_SECRET_KEY", secrets.token_urlsafe(50))
    for name in (
        "SOCIUS_S3_BUCKET",
        "SOCIUS_S3_ENDPOINT_URL",
        "SOCIUS_CACHE_URL",
        "DATABASE_REPLICA_URL",
        "DB_CONN_MAX_AGE",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    importlib.reload(importlib.import_module("config.settings.base"))
    sys.modules.pop("config.settings.production", None)
    try:
        return importlib.import_module("config.settings.production")
    finally:
        sys.modules.pop("config.settings.production", None)


@pytest.fixture(autouse=True)
def _restore_base():
    yield
    importlib.reload(importlib.import_module("config.settings.base"))


def test_uploaded_files_go_to_the_local_folder_by_default(monkeypatch):
    production = _production(monkeypatch)

    assert production.STORAGES["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_an_s3_bucket_in_the_environment_puts_uploaded_files_in_it(monkeypatch):
    production = _production(
        monkeypatch,
        SOCIUS_S3_BUCKET="socius-documents",
        SOCIUS_S3_ENDPOINT_URL="https://s3.example.org",
        SOCIUS_S3_REGION="eu-central-1",
    )

    storage = production.STORAGES["default"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"] == {
        "bucket_name": "socius-documents",
        "location": "media",
        "file_overwrite": False,
        "default_acl": None,
        "querystring_auth": True,
        "object_parameters": {"ServerSideEncryption": "AES256"},
        "endpoint_url": "https://s3.example.org",
        "region_name": "eu-central-1",
    }
    assert "AWS_SECRET_ACCESS_KEY" not in vars(production)  # boto3 reads the keys itself


def test_sessions_are_read_through_redis_when_the_cache_is_redis(monkeypatch):
    assert _production(monkeypatch).SESSION_ENGINE == "django.contrib.sessions.backends.db"

    production = _production(monkeypatch, SOCIUS_CACHE_URL="redis://redis.internal:6379/1")

    assert production.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    assert production.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"


def test_a_replica_url_adds_the_replica_and_its_router(monkeypatch):
    production = _production(monkeypatch, DATABASE_REPLICA_URL="postgres://reader@replica.internal:5432/socius")

    assert production.DATABASES["replica"]["HOST"] == "replica.internal"
    assert production.DATABASES["replica"]["CONN_MAX_AGE"] == 60  # persistent, health-checked connections
    assert production.DATABASES["replica"]["CONN_HEALTH_CHECKS"] is True
    assert production.DATABASE_ROUTERS == ["socius.ops.replica.ReplicaRouter"]
    assert "socius.ops.replica.ReplicaReadsMiddleware" in production.MIDDLEWARE
