"""Celery jobs in the logs and the metrics: each task's run time by name and outcome, its id on its log lines.

Instrumentation only (no business flow hangs on these signals). They fire in a worker's pool processes and,
without a broker (`make run`, tests), in the web process that runs the task inline. A worker's pool shares its
metrics through files (socius.ops.processes); the worker serves them on SOCIUS_WORKER_METRICS_PORT, bound to
the loopback address unless SOCIUS_WORKER_METRICS_ADDRESS says otherwise (a worker has no web server of its
own, and no token guards this port: keep it off public networks).
"""

from __future__ import annotations

import contextlib
import logging
import os
import time

from celery import signals

from socius.common.context import bind_log_context, reset_log_context
from socius.ops import metrics, processes

logger = logging.getLogger("socius.tasks")

_running: dict[str, tuple[float, object]] = {}  # task id -> (start, log context token), in this process


def task_started(task_id=None, task=None, **_kwargs) -> None:
    token = bind_log_context(task=task.name, task_id=task_id)
    _running[task_id] = (time.perf_counter(), token)


def task_ended(task_id=None, task=None, state=None, **_kwargs) -> None:
    started = _running.pop(task_id, None)
    if started is None:
        return
    start, token = started
    seconds = time.perf_counter() - start
    # No state: the task raised and the error propagated to the caller (a job run inline, without a broker).
    outcome = {"SUCCESS": "success", "FAILURE": "failure", "RETRY": "retry", None: "failure"}.get(state, "other")
    metrics.observe_task(task.name, outcome, seconds)
    logger.info(
        "Task %s ended: %s",
        task.name,
        outcome,
        extra={"task": task.name, "task_id": task_id, "outcome": outcome, "duration_ms": round(seconds * 1000, 1)},
    )
    # A task that ended in another context than it started (a worker's thread pool) has nothing to undo.
    with contextlib.suppress(ValueError):
        reset_log_context(token)


def worker_starting(**_kwargs) -> None:
    """The worker's main process, before its pool forks: empty the pool's metrics directory."""
    directory = metrics.MULTIPROCESS_DIR
    if directory:
        processes.prepare_directory(directory)


def pool_process_ended(pid=None, **_kwargs) -> None:
    processes.process_died(pid or os.getpid(), metrics.MULTIPROCESS_DIR)


def worker_ready(**_kwargs) -> None:
    port = os.environ.get("SOCIUS_WORKER_METRICS_PORT")
    if port:
        serve_worker_metrics(int(port), os.environ.get("SOCIUS_WORKER_METRICS_ADDRESS", "127.0.0.1"))


def serve_worker_metrics(port: int, address: str = "127.0.0.1"):
    """prometheus_client's own small HTTP server in a thread: the pool's metrics, summed over its processes."""
    from prometheus_client import REGISTRY, CollectorRegistry, start_http_server
    from prometheus_client.multiprocess import MultiProcessCollector

    registry = REGISTRY
    if metrics.MULTIPROCESS_DIR:
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=metrics.MULTIPROCESS_DIR)
    server, thread = start_http_server(port, addr=address, registry=registry)
    logger.info("Worker metrics served on %s:%s", address, server.server_port)
    return server, thread


def connect() -> None:
    signals.task_prerun.connect(task_started, weak=False, dispatch_uid="socius.ops.task_started")
    signals.task_postrun.connect(task_ended, weak=False, dispatch_uid="socius.ops.task_ended")
    signals.worker_init.connect(worker_starting, weak=False, dispatch_uid="socius.ops.worker_starting")
    signals.worker_process_shutdown.connect(pool_process_ended, weak=False, dispatch_uid="socius.ops.pool_ended")
    signals.worker_ready.connect(worker_ready, weak=False, dispatch_uid="socius.ops.worker_ready")
