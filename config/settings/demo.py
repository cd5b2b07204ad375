"""Settings for `make run`: the demo as its users would meet it. DEBUG off (friendly 404/403/500 pages,
never a traceback), served by gunicorn (config/gunicorn.py) with static files from whitenoise, on the
loopback address over plain HTTP (so no secure-only cookies), on SQLite or DATABASE_URL."""

import os

from django.core.management.utils import get_random_secret_key

from .base import *  # noqa: F403

DEBUG = False


def _demo_secret_key() -> str:
    """SOCIUS_SECRET_KEY, or a key made once for this checkout and kept in var/ (never the public default)."""
    if os.environ.get("SOCIUS_SECRET_KEY"):
        return os.environ["SOCIUS_SECRET_KEY"]
    path = VAR_DIR / "secret_key"  # noqa: F405
    if not path.exists():
        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _demo_secret_key()
# Hashed static files collected into var/staticfiles by `make run`, served by whitenoise with long cache
# headers. Not compressed: brotli-compressing the ~1,000 files (Swagger UI, admin) took minutes of CPU at
# every start, for a server on the loopback address.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
