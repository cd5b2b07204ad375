"""Many rows written at once: COPY on PostgreSQL (ids reserved from the table's sequence where the caller needs
them), bulk_create elsewhere; the decision events and audit events of many decisions.

COPY takes the rows as they are; Django's bulk_create on PostgreSQL sends them as arrays that psycopg quotes
character by character, which cost more than everything else of a recalculation (profile of 10,000 decisions).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence

from django.db import connection, models, transaction
from django.utils import timezone

from socius.accounts.audit_chain import seal
from socius.accounts.models import AuditEvent, AuditEventPerson, User
from socius.benefits.models import DecisionEvent
from socius.common.context import current_origin


def compress_fast() -> None:
    """For the rest of the transaction, TOAST-compress new values with lz4 instead of pglz (PostgreSQL built with
    it): a decision row and its change-trail copies (old and new rows as jsonb, written by the trail's trigger)
    are 5-7 KB of JSON each, and pglz was most of the trigger's time (10,000 rows: insert 8.6 s -> 5.1 s, update
    9.6 s -> 5.6 s on a loaded machine). Values read back the same; lz4 stores about a quarter more bytes."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
        row = cursor.fetchone()
        if row and row[0]:
            cursor.execute("SET LOCAL default_toast_compression = lz4")


def _column_defaults(model: type[models.Model], given: Sequence[str]) -> tuple[list[str], list]:
    """The columns the caller does not give, with the value Django would write for them (their defaults,
    `now` for auto timestamps); the primary key is left to the caller or the sequence."""
    now = timezone.now()
    names, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.attname in given:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()
        if isinstance(field, models.JSONField):
            value = None if value is None else json.dumps(value)
        names.append(field.column)
        values.append(value)
    return names, values


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` new ids from the table's sequence (PostgreSQL), in increasing order."""
    if not count:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return sorted(row[0] for row in cursor.fetchall())


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence], *, ids: bool = False
) -> list[int]:
    """Insert rows of `columns` (attnames; JSON columns as Python values) into `model`'s table; the other
    columns get their defaults. Returns the new ids in the rows' order when `ids` (else an empty list)."""
    rows = list(rows)
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        model.objects.bulk_create(objects, batch_size=1000)
        return [obj.pk for obj in objects] if ids else []
    fields = {f.attname: f for f in model._meta.concrete_fields}
    json_at = [i for i, name in enumerate(columns) if isinstance(fields[name], models.JSONField)]
    other_names, other_values = _column_defaults(model, columns)
    new_ids = reserve_ids(model, len(rows)) if ids else []
    names = (["id"] if ids else []) + [fields[name].column for name in columns] + other_names
    tail = tuple(other_values)
    dumps = json.dumps
    statement = f"COPY {model._meta.db_table} ({', '.join(names)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for index, row in enumerate(rows):
            row = list(row)
            for i in json_at:
                row[i] = dumps(row[i])
            if ids:
                copy.write_row((new_ids[index], *row, *tail))
            else:
                copy.write_row((*row, *tail))
    return new_ids


def write_events(actor: User | None, decisions: Sequence, kind: str, data: Callable, *, at) -> None:
    """One DecisionEvent per decision, as services._event writes it (kind, benefit, amount, currency, the
    decision + data)."""
    insert_rows(
        DecisionEvent,
        ("decision_id", "case_id", "household_id", "person_id", "kind", "at", "actor_id", "data"),
        (
            (
                d.pk,
                d.case_id,
                d.household_id,
                d.applicant_id,
                kind,
                at,
                actor.pk if actor else None,
                {
                    "kind": d.kind,
                    "benefit": d.benefit,
                    "amount": str(d.amount),
                    "currency": d.currency,
                    "decision": d.pk,  # the timelines link an event to the decision it names
                    **data(d),
                },
            )
            for d in decisions
        ),
    )


def write_audit(actor: User | None, action: str, rows, *, with_members: bool = False) -> None:
    """One audit event per (decision, changes), as accounts.audit.record_event writes them one at a time, each
    sealed into its centre's hash chain; `with_members` names the decision's further persons counted
    (AuditEventPerson)."""
    origin = current_origin()
    rows = list(rows)
    actor_id = actor.pk if actor and actor.pk else None
    username = getattr(actor, "username", "") or ""
    events = [
        AuditEvent(
            actor_id=actor_id, actor_username=username, centre_id=d.centre_id, action=action,
            object_type="benefit_decision", object_id=d.pk, person_id=d.applicant_id, changes=changes, ip=origin.ip,
            channel=origin.channel,
        )
        for d, changes in rows
    ]  # fmt: skip
    further = [
        [p for p in dict.fromkeys(d.member_ids or ()) if p and p != d.applicant_id] if with_members else []
        for d, _changes in rows
    ]
    columns = (
        "actor_id", "actor_username", "centre_id", "action", "object_type", "object_id", "person_id", "changes",
        "ip", "channel", "at", "chain_seq", "chain_hash",
    )  # fmt: skip
    with transaction.atomic(savepoint=False):
        seal(events, further)
        ids = insert_rows(AuditEvent, columns, ([getattr(e, c) for c in columns] for e in events), ids=True)
        if with_members:
            insert_rows(
                AuditEventPerson,
                ("event_id", "person_id"),
                ((event_id, p) for event_id, persons in zip(ids, further, strict=True) for p in persons),
            )
