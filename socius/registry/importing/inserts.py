"""Bulk inserts for the import: COPY on PostgreSQL, bulk_create elsewhere (SQLite).

Rows are dicts keyed by field attname. A field a row leaves out takes its model default, and empty
timestamps take the batch's `now`, so a field added to a model later with a default needs no change
here; one without a default fails loudly. On PostgreSQL the ids are drawn from the table's sequence
in one query first, so that memberships and audit events can point at new rows without RETURNING;
Django's bulk_create (UNNEST arrays on PostgreSQL since 5.2) spends most of its time adapting
parameters in Python, while COPY streams rows through psycopg's C code.
"""

from __future__ import annotations

import datetime as dt
import json

from django.db import connection
from django.db.models import JSONField, Model

_REQUIRED = object()


def _reserve_ids(counts: dict[type[Model], int]) -> dict[type[Model], list[int]]:
    """New ids from the tables' sequences, in one query (sequences ignore transactions: a batch
    rolled back leaves a gap, as any failed insert does)."""
    wanted = [(model, count) for model, count in counts.items() if count]
    if not wanted:
        return {}
    parts, params = [], []
    for index, (model, count) in enumerate(wanted):
        parts.append("SELECT %s::int, nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)")
        params += [index, connection.ops.quote_name(model._meta.db_table), model._meta.pk.column, count]
    ids: dict[type[Model], list[int]] = {model: [] for model, _count in wanted}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for index, new_id in cursor.fetchall():
            ids[wanted[index][0]].append(new_id)
    return ids


def _copy_data(model: type[Model], rows: list[dict], now: dt.datetime, with_pk: bool) -> tuple[str, bytes]:
    """The COPY statement and the rows in COPY's text format, ready to send."""
    meta = model._meta
    fields = [f for f in meta.concrete_fields if with_pk or not f.primary_key]
    defaults: dict = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = None  # the batch's `now`, below
        elif f.has_default() or f.null or f.empty_strings_allowed:
            defaults[f.attname] = f.get_default()  # the default, else None or "" as Django itself would use
        else:
            defaults[f.attname] = _REQUIRED
    missing = [f.attname for f in fields if defaults[f.attname] is _REQUIRED and f.attname not in rows[0]]
    if missing:
        raise ValueError(f"{meta.label}: no value for {', '.join(missing)}")
    stamps = {f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)}
    now_text = now.isoformat()
    formats = []
    for f in fields:
        if f.attname in stamps:
            formats.append((f.attname, None, lambda v, _now=now_text: _now if v is None else _text(v)))
        elif isinstance(f, JSONField):
            formats.append((f.attname, defaults[f.attname], lambda v: _text(json.dumps(v))))
        else:
            formats.append((f.attname, defaults[f.attname], _text))
    lines = ["\t".join([fmt(row.get(name, default)) for name, default, fmt in formats]) for row in rows]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    data = ("\n".join(lines) + "\n").encode()
    return f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN", data


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value) -> str:
    """One value in COPY's text format (backslash escapes, \\N for NULL)."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.date):  # dates and (aware) datetimes
        return value.isoformat()
    return str(value)


def _send(sql: str, data: bytes) -> None:
    """One write of pre-formatted data: a writer thread holds the GIL only briefly (see runner.py).
    Errors come straight from psycopg: wrapped as Django's (IntegrityError ...)."""
    with connection.wrap_database_errors, connection.cursor() as cursor, cursor.copy(sql) as copy:
        copy.write(data)


class Inserter:
    """Inserts at once, in the caller's transaction."""

    def __init__(self, now: dt.datetime):
        self.now = now
        self._reserved: dict[type[Model], list[int]] = {}

    def reserve(self, counts: dict[type[Model], int]) -> None:
        """Announce how many rows of which tables will be inserted with ids: one query for their ids."""
        if connection.vendor == "postgresql":
            self._reserved = _reserve_ids(counts)

    def _ids(self, model: type[Model], rows: list[dict]) -> list[int]:
        ids = self._reserved.pop(model, None)
        if ids is None or len(ids) != len(rows):
            ids = _reserve_ids({model: len(rows)})[model]
        for row, new_id in zip(rows, ids, strict=True):
            row[model._meta.pk.attname] = new_id
        return ids

    def insert(self, model: type[Model], rows: list[dict], *, want_ids: bool = True) -> list[int]:
        """Insert the rows; return their new ids in order (an empty list when `want_ids` is false)."""
        if not rows:
            return []
        if connection.vendor == "postgresql":
            ids = self._ids(model, rows) if want_ids else []
            self._send(*_copy_data(model, rows, self.now, want_ids))
            return ids
        objs = [model(**row) for row in rows]
        model.objects.bulk_create(objs, batch_size=500)
        return [obj.pk for obj in objs] if want_ids else []

    def _send(self, sql: str, data: bytes) -> None:
        _send(sql, data)


class DeferredInserter(Inserter):
    """PostgreSQL only: reserves the ids and prepares the rows now, copies them when `flush` is
    called, possibly on another thread with its own connection (see runner.py)."""

    def __init__(self, now: dt.datetime):
        super().__init__(now)
        self.pending: list[tuple[str, bytes]] = []

    def _send(self, sql: str, data: bytes) -> None:
        self.pending.append((sql, data))

    def flush(self) -> None:
        for sql, data in self.pending:
            _send(sql, data)
