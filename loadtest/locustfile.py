"""A working day of a social welfare centre against a running Socius (the demo data, or the bench centre).

Workers and team leaders of the three demo centres read their desk, search persons, open persons, cases and
timelines, and record contacts and home visits; directors open the monthly report and the statutory statistics;
finance officers prepare the month's payment run and follow it. Run it with `loadtest/run.py` (which also counts
the rows written and samples the server's memory), or alone from its own virtualenv:

    locust -f loadtest/locustfile.py --headless -u 25 -r 5 -t 3m --host http://127.0.0.1:8000 --csv out

Never import this module into the Django process: locust monkey-patches the standard library with gevent.

Environment:
    SOCIUS_DEMO_PASSWORD       the demo accounts' password (default socius-demo)
    LOADTEST_CENTRES           which demo centres take part (default "pl,md,lt")
    LOADTEST_RUN_ID            marks every record written, so run.py finds them (default: a timestamp)
    LOADTEST_WRITES_FILE       where the marks of the successful writes are written at the end (JSON)
    LOADTEST_TOKENS_FILE       a cache of API tokens across runs (the token endpoint allows 10 logins a minute)
    LOADTEST_PAYMENT_MONTH     the month finance prepares (default: the current month, YYYY-MM)
    LOADTEST_REPORT_MONTH      the month directors open (default: the previous month)

Sends traffic only to --host (run it against a server on the loopback address).
"""

import datetime as dt
import itertools
import json
import os
import random
import sys

from locust import HttpUser, between, events, task

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tokens import accounts, tokens_for

PASSWORD = os.environ.get("SOCIUS_DEMO_PASSWORD") or "socius-demo"
CENTRES = [c.strip() for c in os.environ.get("LOADTEST_CENTRES", "pl,md,lt").split(",") if c.strip()]
RUN_ID = os.environ.get("LOADTEST_RUN_ID") or dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
WRITES_FILE = os.environ.get("LOADTEST_WRITES_FILE", "")
TOKENS_FILE = os.environ.get("LOADTEST_TOKENS_FILE", "")
_today = dt.date.today()
PAYMENT_MONTH = os.environ.get("LOADTEST_PAYMENT_MONTH") or _today.strftime("%Y-%m")
REPORT_MONTH = os.environ.get("LOADTEST_REPORT_MONTH") or (_today.replace(day=1) - dt.timedelta(days=1)).strftime(
    "%Y-%m"
)
# The statutory statistics of each country, for the report month's year (or its quarter in Lithuania).
_YEAR, _QUARTER = REPORT_MONTH[:4], (int(REPORT_MONTH[5:7]) - 1) // 3 + 1
STATISTICS = {
    "pl": f"/api/v1/reports/mrpips-03/?period={_YEAR}",
    "md": f"/api/v1/reports/md-yearly-aid/?year={_YEAR}",
    "lt": f"/api/v1/reports/lt-cash-assistance/?quarter={_YEAR}-Q{_QUARTER}",
}

ACCOUNTS = accounts(CENTRES)
TOKENS: dict[str, str] = {}
# The marks of the writes the server acknowledged (201), by kind: run.py checks each is in the database once.
WRITES: dict[str, list[str]] = {"contact": [], "visit": []}
PAYMENT_RUNS: set[int] = set()
_serial = itertools.count(1)

# Name fragments seen in the demo data of the three countries (and the bench centre's Polish names).
QUERIES = ["kowal", "nowak", "ion", "popescu", "jonas", "kazlauskas", "mar", "wojc", "ana", "petr", "anna nowak"]


@events.test_start.add_listener
def log_in_once(environment, **_):
    """One login per account before the users start (loadtest/tokens.py: kept across runs, throttle obeyed)."""
    TOKENS.update(tokens_for(environment.host, ACCOUNTS, PASSWORD, TOKENS_FILE))


@events.test_stop.add_listener
def write_marks(environment, **_):
    if WRITES_FILE:
        with open(WRITES_FILE, "w") as fh:
            json.dump({"run_id": RUN_ID, "writes": WRITES, "payment_runs": sorted(PAYMENT_RUNS)}, fh)


def _mark(kind: str) -> str:
    return f"load test {RUN_ID} {kind} {next(_serial)}"


class _Staff(HttpUser):
    abstract = True
    role = ""

    def on_start(self):
        self.centre = random.choice(CENTRES)
        self.username = f"{self.centre}-{self.role}"
        self.client.headers["Authorization"] = f"Token {TOKENS.get(self.username, '')}"
        self.client.headers["Accept-Language"] = {"pl": "pl", "md": "ro", "lt": "lt"}.get(self.centre, "en")


class Worker(_Staff):
    """A social worker (or, one in four, a team leader): most of the traffic of a working day."""

    weight = 16
    wait_time = between(0.5, 2)

    def on_start(self):
        self.role = "teamlead" if random.random() < 0.25 else "worker"
        super().on_start()
        self.person_ids, self.case_ids, self.own_open_cases = [], [], []
        r = self.client.get("/api/v1/cases/?page_size=50", name="/cases/ list")
        if r.status_code == 200:
            self.case_ids = [row["id"] for row in r.json().get("results", [])]
        r = self.client.get("/api/v1/cases/?open_only=true&page_size=100", name="/cases/ list")
        if r.status_code == 200:
            self.own_open_cases = [
                row["id"]
                for row in r.json().get("results", [])
                if row.get("content_visible") and row.get("status") in ("opened", "active")
            ]

    @task(5)
    def search(self):
        r = self.client.get("/api/v1/persons/", params={"search": random.choice(QUERIES)}, name="/persons/?search")
        if r.status_code == 200:
            self.person_ids = [row["id"] for row in r.json().get("results", [])][:10] or self.person_ids

    @task(3)
    def person(self):
        if self.person_ids:
            self.client.get(f"/api/v1/persons/{random.choice(self.person_ids)}/", name="/persons/{id}")

    @task(3)
    def desk(self):
        self.client.get("/api/v1/desk/", name="/desk/")

    @task(2)
    def case(self):
        if self.case_ids:
            cid = random.choice(self.case_ids)
            self.client.get(f"/api/v1/cases/{cid}/", name="/cases/{id}")
            # A case of another team answers 403 to its content: a correct refusal, not a failure.
            with self.client.get(
                f"/api/v1/cases/{cid}/timeline/", name="/cases/{id}/timeline", catch_response=True
            ) as r:
                if r.status_code in (200, 403):
                    r.success()

    @task(1)
    def contact(self):
        mark = _mark("contact")
        body = {
            "occurred_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            "channel": "office",
            "topics": ["benefits_information"],
            "notes": mark,
        }
        if self.person_ids:
            body["persons"] = [random.choice(self.person_ids)]
        r = self.client.post("/api/v1/contacts/", name="POST /contacts/", json=body)
        if r.status_code == 201:
            WRITES["contact"].append(mark)

    @task(1)
    def visit(self):
        if not self.own_open_cases:
            return
        mark = _mark("visit")
        body = {
            "case": random.choice(self.own_open_cases),
            "status": "done",
            "done_on": dt.date.today().isoformat(),
            "purpose": mark,
            "outcome": "Load test: visit recorded.",
        }
        r = self.client.post("/api/v1/home-visits/", name="POST /home-visits/", json=body)
        if r.status_code == 201:
            WRITES["visit"].append(mark)


class Director(_Staff):
    """The director opens the monthly activity report, the statutory statistics and the caseload."""

    weight = 2
    role = "director"
    wait_time = between(2, 6)

    @task(3)
    def monthly_report(self):
        self.client.get(f"/api/v1/reports/monthly-activity/?month={REPORT_MONTH}", name="/reports/monthly-activity/")

    @task(1)
    def statistics(self):
        self.client.get(STATISTICS[self.centre], name="/reports/<statutory>/")

    @task(2)
    def caseload(self):
        self.client.get("/api/v1/caseload/", name="/caseload/")

    @task(2)
    def desk(self):
        self.client.get("/api/v1/desk/", name="/desk/")


class Finance(_Staff):
    """The finance officer prepares the month's payment run (preparing again adds only what is missing) and
    follows it: the run, its progress, the list of runs."""

    weight = 1
    role = "finance"
    wait_time = between(3, 8)

    @task(1)
    def prepare(self):
        with self.client.post(
            "/api/v1/payment-runs/", name="POST /payment-runs/", json={"month": PAYMENT_MONTH}, catch_response=True
        ) as r:
            if r.status_code == 201:
                PAYMENT_RUNS.add(r.json()["id"])
            elif r.status_code == 409:
                r.success()  # the month's run is already checked or approved: a correct refusal

    @task(3)
    def runs(self):
        r = self.client.get("/api/v1/payment-runs/", name="/payment-runs/")
        if r.status_code == 200:
            rows = r.json().get("results", [])
            if rows:
                run = random.choice(rows)["id"]
                self.client.get(f"/api/v1/payment-runs/{run}/", name="/payment-runs/{id}")
                self.client.get(f"/api/v1/payment-runs/{run}/progress/", name="/payment-runs/{id}/progress")
