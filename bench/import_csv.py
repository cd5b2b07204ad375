"""Import of a synthetic CSV file: rows per second for a dry run, a real run and a re-import.

    .venv/bin/python bench/import_csv.py --rows 100000 \
        --database-url postgres://postgres@127.0.0.1:5432/socius_bench_import --drop-db

Writes a CSV of `--rows` persons in households of 1 to 6 (Faker pl_PL names, valid PESELs agreeing
with birth date and sex, a few persons without one, localities of the centre) into a temporary
directory, then times `socius.registry.importing.import_registry_file` on it three times: a dry run,
the real run, and the same file again (every row recognised as already registered). The centre
`bench-import` (PL) and its localities are created when missing. Without --database-url the
configured database is used (DATABASE_URL, else the SQLite file under var/). With a PostgreSQL URL
the database is created when missing, and --drop-db drops it at the end.
Synthetic data only: any resemblance to a real person is chance.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.calibration import calibrate  # noqa: E402  (the calibration line beside the figures)

CENTRE_CODE = "bench-import"
LOCALITIES = (
    "Moszczenica", "Baby", "Gajkowice", "Jarosty", "Kiełczówka", "Kosów", "Łochyńsko", "Michałów",
    "Pawłów", "Raciborów", "Rękoraj", "Srock", "Wola Moszczenicka", "Żywocin", "Dąbrowa", "Powaby",
)  # fmt: skip
BIRTH_YEARS = {"child": (2005, 2023), "grandchild": (2010, 2024), "parent": (1930, 1960)}
HEADER = (
    "household_ref", "relationship", "first_name", "last_name", "birth_date", "sex", "national_id",
    "citizenship", "locality", "street_address", "phone", "email",
)  # fmt: skip


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", help="postgres://... or sqlite:///...; default: the configured database")
    parser.add_argument("--drop-db", action="store_true", help="drop the PostgreSQL database at the end")
    parser.add_argument("--batch-size", type=int, default=None, help="rows per transaction (service default)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: a new file each run)")
    parser.add_argument("--keep-file", action="store_true", help="keep the generated CSV and print its path")
    return parser.parse_args()


def create_database(url: str) -> None:
    import psycopg

    info = psycopg.conninfo.conninfo_to_dict(url)
    name = info.pop("dbname")
    info["dbname"] = "postgres"
    with psycopg.connect(**info, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def drop_database(url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    info = psycopg.conninfo.conninfo_to_dict(url)
    name = info.pop("dbname")
    info["dbname"] = "postgres"
    with psycopg.connect(**info, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"dropped database {name}")


def ensure_centre():
    from socius.accounts.models import Centre, Territory

    root, _ = Territory.objects.get_or_create(jurisdiction="PL", level="municipality", name="Gmina Bench", parent=None)
    for name in LOCALITIES:
        Territory.objects.get_or_create(jurisdiction="PL", level="village", name=name, parent=root)
    centre, _ = Centre.objects.get_or_create(
        code=CENTRE_CODE, defaults={"name": "Bench import centre", "jurisdiction": "PL", "territory": root}
    )
    return centre


def write_csv(path: Path, rows: int, rng: random.Random) -> int:
    """Households of 1-6 persons until `rows` persons; returns the number of households."""
    from faker import Faker

    from socius.testing.factories import make_pesel

    fake = Faker("pl_PL")
    fake.seed_instance(rng.randrange(1 << 30))
    # Faker per row is slow: draw pools once and sample from them.
    female = [fake.first_name_female() for _ in range(400)]
    male = [fake.first_name_male() for _ in range(400)]
    surnames = [fake.last_name_male() for _ in range(1500)]
    streets = [fake.street_name() for _ in range(300)]
    run = f"{rng.randrange(1 << 32):08x}"
    used_ids: set[str] = set()

    def pesel(born: dt.date, sex: str) -> str:
        while True:
            value = make_pesel(born, sex, serial=rng.randrange(1000))
            if value not in used_ids:
                used_ids.add(value)
                return value

    def born_between(first_year: int, last_year: int) -> dt.date:
        start = dt.date(first_year, 1, 1).toordinal()
        return dt.date.fromordinal(rng.randint(start, dt.date(last_year, 12, 31).toordinal()))

    def feminine(surname: str) -> str:
        return surname[:-1] + "a" if surname.endswith(("ski", "cki", "dzki")) else surname

    written = households = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, delimiter=";")
        out.writerow(HEADER)
        while written < rows:
            households += 1
            size = min(rng.choice((1, 1, 2, 2, 3, 3, 4, 5, 6)), rows - written)
            ref = f"B{run}-{households}"
            surname = rng.choice(surnames)
            locality = rng.choice(LOCALITIES)
            street = f"ul. {rng.choice(streets)} {rng.randint(1, 120)}"
            head_sex = rng.choice("FM")
            members = [("head", head_sex, born_between(1940, 2000))]
            if size > 1:
                members.append(("spouse", "M" if head_sex == "F" else "F", born_between(1945, 2000)))
            while len(members) < size:
                kind = rng.choice(("child", "child", "child", "parent", "grandchild", "other_relative"))
                years = BIRTH_YEARS.get(kind, (1950, 2010))
                members.append((kind, rng.choice("FM"), born_between(*years)))
            for relationship, sex, born in members:
                first = rng.choice(female if sex == "F" else male)
                last = feminine(surname) if sex == "F" else surname
                has_id = rng.random() < 0.97
                out.writerow(
                    (
                        ref,
                        relationship,
                        first,
                        last,
                        born.isoformat() if rng.random() < 0.8 else born.strftime("%d.%m.%Y"),
                        sex,
                        pesel(born, sex) if has_id else "",
                        "PL",
                        locality,
                        street,
                        f"+48 {rng.randint(500, 899)} {rng.randint(100, 999)} {rng.randint(100, 999)}"
                        if relationship == "head"
                        else "",
                        "",
                    )
                )
                written += 1
    return households


def main() -> None:
    args = parse_args()
    if args.database_url:
        if args.database_url.startswith(("postgres://", "postgresql://")):
            create_database(args.database_url)
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from socius.registry.importing import CREATE, PRESENT, REJECTED, import_registry_file
    from socius.registry.models import Household, Membership, Person

    call_command("migrate", verbosity=0)
    centre = ensure_centre()
    rng = random.Random(args.seed)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; centre {centre.code}")

    with tempfile.TemporaryDirectory(prefix="socius-bench-import-") as tmp:
        path = Path(tmp) / "persons.csv"
        started = time.perf_counter()
        households = write_csv(path, args.rows, rng)
        size_mb = path.stat().st_size / 1e6
        print(f"generated {args.rows:,} rows in {households:,} households ({size_mb:.1f} MB) "
              f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
        data = path.read_bytes()
        if args.keep_file:
            kept = Path(tempfile.gettempdir()) / path.name
            kept.write_bytes(data)
            print(f"file kept at {kept}")

        calibration_before = calibrate(os.environ.get("DATABASE_URL"))
        options = {"batch_size": args.batch_size} if args.batch_size else {}
        before = (Person.objects.count(), Household.objects.count(), Membership.objects.count())
        print(f"{'run':<10} {'seconds':>8} {'rows/s':>9} {'created':>9} {'present':>9} {'rejected':>9}")
        for label, dry_run in (("dry run", True), ("real run", False), ("re-import", False)):
            started = time.perf_counter()
            report = import_registry_file(
                data, path.name, centre=centre, actor=None, dry_run=dry_run, **options
            )  # fmt: skip
            seconds = time.perf_counter() - started
            totals = report.totals
            print(f"{label:<10} {seconds:>8.2f} {args.rows / seconds:>9,.0f} {totals[CREATE]:>9,} "
                  f"{totals[PRESENT]:>9,} {totals[REJECTED]:>9,}")  # fmt: skip
            if report.file_errors:
                print("file errors:", report.file_errors)
                break
        after = (Person.objects.count(), Household.objects.count(), Membership.objects.count())
        print(f"added: {after[0] - before[0]:,} persons, {after[1] - before[1]:,} households, "
              f"{after[2] - before[2]:,} memberships")  # fmt: skip
        print(calibration_before.line("calibration before"))
        print(calibrate(os.environ.get("DATABASE_URL")).line("calibration after"))

    if args.drop_db and args.database_url and args.database_url.startswith(("postgres://", "postgresql://")):
        drop_database(args.database_url)


if __name__ == "__main__":
    main()
