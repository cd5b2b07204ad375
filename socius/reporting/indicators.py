"""The indicators of the reports (decision 0017): each a named figure computed from the records, per group of
territory and in total, with the records behind it for the drill-down and the fingerprint.

An indicator module (`indicators_casework.py`, `indicators_programmes.py`, `statutory/…`) defines its
indicators and calls `register()` at import; `socius.reporting.apps` imports them all. Nothing else in the
reporting app knows an indicator by name: the report, its page, exports, approval and the drill-down walk
`indicators_for(kind)`.

Territory: a report's scope is the whole centre or one territory; its columns (`Scope.groups`) are the scope's
children (communities, elderships), each standing for its subtree, plus `NO_LOCALITY` for the records that name
no locality or the scope's own node. An event counts where it happened (the locality kept on the event:
`Contact.territory`, `HomeVisit.territory`, `Case.territory`, `Payment.locality`, `OutreachEvent.territory`…),
never where the person lives today.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import Centre, Territory, User

NO_LOCALITY = 0  # the group of records with no locality, or recorded at the scope's own node

Number = int | Decimal


class Unit:
    COUNT = "count"  # events (contacts, visits, meetings…)
    PERSONS = "persons"  # distinct persons
    HOUSEHOLDS = "households"  # distinct households
    MONEY = "money"  # a sum in the centre's currency (Decimal, two places)


# Sections of the monthly activity report, in the order of the district directorate's report (REPORTS.md 3.1).
SECTIONS: dict[str, Promise] = {
    "casework": _("Citizens heard and home visits"),
    "cases": _("Cases, contracts and referrals"),
    "aid": _("Social aid paid"),
    "fund": _("Local support fund and social canteens"),
    "children": _("Family support and child protection"),
    "community": _("Community work and supervision"),
    "services": _("Social services"),
}


@dataclass(frozen=True)
class Group:
    """A column of the report: a territory and its subtree (`id` NO_LOCALITY: none recorded, or the scope's
    own node)."""

    id: int
    name: str
    territory_ids: frozenset[int]


@dataclass(frozen=True)
class Scope:
    centre: Centre
    start: dt.date  # inclusive
    end: dt.date  # exclusive
    territory: Territory | None  # None: the whole centre
    territory_ids: frozenset[int] | None  # the scope's subtree; None for the whole centre (nothing filtered)
    groups: tuple[Group, ...]

    def in_scope(self, path: str) -> Q:
        """Records whose locality (`path`, e.g. "territory_id" or "case__territory_id") lies in the scope. For
        the whole centre nothing is filtered (records without a locality count in NO_LOCALITY)."""
        if self.territory_ids is None:
            return Q()
        return Q(**{f"{path}__in": sorted(self.territory_ids)})

    def group_of(self, path: str) -> Case:
        """An SQL expression giving each record's group id from its locality `path` (NO_LOCALITY when none)."""
        whens = [When(**{f"{path}__in": sorted(g.territory_ids)}, then=Value(g.id)) for g in self.groups if g.id]
        return Case(*whens, default=Value(NO_LOCALITY), output_field=IntegerField())

    def group_lookup(self) -> Callable[[int | None], int | None]:
        """territory id -> the scope's group id (NO_LOCALITY for none or the scope's own node), or None when the
        territory lies outside the scope (the record does not count): the groups folded in Python, for figures
        read per locality."""
        owner: dict[int, int] = {}
        for group in self.groups:
            if group.id != NO_LOCALITY:
                for territory_id in group.territory_ids:
                    owner[territory_id] = group.id

        def of(territory_id: int | None) -> int | None:
            if self.territory_ids is not None and territory_id not in self.territory_ids:
                return None
            return owner.get(territory_id, NO_LOCALITY) if territory_id is not None else NO_LOCALITY

        return of

    def group(self, group_id: int | None) -> Group | None:
        return next((g for g in self.groups if g.id == group_id), None)

    def in_group(self, path: str, group_id: int | None) -> Q:
        """Records of one group (None: every group of the scope)."""
        if group_id is None:
            return self.in_scope(path)
        if group_id == NO_LOCALITY:
            others = set().union(*(g.territory_ids for g in self.groups if g.id != NO_LOCALITY))
            return self.in_scope(path) & ~Q(**{f"{path}__in": sorted(others)})
        found = self.group(group_id)
        return Q(**{f"{path}__in": sorted(found.territory_ids)}) if found else Q(pk__in=[])


@dataclass(frozen=True)
class Part:
    """A breakdown line of a figure (a benefit, a fund, a purpose, a circumstance, a kind of service…)."""

    code: str
    label: str
    total: Number
    by_group: dict[int, Number]


@dataclass(frozen=True)
class Figure:
    total: Number
    by_group: dict[int, Number]  # group id -> value; a group with nothing is 0 or absent
    parts: tuple[Part, ...] = ()

    def value(self, group_id: int | None = None, part: str | None = None) -> Number:
        source: Figure | Part = self
        if part is not None:
            found = next((p for p in self.parts if p.code == part), None)
            if found is None:
                return 0
            source = found
        if group_id is None:
            return source.total
        return source.by_group.get(group_id, 0)

    def as_json(self) -> dict:
        def num(v: Number):
            return str(v) if isinstance(v, Decimal) else v

        return {
            "total": num(self.total),
            "by_group": {str(k): num(v) for k, v in self.by_group.items()},
            "parts": [
                {
                    "code": p.code,
                    "label": str(p.label),
                    "total": num(p.total),
                    "by_group": {str(k): num(v) for k, v in p.by_group.items()},
                }
                for p in self.parts
            ],
        }

    @classmethod
    def from_json(cls, data: dict, *, money: bool = False) -> Figure:
        def num(v):
            return Decimal(v) if money or isinstance(v, str) else v

        return cls(
            total=num(data.get("total", 0)),
            by_group={int(k): num(v) for k, v in (data.get("by_group") or {}).items()},
            parts=tuple(
                Part(
                    p["code"],
                    p.get("label", p["code"]),
                    num(p.get("total", 0)),
                    {int(k): num(v) for k, v in (p.get("by_group") or {}).items()},
                )
                for p in data.get("parts") or []
            ),
        )


@dataclass(frozen=True)
class Column:
    """A column of an indicator's drill-down list: a label, the cell's text from a record, and a link."""

    label: Promise | str
    text: Callable[[object], str]
    link: Callable[[object], str | None] | None = None


@dataclass(frozen=True)
class Indicator:
    code: str  # stable: the API's, the exports' and the frozen figures' key
    section: str  # a key of SECTIONS (or of a statutory report's own sections)
    label: Promise
    unit: str  # a Unit
    definition: Promise  # the counting rule in words, shown beside the figure (one definition each)
    compute: Callable[[Scope], Figure]
    # The records behind the figure, unfiltered by the reader (group None: all; part None: all parts). For COUNT,
    # PERSONS and HOUSEHOLDS `records(...).count()` equals the figure (the drill-down test); for MONEY the sum of
    # `amount_field` does.
    records: Callable[[Scope, int | None, str | None], QuerySet]
    # What of `records` the reader may see: the drill-down list, never more (the predicates of the owning app).
    visible: Callable[[User, QuerySet], QuerySet]
    columns: tuple[Column, ...]
    # The persons a drill-down page names, for the audit (`record_list_view` under each of them).
    persons_of: Callable[[list], list[int]]
    audit_object_type: str  # the audit's object type of the records listed ("contact", "home_visit", "payment"…)
    kinds: frozenset[str]  # the ReportKinds the indicator appears in
    order: int = 0  # within its section
    amount_field: str | None = None  # MONEY: the field of `records` summed
    stamp_fields: tuple[str, ...] = ("pk",)  # what the fingerprint hashes per record (add "updated_at" etc.)
    requires: Callable[[User], bool] | None = None  # who may see the figure at all (None: any report reader)
    extra: dict = field(default_factory=dict)


REGISTRY: dict[str, Indicator] = {}


def register(*indicators: Indicator) -> None:
    for indicator in indicators:
        if indicator.code in REGISTRY and REGISTRY[indicator.code] is not indicator:
            raise ValueError(f"indicator {indicator.code!r} registered twice")
        REGISTRY[indicator.code] = indicator


def indicators_for(kind: str) -> list[Indicator]:
    """The indicators of a kind of report, in the report's order (section, then order, then code)."""
    sections = list(SECTIONS)
    return sorted(
        (i for i in REGISTRY.values() if kind in i.kinds),
        key=lambda i: (
            sections.index(i.section) if i.section in sections else len(sections),
            i.section,
            i.order,
            i.code,
        ),
    )


def get_indicator(code: str) -> Indicator | None:
    return REGISTRY.get(code)


# --- scopes ---------------------------------------------------------------------------------------------------


def build_scope(centre: Centre, start: dt.date, end: dt.date, territory: Territory | None = None) -> Scope:
    """The scope of a report: the centre's area (or one territory of it) and its columns. Reads the centre's
    territorial tree once (thousands of nodes at most)."""
    root_id = territory.pk if territory is not None else centre.territory_id
    if root_id is None:
        return Scope(centre, start, end, territory, None, (Group(NO_LOCALITY, str(_("Whole centre")), frozenset()),))
    nodes = list(Territory.objects.filter(jurisdiction=centre.jurisdiction).values_list("pk", "parent_id", "name"))
    children: dict[int | None, list[tuple[int, str]]] = {}
    for pk, parent_id, name in nodes:
        children.setdefault(parent_id, []).append((pk, name))

    def subtree(pk: int) -> frozenset[int]:
        found, stack = {pk}, [pk]
        while stack:
            for child, _name in children.get(stack.pop(), ()):
                if child not in found:
                    found.add(child)
                    stack.append(child)
        return frozenset(found)

    groups = [Group(pk, name, subtree(pk)) for pk, name in sorted(children.get(root_id, []), key=lambda c: c[1])]
    if not groups:  # a leaf (a village): one column, itself
        root_name = territory.name if territory is not None else centre.territory.name
        groups = [Group(root_id, root_name, frozenset({root_id}))]
    else:
        groups.append(Group(NO_LOCALITY, str(_("Locality not recorded")), frozenset({root_id})))
    ids = subtree(root_id) if territory is not None else None
    return Scope(centre, start, end, territory, ids, tuple(groups))


# --- helpers for indicator modules ------------------------------------------------------------------------------


def count_by_group(qs: QuerySet, path: str, scope: Scope, *, distinct: str | None = None) -> Figure:
    """A COUNT/PERSONS/HOUSEHOLDS figure from `qs` (already narrowed to the period): rows (or distinct `distinct`
    values) per group of `path`, and the total counted once (a person in two groups counts once in the total).

    The database groups by the raw locality (an index-friendly GROUP BY on one column); the localities are
    folded into the report's columns here (`Scope.group_lookup`): a CASE of every territory of a district
    per row cost ten times more (docs/benchmarks.md, "Reporting")."""
    from django.db.models import Count

    of = scope.group_lookup()
    qs = qs.filter(scope.in_scope(path)).order_by()
    if distinct:
        seen: dict[int, set] = {}
        everyone: set = set()
        for territory_id, value in qs.values_list(path, distinct).distinct():
            group = of(territory_id)
            if group is None:
                continue
            values = seen.setdefault(group, set())
            if value is not None:  # as COUNT(DISTINCT …) leaves out an empty value
                values.add(value)
                everyone.add(value)
        return Figure(total=len(everyone), by_group={g: len(values) for g, values in seen.items()})
    by_group: dict[int, int] = {}
    for territory_id, n in qs.values_list(path).annotate(n=Count("pk")).values_list(path, "n"):
        group = of(territory_id)
        if group is not None:
            by_group[group] = by_group.get(group, 0) + n
    return Figure(total=sum(by_group.values()), by_group=by_group)


def sum_by_group(qs: QuerySet, path: str, scope: Scope, amount: str) -> Figure:
    """A MONEY figure: the sum of `amount` per group of `path`, and in total (grouped by the raw locality and
    folded here, as `count_by_group`)."""
    from django.db.models import Sum

    of = scope.group_lookup()
    qs = qs.filter(scope.in_scope(path)).order_by()
    by_group: dict[int, Decimal] = {}
    for territory_id, s in qs.values_list(path).annotate(s=Sum(amount)).values_list(path, "s"):
        group = of(territory_id)
        if group is not None:
            by_group[group] = by_group.get(group, Decimal("0")) + (s or Decimal("0"))
    return Figure(total=sum(by_group.values(), Decimal("0")), by_group=by_group)


def fingerprint(indicator: Indicator, scope: Scope) -> dict:
    """What approval stores of the records behind a figure: how many, and a digest of their stamps (so a record
    added, removed or changed after approval is noticed)."""
    digest = hashlib.sha256()
    count = 0
    rows = indicator.records(scope, None, None).order_by("pk").values_list(*indicator.stamp_fields)
    for row in rows.iterator(chunk_size=5000):
        digest.update(repr(row).encode())
        digest.update(b"\n")
        count += 1
    return {"count": count, "digest": digest.hexdigest()}
