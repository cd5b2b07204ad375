"""Prometheus metrics: request latency by view, Celery task durations, queue lengths at scrape time.

No Django here, so that a Celery worker's metrics server and a test's subprocess can use it alike. Several
processes (gunicorn workers, a Celery worker's pool) share one registry through files in
PROMETHEUS_MULTIPROC_DIR, which prometheus_client reads when it is first imported: the mode is fixed then,
so this module records the directory at import too (MULTIPROCESS_DIR), never later.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.multiprocess import MultiProcessCollector

MULTIPROCESS_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None
CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4

# Labels are bounded sets: a view's name from the URL conf (never a path: paths carry ids of persons), a
# method from a fixed list, a task's registered name. Anything else is folded into "other".
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

# From a 5 ms page to a 2-minute PDF (gunicorn's timeout is 120 s); the load targets sit at 0.3 and 0.5 s.
REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 2.0, 5.0, 10.0, 30.0, 120.0)
# Jobs: a recalculation of a household takes milliseconds, a payment run or a report minutes.
TASK_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0)

REQUEST_SECONDS = Histogram(
    "socius_http_request_duration_seconds",
    "Time to answer a request, by the URL conf's view name and the method.",
    ["view", "method"],
    buckets=REQUEST_BUCKETS,
)
REQUESTS = Counter(
    "socius_http_requests",
    "Requests answered, by view name, method and status code.",
    ["view", "method", "status"],
)
TASK_SECONDS = Histogram(
    "socius_celery_task_duration_seconds",
    "Time a Celery task ran, by task name and outcome (success, failure, retry).",
    ["task", "outcome"],
    buckets=TASK_BUCKETS,
)


def method_label(method: str | None) -> str:
    method = (method or "").upper()
    return method if method in METHODS else "other"


def observe_request(view: str, method: str | None, status: int, seconds: float) -> None:
    method = method_label(method)
    REQUEST_SECONDS.labels(view=view, method=method).observe(seconds)
    REQUESTS.labels(view=view, method=method, status=str(status)).inc()


def observe_task(task: str, outcome: str, seconds: float) -> None:
    TASK_SECONDS.labels(task=task, outcome=outcome).observe(seconds)


class QueueLengthCollector:
    """Messages waiting in each Celery queue, asked of the broker when Prometheus scrapes.

    Any kombu broker (Redis in production, memory:// in tests): a passive queue_declare answers the count
    without changing the queue; a queue nobody declared yet holds nothing. socius_celery_broker_up says
    whether the broker answered at all.
    """

    def __init__(self, broker_url: str, queues: Iterable[str], timeout: float = 2.0):
        self.broker_url = broker_url
        self.queues = list(queues)
        self.timeout = timeout

    def collect(self):
        from amqp.exceptions import ChannelError, NotFound
        from kombu import Connection

        up = GaugeMetricFamily("socius_celery_broker_up", "1 when the Celery broker answered the scrape, else 0.")
        lengths = GaugeMetricFamily(
            "socius_celery_queue_length", "Messages waiting in a Celery queue.", labels=["queue"]
        )
        try:
            with Connection(self.broker_url, connect_timeout=self.timeout) as connection:
                connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0)
                for queue in self.queues:
                    with connection.channel() as channel:
                        try:
                            count = channel.queue_declare(queue=queue, passive=True).message_count
                        except (NotFound, ChannelError):
                            count = 0  # not declared yet: nothing was ever sent to it
                    lengths.add_metric([queue], count)
        except Exception:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield lengths


def exposition(*, multiprocess_dir: str | None = MULTIPROCESS_DIR, extra: Iterable = ()) -> bytes:
    """The text Prometheus scrapes: every process's metrics (summed from the files of multiprocess_dir when
    several processes serve), plus the collectors read at scrape time (queue lengths)."""
    if multiprocess_dir:
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=multiprocess_dir)
    else:
        from prometheus_client import REGISTRY

        registry = CollectorRegistry()
        registry.register(_Delegate(REGISTRY))
    for collector in extra:
        registry.register(collector)
    return generate_latest(registry)


class _Delegate:
    """The process's default registry, as one collector of a registry made for one scrape (the scrape's own
    collectors are added there, never to the process-wide registry)."""

    def __init__(self, registry):
        self.registry = registry

    def collect(self):
        yield from self.registry.collect()
