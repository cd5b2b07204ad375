"""`make run` serves the demo with DEBUG off, on gunicorn, on the loopback address and the chosen port."""

import importlib
import multiprocessing
import runpy
from pathlib import Path

from django.conf import settings

GUNICORN_CONFIG = Path(settings.BASE_DIR) / "config" / "gunicorn.py"


def test_gunicorn_binds_the_loopback_address_on_port(monkeypatch):
    monkeypatch.setenv("PORT", "8431")
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)

    config = runpy.run_path(str(GUNICORN_CONFIG))

    assert config["bind"] == "127.0.0.1:8431"
    assert config["wsgi_app"] == "config.wsgi:application"
    assert config["workers"] == 2 * multiprocessing.cpu_count() + 1
    assert config["accesslog"] is None  # no access log unless asked for, and never query strings
    assert "%(U)s" in config["access_log_format"] and "%(q)s" not in config["access_log_format"]


def test_web_concurrency_sets_the_number_of_workers(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")

    assert runpy.run_path(str(GUNICORN_CONFIG))["workers"] == 3


def test_the_demo_settings_turn_debug_off_and_serve_hashed_static_files():
    demo = importlib.import_module("config.settings.demo")

    assert demo.DEBUG is False
    assert demo.ALLOWED_HOSTS == ["127.0.0.1", "localhost"]
    assert not demo.SECRET_KEY.startswith("insecure-")
    assert demo.STORAGES["staticfiles"]["BACKEND"] == "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in demo.MIDDLEWARE
    if demo.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # the embedded default
        assert demo.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
