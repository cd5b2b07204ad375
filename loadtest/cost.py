"""What each request type of the load test costs alone: CPU milliseconds of the Django process, wall time and
queries, the median of --repeat requests after one warm-up, in process (Django's test Client, token
authentication, the full middleware), against the database of DATABASE_URL (or the embedded SQLite).

    DATABASE_URL=postgres://... .venv/bin/python loadtest/cost.py --centre pl --repeat 5

The CPU time is the figure that moves least with the machine's load: under the load test the server serves
about (cores it gets x 1000 / CPU ms per request) requests a second, whatever the number of users. It writes
what the load test writes (one contact; the searches and reads are audited as in production).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--centre", default="pl", choices=("pl", "md", "lt"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--report-month", default="2026-11")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework.authtoken.models import Token

    from bench.calibration import calibrate
    from socius.accounts.models import User

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    database_url = os.environ.get("DATABASE_URL", "")
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; {args.repeat} requests each")
    print(calibrate(database_url).line("calibration before"))

    def client(role: str) -> Client:
        token, _ = Token.objects.get_or_create(user=User.objects.get(username=f"{args.centre}-{role}"))
        return Client(HTTP_AUTHORIZATION=f"Token {token.key}")

    def measure(c: Client, label: str, url: str, body: dict | None = None):
        cpu, wall = [], []
        for i in range(args.repeat + 1):
            with CaptureQueriesContext(connection) as queries:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = c.get(url) if body is None else c.post(url, body, content_type="application/json")
                used, took = time.process_time() - started_cpu, time.perf_counter() - started
            if i:  # the first is the warm-up
                cpu.append(used * 1000)
                wall.append(took * 1000)
        print(
            f"| {label} | {response.status_code} | {len(queries.captured_queries)} | "
            f"{statistics.median(cpu):.0f} | {statistics.median(wall):.0f} |",
            flush=True,
        )
        return response

    print("| request | status | queries | CPU ms | wall ms |")
    print("|---|---:|---:|---:|---:|")
    worker, director = client("worker"), client("director")
    found = measure(worker, "person search (kowal)", "/api/v1/persons/?search=kowal").json()["results"]
    measure(worker, "person search (anna nowak)", "/api/v1/persons/?search=anna+nowak")
    if found:
        measure(worker, "person", f"/api/v1/persons/{found[0]['id']}/")
    measure(worker, "desk", "/api/v1/desk/")
    cases = measure(worker, "case list", "/api/v1/cases/?page_size=50").json()["results"]
    readable = [row["id"] for row in cases if row["content_visible"]]
    if readable:
        measure(worker, "case", f"/api/v1/cases/{readable[0]}/")
        measure(worker, "case timeline", f"/api/v1/cases/{readable[0]}/timeline/")
    contact = {"occurred_at": "2026-12-01T10:00:00Z", "channel": "office", "topics": ["benefits_information"]}
    measure(worker, "POST contact", "/api/v1/contacts/", {**contact, "notes": "loadtest/cost.py"})
    measure(
        director, f"monthly report {args.report_month}", f"/api/v1/reports/monthly-activity/?month={args.report_month}"
    )
    measure(director, "caseload", "/api/v1/caseload/")
    print(calibrate(database_url).line("calibration after"))


if __name__ == "__main__":
    main()
