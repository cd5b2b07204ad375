"""socius.ops.metrics: summed over processes, queue lengths from a real Redis, task durations by signal."""

import os
import subprocess
import sys
import textwrap
import uuid

import pytest
from celery import shared_task
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from socius.ops import metrics


def _value(text: str, name: str, **labels) -> float:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    return 0.0


def _serve_requests_in_a_process(directory, view: str, times: int) -> None:
    """Another process, as a gunicorn worker is: prometheus_client in multiprocess mode, writing its files."""
    code = textwrap.dedent(
        f"""
        from socius.ops import metrics
        for _ in range({times}):
            metrics.observe_request({view!r}, "GET", 200, 0.12)
        """
    )
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(directory)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=os.getcwd())


def test_the_scrape_sums_the_requests_of_every_worker_process(tmp_path):
    _serve_requests_in_a_process(tmp_path, "web:search", 2)
    _serve_requests_in_a_process(tmp_path, "web:search", 3)
    _serve_requests_in_a_process(tmp_path, "desk:home", 1)

    text = metrics.exposition(multiprocess_dir=str(tmp_path)).decode()

    count = "socius_http_request_duration_seconds_count"
    assert _value(text, count, view="web:search", method="GET") == 5
    assert _value(text, count, view="desk:home", method="GET") == 1
    assert _value(text, "socius_http_requests_total", view="web:search", method="GET", status="200") == 5
    # 0.12 s falls in the 0.2 s bucket, not the 0.1 s one
    bucket = "socius_http_request_duration_seconds_bucket"
    assert _value(text, bucket, view="web:search", le="0.1") == 0
    assert _value(text, bucket, view="web:search", le="0.2") == 5


def test_a_process_that_died_still_counts_its_requests(tmp_path):
    from socius.ops.processes import process_died

    _serve_requests_in_a_process(tmp_path, "web:search", 2)
    pids = {name.rsplit("_", 1)[1].removesuffix(".db") for name in os.listdir(tmp_path)}
    for pid in pids:
        process_died(int(pid), tmp_path)

    text = metrics.exposition(multiprocess_dir=str(tmp_path)).decode()
    assert _value(text, "socius_http_request_duration_seconds_count", view="web:search") == 2


def test_the_group_directory_is_emptied_when_the_group_starts(tmp_path):
    from socius.ops.processes import prepare_directory

    directory = tmp_path / "web"
    directory.mkdir()
    _serve_requests_in_a_process(directory, "web:search", 2)
    assert os.listdir(directory)

    prepare_directory(directory)

    assert os.listdir(directory) == []
    assert _value(metrics.exposition(multiprocess_dir=str(directory)).decode(), "socius_http_requests_total") == 0


def _redis_url() -> str | None:
    url = os.environ.get("SOCIUS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        from kombu import Connection

        with Connection(url, connect_timeout=1) as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0)
    except Exception:
        return None
    return url


def test_queue_lengths_are_read_from_redis():
    url = _redis_url()
    if url is None:
        pytest.skip("Redis not reachable (SOCIUS_TEST_REDIS_URL)")
    from kombu import Connection

    waiting, empty = f"observe-reports-{uuid.uuid4().hex}", f"observe-payments-{uuid.uuid4().hex}"
    with Connection(url) as connection:
        queue = connection.SimpleQueue(waiting)
        try:
            for n in range(4):
                queue.put({"n": n})

            collected = {
                sample.labels.get("queue", ""): sample.value
                for family in metrics.QueueLengthCollector(url, [waiting, empty]).collect()
                for sample in family.samples
            }
        finally:
            queue.clear()
            queue.close()

    assert collected == {"": 1, waiting: 4, empty: 0}


@shared_task(name="socius.ops.tests.sleepless")
def sleepless(fail: bool = False) -> str:
    if fail:
        raise ValueError("a failure")
    return "done"


def _task_count(outcome: str) -> float:
    value = REGISTRY.get_sample_value(
        "socius_celery_task_duration_seconds_count", {"task": "socius.ops.tests.sleepless", "outcome": outcome}
    )
    return value or 0.0


def test_each_task_run_is_timed_by_name_and_outcome(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    successes, failures = _task_count("success"), _task_count("failure")

    sleepless.delay()
    sleepless.delay()
    with pytest.raises(ValueError, match="a failure"):
        sleepless.delay(fail=True)

    assert _task_count("success") - successes == 2
    assert _task_count("failure") - failures == 1


def test_the_log_lines_of_a_task_carry_its_name_and_id(settings):
    import logging

    from socius.common.context import current_log_context

    seen = []

    @shared_task(name="socius.ops.tests.looks_at_its_context")
    def looks() -> None:
        seen.append(dict(current_log_context()))

    settings.CELERY_TASK_ALWAYS_EAGER = True
    result = looks.delay()

    assert seen == [{"task": "socius.ops.tests.looks_at_its_context", "task_id": result.id}]
    assert current_log_context() == {}
    assert logging.getLogger("celery.app.trace").getEffectiveLevel() == logging.WARNING


def test_the_worker_serves_its_metrics_on_the_loopback_address():
    import urllib.request

    from socius.ops.celery_signals import serve_worker_metrics

    metrics.observe_task("socius.ops.tests.served", "success", 0.2)
    server, _thread = serve_worker_metrics(0)
    try:
        port = server.server_port
        body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    finally:
        server.shutdown()
        server.server_close()

    assert server.server_address[0] == "127.0.0.1"
    assert _value(body, "socius_celery_task_duration_seconds_count", task="socius.ops.tests.served") == 1
