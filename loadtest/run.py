"""Run the working-day load test against a Socius you started, and print its figures.

    .venv/bin/python loadtest/run.py --host http://127.0.0.1:8000 --users 25 --time 3m \
        --locust ../locust-venv/bin/locust --server-pid "$(cat var/gunicorn.pid)" --out var/loadtest

What it does, in this order:
1. the calibration line (bench/calibration.py) and the rows of the tables the test writes to;
2. locust (its own virtualenv, a subprocess: it never runs in a Django process) with loadtest/locustfile.py;
   meanwhile the resident memory (RSS) of the server's worker processes is sampled every --sample seconds;
3. the rows again: every write the server acknowledged (201) must be in the database exactly once (each carries
   a mark of its own: "load test <run id> <kind> <n>"), no unacknowledged write may be there, and the payment
   runs may hold no payment twice (one decision, one month);
4. per request type: count, failures, median, p95, p99, max; the memory of the workers over time; the
   calibration line again. The exit status is 1 when a request failed or a write was lost or duplicated.

Run it with the server's environment (DATABASE_URL, SOCIUS_VAR_DIR): it reads the same database to count rows.
"""

from __future__ import annotations

import argparse
import collections
import csv
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.calibration import calibrate  # noqa: E402
from loadtest.tokens import accounts, tokens_for  # noqa: E402

LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"


# --- memory of the server's workers ---------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(p) for p in fh.read().split()]
    except OSError:
        return []


def _rss_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _cpu_ticks(pid: int) -> int | None:
    """User + system CPU time of a process, in clock ticks."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])


class MemorySampler(threading.Thread):
    """Samples the RSS and the CPU time of every child of the server's master process (the gunicorn workers):
    the CPU seconds they spent serving the run, divided by its requests, is the cost of a request whatever the
    machine's load did to the waiting times."""

    def __init__(self, master: int, every: float, database_pids=None):
        super().__init__(daemon=True)
        self.master, self.every, self.database_pids = master, every, database_pids
        self.db_first: dict[int, int] = {}
        self.db_last: dict[int, int] = {}
        self.samples: list[tuple[float, dict[int, int]]] = []
        self.cpu_first: dict[int, int] = {}
        self.cpu_last: dict[int, int] = {}
        self._halt = threading.Event()

    def run(self):
        started = time.monotonic()
        while not self._halt.is_set():
            children = _children(self.master)
            rss = {pid: kib for pid in children if (kib := _rss_kib(pid)) is not None}
            for pid in children:
                ticks = _cpu_ticks(pid)
                if ticks is not None:
                    self.cpu_first.setdefault(pid, ticks)
                    self.cpu_last[pid] = ticks
            for pid in self.database_pids() if self.database_pids else ():
                ticks = _cpu_ticks(pid)
                if ticks is not None:
                    self.db_first.setdefault(pid, ticks)
                    self.db_last[pid] = ticks
            self.samples.append((time.monotonic() - started, rss))
            self._halt.wait(self.every)

    def stop(self):
        self._halt.set()
        self.join()

    def cpu_seconds(self) -> float:
        """CPU seconds of the workers between the first and the last sample (a worker recycled meanwhile
        counts from its first sample to its last)."""
        ticks = sum(self.cpu_last[pid] - self.cpu_first[pid] for pid in self.cpu_last)
        return ticks / os.sysconf("SC_CLK_TCK")

    def database_cpu_seconds(self) -> float | None:
        """The same for the PostgreSQL backends serving the database (None on SQLite: it runs in the workers)."""
        if not self.database_pids:
            return None
        ticks = sum(self.db_last[pid] - self.db_first[pid] for pid in self.db_last)
        return ticks / os.sysconf("SC_CLK_TCK")

    def report(self) -> list[str]:
        if not self.samples:
            return ["memory: not sampled"]
        lines = [f"memory of the workers (RSS, MiB), sampled every {self.every:g} s ({len(self.samples)} samples):"]
        total = [sum(rss.values()) / 1024 for _, rss in self.samples]
        n = max(1, len(total) // 10)
        first, last = statistics.median(total[:n]), statistics.median(total[-n:])
        lines.append(
            f"  all workers: first tenth {first:.0f}, last tenth {last:.0f} (median of each), max {max(total):.0f}, "
            f"change {last - first:+.0f} ({(last - first) / first * 100 if first else 0:+.1f} %)"
        )
        seen: dict[int, list[tuple[float, int]]] = collections.defaultdict(list)
        for t, rss in self.samples:
            for pid, kib in rss.items():
                seen[pid].append((t, kib))
        for pid, points in sorted(seen.items(), key=lambda item: item[1][0][0]):
            (t0, r0), (t1, r1) = points[0], points[-1]
            lines.append(
                f"  worker {pid}: {r0 / 1024:.0f} at {t0:.0f} s -> {r1 / 1024:.0f} at {t1:.0f} s "
                f"(max {max(k for _, k in points) / 1024:.0f})"
            )
        timeline = ", ".join(
            f"{t / 60:.0f} min {sum(rss.values()) / 1024:.0f}"
            for t, rss in self.samples[:: max(1, len(self.samples) // 12)]
        )
        lines.append(f"  over time: {timeline}")
        return lines


def postgres_backends(database_url: str):
    """A function listing the pids of the PostgreSQL backends connected to the database (but its own), for the
    sampler: a backend that started after the first sample counts from when it was first seen."""
    import psycopg

    conn = psycopg.connect(database_url, autocommit=True)

    def pids() -> list[int]:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'"
        ).fetchall()
        return [pid for (pid,) in rows]

    return pids


# --- rows written ---------------------------------------------------------------------------------------------


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()


def count_rows(payment_month: str) -> dict[str, int]:
    from django.db.models import Count

    from socius.casework.models import Contact
    from socius.casework.models_visits import HomeVisit
    from socius.payments.models import Payment, PaymentRun

    month = dt.date.fromisoformat(payment_month + "-01")
    live = Payment.objects.filter(month=month).exclude(status="cancelled")
    twice = (
        live.filter(decision__isnull=False, reissue_of__isnull=True)
        .values("decision_id", "run__kind")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    return {
        "contacts": Contact.objects.count(),
        "home visits": HomeVisit.objects.count(),
        "payment runs": PaymentRun.objects.count(),
        f"payments of {payment_month} (not cancelled)": live.count(),
        f"decisions paid twice in {payment_month}": twice.count(),
    }


def marked(run_id: str) -> dict[str, collections.Counter]:
    from socius.casework.models import Contact
    from socius.casework.models_visits import HomeVisit

    prefix = f"load test {run_id} "
    return {
        "contact": collections.Counter(
            Contact.objects.filter(notes__startswith=prefix).values_list("notes", flat=True)
        ),
        "visit": collections.Counter(
            HomeVisit.objects.filter(purpose__startswith=prefix).values_list("purpose", flat=True)
        ),
    }


def check_writes(run_id: str, acknowledged: dict[str, list[str]]) -> tuple[list[str], bool]:
    lines, good = [], True
    found = marked(run_id)
    for kind, marks in acknowledged.items():
        stored = found.get(kind, collections.Counter())
        lost = [m for m in marks if stored[m] == 0]
        twice = [m for m, n in stored.items() if n > 1]
        unacknowledged = [m for m in stored if m not in set(marks)]
        good = good and not lost and not twice and len(set(marks)) == len(marks)
        lines.append(
            f"  {kind}: {len(marks)} acknowledged (201), {sum(stored.values())} rows with this run's mark; "
            f"lost {len(lost)}, duplicated {len(twice)}, stored without acknowledgement {len(unacknowledged)}"
        )
    return lines, good


# --- figures --------------------------------------------------------------------------------------------------


def stats_table(csv_path: Path) -> tuple[list[str], int]:
    rows = list(csv.DictReader(csv_path.open()))
    lines = [
        "| request | count | failures | median ms | p95 ms | p99 ms | max ms | req/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    failures = requests = 0
    for row in rows:
        requests += int(row["Request Count"]) if row["Type"] else 0
        name = row["Name"] if row["Type"] else "all requests"
        failures += int(row["Failure Count"]) if row["Type"] else 0
        lines.append(
            f"| {name} | {row['Request Count']} | "
            f"{row['Failure Count']} | {row['50%']} | {row['95%']} | {row['99%']} | "
            f"{float(row['Max Response Time']):.0f} | {float(row['Requests/s']):.1f} |"
        )
    return lines, failures, requests


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=25)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--time", default="3m", help="locust's --run-time: 90s, 3m, 30m")
    parser.add_argument("--locust", default=os.environ.get("LOCUST", "locust"), help="the locust executable")
    parser.add_argument("--server-pid", type=int, help="the server's master process (gunicorn): its workers' RSS")
    parser.add_argument("--sample", type=float, default=10, help="seconds between memory samples")
    parser.add_argument("--out", default=str(ROOT / "var" / "loadtest"), help="folder for the CSV and the summary")
    parser.add_argument("--centres", default="pl,md,lt")
    parser.add_argument("--payment-month", default=dt.date.today().strftime("%Y-%m"))
    parser.add_argument("--p95-target", type=float, help="milliseconds: say whether each request type meets it")
    args = parser.parse_args(argv)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    run_id = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    prefix = out / f"{run_id}-{args.users}u"
    database_url = os.environ.get("DATABASE_URL", "")
    report: list[str] = []

    def say(line: str = "") -> None:
        print(line, flush=True)
        report.append(line)

    _django()
    from django.db import connection

    say(f"load test {run_id}: {args.users} users, spawn {args.spawn_rate:g}/s, {args.time}, {args.host}")
    say(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    say(calibrate(database_url).line("calibration before"))
    before = count_rows(args.payment_month)
    connection.close()

    # Log in before locust starts, so its run time is all traffic (the token endpoint is throttled).
    tokens_file = out / "tokens.json"
    password = os.environ.get("SOCIUS_DEMO_PASSWORD") or "socius-demo"
    tokens = tokens_for(args.host, accounts(args.centres.split(",")), password, str(tokens_file))
    say(f"tokens: {len(tokens)} accounts signed in")

    backends = postgres_backends(database_url) if connection.vendor == "postgresql" else None
    sampler = MemorySampler(args.server_pid, args.sample, backends) if args.server_pid else None
    if sampler:
        sampler.start()
    writes_file = prefix.with_name(prefix.name + "-writes.json")
    env = {
        **os.environ,
        "LOADTEST_RUN_ID": run_id,
        "LOADTEST_WRITES_FILE": str(writes_file),
        "LOADTEST_TOKENS_FILE": str(tokens_file),
        "LOADTEST_CENTRES": args.centres,
        "LOADTEST_PAYMENT_MONTH": args.payment_month,
    }
    command = [
        args.locust, "-f", str(LOCUSTFILE), "--headless", "-u", str(args.users), "-r", str(args.spawn_rate),
        "-t", args.time, "--host", args.host, "--csv", str(prefix), "--only-summary", "--stop-timeout", "30",
    ]  # fmt: skip
    started = time.monotonic()
    locust = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603 (the operator's command line)
    elapsed = time.monotonic() - started
    if sampler:
        sampler.stop()
    (prefix.with_name(prefix.name + "-locust.log")).write_text(locust.stdout + locust.stderr)
    say(f"locust ran {elapsed:.0f} s (exit {locust.returncode}); its output: {prefix.name}-locust.log")

    table, failures, requests = stats_table(prefix.with_name(prefix.name + "_stats.csv"))
    say()
    for line in table:
        say(line)
    if args.p95_target:
        say()
        for row in csv.DictReader(prefix.with_name(prefix.name + "_stats.csv").open()):
            if row["Type"]:
                verdict = "meets" if float(row["95%"]) < args.p95_target else "MISSES"
                say(f"  {row['Name']}: p95 {row['95%']} ms {verdict} p95 < {args.p95_target:g} ms")
    errors = prefix.with_name(prefix.name + "_failures.csv")
    if failures and errors.exists():
        say()
        say("failures:")
        for row in csv.DictReader(errors.open()):
            say(f"  {row['Method']} {row['Name']}: {row['Occurrences']} x {row['Error'][:200]}")

    after = count_rows(args.payment_month)
    say()
    say("rows before -> after:")
    for key in before:
        say(f"  {key}: {before[key]} -> {after[key]} ({after[key] - before[key]:+d})")
    acknowledged = json.loads(writes_file.read_text()) if writes_file.exists() else {"writes": {}}
    lines, writes_good = check_writes(run_id, acknowledged["writes"])
    say("writes acknowledged against rows stored:")
    for line in lines:
        say(line)
    paid_twice = after[f"decisions paid twice in {args.payment_month}"]
    say(f"  payment runs prepared or topped up: {len(acknowledged.get('payment_runs', []))}; decisions paid twice: "
        f"{paid_twice}")  # fmt: skip
    if sampler:
        say()
        cpu = sampler.cpu_seconds()
        wall = sampler.samples[-1][0] if sampler.samples else 0
        say(
            f"server CPU: the workers used {cpu:.0f} CPU s in {wall:.0f} s ({cpu / wall if wall else 0:.2f} cores "
            f"on average), {cpu * 1000 / requests if requests else 0:.0f} CPU ms per request over {requests} requests"
        )
        db_cpu = sampler.database_cpu_seconds()
        if db_cpu is not None:
            say(
                f"database CPU: the PostgreSQL backends used {db_cpu:.0f} CPU s ({db_cpu / wall if wall else 0:.2f} "
                f"cores), {db_cpu * 1000 / requests if requests else 0:.0f} CPU ms per request"
            )
        for line in sampler.report():
            say(line)
    say()
    say(calibrate(database_url).line("calibration after"))
    good = requests > 0 and failures == 0 and writes_good and paid_twice == 0 and locust.returncode in (0, 1)
    say(f"verdict: {'no failures, nothing lost or duplicated' if good else 'FAILED (see above)'}")
    prefix.with_name(prefix.name + "-summary.md").write_text("\n".join(report) + "\n")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
