"""config/gunicorn.py's metrics hooks: the workers' directory set and emptied at start, dead workers marked."""

import os
import runpy
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings

GUNICORN_CONFIG = Path(settings.BASE_DIR) / "config" / "gunicorn.py"


def test_starting_sets_and_empties_the_workers_metrics_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("SOCIUS_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    stale = tmp_path / "metrics" / "web" / "counter_4242.db"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"left by the previous run")
    config = runpy.run_path(str(GUNICORN_CONFIG))

    config["on_starting"](SimpleNamespace())

    assert os.environ["PROMETHEUS_MULTIPROC_DIR"] == str(tmp_path / "metrics" / "web")
    assert os.listdir(tmp_path / "metrics" / "web") == []


def test_a_directory_given_by_the_environment_is_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "elsewhere"))
    config = runpy.run_path(str(GUNICORN_CONFIG))

    config["on_starting"](SimpleNamespace())

    assert (tmp_path / "elsewhere").is_dir()


def test_a_dead_workers_live_gauges_are_removed(tmp_path, monkeypatch):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    (tmp_path / "gauge_livesum_777.db").write_bytes(b"")
    (tmp_path / "histogram_777.db").write_bytes(b"")
    config = runpy.run_path(str(GUNICORN_CONFIG))

    config["child_exit"](SimpleNamespace(), SimpleNamespace(pid=777))

    assert os.listdir(tmp_path) == ["histogram_777.db"]
