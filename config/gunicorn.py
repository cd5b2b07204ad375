"""gunicorn for `make run`: the demo on 127.0.0.1:$PORT, workers fitted to the machine's cores.

Person search and the desk are CPU-bound Python (80-130 ms alone), so processes, not threads, serve them:
2 x cores + 1 sync workers (gunicorn's own rule), or WEB_CONCURRENCY. Several workers writing to the
embedded SQLite wait for each other (IMMEDIATE transactions with a busy timeout, config/env.py).
"""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
# The loopback address (a reverse proxy in front); SOCIUS_BIND=0.0.0.0:8000 in a container (compose.yaml).
bind = os.environ.get("SOCIUS_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * multiprocessing.cpu_count() + 1)))
worker_class = "sync"
timeout = 120  # the first PDF loads fonts; a 100,000-row import runs in the request when no broker is set
graceful_timeout = 10
max_requests = 2000  # recycle workers now and then, so no leak grows over a long demo
max_requests_jitter = 200
# No personal data in logs: the access log leaves out the query string (searches carry names).
accesslog = "-" if os.environ.get("SOCIUS_ACCESS_LOG") == "1" else None
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
loglevel = "warning"


def when_ready(server):
    server.log.warning("Socius is served on http://%s/ by %s gunicorn workers (Ctrl-C stops it).", bind, workers)


# Metrics (decision 0019): the workers share prometheus_client's registry through files in one directory,
# set here in the master before the workers fork and load the app, emptied at every start.
def on_starting(server):
    from socius.ops.processes import prepare_directory

    var = os.environ.get("SOCIUS_VAR_DIR") or os.path.join(os.path.dirname(os.path.dirname(__file__)), "var")
    prepare_directory(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", os.path.join(var, "metrics", "web")))


def child_exit(server, worker):
    from socius.ops.processes import process_died

    process_died(worker.pid)


# --- Load (issue 13): what a worker does once, before its first request ----------------------------------------
# A worker serves one request at a time for thousands of requests (max_requests): it keeps its database
# connection (DB_CONN_MAX_AGE seconds, checked before reuse) instead of opening one per request, and it moves
# everything Django loaded at start-up out of the garbage collector's sight (gc.freeze), so that a full
# collection walks only what requests created. Measured in docs/benchmarks.md ("The working day under load").
# (raw_env: gunicorn sets it in the server's environment; reading this file changes nothing.)
raw_env = [] if "DB_CONN_MAX_AGE" in os.environ else ["DB_CONN_MAX_AGE=300"]


def post_worker_init(worker):
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every view, serializer and form the URLs name)
    gc.collect()
    gc.freeze()
