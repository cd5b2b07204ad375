"""The change trail (PostgreSQL triggers, docs/decisions/0008): what the database recorded of one record."""

from __future__ import annotations

from django.apps import apps
from django.db import connection
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
    "contact_person": "casework.Contact_persons",
    "home_visit": "casework.HomeVisit",
    "social_work_activity": "casework.SocialWorkActivity",
    "activity_participant": "casework.SocialWorkActivity_participants",
    "referral": "casework.Referral",
    "case_document": "casework.CaseDocument",
    "assessment": "assessments.Assessment",
    "help_plan": "plans.HelpPlan",
    "goal": "plans.Goal",
    "plan_action": "plans.PlanAction",
    "social_contract": "plans.SocialContract",
    "contract_client": "plans.SocialContract_clients",
    "obligation": "plans.Obligation",
    "case_flag": "plans.CaseFlag",
}


def trail_tables() -> dict[str, str]:
    """{table name: record type} of every audited table."""
    return {trail_table(record_type): record_type for record_type in TRAIL_RECORD_TYPES}


def trail_is_recorded() -> bool:
    """Whether this database writes the trail: PostgreSQL does (triggers); SQLite does not (decision 0008)."""
    return connection.vendor == "postgresql"


def trail_table(record_type: str) -> str:
    return apps.get_model(TRAIL_RECORD_TYPES[record_type])._meta.db_table


def list_change_trail_for(
    actor: User, *, record_type: str | None = None, record_id: int | None = None
) -> QuerySet[ChangeTrailEntry]:
    """The recorded inserts, updates and deletes of the actor's centre, newest first (auditors and
    directors only): of one kind of record (`record_type`), or of one record (and `record_id`). Empty
    on SQLite, which has no triggers."""
    require(actor, can_view_audit)
    entries = ChangeTrailEntry.objects.filter(centre_id=actor.centre_id)
    if record_type is not None:
        entries = entries.filter(table_name=trail_table(record_type))
        if record_id is not None:
            entries = entries.filter(row_id=record_id)
    return entries.select_related("actor")


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
