"""Monthly service statements at scale (issue 11): `generate_statements` for 5,000 clients with 600,000 deliveries
in the month, against a naive per-client version measured in the same run, in PostgreSQL.

    .venv/bin/python bench/service_statements.py --database-url postgres://postgres@127.0.0.1:5432/socius_statements_bench

Set-up (synthetic data only; the database is created and migrated when missing, reused when its centre already
has deliveries; `--fresh` drops it first):
1. `--clients` persons (default 5,000) through bench/synthetic.py in a PL centre (`--centre`, default
   bench-statements).
2. The centre's prices: home help 40.00 an hour, 44.00 from the 15th of the month measured (so every home-help
   client has two price periods), meals 12.50, transport 18.00 a trip.
3. Decisions: every client has home help; 40 % also meals, 10 % also transport; each with a co-payment
   assessment (20 % free, the others a share of 10-100 %, a quarter with an income cap of 10 %).
4. `--deliveries` deliveries (default 600,000) in the month measured, spread over the decisions (about 1 in
   12 missed), written with COPY: the worst case, every delivery of the data set in the month generated.
Measured (each run inside a transaction rolled back, so every run starts from the same state):
- `generate_statements(finance, centre, month, on=…)`: `--runs` runs (default 3), seconds and queries;
- the naive version: per client one query for their deliveries, per decision one for its prices and one for
  its co-payment, one INSERT per statement (the same totals), over `--naive-clients` clients (default all),
  its time for all clients extrapolated when fewer were run (said in the output);
- the ratio naive / set-based. Calibration lines before and after (bench/calibration.py): the machine is
  shared and loaded. Nothing asserts a time: the figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.calibration import calibrate  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/socius_statements_bench"
CENTRE = "bench-statements"
MONTH = dt.date(2026, 11, 1)
ON = dt.date(2026, 12, 2)
PRICE_CHANGE = dt.date(2026, 11, 15)


def drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    info = psycopg.conninfo.conninfo_to_dict(url)
    with psycopg.connect(**{**info, "dbname": "postgres"}, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(info["dbname"])))


def load_persons(args) -> None:
    command = [sys.executable, str(ROOT / "bench" / "synthetic.py"), "--jurisdiction", "PL", "--persons",
               str(args.clients), "--centre", args.centre, "--database-url", args.database_url, "--seed",
               str(args.seed), "--create-db"]  # fmt: skip
    subprocess.run(command, check=True)


def loaded(centre) -> bool:
    from socius.services.models import Delivery

    return Delivery.objects.filter(centre=centre).exists()


def load(args, centre) -> None:
    from django.db import connection, transaction

    from socius.accounts.models import User
    from socius.accounts.roles import Role
    from socius.registry.models import Person
    from socius.services.models import CopaymentAssessment, ServiceDecision, ServiceOffer

    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    with transaction.atomic():
        worker, _ = User.objects.get_or_create(
            username="bench-statements-worker", defaults={"centre": centre, "role": Role.SOCIAL_WORKER}
        )
        User.objects.get_or_create(
            username="bench-statements-finance", defaults={"centre": centre, "role": Role.FINANCE_OFFICER}
        )
        for code, valid_from, cost in (
            ("pl.home_help", dt.date(2025, 1, 1), "40.00"),
            ("pl.home_help", PRICE_CHANGE, "44.00"),
            ("pl.meals", dt.date(2025, 1, 1), "12.50"),
            ("pl.transport", dt.date(2025, 1, 1), "18.00"),
        ):
            ServiceOffer.objects.get_or_create(
                centre=centre, service_code=code, valid_from=valid_from, defaults={"unit_cost": Decimal(cost)}
            )
        persons = list(Person.objects.filter(centre=centre).order_by("id").values_list("id", flat=True)[: args.clients])
        decisions = []
        for person_id in persons:
            services = [("pl.home_help", "hour")]
            if rng.random() < 0.4:
                services.append(("pl.meals", "meal"))
            if rng.random() < 0.1:
                services.append(("pl.transport", "trip"))
            for code, unit in services:
                decisions.append(
                    ServiceDecision(
                        centre=centre,
                        person_id=person_id,
                        service_code=code,
                        unit=unit,
                        quantity=Decimal("10"),
                        starts_on=dt.date(2026, 1, 1),
                        status="issued",
                        number=f"B/{len(decisions) + 1}",
                        drafted_by=worker,
                        issued_on=dt.date(2026, 1, 1),
                    )
                )
        ServiceDecision.objects.bulk_create(decisions, batch_size=2000)
        assessments = []
        for decision in decisions:
            free = rng.random() < 0.2
            assessments.append(
                CopaymentAssessment(
                    decision=decision,
                    valid_from=dt.date(2026, 1, 1),
                    income=Decimal(rng.randint(800, 4000)),
                    household_size=1,
                    lives_alone=True,
                    free=free,
                    share_of_cost_percent=Decimal(0 if free else rng.choice((10, 20, 30, 50, 70, 100))),
                    income_cap_percent=Decimal(10) if (not free and rng.random() < 0.25) else None,
                    rule_version=dt.date(2026, 1, 1),
                    computed_by=worker,
                )
            )
        CopaymentAssessment.objects.bulk_create(assessments, batch_size=2000)
    days = (dt.date(2026, 12, 1) - MONTH).days
    buffer = io.StringIO()
    ids = [(d.pk, d.unit) for d in decisions]
    now = "2026-12-01 08:00:00+00"
    for i in range(args.deliveries):
        decision_id, unit = ids[i % len(ids)] if i < len(ids) else rng.choice(ids)
        day = MONTH + dt.timedelta(days=rng.randrange(days))
        if rng.random() < 1 / 12:
            buffer.write(f"{centre.pk}\t{decision_id}\t{day}\tmissed\t0\tclient_absent\t\t{worker.pk}\t{now}\n")
        else:
            units = "1" if unit != "hour" else rng.choice(("1", "1.5", "2", "3"))
            buffer.write(f"{centre.pk}\t{decision_id}\t{day}\tdelivered\t{units}\t\t\t{worker.pk}\t{now}\n")
    buffer.seek(0)
    columns = "centre_id, decision_id, date, outcome, units, missed_reason, note, recorded_by_id, recorded_at"
    with connection.cursor() as cur, cur.copy(f"COPY services_delivery ({columns}) FROM STDIN") as copy:
        while chunk := buffer.read(1 << 20):
            copy.write(chunk)
    with connection.cursor() as cur:
        for table in ("services_delivery", "services_servicedecision", "services_copaymentassessment"):
            cur.execute(f"VACUUM (ANALYZE) {table}")
    print(
        f"setup: {len(persons)} clients, {len(decisions)} decisions, {args.deliveries} deliveries in "
        f"{MONTH:%Y-%m}: {time.perf_counter() - t0:.1f} s"
    )


class Rollback(Exception):
    pass


def counted(fn):
    """fn() inside a transaction rolled back; (seconds, queries, result)."""
    from django.db import connection, transaction

    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    result = None
    started = time.perf_counter()
    try:
        with connection.execute_wrapper(count), transaction.atomic():
            result = fn()
            raise Rollback
    except Rollback:
        pass
    return time.perf_counter() - started, queries[0], result


def naive(centre, finance, person_ids):
    """The per-client way: one query for the client's deliveries, per decision one for its prices and one for
    its co-payment, one INSERT per statement (the same totals as the set-based version)."""
    from socius.rulebook import get_jurisdiction
    from socius.services.models import CopaymentAssessment, Delivery, MonthlyStatement, ServiceOffer
    from socius.services.statements import copayment_due, next_month

    due_of = copayment_due
    jurisdiction = get_jurisdiction(centre.jurisdiction)
    end = next_month(MONTH)
    totals = Decimal(0)
    for seq, person_id in enumerate(person_ids, start=1):
        by_decision: dict[int, list] = {}
        for d in Delivery.objects.filter(
            centre=centre, decision__person_id=person_id, date__gte=MONTH, date__lt=end
        ).select_related("decision"):
            by_decision.setdefault(d.decision_id, []).append(d)
        total_cost = total_due = total_units = Decimal(0)
        lines = []
        for decision_id, rows in by_decision.items():
            decision = rows[0].decision
            offers = list(
                ServiceOffer.objects.filter(
                    centre=centre, service_code=decision.service_code, valid_from__lt=end
                ).order_by("-valid_from")
            )
            cost = units = Decimal(0)
            for row in rows:
                if row.outcome != "delivered":
                    continue
                price = next(o.unit_cost for o in offers if o.valid_from <= row.date)
                cost += row.units * price
                units += row.units
            cost = jurisdiction.round_money(cost)
            assessment = (
                CopaymentAssessment.objects.filter(decision_id=decision_id, valid_from__lt=end)
                .order_by("-valid_from", "-id")
                .first()
            )
            due = due_of(assessment, cost, assessment.income, country=centre.jurisdiction) if assessment else 0
            lines.append({"decision_id": decision_id, "units": str(units), "cost": str(cost), "due": str(due)})
            total_cost += cost
            total_due += due
            total_units += units
        MonthlyStatement.objects.create(
            centre=centre,
            person_id=person_id,
            month=MONTH,
            number=f"N/{seq}",
            lines=lines,
            total_units=total_units,
            total_cost=total_cost,
            total_due=total_due,
            currency=jurisdiction.currency,
        )
        totals += total_due
    return totals


def measure(args, centre) -> None:
    from django.db.models import Sum

    from socius.accounts.models import User
    from socius.services.models import Delivery, MonthlyStatement, ServiceDecision
    from socius.services.statements import generate_statements

    finance = User.objects.get(username="bench-statements-finance")
    clients = list(
        ServiceDecision.objects.filter(centre=centre)
        .order_by("person_id")
        .values_list("person_id", flat=True)
        .distinct()
    )
    deliveries = Delivery.objects.filter(centre=centre, date__gte=MONTH, date__lt=dt.date(2026, 12, 1)).count()
    print(f"data: {len(clients)} clients, {deliveries} deliveries in {MONTH:%Y-%m}")
    before = calibrate(args.database_url)
    print(before.line("calibration before"))

    def set_based():
        result = generate_statements(finance, centre, MONTH, on=ON)
        due = MonthlyStatement.objects.filter(centre=centre, month=MONTH).aggregate(s=Sum("total_due"))["s"]
        return result.created, due

    times = []
    for run in range(args.runs):
        seconds, queries, (created, due) = counted(set_based)
        times.append(seconds)
        print(f"set-based run {run + 1}: {seconds:.2f} s, {queries} queries, {created} statements, due {due}")
    median = statistics.median(times)
    subset = clients[: args.naive_clients] if args.naive_clients else clients
    seconds, queries, due = counted(lambda: naive(centre, finance, subset))
    scale = len(clients) / len(subset)
    naive_all = seconds * scale
    extrapolated = "" if scale == 1 else f" (measured over {len(subset)} clients, × {scale:.1f})"
    print(f"naive per-client: {seconds:.2f} s, {queries} queries for {len(subset)} clients, due {due}")
    print(f"set-based median {median:.2f} s; naive for all clients {naive_all:.1f} s{extrapolated}")
    print(f"ratio naive / set-based: {naive_all / median:.1f}")
    print(calibrate(args.database_url).line("calibration after"))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--clients", type=int, default=5_000)
    parser.add_argument("--deliveries", type=int, default=600_000)
    parser.add_argument("--centre", default=CENTRE)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--naive-clients", type=int, default=0, help="clients the naive version runs (0: all)")
    parser.add_argument("--fresh", action="store_true", help="drop the database first")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench/service_statements.py needs PostgreSQL (COPY)")
    os.environ.pop("CELERY_BROKER_URL", None)
    if args.fresh:
        drop_database(args.database_url)
    from bench.synthetic import ensure_database, setup_django

    ensure_database(args.database_url)
    setup_django(args.database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from socius.accounts.models import Centre

    centre = Centre.objects.filter(code=args.centre).first()
    if centre is None or not loaded(centre):
        load_persons(args)
        setup_django(args.database_url)
        centre = Centre.objects.get(code=args.centre)
        load(args, centre)
    measure(args, centre)


if __name__ == "__main__":
    main()
