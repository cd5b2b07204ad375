"""Recalculation of 100,000 active decisions after a change of the income criterion, with peak memory.

    .venv/bin/python bench/recalculation.py --decisions 100000 \\
        --database-url postgres://postgres@127.0.0.1:5432/socius_recalc_bench2

1. A database of its own (dropped first if present, dropped at the end unless `--keep`): `bench/synthetic.py`
   loads persons in households into a PL centre; then, with SQL in the server, one case per household, an
   application for `pl.periodic_allowance` from November 2024 (applied on 4 November) with the household's
   declared incomes for October 2024 (seeded: about half the adults earn 100-900 zł), and the grants computed
   set-based with the law of November 2024 (`batch.facts_for_applications` + the engine), approved, numbered and
   active, written with COPY with their facts, parameters and traces, as `propose_decision` stores them: the
   first `--decisions` eligible households; each case has an environmental interview completed 30 days before
   today (the PL rule the job checks).
2. The PL income criterion changed on 2025-01-01 (600 → 823 zł a person, 776 → 1,010 zł living alone): a team
   leader starts a recalculation from January 2025 (`recalculation.start_recalculation`; the job runs inline,
   as Celery does without a broker, and forks its worker processes: `--workers`, default min(cores, 2)) and every
   grant is checked: new facts, the new law, an amendment proposed where the amount changes (facts, parameters,
   trace and justification stored, events and audit rows written, with COPY).
   Timed: the job; then the bulk approval by the director (`approve_recalculation`: numbers, states, events).
3. Peak memory: the process's maximum resident set (resource.getrusage) before and after the job, the largest
   child process's (the job's workers; before the job it is the setup's synthetic.py), and with `--tracemalloc`
   the Python allocations' peak during the job in this process (tracing slows the job: time it without).

`--snapshot` keeps the set-up database as `<name>_setup` and later runs start from a copy of it (seconds instead
of minutes: for repeated measurements; drop it with `dropdb` when done). `--profile PREFIX` writes cProfile
files of the job (this process only: use `--workers 1` to see the chunks) and of the approval.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import resource
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.calibration import calibrate  # noqa: E402
from bench.eligibility import drop_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/socius_recalc_bench2"
CENTRE = "bench-recalc"
APPLIED = dt.date(2024, 11, 4)
GRANTED_FROM = dt.date(2024, 11, 1)
GRANTED_TO = dt.date(2025, 10, 1)
INCOME_MONTH = dt.date(2024, 10, 1)
CHANGE = dt.date(2025, 1, 1)  # the PL income criterion's change (pack: social_assistance/income_criterion)
BENEFIT = "pl.periodic_allowance"

SETUP_SQL = """
CREATE TEMP TABLE chosen AS
SELECT h.id AS household_id, (SELECT m.person_id FROM registry_membership m WHERE m.household_id = h.id
    AND m.valid_from <= %(applied)s AND (m.valid_until IS NULL OR m.valid_until > %(applied)s)
    ORDER BY (m.relationship <> 'head'), m.valid_from, m.id LIMIT 1) AS head_id,
    row_number() OVER (ORDER BY h.id) AS n
FROM registry_household h
WHERE h.centre_id = %(centre)s AND EXISTS (SELECT 1 FROM registry_membership m WHERE m.household_id = h.id
    AND m.valid_from <= %(income_month)s AND (m.valid_until IS NULL OR m.valid_until > %(change)s))
ORDER BY h.id LIMIT %(candidates)s;

INSERT INTO casework_case (created_at, updated_at, year, number, reference, circumstances, status, closure_reason,
    opened_on, notes, assigned_worker_id, centre_id, household_id, team_id)
SELECT now(), now(), 2024, n, n || '/2024', '[]'::jsonb, 'active', '', %(opened)s, '', %(worker)s, %(centre)s,
    household_id, %(team)s
FROM chosen;

-- The environmental interview the PL rule asks for before a decision (art. 106-107 u.p.s.), completed a month
-- before the day the recalculation's proposals are made.
INSERT INTO assessments_assessment (created_at, updated_at, instrument_code, instrument_version, kind, status,
    answers, need_identified_on, urgent, permanent_help, completed_on, diagnosis, conclusions, case_id,
    created_by_id)
SELECT now(), now(), 'pl.rws', '2021', 'initial', 'completed', '{}'::jsonb, current_date - 40, false, false,
    current_date - 30, '', '', k.id, %(worker)s
FROM casework_case k WHERE k.centre_id = %(centre)s;

INSERT INTO benefits_application (benefit, applied_on, ex_officio, period_from, period_to, purpose, amounts,
    income_lost, flags, documents, status, created_at, updated_at, applicant_id, case_id, centre_id,
    created_by_id, household_id)
SELECT %(benefit)s, %(applied)s, false, %(granted_from)s, %(granted_to)s, '', '{}'::jsonb, false, '[]'::jsonb,
    '{}'::jsonb, 'decided', now(), now(), c.head_id, k.id, %(centre)s, %(worker)s, c.household_id
FROM chosen c JOIN casework_case k ON k.household_id = c.household_id AND k.centre_id = %(centre)s;

INSERT INTO benefits_incomedeclaration (application_id, person_id, month, kind, amount, deductions, one_off,
    covers_months)
SELECT a.id, m.person_id, %(income_month)s, 'employment', round((100 + 800 * random())::numeric, 2), 0, false, 1
FROM benefits_application a
JOIN registry_membership m ON m.household_id = a.household_id AND m.valid_from <= %(applied)s
    AND (m.valid_until IS NULL OR m.valid_until > %(applied)s)
JOIN registry_person p ON p.id = m.person_id AND p.birth_date <= %(adult)s
WHERE a.centre_id = %(centre)s AND random() < 0.5;
"""

DECISION_COLUMNS = (
    "kind", "benefit", "one_off", "period_from", "period_to", "amount", "currency", "minimum", "maximum",
    "payment_method", "iban", "facts", "member_ids", "rules_version", "formula_version", "parameters", "eligible",
    "reasons", "trace", "justification", "status", "state", "proposed_at", "approved_at", "decided_on",
    "returned_comment", "year", "number", "reference", "applicant_id", "application_id", "approved_by_id", "case_id",
    "centre_id", "household_id", "proposed_by_id",
)  # fmt: skip


def load(args) -> dict:
    """The population, the staff, the cases, applications, incomes and the approved grants."""
    t0 = time.perf_counter()
    persons = int(args.decisions * 1.6 * 2.62) + 1000
    command = [sys.executable, str(ROOT / "bench" / "synthetic.py"), "--jurisdiction", "PL", "--persons",
               str(persons), "--centre", CENTRE, "--seed", str(args.seed), "--database-url", args.database_url,
               "--create-db"]  # fmt: skip
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    print("  " + next(line for line in out.splitlines() if line.startswith("synthetic ")), flush=True)
    from bench.synthetic import setup_django

    setup_django(args.database_url)
    import json

    from django.db import connection, transaction
    from django.utils import timezone

    from socius.accounts.models import Centre, Team, User
    from socius.accounts.roles import Role
    from socius.benefits import services
    from socius.benefits.batch import facts_for_applications
    from socius.benefits.models import Application, DecisionCounter
    from socius.rulebook.engine import benefits as engine

    centre = Centre.objects.get(code=CENTRE)
    staff = {}
    for name, role in (("worker", Role.SOCIAL_WORKER), ("leader", Role.TEAM_LEADER), ("director", Role.DIRECTOR)):
        staff[name] = User.objects.create(username=f"{CENTRE}-{name}", centre=centre, role=role, first_name=name)
    team = Team.objects.create(centre=centre, name="Bench", problem_group="unemployment")
    team.members.add(*staff.values())
    t_population = time.perf_counter() - t0
    t1 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("SELECT setseed(0.42)")
        cur.execute(
            SETUP_SQL,
            {
                "centre": centre.pk, "worker": staff["worker"].pk, "team": team.pk, "benefit": BENEFIT,
                "applied": APPLIED, "income_month": INCOME_MONTH, "change": CHANGE, "opened": dt.date(2024, 10, 1),
                "granted_from": GRANTED_FROM, "granted_to": GRANTED_TO, "adult": dt.date(2006, 11, 1),
                "candidates": int(args.decisions * 1.5),
            },
        )  # fmt: skip
        cur.execute("ANALYZE")
    applications = list(Application.objects.filter(centre=centre).order_by("pk"))
    granted, number = 0, 0
    decided_at = timezone.now()
    rows = []
    for start in range(0, len(applications), 5000):
        if granted >= args.decisions:
            break
        part = applications[start : start + 5000]
        facts = facts_for_applications(part, GRANTED_FROM, follow_income_changes=False)
        for application in part:
            if granted >= args.decisions:
                break
            f, member_ids = facts[application.pk]
            outcome = engine.evaluate(BENEFIT, f)
            if not outcome.eligible:
                continue
            law = services._law_of(outcome, f, member_ids)
            number += 1
            granted += 1
            rows.append(
                (
                    "grant", BENEFIT, False, GRANTED_FROM, GRANTED_TO, outcome.amount, law["currency"],
                    law["minimum"], law["maximum"], "cash", "", json.dumps(law["facts"]),
                    json.dumps(member_ids), law["rules_version"], law["formula_version"],
                    json.dumps(law["parameters"]), True, json.dumps(law["reasons"]), json.dumps(law["trace"]),
                    services.justification_from(outcome, "pl"), "approved", "active", decided_at, decided_at,
                    dt.date(2024, 11, 12), "", 2024, number, f"{number}/2024", application.applicant_id,
                    application.pk, staff["director"].pk, application.case_id, centre.pk,
                    application.household_id, staff["worker"].pk,
                )
            )  # fmt: skip
    with transaction.atomic(), connection.cursor() as cur:
        columns = ", ".join(DECISION_COLUMNS)
        with cur.copy(f"COPY benefits_decision ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        del rows
        DecisionCounter.objects.create(centre=centre, year=2024, last_number=number)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return {
        "centre": centre,
        "staff": staff,
        "granted": granted,
        "applications": len(applications),
        "population_s": t_population,
        "grants_s": time.perf_counter() - t1,
    }


class BackendCPU:
    """The CPU time of the PostgreSQL backends serving a database, sampled from /proc every half second (the
    server runs on this machine): with the workers' CPU, the job's whole cost, whatever the load. A backend's
    last half second before it exits may be missed."""

    def __init__(self, url: str):
        import psycopg

        self.info = psycopg.conninfo.conninfo_to_dict(url)
        self.seen: dict[int, float] = {}
        self.start: dict[int, float] = {}
        self._stop = threading.Event()
        self.available = True

    @staticmethod
    def _cpu(pid: int) -> float | None:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def _sample(self, conn) -> None:
        pids = [row[0] for row in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [self.info["dbname"]]
        )]  # fmt: skip
        for pid in pids:
            cpu = self._cpu(pid)
            if cpu is None:
                continue
            self.start.setdefault(pid, cpu)
            self.seen[pid] = max(cpu, self.seen.get(pid, 0.0))

    def _run(self) -> None:
        import psycopg

        with psycopg.connect(**{**self.info, "dbname": "postgres"}, autocommit=True) as conn:
            while not self._stop.is_set():
                self._sample(conn)
                self._stop.wait(0.5)
            self._sample(conn)

    def __enter__(self):
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def seconds(self) -> float:
        """CPU seconds the backends spent while sampled (a backend already running counts from its first sample)."""
        return sum(self.seen[pid] - self.start[pid] for pid in self.seen)


def snapshot_name(url: str) -> str:
    return url.rsplit("/", 1)[-1] + "_setup"


def copy_database(url: str, source: str, target: str) -> None:
    """CREATE DATABASE target TEMPLATE source (a file copy in the server: seconds, not the setup's minutes)."""
    import psycopg
    from psycopg import sql

    info = psycopg.conninfo.conninfo_to_dict(url)
    with psycopg.connect(**{**info, "dbname": "postgres"}, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(target)))
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(target), sql.Identifier(source)))


def snapshot_exists(url: str) -> bool:
    import psycopg

    info = psycopg.conninfo.conninfo_to_dict(url)
    with psycopg.connect(**{**info, "dbname": "postgres"}, autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [snapshot_name(url)]).fetchone() is not None


def from_snapshot(args) -> dict:
    """The state `load` leaves, copied from the snapshot a former `--snapshot` run kept."""
    from bench.synthetic import setup_django

    t0 = time.perf_counter()
    copy_database(args.database_url, snapshot_name(args.database_url), args.database_url.rsplit("/", 1)[-1])
    setup_django(args.database_url)
    from socius.accounts.models import Centre, User
    from socius.benefits.models import Application, Decision

    centre = Centre.objects.get(code=CENTRE)
    staff = {name: User.objects.get(username=f"{CENTRE}-{name}") for name in ("worker", "leader", "director")}
    return {
        "centre": centre,
        "staff": staff,
        "granted": Decision.objects.filter(centre=centre, kind="grant").count(),
        "applications": Application.objects.filter(centre=centre).count(),
        "population_s": 0.0,
        "grants_s": time.perf_counter() - t0,
        "snapshot": True,
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--decisions", type=int, default=100_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--tracemalloc", action="store_true", help="trace Python allocations during the job")
    parser.add_argument("--workers", type=int, help="worker processes of the job (default: the job's own choice)")
    parser.add_argument(
        "--profile", metavar="PREFIX", help="cProfile the job and the approval into PREFIX.job and PREFIX.approve"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--snapshot",
        action="store_true",
        help="keep the set-up database as <name>_setup and start from it when it exists (for repeated runs; "
        "drop it with dropdb when done)",
    )
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench/recalculation.py needs PostgreSQL (COPY)")
    before = calibrate(args.database_url)
    print(before.line("calibration before"), flush=True)
    if args.snapshot and snapshot_exists(args.database_url):
        setup = from_snapshot(args)
    else:
        drop_database(args.database_url)
        setup = load(args)
        if args.snapshot:
            from django.db import connection as setup_connection

            setup_connection.close()
            name = args.database_url.rsplit("/", 1)[-1]
            copy_database(args.database_url, name, snapshot_name(args.database_url))
    from django.conf import settings
    from django.db import connection

    from socius.benefits import recalculation
    from socius.benefits.models import Decision, DecisionCounter, RecalculationRun

    if args.workers:
        settings.RECALCULATION_WORKERS = args.workers
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    if args.tracemalloc:
        tracemalloc.start()
    load_avg = os.getloadavg()
    backends = BackendCPU(args.database_url).__enter__()
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    started = time.perf_counter()
    cpu = time.process_time()
    # Outside a transaction the job starts at once on commit, inline as Celery runs it without a broker.
    run = recalculation.start_recalculation(setup["staff"]["leader"], {"month": CHANGE, "benefit": BENEFIT})
    run = RecalculationRun.objects.get(pk=run.pk)
    job_s = time.perf_counter() - started
    job_cpu = time.process_time() - cpu
    backends.__exit__()
    if profiler:
        profiler.disable()
        profiler.dump_stats(f"{args.profile}.job")
        profiler = cProfile.Profile()
        profiler.enable()
    traced_peak = tracemalloc.get_traced_memory()[1] if args.tracemalloc else None
    if args.tracemalloc:
        tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    children_cpu = (children.ru_utime + children.ru_stime) - (children_before.ru_utime + children_before.ru_stime)
    load_after = os.getloadavg()
    approval_backends = BackendCPU(args.database_url).__enter__()
    approve_cpu = time.process_time()
    started = time.perf_counter()
    result = recalculation.approve_recalculation(setup["staff"]["director"], run.pk, on=dt.date(2025, 1, 20))
    approve_s = time.perf_counter() - started
    approve_cpu = time.process_time() - approve_cpu
    approval_backends.__exit__()
    rss_approved = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if profiler:
        profiler.disable()
        profiler.dump_stats(f"{args.profile}.approve")
    counter = DecisionCounter.objects.get(centre=setup["centre"], year=2025).last_number
    superseded = Decision.objects.filter(centre=setup["centre"], state="superseded").count()
    changed_old = Decision.objects.filter(centre=setup["centre"], kind="grant", period_from=GRANTED_FROM).exclude(
        state__in=("active", "superseded")
    )

    print(
        f"recalculation: {setup['granted']:,} active decisions of {BENEFIT} (granted from {GRANTED_FROM:%Y-%m} with "
        f"the law of then; {setup['applications']:,} applications evaluated to find them), recalculated from "
        f"{CHANGE:%Y-%m} after the income criterion's change; "
        + (
            f"setup copied from the snapshot {snapshot_name(args.database_url)} in {setup['grants_s']:.1f} s"
            if setup.get("snapshot")
            else f"setup: population {setup['population_s']:.1f} s, cases, applications, incomes and grants "
            f"{setup['grants_s']:.1f} s"
        )
    )
    print(f"job: {run.status}, {run.total:,} checked, {run.proposed:,} amendments proposed, "
          f"{run.unchanged:,} unchanged, {run.skipped:,} skipped; {job_s:.1f} s wall ({run.total / job_s:,.0f} "
          f"decisions/s; target under 30 s), CPU {job_cpu:.1f} s in this process + {children_cpu:.1f} s in its "
          f"worker processes ({(job_cpu + children_cpu) * 1e6 / max(run.total, 1):,.0f} µs a decision) + "
          f"{backends.seconds:.1f} s in the PostgreSQL backends ({len(backends.seen)} sampled)")  # fmt: skip
    peak = (
        f"peak RSS {rss_before / 1024:,.0f} MiB before the job, {rss_after / 1024:,.0f} MiB after; largest child "
        f"process {children_before.ru_maxrss / 1024:,.0f} MiB before the job (the setup's), "
        f"{children.ru_maxrss / 1024:,.0f} MiB after (the job's workers, if larger)"
    )
    if traced_peak is not None:
        peak += f"; Python allocations' peak during the job {traced_peak / 2**20:,.0f} MiB (tracemalloc)"
    from socius.benefits.recalculation.job import PHASES

    print(
        "  summed over the chunks: "
        + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in PHASES.items())
        + f" (workers: {settings.RECALCULATION_WORKERS if args.workers else 'default'})"
    )
    print(f"memory: {peak}")
    print(f"bulk approval by the director: {result['approved']:,} approved, {result['left_out']} left out, "
          f"{approve_s:.1f} s (CPU {approve_cpu:.1f} s in this process + {approval_backends.seconds:.1f} s in the "
          f"PostgreSQL backends); counter 2025 at {counter:,} (numbers 1..{counter:,}, no gap); {superseded:,} grants "
          f"superseded; old grants otherwise changed: {changed_old.count()}; peak RSS after it "
          f"{rss_approved / 1024:,.0f} MiB")  # fmt: skip
    print(f"load average during the job: {load_avg[0]:.2f} before, {load_after[0]:.2f} after (1 min)")
    print(before.line("calibration before"))
    connection.close()
    print(calibrate(args.database_url).line("calibration after"))
    if not args.keep:
        drop_database(args.database_url)
        print(f"database {args.database_url.rsplit('/', 1)[-1]} dropped")


if __name__ == "__main__":
    main()
