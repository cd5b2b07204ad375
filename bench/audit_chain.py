"""The cost of the tamper-evident audit log: one event written the old way (insert) and sealed into its centre's
hash chain (lock the head, hash, insert, move the head), alone and with concurrent writers of one centre.

    .venv/bin/python bench/audit_chain.py --database-url postgres://postgres@127.0.0.1:5432/socius_audit_bench \
        --create-db --events 2000 --writers 4

Each event is written as a view writes it: in its own transaction, naming 3 persons (the event's person and two
further ones, so AuditEventPerson gets its bulk insert). Prints per-event latency (mean, p50, p95) for both ways,
the throughput of `--writers` threads writing events of ONE centre (the worst case for the head's row lock) both
ways, and the time `verify_audit_chain` takes per 1,000 events. A SQLite file URL works too (its writes are serial
anyway). Use a database of your own: the script writes events into a centre `bench-audit` it creates.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.calibration import calibrate  # noqa: E402  (the calibration line beside the figures)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/socius_audit_bench"


def _create_database(url: str) -> None:
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg
    from psycopg import sql

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _stats(seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    return f"mean {statistics.fmean(ms):6.2f} ms  p50 {statistics.median(ms):6.2f} ms  p95 {p95:6.2f} ms"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--create-db", action="store_true", help="create (PostgreSQL) and migrate the database")
    parser.add_argument("--events", type=int, default=2000, help="events per measurement")
    parser.add_argument("--writers", type=int, default=4, help="concurrent writers of one centre")
    args = parser.parse_args(argv)

    if args.create_db:
        _create_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections, transaction

    if args.create_db:
        call_command("migrate", verbosity=0)
    from socius.accounts.audit import record_event
    from socius.accounts.audit_chain import verify_chain
    from socius.accounts.models import AuditAction, AuditEvent, AuditEventPerson, Centre

    print(calibrate(args.database_url).line("calibration before"))
    centre, _ = Centre.objects.get_or_create(code="bench-audit", defaults={"name": "Bench audit", "jurisdiction": "PL"})

    def unchained(i: int) -> None:  # the writer as it was before the chain
        with transaction.atomic():
            event = AuditEvent.objects.create(
                actor_username="bench", centre_id=centre.pk, action=AuditAction.VIEW, object_type="person",
                object_id=i, person_id=i, changes={},
            )  # fmt: skip
            AuditEventPerson.objects.bulk_create([AuditEventPerson(event=event, person_id=p) for p in (i + 1, i + 2)])

    def chained(i: int) -> None:
        with transaction.atomic():
            record_event(None, AuditAction.VIEW, object_type="person", object_id=i, centre_id=centre.pk,
                         person_id=i, person_ids=[i, i + 1, i + 2])  # fmt: skip

    def timed(write, n: int, offset: int) -> list[float]:
        out = []
        for i in range(n):
            start = time.perf_counter()
            write(offset + i)
            out.append(time.perf_counter() - start)
        return out

    def concurrent(write, n: int, writers: int) -> float:
        per = n // writers
        barrier = threading.Barrier(writers + 1)

        def run(k: int) -> None:
            barrier.wait()
            for i in range(per):
                write(10_000_000 + k * per + i)
            connections.close_all()

        threads = [threading.Thread(target=run, args=(k,)) for k in range(writers)]
        for thread in threads:
            thread.start()
        barrier.wait()
        start = time.perf_counter()
        for thread in threads:
            thread.join()
        return per * writers / (time.perf_counter() - start)

    timed(chained, 50, 0)  # warm up (and make the head exist)
    plain_s = timed(unchained, args.events, 1_000_000)
    chain_s = timed(chained, args.events, 2_000_000)
    plain_mean, chain_mean = statistics.fmean(plain_s), statistics.fmean(chain_s)
    print(f"database: {connection.vendor}; {args.events} events each way, one writer, one transaction per event")
    print(f"  insert only      {_stats(plain_s)}")
    print(f"  sealed (chained) {_stats(chain_s)}")
    print(f"  overhead: {1000 * (chain_mean - plain_mean):+.2f} ms per event ({chain_mean / plain_mean:.2f}x)")
    if connection.vendor == "postgresql":
        plain_rate = concurrent(unchained, args.events, args.writers)
        chain_rate = concurrent(chained, args.events, args.writers)
        print(f"{args.writers} concurrent writers of one centre: insert only {plain_rate:.0f} events/s, "
              f"sealed {chain_rate:.0f} events/s ({chain_rate / plain_rate:.2f}x)")  # fmt: skip
    # The unchained rows are outside the chain by design: verify only the chain's own events.
    AuditEvent.objects.filter(centre_id=centre.pk, chain_seq__isnull=True).delete()
    start = time.perf_counter()
    report = verify_chain(centre.pk)
    took = time.perf_counter() - start
    print(
        f"verify_chain: {report.events} events in {took:.2f} s ({1000 * took / max(report.events, 1):.2f} s per "
        f"1,000 events); {'intact' if report.broken is None else f'BROKEN: {report.broken}'}"
    )
    print(calibrate(args.database_url).line("calibration after"))


if __name__ == "__main__":
    main()
