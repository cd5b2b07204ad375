"""Row counts and content checksums of every table, computed the same way on SQLite and PostgreSQL (decision 0020).

A table's checksum is sha256 over its rows in primary-key order, each row one line of canonical JSON: the values as
Django reads them (so a SQLite text timestamp and a PostgreSQL timestamptz, or 0/1 and a boolean, give the same
line), datetimes in UTC with microseconds, decimals as written, JSON with sorted keys. Tables without a model
(none in a migrated Socius database but django_migrations, which has one) are read with SQL in the order of all
their columns.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.apps import apps
from django.db import connections, models
from django.db.migrations.recorder import MigrationRecorder

_INTEGER_KEYS = (models.AutoField, models.BigAutoField, models.SmallAutoField, models.IntegerField)
CHUNK = 5000


def canonical_value(value):
    """One value as JSON that reads alike whichever database gave it."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(timespec="microseconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return {"microseconds": (value.days * 86400 + value.seconds) * 1_000_000 + value.microseconds}
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, dict):
        return {str(k): canonical_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [canonical_value(v) for v in value]
    return str(value)


def _line(row: Iterable) -> bytes:
    values = [canonical_value(v) for v in row]
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"


def _models_by_table() -> dict[str, type[models.Model]]:
    out: dict[str, type[models.Model]] = {"django_migrations": MigrationRecorder.Migration}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        out.setdefault(meta.db_table, model)
    return out


def _model_rows(model: type[models.Model], alias: str) -> Iterator[tuple]:
    meta = model._meta
    names = [f.attname for f in meta.concrete_fields]
    qs = model._base_manager.using(alias).values_list(*names)
    if isinstance(meta.pk, _INTEGER_KEYS) or isinstance(getattr(meta.pk, "target_field", None), _INTEGER_KEYS):
        yield from qs.order_by("pk").iterator(chunk_size=CHUNK)
    else:  # text keys sort differently by collation: sort in Python, the same on every database
        pk_at = names.index(meta.pk.attname)
        yield from sorted(qs.order_by(), key=lambda row: str(row[pk_at]))


def _raw_rows(table: str, alias: str) -> Iterator[tuple]:
    connection = connections[alias]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
        order = ", ".join(str(i) for i in range(1, len(columns) + 1))
        cursor.execute(f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)} ORDER BY {order}")  # noqa: S608 - names from the catalogue
        while rows := cursor.fetchmany(CHUNK):
            yield from rows


def user_tables(alias: str = "default") -> list[str]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
    return sorted(n for n in names if not n.startswith("sqlite_"))


def table_checksums(alias: str = "default") -> dict[str, dict]:
    """{table: {"rows": count, "sha256": hex}} for every table of the database behind `alias`."""
    by_table = _models_by_table()
    out = {}
    for table in user_tables(alias):
        model = by_table.get(table)
        rows = _model_rows(model, alias) if model is not None else _raw_rows(table, alias)
        digest, count = hashlib.sha256(), 0
        for row in rows:
            digest.update(_line(row))
            count += 1
        out[table] = {"rows": count, "sha256": digest.hexdigest()}
    return out


def compare(expected: dict[str, dict], found: dict[str, dict]) -> list[str]:
    """The differences between two sets of table checksums, one line each (empty: identical)."""
    problems = []
    for table in sorted(set(expected) | set(found)):
        want, got = expected.get(table), found.get(table)
        if got is None:
            problems.append(f"{table}: missing")
        elif want is None:
            problems.append(f"{table}: not in the backup")
        elif want["rows"] != got["rows"]:
            problems.append(f"{table}: {got['rows']} rows, {want['rows']} expected")
        elif want["sha256"] != got["sha256"]:
            problems.append(f"{table}: content differs (same {got['rows']} rows)")
    return problems


@contextmanager
def temporary_alias(config: dict) -> Iterator[str]:
    """A database connection alias for `config` (a DATABASES entry) while the block runs."""
    alias = f"ops_{uuid.uuid4().hex[:10]}"
    filled = connections.configure_settings({"default": dict(config)})["default"]
    connections.settings[alias] = filled
    try:
        # Connect now: a database that cannot be reached fails here, before any work (and the test runner's
        # guard against unknown aliases watches only connections opened lazily).
        connections[alias].connect()
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]
        connections.settings.pop(alias, None)
