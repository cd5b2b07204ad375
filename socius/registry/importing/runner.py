"""Running the batches of an import: each in its own transaction, retried once after a clash.

On PostgreSQL, outside any enclosing transaction, the work overlaps: while a writer thread (with its
own connection) copies batch k into the database and commits it, the main thread reads what the
registry has for batch k+1 and prepares its rows, ids reserved from the sequences. The database's
share (index upkeep, five trigram indexes on persons, foreign-key checks at commit) is about as
large as Python's, so a real run takes little more than the longer of the two. The batches do not
depend on each other (a household reference and a national ID appear in one batch of a file only),
so planning batch k+1 before batch k is committed decides nothing differently. Inside an enclosing
transaction (tests; a caller's atomic block), on SQLite and for dry runs, batches run one after the
other on the caller's connection.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable

from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation

from socius.registry.importing.batches import Context, Group, Plan, plan_batch, write_batch
from socius.registry.importing.inserts import DeferredInserter, Inserter


def run_batches(batches: Iterable[list[Group]], ctx: Context) -> list[Plan]:
    """Every batch's final plan (its rows' results; `given_up` when it could not be saved)."""
    if ctx.dry_run:
        return [plan_batch(groups, ctx) for groups in batches]
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        return _run_overlapped(batches, ctx)
    return [_plan_and_write(groups, ctx) for groups in batches]


def _commit_without_waiting() -> None:
    """A batch's commit does not wait for its WAL to reach the disk. The run's IMPORT audit event,
    written last, commits normally, and flushing its WAL makes every earlier batch durable too. A
    server crash mid-run can lose the last batches, and the run fails: importing again adds them
    (imported rows are skipped)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _write_now(plan: Plan, ctx: Context) -> None:
    with transaction.atomic():
        _commit_without_waiting()
        write_batch(plan, ctx, Inserter(timezone.now()))


def _plan_and_write(groups: list[Group], ctx: Context) -> Plan:
    plan = plan_batch(groups, ctx)
    try:
        _write_now(plan, ctx)
    except IntegrityError:
        return _second_attempt(groups, ctx)
    return plan


def _second_attempt(groups: list[Group], ctx: Context) -> Plan:
    """The batch clashed with a registration made meanwhile (unique national ID or household
    reference) and was rolled back: plan it against the registry as it is now and write it again."""
    plan = plan_batch(groups, ctx)
    try:
        _write_now(plan, ctx)
    except IntegrityError:
        plan.give_up()
    return plan


def _run_overlapped(batches: Iterable[list[Group]], ctx: Context) -> list[Plan]:
    jobs: queue.Queue = queue.Queue(maxsize=2)  # at most two batches prepared ahead
    done: dict[int, Plan] = {}
    failure: list[BaseException] = []
    language = translation.get_language()

    def writer() -> None:
        try:
            with translation.override(language):
                with connection.cursor() as cursor:  # this thread's own connection: for all its batches
                    cursor.execute("SET synchronous_commit TO OFF")  # see _commit_without_waiting
                while (job := jobs.get()) is not None:
                    index, groups, plan, prepared = job
                    try:
                        with transaction.atomic():
                            prepared.flush()
                    except IntegrityError:
                        plan = _second_attempt(groups, ctx)
                    done[index] = plan
        except BaseException as exc:  # handed to the main thread, which raises it
            failure.append(exc)
            while jobs.get() is not None:  # let the main thread finish queueing
                pass
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=writer, name="socius-import-writer", daemon=True)
    thread.start()
    try:
        for index, groups in enumerate(batches):
            if failure:
                break
            plan = plan_batch(groups, ctx)
            prepared = DeferredInserter(timezone.now())
            write_batch(plan, ctx, prepared)
            jobs.put((index, groups, plan, prepared))
    finally:
        jobs.put(None)
        thread.join()
    if failure:
        raise failure[0]
    return [done[index] for index in sorted(done)]
