"""One batch of whole households: what to do with each row (plan_batch), and the inserts (write_batch).

Per batch (about 1,000 rows): one query for the batch's national IDs already registered, one for its
household references, one for the members of those households (lookups.py); then one bulk insert
each for households, persons, memberships and audit events (inserts.py). Never a query per row.
Running the batches, with their transactions and retries: runner.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from socius.accounts.models import AuditAction, AuditEvent, Centre, User
from socius.common.context import RequestOrigin
from socius.registry.importing.inserts import DeferredInserter, Inserter
from socius.registry.importing.lookups import existing_households, existing_ids, members_of
from socius.registry.importing.report import CREATE, PRESENT, REJECTED, RowResult
from socius.registry.importing.rows import ParsedRow
from socius.registry.models import Household, Membership, Person, Relationship

Group = tuple[str, list[ParsedRow]]


@dataclass
class Context:
    centre: Centre
    actor: User | None
    on: dt.date
    dry_run: bool
    origin: RequestOrigin


@dataclass
class _NewHousehold:
    ref: str
    head: ParsedRow
    rows: list[ParsedRow]  # the persons to create, all joining this household
    household_id: int | None = None  # known when the household exists already


@dataclass
class Plan:
    results: dict[int, RowResult] = field(default_factory=dict)  # row number -> result
    households: list[_NewHousehold] = field(default_factory=list)
    new_households: int = 0  # households to create (those of `households` without an id yet)
    reused: int = 0  # households of the file already in the registry
    given_up: bool = False  # the batch could not be saved

    @property
    def new_persons(self) -> int:
        return sum(len(h.rows) for h in self.households)

    def give_up(self) -> None:
        """After a second clash with concurrent registrations: report the new rows as not saved."""
        self.given_up = True
        message = _(
            "Not saved: the registry changed while this part of the file was imported "
            "(someone may have registered the same person). Import the file again."
        )
        for result in self.results.values():
            if result.status == CREATE:
                result.status = REJECTED
                result.person_id = None
                result.reasons.append(("", message))


def _members_of(household_ids: list[int]) -> dict[int, dict]:
    """Who was ever a member of these households (to recognise rows without an ID) and who heads each now."""
    out: dict[int, dict] = {hid: {"by_key": {}, "by_key_no_id": {}, "head": None} for hid in household_ids}
    for household_id, person_id, relationship, valid_until, search_name, birth_date, national_id in members_of(
        household_ids
    ):
        entry = out[household_id]
        entry["by_key"][(search_name, birth_date)] = person_id
        if not national_id:
            entry["by_key_no_id"][(search_name, birth_date)] = person_id
        if relationship == Relationship.HEAD and valid_until is None:
            entry["head"] = person_id
    return out


def _result(row: ParsedRow, status: str, reasons=None, person_id=None) -> RowResult:
    return RowResult(row.number, status, row.household_ref, row.full_name, list(reasons or ()), person_id)


def plan_batch(groups: list[Group], ctx: Context) -> Plan:
    """Decide each row's fate against the registry as it is now (reads only)."""
    centre_id = ctx.centre.pk
    ids = [r.national_id for _ref, rows in groups for r in rows if r.national_id and not r.errors]
    known_ids = existing_ids(centre_id, ids)
    households = existing_households(centre_id, [ref for ref, _rows in groups if ref])
    members = _members_of(list(households.values())) if households else {}
    plan = Plan()
    for ref, rows in groups:
        household_id = households.get(ref)
        info = members.get(household_id) if household_id else None
        new_rows: list[ParsedRow] = []
        failed: list[ParsedRow] = []
        head: ParsedRow | None = None
        head_is_new = False
        for row in rows:
            if row.errors:
                plan.results[row.number] = _result(row, REJECTED, row.errors)
                failed.append(row)
                continue
            person_id, reason = _recognise(row, known_ids, info)
            if person_id:
                plan.results[row.number] = _result(row, PRESENT, [reason], person_id)
            else:
                new_rows.append(row)
            if row.relationship == Relationship.HEAD:
                head, head_is_new = row, person_id is None
        if not failed and head is not None:
            if household_id is None and not head_is_new:
                # A new household needs its head as a new member; the head is registered already.
                failed.append(head)
                plan.results[head.number].reasons.append(
                    (
                        "relationship",
                        _(
                            "This head of household is already registered, so household “%(ref)s” cannot be "
                            "created around them: add the other members in the registry instead."
                        )
                        % {"ref": ref},
                    )
                )
            elif household_id is not None and head_is_new and info["head"] is not None:
                failed.append(head)
                new_rows.remove(head)
                plan.results[head.number] = _result(
                    head,
                    REJECTED,
                    [("relationship", _("Household “%(ref)s” already has a head in the registry.") % {"ref": ref})],
                )
        if failed:
            numbers = ", ".join(str(r.number) for r in failed)
            message = _(
                "Not imported because row %(rows)s of household “%(ref)s” was rejected: "
                "a household is imported whole or not at all."
            ) % {"rows": numbers, "ref": ref}
            for row in new_rows:
                plan.results[row.number] = _result(row, REJECTED, [("household_ref", message)])
            continue
        if household_id is not None:
            plan.reused += 1
        elif new_rows:
            plan.new_households += 1
        if new_rows:
            plan.households.append(_NewHousehold(ref, head, new_rows, household_id))
            for row in new_rows:
                plan.results[row.number] = _result(row, CREATE)
    return plan


def _recognise(row: ParsedRow, known_ids: dict[str, int], info: dict | None) -> tuple[int | None, tuple[str, str]]:
    """The registered person this row describes, if any: by national ID in the centre, else by folded
    name and birth date among the members (past or present) of the household with the same reference."""
    if row.national_id:
        person_id = known_ids.get(row.national_id)
        if person_id:
            return person_id, ("national_id", _("A person with this national ID is already registered."))
    if info is not None:
        person_id = (info["by_key_no_id"] if row.national_id else info["by_key"]).get(row.person_key)
        if person_id:
            return person_id, (
                "first_name",
                _("A member of household “%(ref)s” with the same name and birth date is already registered.")
                % {"ref": row.household_ref},
            )
    return None, ("", "")


def _person_changes(row: ParsedRow, household_id: int) -> dict:
    """The person's CREATE event also records the household joined: one event per imported person."""
    values = {
        "first_name": row.first_name,
        "last_name": row.last_name,
        "birth_date": row.birth_date.isoformat() if row.birth_date else None,
        "sex": row.sex,
        "national_id": row.national_id,
        "citizenship": row.citizenship,
        "territory": row.territory_id,
        "street_address": row.street_address,
        "phone": row.phone,
        "email": row.email,
        "household": household_id,
        "relationship": row.relationship,
    }
    return {k: [None, v] for k, v in values.items() if v not in ("", None)}


def _household_changes(values: dict) -> dict:
    fields = (
        ("territory", values["territory_id"]),
        ("street_address", values["street_address"]),
        ("external_ref", values["external_ref"]),
    )
    return {name: [None, value] for name, value in fields if value not in ("", None)}


class _SearchColumns:
    """What Person.refresh_search_columns reads and sets. It is called on this light object rather than
    on a Person: the search columns keep their one definition, without a model instance per row."""

    __slots__ = ("first_name", "last_name", "phone", "phone_digits", "search_address", "search_name",
                 "street_address", "territory_id")  # fmt: skip


def _person_row(row: ParsedRow, centre_id: int, actor_id: int | None) -> dict:
    search = _SearchColumns()
    search.first_name, search.last_name = row.first_name, row.last_name
    search.street_address, search.phone, search.territory_id = row.street_address, row.phone, row.territory_id
    Person.refresh_search_columns(search, row.locality_name)  # the locality's name is known: no query
    return {
        "centre_id": centre_id,
        "first_name": row.first_name,
        "last_name": row.last_name,
        "birth_date": row.birth_date,
        "sex": row.sex,
        "national_id": row.national_id,
        "citizenship": row.citizenship,
        "territory_id": row.territory_id,
        "street_address": row.street_address,
        "phone": row.phone,
        "email": row.email,
        "created_by_id": actor_id,
        "search_name": search.search_name,
        "search_address": search.search_address,
        "phone_digits": search.phone_digits,
    }


def write_batch(plan: Plan, ctx: Context, inserter: Inserter | DeferredInserter) -> None:
    """Insert what the plan decided: four bulk inserts, at once (Inserter, in the caller's
    transaction) or prepared for a later flush (DeferredInserter).

    Audit: a CREATE event for each new household and each new person (with the household joined and
    the relationship); the run's IMPORT event is written by the service at the end."""
    centre_id, actor = ctx.centre.pk, ctx.actor
    actor_id = actor.pk if actor is not None and actor.pk else None

    new_households = [h for h in plan.households if h.household_id is None]
    inserter.reserve({Household: len(new_households), Person: plan.new_persons})
    household_rows = [
        {
            "centre_id": centre_id,
            "territory_id": h.head.territory_id,
            "street_address": h.head.street_address,
            "external_ref": h.ref,
            "created_by_id": actor_id,
        }
        for h in new_households
    ]
    for h, new_id in zip(new_households, inserter.insert(Household, household_rows), strict=True):
        h.household_id = new_id

    pairs = [(h, row) for h in plan.households for row in h.rows]
    person_ids = inserter.insert(Person, [_person_row(row, centre_id, actor_id) for _h, row in pairs])
    inserter.insert(
        Membership,
        [
            {"household_id": h.household_id, "person_id": pid, "relationship": row.relationship, "valid_from": ctx.on}
            for (h, row), pid in zip(pairs, person_ids, strict=True)
        ],
        want_ids=False,
    )

    audit = {
        "actor_id": actor_id,
        "actor_username": getattr(actor, "username", "") or "",
        "centre_id": centre_id,
        "action": AuditAction.CREATE.value,
        "ip": ctx.origin.ip,
        "channel": ctx.origin.channel,
    }
    events = [
        {**audit, "object_type": "household", "object_id": h.household_id, "changes": _household_changes(values)}
        for h, values in zip(new_households, household_rows, strict=True)
    ]
    for (h, row), pid in zip(pairs, person_ids, strict=True):
        plan.results[row.number].person_id = pid
        events.append(
            {
                **audit,
                "object_type": "person",
                "object_id": pid,
                "person_id": pid,
                "changes": _person_changes(row, h.household_id),
            }
        )
    inserter.insert(AuditEvent, events, want_ids=False)
