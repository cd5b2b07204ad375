"""The import service: read, check every row, then import whole households batch by batch."""

from __future__ import annotations

import datetime as dt
import gc
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePath
from typing import BinaryIO

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from socius.accounts.audit import record_event
from socius.accounts.models import AuditAction, Centre, User
from socius.accounts.permissions import can_import_registry, require
from socius.common.context import current_origin
from socius.common.errors import Forbidden
from socius.registry.importing.batches import Context, Group
from socius.registry.importing.columns import resolve_header
from socius.registry.importing.reading import ImportFileError, read_table
from socius.registry.importing.report import CREATE, PRESENT, REJECTED, ImportReport
from socius.registry.importing.rows import RowParser, check_across_rows
from socius.registry.importing.runner import run_batches
from socius.registry.models import Household, Membership, Person

BATCH_SIZE = 1000  # rows per transaction (whole households: a batch may run a little over)
ANALYZE_AFTER = 10_000  # persons created by one run, beyond which the tables' statistics are refreshed


def import_registry_file(
    source: bytes | BinaryIO,
    file_name: str,
    *,
    centre: Centre,
    actor: User | None,
    dry_run: bool,
    on: dt.date | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportReport:
    """Import persons and households from a CSV or XLSX file into `centre`.

    A dry run checks everything against the registry and writes nothing. A real run writes each
    batch of whole households in its own transaction, with a CREATE audit event for every new
    household and person (recording the household joined), and one IMPORT event for the run.
    `actor` is None only for the command line without --user. Rows that describe a registered
    person are skipped, so importing the same file twice creates nothing the second time.
    """
    if actor is not None:
        require(actor, can_import_registry)
        if actor.centre_id != centre.pk:
            raise Forbidden()
    started = time.perf_counter()
    on = on or timezone.localdate()
    report = ImportReport(file_name=PurePath(file_name or "").name, dry_run=dry_run, centre_id=centre.pk)
    data = source if isinstance(source, bytes) else source.read()
    with _fewer_gc_pauses():
        _import(data, file_name, centre, actor, dry_run, on, batch_size, report)
    report.seconds = time.perf_counter() - started
    if not dry_run:
        _record_run(actor, centre, report)
    return report


def _import(
    data: bytes,
    file_name: str,
    centre: Centre,
    actor: User | None,
    dry_run: bool,
    on: dt.date,
    batch_size: int,
    report: ImportReport,
) -> None:
    groups = _read_and_check(data, file_name, centre, report)
    if groups is not None:
        ctx = Context(centre=centre, actor=actor, on=on, dry_run=dry_run, origin=current_origin())
        plans = run_batches(_batches(groups, batch_size), ctx)
        report.rows = sorted((r for plan in plans for r in plan.results.values()), key=lambda r: r.row)
        saved = [plan for plan in plans if not plan.given_up]
        report.households_created = sum(plan.new_households for plan in saved)
        report.households_reused = sum(plan.reused for plan in saved)
        report.memberships_created = sum(plan.new_persons for plan in saved)
        if not dry_run and report.count(CREATE) >= ANALYZE_AFTER:
            _refresh_statistics()


_gc_lock = threading.Lock()
_gc_users = 0
_gc_saved: tuple[int, ...] = ()


@contextmanager
def _fewer_gc_pauses():
    """Run the cyclic garbage collector less often while an import holds ~10^5 rows in memory.

    With the default threshold, every full collection walks all those live objects again: about 15%
    of a 100,000-row import. Nothing the import builds needs the cycle collector; the default
    comes back when the last import running in the process ends."""
    global _gc_users, _gc_saved
    with _gc_lock:
        if _gc_users == 0:
            _gc_saved = gc.get_threshold()
            gc.set_threshold(max(_gc_saved[0], 10_000), *_gc_saved[1:])
        _gc_users += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_users -= 1
            if _gc_users == 0:
                gc.set_threshold(*_gc_saved)


def _refresh_statistics() -> None:
    """After a large import the planner's row estimates for the registry are far off until autovacuum
    runs (the tables may have grown tenfold): refresh them now for the searches that follow."""
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    tables = ", ".join(quote(m._meta.db_table) for m in (Person, Household, Membership))
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


def _read_and_check(data: bytes, file_name: str, centre: Centre, report: ImportReport) -> dict | None:
    try:
        table = read_table(data, file_name)
        header, errors = resolve_header(table.header)
        if errors:
            report.file_errors = errors
            return None
        report.columns = header.written
        parser = RowParser(centre, header, today=timezone.localdate())
        parsed = [parser.parse(number, cells) for number, cells in table.rows]
    except ImportFileError as exc:
        report.file_errors = [exc.message]
        return None
    if not parsed:
        report.file_errors = [_("The file has a header row but no rows to import.")]
        return None
    return check_across_rows(parsed)


def _batches(groups: dict, size: int) -> Iterator[list[Group]]:
    """Whole households only: a household never spans two transactions."""
    batch: list[Group] = []
    rows = 0
    for ref, members in groups.items():
        batch.append((ref, members))
        rows += len(members)
        if rows >= size:
            yield batch
            batch, rows = [], 0
    if batch:
        yield batch


def _record_run(actor: User | None, centre: Centre, report: ImportReport) -> None:
    totals = report.totals
    record_event(
        actor,
        AuditAction.IMPORT,
        object_type="import",
        object_id=None,
        centre_id=centre.pk,
        changes={
            "file_name": report.file_name,
            "dry_run": False,
            "rows": totals["rows"],
            "created": totals[CREATE],
            "present": totals[PRESENT],
            "rejected": totals[REJECTED],
            "households_created": report.households_created,
            "households_reused": report.households_reused,
            "memberships_created": report.memberships_created,
            "file_errors": len(report.file_errors),
        },
    )
