"""The territory view at a district's scale (issue 11): `socius.community.selectors_outreach.territory_view` over a
district with `--elderships` elderships of `--localities` localities in all (default 25 × 20 = 500) and
`--years` years (default 3) of outreach events, in PostgreSQL.

    .venv/bin/python bench/territory_view.py --database-url postgres://postgres@127.0.0.1:5432/socius_outreach_bench

1. Set-up (once; reused when the bench centre exists, `--fresh` drops the database): the database is created and
   migrated when missing; an LT centre `bench-outreach` on a district root, its elderships and localities, a
   social worker, and `--events-per-year` events per locality a year (default 4: two thirds held, a fifth
   planned, the rest cancelled; a tenth of the localities never reached), spread over the years up to `--today`,
   written with bulk_create (the rows `plan_event`/`record_event_held` write; audit rows are not written, nothing
   measured reads them).
2. Measured: `territory_view(worker, year=…, on=today)` for each of the years, `--runs` times each (default 100,
   the first of each year as warm-up), p50/p95/max in ms and its queries; then a naive version in the same run
   (the tree, then two queries per locality: its held events of the year and its next planned event) and the
   ratio of the two medians. Nothing asserts a time: the figures go to docs/benchmarks.md with the calibration
   lines printed before and after (the machine is shared and loaded).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.calibration import calibration_line  # noqa: E402  (the calibration line beside the figures)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/socius_outreach_bench"
CENTRE = "bench-outreach"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def server(url: str):
    import psycopg

    base, dbname = url.rsplit("/", 1)
    return psycopg.connect(f"{base}/postgres", autocommit=True), dbname


def ensure_database(url: str, fresh: bool) -> None:
    from psycopg import sql

    conn, dbname = server(url)
    with conn:
        if fresh:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname)))
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.pop("CELERY_BROKER_URL", None)
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False


def load(args) -> None:
    from django.core.management import call_command
    from django.db import transaction

    from socius.accounts.models import Centre, Territory, User
    from socius.accounts.roles import Role
    from socius.community.models import OutreachEvent

    call_command("migrate", verbosity=0)
    if Centre.objects.filter(code=CENTRE).exists():
        print(f"centre {CENTRE} already loaded: measuring only (--fresh reloads)")
        return
    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    with transaction.atomic():
        root = Territory.objects.create(jurisdiction="LT", level="district", name="Bench district")
        centre = Centre.objects.create(code=CENTRE, name="Bench outreach centre", jurisdiction="LT", territory=root)
        User.objects.create(username="bench-outreach-worker", centre=centre, role=Role.SOCIAL_WORKER)
        elderships = Territory.objects.bulk_create(
            [
                Territory(jurisdiction="LT", level="eldership", name=f"Eldership {i:02d}", parent=root, search_name="")
                for i in range(args.elderships)
            ]
        )
        localities = Territory.objects.bulk_create(
            [
                Territory(
                    jurisdiction="LT",
                    level="village",
                    name=f"Village {j:03d}",
                    parent=elderships[j % len(elderships)],
                    search_name="",
                )
                for j in range(args.localities)
            ]
        )
        events = []
        first_year = args.today.year - args.years + 1
        for locality in localities:
            if rng.random() < 0.1:
                continue  # never reached
            for year in range(first_year, args.today.year + 1):
                for _ in range(args.events_per_year):
                    day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
                    r = rng.random()
                    if day > args.today or r < 0.2:
                        status = "planned" if day >= args.today else "cancelled"
                    else:
                        status = "held" if r < 0.87 else "cancelled"
                    events.append(
                        OutreachEvent(
                            centre=centre,
                            territory=locality,
                            kind="information_meeting",
                            status=status,
                            date=day,
                            headcount=rng.randint(5, 40) if status == "held" else None,
                        )
                    )
            # and some at the eldership level
        for eldership in elderships:
            events.append(
                OutreachEvent(
                    centre=centre,
                    territory=eldership,
                    kind="training",
                    status="held",
                    date=args.today - dt.timedelta(days=rng.randrange(1, 300)),
                    headcount=20,
                )
            )
        OutreachEvent.objects.bulk_create(events, batch_size=5000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE community_outreachevent")
        cursor.execute("VACUUM ANALYZE accounts_territory")
    print(
        f"set-up: {len(elderships)} elderships, {len(localities)} localities, {len(events)} events over "
        f"{args.years} years in {time.perf_counter() - t0:.1f} s"
    )


def naive_view(actor, year: int, on: dt.date) -> list[tuple[int, str]]:
    """What a per-locality loop does: the tree, then for each node its held events of the year and its next
    planned event (two queries per node)."""
    from django.db.models import Count, Max

    from socius.accounts.models import Territory
    from socius.community.models import OutreachEvent
    from socius.community.selectors_outreach import subtree_q

    root = actor.centre.territory
    out = []
    for node in Territory.objects.filter(subtree_q(root.pk)).exclude(pk=root.pk).order_by("name"):
        events = OutreachEvent.objects.filter(centre_id=actor.centre_id).filter(subtree_q(node.pk, "territory__"))
        held = events.filter(status="held", date__year=year).aggregate(n=Count("id"), last=Max("date"))
        planned = events.filter(status="planned", date__gte=on).order_by("date").values_list("date").first()
        out.append((node.pk, "visited" if held["n"] else "planned" if planned else "not_reached"))
    return out


def measure(args) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from socius.accounts.models import User
    from socius.community.selectors_outreach import territory_view

    actor = User.objects.select_related("centre", "centre__territory").get(username="bench-outreach-worker")
    years = list(range(args.today.year - args.years + 1, args.today.year + 1))
    print(f"measuring territory_view on {args.today} as {actor.username}, {args.runs} runs per year")
    all_times: list[float] = []
    for year in years:
        with CaptureQueriesContext(connection) as queries:
            view = territory_view(actor, year=year, on=args.today)
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            territory_view(actor, year=year, on=args.today)
            times.append((time.perf_counter() - t) * 1000)
        all_times += times
        print(
            f"  {year}: {len(view.rows)} rows, counts {view.counts}, {len(queries)} queries; "
            f"p50 {statistics.median(times):.1f} ms, p95 {percentile(times, 95):.1f} ms, max {max(times):.1f} ms"
        )
    print(
        f"territory_view overall: p50 {statistics.median(all_times):.1f} ms, p95 {percentile(all_times, 95):.1f} ms, "
        f"max {max(all_times):.1f} ms ({len(all_times)} runs)"
    )
    year = args.today.year
    with CaptureQueriesContext(connection) as queries:
        naive = naive_view(actor, year, args.today)
    fast = {row.territory_id: row.state for row in territory_view(actor, year=year, on=args.today).rows}
    agree = sum(1 for pk, state in naive if fast.get(pk) == state)
    times = []
    for _ in range(args.naive_runs):
        t = time.perf_counter()
        naive_view(actor, year, args.today)
        times.append((time.perf_counter() - t) * 1000)
    fast_times = []
    for _ in range(args.naive_runs):
        t = time.perf_counter()
        territory_view(actor, year=year, on=args.today)
        fast_times.append((time.perf_counter() - t) * 1000)
    print(
        f"naive per-locality version ({year}): {len(queries)} queries, p50 {statistics.median(times):.1f} ms, "
        f"max {max(times):.1f} ms ({args.naive_runs} runs); states agree on {agree}/{len(naive)} nodes"
    )
    print(
        f"ratio naive / territory_view (medians, {args.naive_runs} runs each, interleaved in this run): "
        f"{statistics.median(times) / statistics.median(fast_times):.1f}×"
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--elderships", type=int, default=25)
    parser.add_argument("--localities", type=int, default=500)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--events-per-year", type=int, default=4)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--naive-runs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fresh", action="store_true", help="drop the database first")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench/territory_view.py needs PostgreSQL")
    print(calibration_line(args.database_url, "calibration before"))
    ensure_database(args.database_url, args.fresh)
    setup_django(args.database_url)
    load(args)
    measure(args)
    print(calibration_line(args.database_url, "calibration after"))


if __name__ == "__main__":
    main()
