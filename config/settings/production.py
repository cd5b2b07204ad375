"""Production settings, entirely from the environment (docs/deploy.md lists every variable): PostgreSQL
(DATABASE_URL, a read replica with DATABASE_REPLICA_URL), Redis for the cache, the sessions and Celery,
uploaded files on the local disk or an S3-compatible store, HTTPS-only cookies, static files collected.
`manage.py check --deploy` is clean with these (socius/ops/tests/test_production_settings.py)."""

import os

from config.env import default_storage_config, env_bool

from .base import *  # noqa: F403

DEBUG = False
if SECRET_KEY.startswith("insecure-"):  # noqa: F405
    raise RuntimeError("Set SOCIUS_SECRET_KEY in production.")
# What a production server also needs (PostgreSQL, Redis, a broker) is checked by `manage.py check --deploy`
# (socius/ops/checks.py), so a missing piece is named rather than a start refused.

# Persistent connections: a gunicorn worker keeps its connection between requests (behind PgBouncer too).
for _alias in DATABASES:  # noqa: F405
    if "DB_CONN_MAX_AGE" not in os.environ:
        DATABASES[_alias]["CONN_MAX_AGE"] = 60  # noqa: F405
    DATABASES[_alias]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# HTTPS only (the reverse proxy terminates TLS and says so in X-Forwarded-Proto).
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("SOCIUS_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SOCIUS_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SOCIUS_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SOCIUS_HSTS_PRELOAD", True)  # eligible for the browsers' preload list
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS if host and not host.startswith(".")]  # noqa: F405

# Stateless app servers: sessions in the database, read through Redis when the cache is Redis (cached_db:
# every server sees every session, a lost cache loses none).
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":  # noqa: F405
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

STORAGES = {
    "default": default_storage_config(),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = os.environ.get("SOCIUS_MEDIA_ROOT", str(MEDIA_ROOT))  # noqa: F405
STATIC_ROOT = os.environ.get("SOCIUS_STATIC_ROOT", str(STATIC_ROOT))  # noqa: F405
