"""The reads an import batch makes: which of its national IDs, household references and household
members the registry has already. Three queries per batch, never one per row.

On PostgreSQL the values go as one array parameter and each is looked up through its index: a
LATERAL subquery per value (its `<> ''` lets the planner use the partial unique indexes, whose
condition it cannot otherwise prove for a value taken from the array). Left to itself the planner
prefers to read the whole table for a thousand values, and, while an import adds rows faster than
autovacuum refreshes the statistics, it misjudges the table as small: every batch then costs tens
of milliseconds more per 100,000 persons in the table. SQLite (small, embedded) uses the ORM.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

from socius.registry.models import Household, Membership, Person

_MEMBER_FIELDS = (
    "household_id", "person_id", "relationship", "valid_until",
    "person__search_name", "person__birth_date", "person__national_id",
)  # fmt: skip
MemberRow = tuple[int, int, str, dt.date | None, str, dt.date | None, str]


def _chunks(values: list, size: int):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _sqlite_chunk() -> int:
    return connection.features.max_query_params - 10


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _names(model, *fields: str) -> tuple[str, ...]:
    quote = connection.ops.quote_name
    return (quote(model._meta.db_table), *(quote(model._meta.get_field(f).column) for f in fields))


def existing_ids(centre_id: int, national_ids: list[str]) -> dict[str, int]:
    """National ID -> person id, for those of `national_ids` registered in the centre."""
    if not national_ids:
        return {}
    if connection.vendor == "postgresql":
        table, pk, centre, nid = _names(Person, "id", "centre", "national_id")
        sql = (
            f"SELECT v.value, p.id FROM unnest(%s::text[]) AS v(value) CROSS JOIN LATERAL "  # noqa: S608 (names quoted)
            f"(SELECT {pk} AS id FROM {table} WHERE {centre} = %s AND {nid} = v.value AND {nid} <> '' LIMIT 1) AS p"
        )
        return dict(_fetch(sql, [national_ids, centre_id]))
    found: dict[str, int] = {}
    for chunk in _chunks(national_ids, _sqlite_chunk()):
        found.update(Person.objects.filter(centre_id=centre_id, national_id__in=chunk).values_list("national_id", "id"))
    return found


def existing_households(centre_id: int, refs: list[str]) -> dict[str, int]:
    """Household reference -> household id, for those of `refs` already used in the centre."""
    if not refs:
        return {}
    if connection.vendor == "postgresql":
        table, pk, centre, ref = _names(Household, "id", "centre", "external_ref")
        sql = (
            f"SELECT v.value, h.id FROM unnest(%s::text[]) AS v(value) CROSS JOIN LATERAL "  # noqa: S608 (names quoted)
            f"(SELECT {pk} AS id FROM {table} WHERE {centre} = %s AND {ref} = v.value AND {ref} <> '' LIMIT 1) AS h"
        )
        return dict(_fetch(sql, [refs, centre_id]))
    found: dict[str, int] = {}
    for chunk in _chunks(refs, _sqlite_chunk()):
        found.update(
            Household.objects.filter(centre_id=centre_id, external_ref__in=chunk).values_list("external_ref", "id")
        )
    return found


def members_of(household_ids: list[int]) -> list[MemberRow]:
    """Every membership, past or present, of these households with its person's folded name, birth
    date and national ID: (household, person, relationship, valid_until, search_name, birth_date, id)."""
    if not household_ids:
        return []
    if connection.vendor == "postgresql":
        m_table, m_household, m_person, m_rel, m_until = _names(
            Membership, "household", "person", "relationship", "valid_until"
        )
        p_table, p_pk, p_name, p_birth, p_nid = _names(Person, "id", "search_name", "birth_date", "national_id")
        # OFFSET 0 keeps each subquery a per-household (per-person) index lookup instead of a join the
        # planner would turn back into scans of both tables.
        sql = (
            "SELECT h.id, m.person_id, m.relationship, m.valid_until, p.search_name, p.birth_date, p.national_id "  # noqa: S608
            "FROM unnest(%s::bigint[]) AS h(id) CROSS JOIN LATERAL "
            f"(SELECT {m_person} AS person_id, {m_rel} AS relationship, {m_until} AS valid_until "
            f"FROM {m_table} WHERE {m_household} = h.id OFFSET 0) AS m CROSS JOIN LATERAL "
            f"(SELECT {p_name} AS search_name, {p_birth} AS birth_date, {p_nid} AS national_id "
            f"FROM {p_table} WHERE {p_pk} = m.person_id LIMIT 1) AS p"
        )
        return _fetch(sql, [household_ids])
    rows: list[MemberRow] = []
    for chunk in _chunks(household_ids, _sqlite_chunk()):
        rows.extend(Membership.objects.filter(household_id__in=chunk).values_list(*_MEMBER_FIELDS))
    return rows
