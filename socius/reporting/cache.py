"""The figure cache (issue 12: a computed month answers in under 200 ms): figures computed for a report's scope
are kept in `FigureCache` with a stamp of the data they were computed from, and served only while the stamp
still matches. A figure whose data changed is recomputed, never served stale.

The stamp, in two levels, so that checking it costs a few index look-ups and not a recount:

1. **Table clocks** (one query for every source table of the report). The source tables of an indicator are
   every table its drill-down query (`records(scope, None, None)`) reads, joins and subqueries included, plus
   `indicator.extra["stamp_models"]`. A table's clock is, on PostgreSQL for a table with the change trail
   (docs/decisions/0008), the newest trail entry of the table: every insert, update and delete, also a bulk
   `queryset.update()`, a delete or raw SQL, moves it (index `trail_table_id`, migration reporting 0003).
   Elsewhere (SQLite, tables without the trail) the clock is the table's newest `updated_at` and its highest
   id; a table with neither (e.g. `payments_payment`, not trailed, no `updated_at`) has no clock, and the
   figures reading it go to level 2 at every read. A cache row keeps per indicator the clocks it was computed
   (or last checked) at: when none moved, the figure is served as it is.
2. **Record stamps**, only for the indicators whose tables moved: per indicator the count of the records behind
   the figure in the period, their newest `updated_at`, their highest id and, for a sum, the sum of the amounts
   (`amount_field`); for a table with the trail, the count (and sum) alone, read from an index where one covers
   the period's filter (casework 0010), the trail doing the rest (below). A record added or removed changes
   the count; a record changed, or moved into the period, becomes the newest `updated_at`; a record moved out
   lowers the count. With the trail, the rows of the indicator's own table changed since the last check (read
   from the trail by id) are looked up among the records too: an UPDATE that leaves `updated_at` as it was is
   seen. When the record stamp is unchanged (the change was to another period: today's contact
   does not touch last March), the figure is still served and the row's clocks move on, so the next read is
   back to level 1. Otherwise the indicator is recomputed and stored.

The stamp also holds a digest of the scope's columns (groups: a new community in the territorial tree is a new
column) and the language of the parts' labels (a figure's parts are labelled in the language it was computed
in: a reader in another language gets the labels computed for that language once, stored beside).

What it cannot see: on SQLite and on tables without the trail, a delete or a `queryset.update()` that does not
set `updated_at`, unless the count or the sum moves (PostgreSQL with the trail sees both); a change to a joined
table that is not trailed and has no `updated_at` and leaves count, newest change, highest id and sum as they
were. `invalidate()` drops the cached rows of a centre (the
management command's `--clear`).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.apps import apps
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone, translation

from socius.reporting.indicators import Figure, Indicator, Scope, Unit, indicators_for
from socius.reporting.models import FigureCache

UNSEEN = "unseen"  # the clock of a table whose changes in place cannot be seen


# --- source tables and their clocks -----------------------------------------------------------------------------


def _tables_by_name() -> dict[str, type[models.Model]]:
    found: dict[str, type[models.Model]] = {}
    for model in apps.get_models(include_auto_created=True):
        found.setdefault(model._meta.db_table, model)
    return found


_QUOTED = re.compile(r'"([a-z0-9_]+)"')


def source_tables(indicator: Indicator, scope: Scope) -> tuple[str, ...]:
    """Every table the indicator's records read (joins and subqueries included), and its `stamp_models`. Kept
    per process for the indicator and the scope's columns (the tables do not depend on the dates)."""
    memo = (indicator.code, id(indicator.records), scope.centre.pk, groups_digest(scope))
    found = _SOURCE_MEMO.get(memo)
    if found is None:
        found = _SOURCE_MEMO[memo] = _source_tables(indicator, scope)
    return found


_SOURCE_MEMO: dict[tuple, tuple[str, ...]] = {}


def _source_tables(indicator: Indicator, scope: Scope) -> tuple[str, ...]:
    known = _tables_by_name()
    # The tables that decide which records there are: not those joined only to show them (select_related).
    qs = indicator.records(scope, None, None).select_related(None).prefetch_related(None)
    try:
        sql, _params = qs.query.sql_with_params()
    except (EmptyResultSet, FullResultSet):  # a filter that can match nothing (`pk__in=[]`): its joins only
        sql = " ".join(f'"{join.table_name}"' for join in qs.query.alias_map.values())
    names = {name for name in _QUOTED.findall(sql) if name in known}
    if qs.model is not None:  # an indicator with no records of its own reads no table
        names.add(qs.model._meta.db_table)
    for model in indicator.extra.get("stamp_models", ()):
        if isinstance(model, str):
            model = apps.get_model(model)
        names.add(model._meta.db_table)
    names.discard(FigureCache._meta.db_table)
    return tuple(sorted(names))


_TRAILED: frozenset[str] | None = None


def trailed_tables() -> frozenset[str]:
    """The tables with the change trail's triggers (PostgreSQL; read once per process)."""
    global _TRAILED
    if connection.vendor != "postgresql":
        return frozenset()
    if _TRAILED is None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = 'socius_trail_insert'"
            )
            _TRAILED = frozenset(row[0] for row in cursor.fetchall())
    return _TRAILED


def table_clocks(tables: Iterable[str]) -> dict[str, list]:
    """Each table's clock now: ["trail", newest entry id] with the change trail, else ["rows", newest
    updated_at (ISO) or None, highest id or None]."""
    tables = sorted(set(tables))
    if not tables:
        return {}
    known = _tables_by_name()
    trailed = trailed_tables()
    clocks: dict[str, list] = {}
    on_trail = [t for t in tables if t in trailed]
    if on_trail:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT t.name, (SELECT max(e.id) FROM accounts_changetrailentry e WHERE e.table_name = t.name) "
                "FROM unnest(%s::text[]) AS t(name)",
                [on_trail],
            )
            for name, newest in cursor.fetchall():
                clocks[name] = ["trail", newest]
    for name in tables:
        if name in clocks:
            continue
        model = known[name]
        fields = {f.name for f in model._meta.concrete_fields}
        if "updated_at" not in fields and not model._meta.auto_created:
            # Rows changed in place leave no mark (no trail, no updated_at): the figures reading this table
            # are checked by their record stamp at every read.
            clocks[name] = [UNSEEN]
            continue
        agg = {"pk": Max("pk")}
        if "updated_at" in fields:
            agg["ts"] = Max("updated_at")
        row = model._base_manager.aggregate(**agg)
        ts = row.get("ts")
        clocks[name] = ["rows", ts.isoformat() if ts else None, row["pk"]]
    return clocks


def record_stamp(indicator: Indicator, scope: Scope) -> list:
    """[count, newest updated_at (ISO) or None, highest id, sum of the amount (MONEY) or None] of the records
    behind the figure."""
    qs = indicator.records(scope, None, None).select_related(None).prefetch_related(None).order_by()
    if qs.model._meta.db_table in trailed_tables():
        # With the trail, a row changed in place or moved in is found by id (_changed_rows_in_period): the count
        # (and the sum) is enough here, and is read from an index alone where one covers the period's filter.
        agg = {"n": Count("*")}
    else:
        agg = {"n": Count("pk"), "pk": Max("pk")}
        if "updated_at" in {f.name for f in qs.model._meta.concrete_fields}:
            agg["ts"] = Max("updated_at")
    if indicator.amount_field:
        agg["amount"] = Sum(indicator.amount_field)
    row = qs.aggregate(**agg)
    ts, amount = row.get("ts"), row.get("amount")
    return [row["n"], ts.isoformat() if ts else None, row.get("pk"), str(amount) if amount is not None else None]


def _changed_rows_in_period(indicator: Indicator, scope: Scope, then: dict, now: dict) -> bool:
    """With the change trail: is a row of the indicator's own table changed since `then` (inserted, updated in
    place, also without `updated_at`) among the records behind the figure now? (A row moved out of the period or
    deleted lowers the record stamp's count.)"""
    qs = indicator.records(scope, None, None).order_by()
    table = qs.model._meta.db_table
    before, after = then.get(table), now.get(table)
    if not after or after[0] != "trail" or before == after:
        return False
    if not before or before[0] != "trail" or before[1] is None:
        return True  # no trail position to read from: recompute
    since = before[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT row_id FROM accounts_changetrailentry WHERE table_name = %s AND id > %s AND id <= %s",
            [table, since, after[1] or 0],
        )
        ids = [row[0] for row in cursor.fetchall()]
    return bool(ids) and qs.filter(pk__in=ids).exists()


def groups_digest(scope: Scope) -> str:
    text = json.dumps([[g.id, sorted(g.territory_ids)] for g in scope.groups])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# --- the cache ---------------------------------------------------------------------------------------------------


@dataclass
class CacheStats:
    """What one `cached_figures` call did (the benchmark and the tests read it)."""

    served: int = 0  # figures served from the cache
    checked: int = 0  # figures whose tables moved, found unchanged by their record stamp
    computed: int = 0  # figures computed from the records

    def add(self, other: CacheStats) -> None:
        self.served += other.served
        self.checked += other.checked
        self.computed += other.computed


LAST_STATS = CacheStats()


def _row_for(scope: Scope, kind: str, period: str) -> FigureCache | None:
    return FigureCache.objects.filter(centre=scope.centre, kind=kind, period=period, territory=scope.territory).first()


def _relabel(figure_json: dict, labels: dict | None) -> dict:
    if not labels or not figure_json.get("parts"):
        return figure_json
    parts = [dict(p, label=labels.get(p["code"], p.get("label", p["code"]))) for p in figure_json["parts"]]
    return dict(figure_json, parts=parts)


def cached_figures(
    scope: Scope, kind: str, indicators: Iterable[Indicator] | None = None, *, period: str | None = None
) -> dict[str, Figure]:
    """The figures of `indicators` (default: every indicator of `kind`) for `scope`, from the cache while its
    stamp matches the data, else computed from the records and stored. `period` is the cache's key of the
    scope's period (default: the period the scope spans, as `periods` names it)."""
    global LAST_STATS
    indicators = list(indicators if indicators is not None else indicators_for(kind))
    key = period or _period_key(scope)
    sources = {i.code: source_tables(i, scope) for i in indicators}
    clocks_now = table_clocks({t for tables in sources.values() for t in tables})
    stats = CacheStats()
    out = _figures(scope, kind, key, indicators, sources, clocks_now, _row_for(scope, kind, key), stats)
    LAST_STATS = stats
    return out


def cached_months(scope: Scope, kind: str, indicators: Iterable[Indicator], months) -> dict[str, dict[str, Figure]]:
    """`cached_figures` for several months of the same scope (the report's 12 months of history) with one read
    of the tables' clocks and one query for the cache rows: {month key: {code: figure}}."""
    global LAST_STATS
    indicators = list(indicators)
    sources = {i.code: source_tables(i, scope) for i in indicators}
    clocks_now = table_clocks({t for tables in sources.values() for t in tables})
    rows = {
        row.period: row
        for row in FigureCache.objects.filter(
            centre=scope.centre, kind=kind, territory=scope.territory, period__in=[m.key for m in months]
        )
    }
    stats = CacheStats()
    out = {}
    for month in months:
        month_scope = replace(scope, start=month.start, end=month.end)
        out[month.key] = _figures(
            month_scope, kind, month.key, indicators, sources, clocks_now, rows.get(month.key), stats
        )
    LAST_STATS = stats
    return out


def _figures(scope, kind, key, indicators, sources, clocks_now, row, stats: CacheStats) -> dict[str, Figure]:
    language = translation.get_language() or ""
    digest = groups_digest(scope)
    stamps = (row.stamps if row is not None else None) or {}
    if stamps.get("groups") != digest:
        stamps, stored = {}, {}
    else:
        stored = dict(row.figures or {})
    clocks: dict = dict(stamps.get("clocks", {}))  # per indicator: its tables' clocks when last checked
    records: dict = dict(stamps.get("records", {}))
    labels: dict = dict(stamps.get("labels", {}))

    out: dict[str, Figure] = {}
    changed = False
    for indicator in indicators:
        code = indicator.code
        money = indicator.unit == Unit.MONEY
        cached = stored.get(code)
        fresh = cached is not None and code in records
        relabel_only = False
        mine = {t: clocks_now.get(t) for t in sources[code]}
        unseen = any(clock == [UNSEEN] for clock in mine.values())
        if fresh and (clocks.get(code) != mine or unseen):
            # Level 2: the tables moved; did the records behind this figure?
            now = record_stamp(indicator, scope)
            if now != records[code] or _changed_rows_in_period(indicator, scope, clocks.get(code) or {}, mine):
                fresh = False
            else:
                stats.checked += 1
                if clocks.get(code) != mine:
                    clocks[code] = mine
                    changed = True
        if fresh and cached.get("parts") and language not in labels.get(code, {}):
            fresh, relabel_only = False, True  # parts labelled in another language: compute once in this one
        if fresh:
            stats.served += 1
            out[code] = Figure.from_json(_relabel(cached, labels.get(code, {}).get(language)), money=money)
            continue
        started = time.perf_counter()
        # The record stamp before the figure: a write landing in between makes the next read recompute.
        records[code] = record_stamp(indicator, scope)
        figure = indicator.compute(scope)
        stats.computed += 1
        stored[code] = figure.as_json()
        clocks[code] = mine
        labels[code] = {
            **(labels.get(code, {}) if relabel_only else {}),
            language: {p.code: str(p.label) for p in figure.parts},
        }
        if not figure.parts:
            labels.pop(code, None)
        out[code] = figure
        changed = True
        stamps.setdefault("seconds", {})[code] = round(time.perf_counter() - started, 4)

    if changed or row is None:
        stamps.update({"groups": digest, "clocks": clocks, "records": records, "labels": labels})
        stamp = hashlib.sha256(json.dumps([digest, records], sort_keys=True).encode()).hexdigest()
        _store(row, scope, kind, key, stored, stamps, stamp)
    return out


def _period_key(scope: Scope) -> str:
    """The period key of a scope that spans a month, quarter, half year or year (as `periods` names them)."""
    start, end = scope.start, scope.end
    months = (end.year * 12 + end.month) - (start.year * 12 + start.month)
    if start.day != 1 or end.day != 1:
        raise ValueError("the figure cache keeps whole months, quarters, half years and years")
    if months == 1:
        return f"{start:%Y-%m}"
    if months == 3 and start.month % 3 == 1:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if months == 6 and start.month in (1, 7):
        return f"{start.year}-H{1 if start.month == 1 else 2}"
    if months == 12 and start.month == 1:
        return f"{start.year}"
    raise ValueError("the figure cache keeps whole months, quarters, half years and years")


def _store(row, scope: Scope, kind: str, key: str, figures: dict, stamps: dict, stamp: str) -> None:
    seconds = sum(stamps.get("seconds", {}).values())
    values = {
        "figures": figures,
        "stamps": stamps,
        "stamp": stamp,
        "computed_at": timezone.now(),
        "seconds": seconds,
    }
    if row is not None:
        FigureCache.objects.filter(pk=row.pk).update(**values)
        return
    try:
        with transaction.atomic():
            FigureCache.objects.create(centre=scope.centre, kind=kind, period=key, territory=scope.territory, **values)
    except IntegrityError:  # another request stored the same scope meanwhile: keep theirs, ours is equal
        pass


def invalidate(centre_id: int | None = None, kind: str | None = None) -> int:
    """Drop cached figures (of a centre, of a kind); they are recomputed at the next read."""
    qs = FigureCache.objects.all()
    if centre_id is not None:
        qs = qs.filter(centre_id=centre_id)
    if kind is not None:
        qs = qs.filter(kind=kind)
    return qs.delete()[0]
