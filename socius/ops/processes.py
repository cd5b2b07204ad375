"""The metrics files of a group of server processes (gunicorn's workers, a Celery worker's pool).

prometheus_client's multiprocess mode writes one file per process and metric type into
PROMETHEUS_MULTIPROC_DIR; the scrape sums them. Each group has a directory of its own, emptied when the group
starts (files of a previous run would be summed with the new ones), and told when a process dies (its live
gauges leave the sum). No Django: gunicorn's master and Celery's main process call these before any app loads.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def prepare_directory(path: str | os.PathLike) -> Path:
    """Empty (or create) the group's directory at its start; the one place that deletes metrics files."""
    directory = Path(path)
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    return directory


def process_died(pid: int, path: str | os.PathLike | None = None) -> None:
    """A worker process ended: its live gauges no longer count (its counters and histograms still do)."""
    path = path or os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not path:
        return
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(pid, str(path))
