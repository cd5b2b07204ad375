"""Production settings: PostgreSQL, HTTPS-only cookies, static files collected."""

import os

from .base import *  # noqa: F403

DEBUG = False
if SECRET_KEY.startswith("insecure-"):  # noqa: F405
    raise RuntimeError("Set SOCIUS_SECRET_KEY in production.")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = os.environ.get("SOCIUS_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
