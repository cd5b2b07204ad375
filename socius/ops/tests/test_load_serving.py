"""The load stream's serving settings (issue 13): gunicorn's workers keep their database connection, checked
before reuse, and freeze what they loaded at start-up out of the garbage collector's sight."""

import gc
import importlib
import os
import sys

from config.env import database_config


def _gunicorn_config():
    sys.modules.pop("config.gunicorn", None)
    return importlib.import_module("config.gunicorn")


def test_workers_keep_their_database_connection_by_default(monkeypatch):
    monkeypatch.delenv("DB_CONN_MAX_AGE", raising=False)

    assert _gunicorn_config().raw_env == ["DB_CONN_MAX_AGE=300"]
    assert "DB_CONN_MAX_AGE" not in os.environ  # reading the configuration changes nothing


def test_an_operator_setting_wins(monkeypatch):
    monkeypatch.setenv("DB_CONN_MAX_AGE", "0")

    assert _gunicorn_config().raw_env == []
    assert os.environ["DB_CONN_MAX_AGE"] == "0"


def test_a_kept_connection_is_checked_before_reuse(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DB_CONN_MAX_AGE", "300")
    config = database_config(tmp_path / "db.sqlite3")
    assert config["CONN_MAX_AGE"] == 300
    assert config["CONN_HEALTH_CHECKS"] is True


def test_worker_start_up_imports_the_views_and_freezes_them(monkeypatch):
    monkeypatch.delenv("DB_CONN_MAX_AGE", raising=False)
    module = _gunicorn_config()
    assert gc.get_freeze_count() == 0
    try:
        module.post_worker_init(worker=None)
        assert gc.get_freeze_count() > 0
        assert "socius.web.api_urls" in sys.modules
    finally:
        gc.unfreeze()
    assert gc.get_freeze_count() == 0
