"""Import of a camt.053 bank statement with a million entries into an exported payment run, on PostgreSQL.

    .venv/bin/python bench/camt_import.py --payments 1000000 \\
        --database-url postgres://postgres@127.0.0.1:5432/socius_camt_bench

1. A database of its own, created (dropped first if present) and migrated; one LT centre, a finance officer, a
   fund (EUR) and an exported run of `--payments` bank transfers, each from a transfer of its own, inserted
   set-based (two INSERT … SELECT over generate_series, no Python loop).
2. The statement the bank would send, written as a stream with `socius.payments.bankfiles.camt053.write`: a
   debit per payment; for every 50th payment also the credit of its return (AC04, closed account); every
   200th payment also a booking of an end-to-end id we never sent (unmatched).
3. The measurement: `socius.payments.statements.import_statement` on that file, in a process of its own so
   that its peak resident memory (ru_maxrss) is the import's: parse (iterparse, streamed), match in batches of
   `statements.BATCH` lines (one query a batch), the lines written with COPY, the payments changed updated
   from a temporary table (UPDATE … FROM). Then the same file again (refused by its checksum), and the
   outcome checked against the database.

The calibration line (bench/calibration.py) is printed before and after; `--keep` keeps the database.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.calibration import calibrate  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/socius_camt_bench"
MONTH = "2026-12-01"
RETURN_EVERY = 50
UNMATCHED_EVERY = 200


def drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    info = psycopg.conninfo.conninfo_to_dict(url)
    with psycopg.connect(**{**info, "dbname": "postgres"}, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(info["dbname"])))


TRANSFERS_SQL = """
INSERT INTO payments_transfer (centre_id, fund_id, payee_name, channel, iban, purpose, amount, currency, month_from,
    status, proposed_by_id, proposed_at, cancel_reason)
SELECT %(centre)s, %(fund)s, 'Payee ' || g, 'bank_transfer',
    'LT' || lpad((g %% 97)::text, 2, '0') || lpad(g::text, 16, '0'), 'Socialine pasalpa',
    (50 + (g %% 400))::numeric + (g %% 100) / 100.0, 'EUR', %(month)s, 'approved', %(user)s, now(), ''
FROM generate_series(1, %(n)s) g
"""

PAYMENTS_SQL = """
INSERT INTO payments_payment (run_id, centre_id, fund_id, transfer_id, payee_name, benefit, purpose, month, amount,
    currency, channel, iban, end_to_end_id, status, return_code, return_reason, cancel_reason, created_at)
SELECT %(run)s, t.centre_id, t.fund_id, t.id, t.payee_name, '', t.purpose, t.month_from, t.amount, t.currency,
    t.channel, t.iban, 'B' || %(run)s || '-' || t.id, 'exported', '', '', '', now()
FROM payments_transfer t WHERE t.fund_id = %(fund)s
"""


def setup(payments: int) -> dict:
    """The centre, finance officer, fund and exported run, and `payments` payments (set-based)."""
    from django.db import connection

    from socius.accounts.models import Centre, User
    from socius.accounts.roles import Role
    from socius.payments.models import Fund, PaymentRun

    centre = Centre.objects.create(code="bench-lt", name="Šalčininkų SPC (bench)", jurisdiction="LT")
    user = User.objects.create(username="bench-finance", centre=centre, role=Role.FINANCE_OFFICER)
    fund = Fund.objects.create(
        centre=centre,
        code="state",
        name="State budget",
        kind="state_budget",
        currency="EUR",
        debtor_name="Salcininku SPC",
        debtor_iban="LT121000011101001000",
    )
    run = PaymentRun.objects.create(centre=centre, month=MONTH, number=1, status="exported", prepared_by=user)
    params = {"centre": centre.pk, "fund": fund.pk, "user": user.pk, "run": run.pk, "month": MONTH, "n": payments}
    with connection.cursor() as cur:
        cur.execute(TRANSFERS_SQL, params)
        cur.execute(PAYMENTS_SQL, params)
        cur.execute("UPDATE payments_paymentrun SET payment_count = %s WHERE id = %s", [payments, run.pk])
        cur.execute("VACUUM ANALYZE payments_payment")
    return {"centre": centre.pk, "user": user.pk, "run": run.pk, "fund": fund.pk}


def drop_covered_indexes() -> list[str]:
    """payments_payment's single-column indexes on centre, run and person (covered by the composite indexes that
    lead with them) and the varchar_pattern_ops twin of the unique end-to-end id (no LIKE query uses it)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'payments_payment' AND ("
            "indexname LIKE 'payments_payment_centre_id_%%' OR indexname LIKE 'payments_payment_run_id_%%' "
            "OR indexname LIKE 'payments_payment_person_id_%%' "
            "OR indexname LIKE 'payments_payment_end_to_end_id_%%_like')"
        )
        names = [row[0] for row in cur.fetchall()]
        for name in names:
            cur.execute(f'DROP INDEX "{name}"')
    return names


def write_statement(path: Path, run_id: int) -> dict:
    """The bank's statement for the run, written as a stream from a server-side cursor."""
    import datetime as dt

    from django.db import connection, transaction

    from socius.payments.bankfiles.camt053 import Booking, write

    booked = dt.date(2026, 12, 10)
    counts = {"entries": 0, "returns": 0, "unmatched": 0}

    def bookings():
        with transaction.atomic(), connection.chunked_cursor() as cur:
            cur.execute("SELECT end_to_end_id, amount FROM payments_payment WHERE run_id = %s ORDER BY id", [run_id])
            for number, (e2e, amount) in enumerate(cur, start=1):
                counts["entries"] += 1
                yield Booking(e2e, amount, "EUR", booked)
                if number % RETURN_EVERY == 0:
                    counts["entries"] += 1
                    counts["returns"] += 1
                    yield Booking(e2e, amount, "EUR", booked + dt.timedelta(days=3), return_code="AC04")
                if number % UNMATCHED_EVERY == 0:
                    counts["entries"] += 1
                    counts["unmatched"] += 1
                    yield Booking(f"UNKNOWN-{number}", amount, "EUR", booked)

    with open(path, "wb") as stream:
        write(stream, bookings(), account_iban="LT121000011101001000", statement_id="BENCH-STMT-1", currency="EUR")
    return counts


def import_child(args) -> None:
    """The measured import, in its own process: prints one JSON line."""
    from bench.synthetic import setup_django

    setup_django(args.database_url)
    from socius.accounts.models import User
    from socius.payments.statements import BATCH, import_statement

    user = User.objects.select_related("centre").get(pk=args.user)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    cpu_started = time.process_time()
    with open(args.import_only, "rb") as stream:
        statement = import_statement(user, args.centre, stream)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    again_started = time.perf_counter()
    refused = ""
    try:
        with open(args.import_only, "rb") as stream:
            import_statement(user, args.centre, stream)
    except Exception as exc:  # the refusal is the expected outcome
        refused = getattr(exc, "code", type(exc).__name__)
    again = time.perf_counter() - again_started
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu": cpu,
                "rss_before_kib": rss_before,
                "peak_rss_kib": peak,
                "entries": statement.entries,
                "paid": statement.paid,
                "returned": statement.returned,
                "unmatched": statement.unmatched,
                "already": statement.already,
                "batch": BATCH,
                "again_seconds": again,
                "again_refused": refused,
            }
        )
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--payments", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--keep", action="store_true", help="keep the database and the statement file afterwards")
    parser.add_argument(
        "--drop-covered-indexes",
        action="store_true",
        help="an experiment: drop the four payments_payment indexes that others cover before importing",
    )
    parser.add_argument("--import-only", help=argparse.SUPPRESS)
    parser.add_argument("--centre", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--user", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench/camt_import.py needs PostgreSQL (COPY, UPDATE … FROM)")
    if args.import_only:
        import_child(args)
        return

    before = calibrate(args.database_url)
    print(before.line("calibration before"), flush=True)
    drop_database(args.database_url)
    from bench.synthetic import ensure_database, setup_django

    ensure_database(args.database_url)
    setup_django(args.database_url)
    from django.core.management import call_command
    from django.db import connection, connections

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    t_migrate = time.perf_counter() - started
    started = time.perf_counter()
    ids = setup(args.payments)
    t_setup = time.perf_counter() - started
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"camt053-bench-{os.getpid()}.xml"
    started = time.perf_counter()
    written = write_statement(path, ids["run"])
    t_write = time.perf_counter() - started
    size = path.stat().st_size
    print(
        f"setup: migrate {t_migrate:.1f} s; {args.payments:,} payments of an exported run inserted set-based in "
        f"{t_setup:.1f} s; statement written in {t_write:.1f} s: {written['entries']:,} entries "
        f"({written['returns']:,} returns AC04, {written['unmatched']:,} unknown end-to-end ids), "
        f"{size / 2**20:,.0f} MiB",
        flush=True,
    )
    if args.drop_covered_indexes:
        dropped = drop_covered_indexes()
        print(f"experiment: dropped {', '.join(dropped)}", flush=True)
    connections.close_all()
    load_before = os.getloadavg()
    command = [sys.executable, str(Path(__file__).resolve()), "--database-url", args.database_url,
               "--import-only", str(path), "--centre", str(ids["centre"]), "--user", str(ids["user"])]  # fmt: skip
    child = subprocess.run(command, check=True, capture_output=True, text=True)
    load_after = os.getloadavg()
    result = json.loads(child.stdout.strip().splitlines()[-1])
    with connection.cursor() as cur:
        cur.execute("SELECT status, count(*) FROM payments_payment WHERE run_id = %s GROUP BY status", [ids["run"]])
        statuses = dict(cur.fetchall())
        cur.execute("SELECT count(*) FROM payments_statemententry")
        lines = cur.fetchone()[0]
    expected = {"paid": args.payments - written["returns"], "returned": written["returns"]}
    print(
        f"import: {result['entries']:,} entries in {result['seconds']:.1f} s "
        f"({result['entries'] / result['seconds']:,.0f} entries/s; CPU of the process {result['cpu']:.1f} s), "
        f"batches of {result['batch']:,} lines  (target: under 60 s)"
    )
    print(
        f"  peak RSS of the importing process {result['peak_rss_kib'] / 1024:,.0f} MiB "
        f"(after Django set-up, before the import: {result['rss_before_kib'] / 1024:,.0f} MiB)"
    )
    print(
        f"  outcome: paid {result['paid']:,}, returned {result['returned']:,}, unmatched {result['unmatched']:,}, "
        f"already {result['already']:,}; statement lines stored {lines:,}; payments now {statuses} "
        f"({'as expected' if statuses == expected else f'EXPECTED {expected}'})"
    )
    print(f"  the same file again: refused ({result['again_refused']}) in {result['again_seconds']:.1f} s (checksum)")
    print(f"load average during the import: {load_before[0]:.2f} before, {load_after[0]:.2f} after (1 min)")
    print(before.line("calibration before"))
    connections.close_all()
    print(calibrate(args.database_url).line("calibration after"))
    if not args.keep:
        path.unlink(missing_ok=True)
        drop_database(args.database_url)
        print(f"database {args.database_url.rsplit('/', 1)[-1]} dropped, statement file deleted")
    else:
        print(f"kept: database {args.database_url.rsplit('/', 1)[-1]}, statement {path}")


if __name__ == "__main__":
    main()
