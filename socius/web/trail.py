"""The change trail (docs/decisions/0008) as the auditor reads it: which trail entries concern a person,
which persons a page of entries shows (for its view event), and the entries in words.

The trail is written by PostgreSQL triggers into accounts; the persons behind a casework or plan row are
known only above those apps, so this lives in web, which sees them all.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.db.models import Q, QuerySet

from socius.accounts.models import ChangeTrailEntry, User
from socius.accounts.trail import TRAIL_RECORD_TYPES, trail_table, trail_tables
from socius.casework.models import Case, Contact, SocialWorkActivity
from socius.casework.selectors import persons_shown_by_cases
from socius.plans.models import Goal, HelpPlan, Obligation, PlanAction, SocialContract
from socius.registry.models import Membership
from socius.registry.selectors import member_ids_by_household

# Tables whose rows name a person in `person_id` (a membership, a contact's person, a contract's client,
# a participant of social work; a case's client).
_PERSON_LINKS = ("membership", "contact_person", "contract_client", "activity_participant")
# Tables whose rows belong to a case (`case_id`).
_CASE_RECORDS = (
    "home_visit",
    "social_work_activity",
    "referral",
    "case_document",
    "assessment",
    "help_plan",
    "social_contract",
    "case_flag",
)


def _rows(entry: ChangeTrailEntry) -> list[dict]:
    return [row for row in (entry.old_row, entry.new_row) if row]


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _key_in(key: str, values: Iterable[int]) -> Q:
    values = list(values)
    return Q(**{f"old_row__{key}__in": values}) | Q(**{f"new_row__{key}__in": values})


def trail_of_person(entries: QuerySet[ChangeTrailEntry], actor: User, person_id: int) -> QuerySet[ChangeTrailEntry]:
    """The entries that concern the person: their own row, the rows that name them (memberships, contacts,
    contract clients, social work), their households, and their cases with every record of those cases
    (plans with their goals and actions, contracts with their obligations). Deleted records are found by
    the ids their rows kept; a deleted goal of a deleted plan is found only by its record."""
    tables = {t: trail_table(t) for t in TRAIL_RECORD_TYPES}
    households = set(Membership.objects.filter(person_id=person_id).values_list("household_id", flat=True))
    cases = set(
        Case.objects.filter(
            Q(person_id=person_id) | Q(household_id__in=households), centre_id=actor.centre_id
        ).values_list("pk", flat=True)
    )
    contacts = set(Contact.persons.through.objects.filter(person_id=person_id).values_list("contact_id", flat=True))
    plans = HelpPlan.objects.filter(case_id__in=cases).values("pk")
    goals = set(Goal.objects.filter(plan__in=plans).values_list("pk", flat=True))
    actions = PlanAction.objects.filter(goal_id__in=goals).values_list("pk", flat=True)
    obligations = Obligation.objects.filter(contract__case_id__in=cases).values_list("pk", flat=True)
    query = (
        Q(table_name=tables["person"], row_id=person_id)
        | Q(table_name__in=[tables[t] for t in _PERSON_LINKS]) & _key_in("person_id", [person_id])
        | Q(table_name=tables["household"], row_id__in=households)
        | Q(table_name=tables["case"]) & (Q(row_id__in=cases) | _key_in("person_id", [person_id]))
        | Q(table_name=tables["contact"], row_id__in=contacts)
        | Q(table_name__in=[tables[t] for t in _CASE_RECORDS]) & _key_in("case_id", cases)
        | Q(table_name=tables["goal"], row_id__in=goals)
        | Q(table_name=tables["plan_action"], row_id__in=list(actions))
        | Q(table_name=tables["obligation"], row_id__in=list(obligations))
    )
    return entries.filter(query)


def persons_of_trail(entries: Iterable[ChangeTrailEntry]) -> list[int]:
    """Every person whose data these entries show, for the view event of the page that shows them
    (decision 0007): a person's row, the person a row names, a household's or case's persons (every
    member ever), and the persons of the case a record belongs to. A fixed number of queries."""
    types = trail_tables()
    persons: list[int] = []
    households, cases, plans, goals, contracts, activities, contacts = (set() for _ in range(7))
    for entry in entries:
        kind = types.get(entry.table_name)
        if kind == "person":
            persons.append(entry.row_id)
        for row in _rows(entry):
            persons.append(_int(row.get("person_id")))
            if kind in ("household", "case"):
                households.add(entry.row_id if kind == "household" else _int(row.get("household_id")))
            if kind == "case":
                cases.add(entry.row_id)
            cases.add(_int(row.get("case_id")))
            plans.add(_int(row.get("plan_id")))
            goals.add(_int(row.get("goal_id")))
            contracts.add(_int(row.get("contract_id")) or _int(row.get("socialcontract_id")))
            activities.add(_int(row.get("socialworkactivity_id")))
            if kind in ("contact", "contact_person"):
                contacts.add(entry.row_id if kind == "contact" else _int(row.get("contact_id")))
    drop = {None}
    goals -= drop
    if goals:
        plans |= set(Goal.objects.filter(pk__in=goals).values_list("plan_id", flat=True))
    for model, ids in ((HelpPlan, plans), (SocialContract, contracts), (SocialWorkActivity, activities)):
        ids -= drop
        if ids:
            cases |= set(model.objects.filter(pk__in=ids).values_list("case_id", flat=True))
    cases -= drop
    if cases:
        for shown in persons_shown_by_cases(
            Case.objects.filter(pk__in=cases).only("id", "person_id", "household_id")
        ).values():
            persons.extend(shown)
    households -= drop
    for members in member_ids_by_household(households).values():
        persons.extend(members)
    contacts -= drop
    if contacts:
        persons.extend(
            Contact.persons.through.objects.filter(contact_id__in=contacts).values_list("person_id", flat=True)
        )
    return [p for p in dict.fromkeys(persons) if p]


def _model_of(record_type: str | None):
    return apps.get_model(TRAIL_RECORD_TYPES[record_type]) if record_type else None


def as_events(entries: Iterable[ChangeTrailEntry]) -> list[ChangeTrailEntry]:
    """Each entry with `object_type` (its record type), `object_id` and `changes` keyed by field name
    ({field: [before, after]}: an update's changed columns, an insert's or a delete's values), so the
    audit page's `describe_changes` puts them in words."""
    types = trail_tables()
    out = []
    for entry in entries:
        entry.object_type = types.get(entry.table_name)
        entry.object_id = entry.row_id
        model = _model_of(entry.object_type)
        names = {f.attname: f.name for f in model._meta.concrete_fields} if model is not None else {}
        old, new = entry.old_row or {}, entry.new_row or {}
        entry.changes = {
            names.get(column, column): [old.get(column), new.get(column)]
            for column in sorted(old.keys() | new.keys())
            if column != "id" and old.get(column) != new.get(column)
        }
        out.append(entry)
    return out
