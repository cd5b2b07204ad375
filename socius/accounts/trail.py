"""The change trail (PostgreSQL triggers, docs/decisions/0008): what the database recorded of one record."""

from __future__ import annotations

from django.apps import apps
from django.db.models import QuerySet

from socius.accounts.models import ChangeTrailEntry, User
from socius.accounts.permissions import can_view_audit, require

# The audited tables, by the record types the audit log uses. Models are named, not imported: the
# registry and casework sit above accounts; their migrations attach the triggers (AttachChangeTrail).
TRAIL_RECORD_TYPES: dict[str, str] = {
    "person": "registry.Person",
    "household": "registry.Household",
    "membership": "registry.Membership",
    "case": "casework.Case",
    "contact": "casework.Contact",
}


def trail_table(record_type: str) -> str:
    return apps.get_model(TRAIL_RECORD_TYPES[record_type])._meta.db_table


def list_change_trail_for(actor: User, *, record_type: str, record_id: int) -> QuerySet[ChangeTrailEntry]:
    """Every recorded insert, update and delete of one record of the actor's centre, newest first
    (auditors and directors only). Empty on SQLite, which has no triggers."""
    require(actor, can_view_audit)
    return ChangeTrailEntry.objects.filter(
        table_name=trail_table(record_type), row_id=record_id, centre_id=actor.centre_id
    ).select_related("actor")


def changed_fields(entry: ChangeTrailEntry) -> dict[str, list]:
    """{column: [before, after]} of an update; every column of an insert (before None) or delete (after None)."""
    old, new = entry.old_row or {}, entry.new_row or {}
    return {k: [old.get(k), new.get(k)] for k in sorted(old.keys() | new.keys()) if old.get(k) != new.get(k)}


def person_of(record_type: str, record_id: int, entries: list[ChangeTrailEntry]) -> int | None:
    """The registry person whose data the trail shows, for the view event (None when it is not one person)."""
    if record_type == "person":
        return record_id
    for entry in entries:
        person_id = (entry.new_row or entry.old_row or {}).get("person_id")
        if person_id:
            return int(person_id)
    return None
