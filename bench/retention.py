"""The retention review and its approval at scale (issue 13, decision 0023), over synthetic data in PostgreSQL.

    .venv/bin/python bench/retention.py --database-url postgres://postgres@127.0.0.1:5432/socius_retention_bench \
        --persons 100000

1. Persons in households: bench/synthetic.py (COPY) into a PL centre (`--centre`, default bench-retention),
   when the centre has none; the database is created and migrated when missing.
2. Their records, written with set-based SQL: every registry record last changed in 2012; a case for every
   household (closed in 2012 for `--expired` of them, default 60%, closed in 2022 for 30%, open for the rest),
   and one intake contact per household's head in the year of its case. So about 60% of the persons have expired
   by the review day and the others are kept (by the archival law, or an open case).
3. Measured, each with the calibration line before and after: the review (`review_retention`, all the centre's
   persons, the items written), the same review run again (idempotent: the one pending review refreshed), and
   the director's approval (`approve_review`: every listed person re-checked, then anonymised). Figures: seconds,
   persons per second, persons listed and anonymised, rows cleared per model.

`--fresh` drops the database first. Synthetic data only. Nothing asserts a time: the figures go to
docs/benchmarks.md, with the machine and the date (the machine is shared: say so beside the figure).
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.calibration import calibrate  # noqa: E402  (the calibration line beside the figures)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/socius_retention_bench"
CENTRE = "bench-retention"
REVIEW_DAY = dt.date(2026, 12, 8)


def _load_persons(url: str, persons: int, centre: str) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "synthetic.py"), "--jurisdiction", "PL", "--persons", str(persons),
         "--centre", centre, "--database-url", url, "--create-db", "--seed", "13"],
        check=True,
    )  # fmt: skip


def _records(centre, expired_share: float) -> None:
    """Cases and contacts for every household of the centre, with SQL (the rows the services write)."""
    from django.db import connection

    from socius.accounts.models import Team, User
    from socius.accounts.roles import Role

    team, _ = Team.objects.get_or_create(centre=centre, name="Bench team", defaults={"problem_group": "family"})
    worker, _ = User.objects.get_or_create(
        username=f"{centre.code}-worker", defaults={"centre": centre, "role": Role.SOCIAL_WORKER}
    )
    open_share = max(0.0, 1.0 - expired_share - 0.3)
    with connection.cursor() as cur:
        cur.execute("UPDATE registry_person SET updated_at = '2012-03-01 12:00+00' WHERE centre_id = %s", [centre.pk])
        cur.execute(
            """
            INSERT INTO casework_case (created_at, updated_at, centre_id, year, number, reference, household_id,
                circumstances, assigned_worker_id, team_id, status, closure_reason, opened_on, closed_on, notes)
            SELECT now(), now(), %(centre)s, 2011, h.rn, 'RB/' || h.rn, h.id, '["poverty"]'::jsonb,
                   %(worker)s, %(team)s,
                   CASE WHEN h.r < %(open)s THEN 'active' ELSE 'closed' END,
                   CASE WHEN h.r < %(open)s THEN '' ELSE 'other' END,
                   DATE '2011-01-10',
                   CASE WHEN h.r < %(open)s THEN NULL
                        WHEN h.r < %(open)s + 0.3 THEN DATE '2022-06-30' ELSE DATE '2012-06-30' END,
                   'Notes of the case'
            FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn, random() AS r
                  FROM registry_household WHERE centre_id = %(centre)s) AS h
            """,
            {"centre": centre.pk, "worker": worker.pk, "team": team.pk, "open": open_share},
        )
        cur.execute(
            """
            WITH heads AS (
                SELECT m.person_id, c.closed_on FROM registry_membership m
                JOIN casework_case c ON c.household_id = m.household_id
                WHERE c.centre_id = %(centre)s AND m.relationship = 'head'
            ), made AS (
                INSERT INTO casework_contact (created_at, updated_at, centre_id, occurred_at, channel, topics,
                    outcomes, notes, handled_by_id)
                SELECT now(), now(), %(centre)s, coalesce(closed_on, DATE '2012-01-02') + TIME '10:00', 'phone',
                       '[]'::jsonb, '[]'::jsonb, 'Asked about help ' || person_id, %(worker)s
                FROM heads RETURNING id, notes
            )
            INSERT INTO casework_contact_persons (contact_id, person_id)
            SELECT id, split_part(notes, ' ', 4)::bigint FROM made
            """,
            {"centre": centre.pk, "worker": worker.pk},
        )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--centre", default=CENTRE)
    parser.add_argument("--expired", type=float, default=0.6)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args(argv)

    if args.fresh:
        import psycopg

        base, name = args.database_url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    from bench.synthetic import setup_django

    setup_django(args.database_url)
    from django.db import DatabaseError

    from socius.accounts.models import Centre

    try:
        loaded = Centre.objects.filter(code=args.centre, persons__isnull=False).exists()
    except DatabaseError:  # no database yet: synthetic.py creates and migrates it
        loaded = False
    if not loaded:
        _load_persons(args.database_url, args.persons, args.centre)
    centre = Centre.objects.get(code=args.centre)
    from socius.casework.models import Case

    if not Case.objects.filter(centre=centre).exists():
        started = time.perf_counter()
        _records(centre, args.expired)
        print(f"records written in {time.perf_counter() - started:.1f} s")

    from socius.accounts.models import User
    from socius.accounts.roles import Role
    from socius.privacy import services_retention
    from socius.privacy.models_retention import RetentionReview
    from socius.registry.models import Person

    director, _ = User.objects.get_or_create(
        username=f"{centre.code}-director", defaults={"centre": centre, "role": Role.DIRECTOR}
    )
    persons = Person.objects.filter(centre=centre).count()
    print(f"centre {centre.code}: {persons} persons, {Case.objects.filter(centre=centre).count()} cases")
    RetentionReview.objects.filter(centre=centre, status="pending").update(status="rejected")

    print(calibrate(args.database_url).line("calibration before"))
    started = time.perf_counter()
    review = services_retention.review_retention(centre, on=REVIEW_DAY)
    first = time.perf_counter() - started
    listed = review.items.count()
    print(f"review: {first:.1f} s, {persons / first:,.0f} persons/s read, {listed} persons listed")
    started = time.perf_counter()
    again = services_retention.review_retention(centre, on=REVIEW_DAY)
    second = time.perf_counter() - started
    print(f"review again (same pending review {again.pk == review.pk}): {second:.1f} s, {again.items.count()} listed")
    started = time.perf_counter()
    done = services_retention.approve_review(director, review.pk, on=REVIEW_DAY)
    took = time.perf_counter() - started
    print(f"approval: {took:.1f} s, {done.anonymised_count} anonymised, {done.anonymised_count / took:,.0f} persons/s")
    print(calibrate(args.database_url).line("calibration after"))


if __name__ == "__main__":
    main()
