"""Generating a week's roster (issue 11): 500 clients with home help or transport decisions and 60 carers and
drivers, in PostgreSQL.

    .venv/bin/python bench/service_roster.py --database-url postgres://postgres@127.0.0.1:5432/socius_roster_bench

1. Set-up (once; reused when the centre `bench-roster` exists, `--fresh` to rebuild): the database is created
   and migrated when missing; a PL centre with a team leader, `--clients` persons (default 500) each with an
   issued decision: 85% home help (2-5 hours a week; 80% with a usual week of 1-3 visits at 08:00-16:00, the
   rest a quantity spread by the generator), 15% transport (1-3 trips); `--carers` workers (default 60): 52
   carers of home help (20-40 contracted hours) and 8 drivers (20-30 hours); last week's roster already made,
   so "the same carer as last week" is read (what a real week finds).
2. Measured, each `--runs` times (default 5) inside a transaction rolled back, alternating, in the same run:
   - `rosters.generate_roster(team leader, centre, week)`: the service (set-based: the decisions in force, the
     workers, last weeks' carers and the kept visits in four queries, the plan in memory, one bulk insert and
     one audit row);
   - the naive per-client version (below): for each client, its decision's carers read, and for each visit the
     carer's booked hours and that day's visits read and the visit inserted — the way one would write it with
     `add_visit` per visit.
   Median and min in ms, queries of one run, visits placed and unplaced, and the ratio naive / set-based.
   The naive version is first-fit (no balancing of hours, no "same carer as last week"), so the two may place
   a few visits differently; the work measured is the same plan of the same decisions.

The machine is shared and loaded: the calibration lines before and after bracket the figures. Synthetic data
only. Nothing asserts a time: the figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.calibration import calibrate  # noqa: E402  (the calibration line beside the figures)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/socius_roster_bench"
CENTRE = "bench-roster"
WEEK = dt.date(2026, 3, 2)  # a Monday
HOME_HELP = "pl.home_help"
TRANSPORT = "pl.transport"


def ensure_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def set_up(args) -> None:
    from django.core.management import call_command
    from django.db import transaction

    from socius.accounts.models import Centre, User
    from socius.accounts.roles import Role
    from socius.registry.models import Person
    from socius.services.models import Roster, ServiceDecision, ServiceWorker, Visit
    from socius.services.rosters import generate_roster

    call_command("migrate", verbosity=0)
    centre = Centre.objects.filter(code=CENTRE).first()
    if centre is not None and not args.fresh:
        return
    with transaction.atomic():
        if centre is not None:
            Visit.objects.filter(roster__centre=centre).delete()
            Roster.objects.filter(centre=centre).delete()
            ServiceDecision.objects.filter(centre=centre).delete()
            ServiceWorker.objects.filter(centre=centre).delete()
        else:
            centre = Centre.objects.create(code=CENTRE, name="GOPS Bench", jurisdiction="PL")
        rng = random.Random(args.seed)
        lead = User.objects.filter(username="bench-roster-lead").first() or User.objects.create(
            username="bench-roster-lead", centre=centre, role=Role.TEAM_LEADER
        )
        persons = Person.objects.bulk_create(
            [Person(centre=centre, first_name=f"Klient{i}", last_name=f"Testowy{i}") for i in range(args.clients)]
        )
        decisions = []
        for i, person in enumerate(persons):
            if rng.random() < 0.15:
                trips = rng.randint(1, 3)
                pattern = [
                    {"weekday": d, "start": f"{rng.randint(8, 15):02d}:00", "units": "1"}
                    for d in rng.sample(range(5), trips)
                ]
                code, unit, quantity = TRANSPORT, "trip", Decimal(trips)
            else:
                visits = rng.randint(1, 3)
                pattern = [
                    {"weekday": d, "start": f"{rng.randint(8, 15):02d}:{rng.choice(['00', '30'])}",
                     "units": str(rng.choice([1, 1.5, 2]))}
                    for d in rng.sample(range(5), visits)
                ]  # fmt: skip
                quantity = sum(Decimal(p["units"]) for p in pattern)
                if rng.random() < 0.2:
                    pattern = []
                code, unit = HOME_HELP, "hour"
            decisions.append(
                ServiceDecision(
                    centre=centre,
                    person=person,
                    service_code=code,
                    unit=unit,
                    quantity=quantity,
                    per="week",
                    weekly_pattern=pattern,
                    starts_on=dt.date(2025, 1, 1),
                    status="issued",
                    drafted_by=lead,
                    issued_by=lead,
                    issued_on=dt.date(2025, 1, 1),
                    number=f"US/2025/{i + 1}",
                )
            )
        ServiceDecision.objects.bulk_create(decisions)
        workers = [
            ServiceWorker(
                centre=centre,
                name=f"Opiekunka {i:02d}",
                kind="carer",
                weekly_hours=Decimal(rng.choice([20, 30, 35, 40])),
                service_codes=[HOME_HELP],
            )
            for i in range(args.carers - 8)
        ] + [
            ServiceWorker(
                centre=centre,
                name=f"Kierowca {i}",
                kind="driver",
                weekly_hours=Decimal(rng.choice([20, 30])),
                service_codes=[TRANSPORT],
            )
            for i in range(8)
        ]
        ServiceWorker.objects.bulk_create(workers)
        previous = generate_roster(lead, centre, WEEK - dt.timedelta(days=7))
        print(f"set-up: last week's roster {len(previous.visits)} visits, {len(previous.unplaced)} unplaced")


def naive_generate(actor, centre, week_start):
    """The per-client version: the same plan, but read and written one client and one visit at a time."""
    from django.db.models import Q

    from socius.services.models import Roster, ServiceDecision, ServiceWorker, Visit
    from socius.services.rosters import _wanted_visits, minutes

    roster, _ = Roster.objects.get_or_create(centre=centre, week_start=week_start)
    week_end = week_start + dt.timedelta(days=6)
    placed, unplaced = 0, 0
    decision_ids = list(
        ServiceDecision.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=week_start), centre=centre, status="issued",
            starts_on__lte=week_end, unit__in=["hour", "trip", "session"],
        ).values_list("pk", flat=True)
    )  # fmt: skip
    for decision_id in decision_ids:
        decision = ServiceDecision.objects.get(pk=decision_id)
        workers = [
            w
            for w in ServiceWorker.objects.filter(centre=centre, is_active=True).order_by("pk")
            if decision.service_code in w.service_codes and w.provider_id == decision.provider_id
        ]
        for day, start, units in _wanted_visits(decision, week_start):
            length = minutes(units)
            starts = [start] if start is not None else list(range(8 * 60, 18 * 60 - length + 1, 30))
            done = False
            for w in workers:
                week_visits = list(
                    Visit.objects.filter(worker=w, roster=roster)
                    .exclude(status="cancelled")
                    .values_list("date", "starts_at", "units")
                )
                if sum(minutes(u) for _, _, u in week_visits) + length > minutes(w.weekly_hours):
                    continue
                busy = [(t.hour * 60 + t.minute, minutes(u)) for d, t, u in week_visits if d == day]
                slot = next((s for s in starts if all(s + length <= b or s >= b + bl for b, bl in busy)), None)
                if slot is None:
                    continue
                Visit.objects.create(roster=roster, decision=decision, worker=w, date=day,
                                     starts_at=dt.time(slot // 60, slot % 60), units=units)  # fmt: skip
                placed += 1
                done = True
                break
            unplaced += not done
    return placed, unplaced


class _Rollback(Exception):
    pass


def measure(fn) -> tuple[float, int, object]:
    """(ms, queries, result) of fn in a transaction rolled back afterwards."""
    from django.db import connection, transaction

    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    out, elapsed = None, 0.0
    with connection.execute_wrapper(counter):
        try:
            with transaction.atomic():
                t0 = time.perf_counter()
                out = fn()
                elapsed = time.perf_counter() - t0
                raise _Rollback
        except _Rollback:
            pass
    return elapsed * 1000, count[0], out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--carers", type=int, default=60)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()

    ensure_database(args.database_url)
    from bench.synthetic import setup_django

    setup_django(args.database_url)
    set_up(args)

    from socius.accounts.models import Centre, User
    from socius.services.rosters import generate_roster

    centre = Centre.objects.get(code=CENTRE)
    lead = User.objects.get(username="bench-roster-lead")
    print(calibrate(args.database_url).line("calibration before"))
    fast, slow = [], []
    for _ in range(args.runs):
        ms, q_fast, result = measure(lambda: generate_roster(lead, centre, WEEK))
        fast.append(ms)
        hours_fast = sum(v.units for v in result.visits)
        ms, q_slow, (placed, unplaced) = measure(lambda: naive_generate(lead, centre, WEEK))
        slow.append(ms)
    print(calibrate(args.database_url).line("calibration after"))
    f, s = statistics.median(fast), statistics.median(slow)
    print(
        f"generate_roster (set-based): median {f:.0f} ms, min {min(fast):.0f} ms over {args.runs} runs; "
        f"{q_fast} queries; {len(result.visits)} visits ({hours_fast} units) placed, {len(result.unplaced)} unplaced"
    )
    print(
        f"naive per-client:            median {s:.0f} ms, min {min(slow):.0f} ms over {args.runs} runs; "
        f"{q_slow} queries; {placed} visits placed, {unplaced} unplaced"
    )
    print(f"ratio naive / set-based: {s / f:.1f}× ({args.clients} clients, {args.carers} carers and drivers)")


if __name__ == "__main__":
    main()
