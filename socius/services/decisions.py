"""Service decisions: drafted by a worker on a case they read, issued by someone who approves decisions and did
not draft it (four eyes), within the capacity of the centre's staff or of the provider for the week; suspended,
resumed, ended; a draft cancelled. An issued decision is never edited: a change is a new decision (decision 0016).

Issuing numbers the decision `<prefix>/<year>/<seq>` under a lock on the centre's row (concurrent issues queue:
no number twice, none skipped, the capacity check sees the others' units), places the waiting-list entry it
came from, and assesses the co-payment (copay's `assess_copayment`) when the drafter gave the income facts.
Every refusal leaves nothing written.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from socius.accounts.audit import diff, snapshot
from socius.accounts.models import AuditAction, Centre, User
from socius.casework.models import Case
from socius.casework.permissions import can_view_case_content
from socius.casework.selectors import persons_concerned
from socius.common.errors import Conflict, Forbidden, NotFound
from socius.registry.models import Membership, Person
from socius.registry.selectors import current_membership_of
from socius.services._common import (
    as_int,
    audit,
    check_date,
    check_decimal,
    check_text,
    is_date,
    raise_if,
)
from socius.services.catalogue import catalogue_code, service_definition
from socius.services.copayment import assess_copayment
from socius.services.errors import CapacityExceeded, FourEyes, InvalidServiceTransition, ServiceNotOffered
from socius.services.models import Provider, ProviderCapacity, ServiceDecision, WaitingListEntry
from socius.services.permissions import can_draft_on, can_issue_decision, can_order_services, can_view_decision
from socius.services.selectors import capacity_use, offer_in_force, weekly_units
from socius.services.statuses import (
    DECISION_TRANSITIONS,
    WAITING_TRANSITIONS,
    DecisionStatus,
    QuantityPer,
    WaitingStatus,
)

FIELDS = ServiceDecision.AUDITED_FIELDS
NUMBER_PREFIX = "USL"  # <prefix>/<year>/<seq>, e.g. USL/2026/0007
MAX_UNITS = Decimal("9999.99")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


# --- helpers ----------------------------------------------------------------------------------------------


def persons_of(decision: ServiceDecision) -> list[int]:
    """The persons a change to the decision concerns: the client and the persons of its case."""
    ids = [decision.person_id]
    if decision.case_id:
        ids += [p for p in persons_concerned(decision.case) if p != decision.person_id]
    return ids


def _audit(actor: User, action: str, decision: ServiceDecision, before: dict) -> None:
    audit(
        actor,
        action,
        "service_decision",
        decision.pk,
        centre_id=decision.centre_id,
        person_ids=persons_of(decision),
        changes=diff(before, snapshot(decision, FIELDS)),
    )


def _locked(actor: User, decision) -> ServiceDecision:
    """The decision, row-locked and re-read; NotFound outside the actor's centre or when they may not read it."""
    pk = as_int(decision)
    if pk is None or not actor.centre_id:
        raise NotFound()
    if not list(
        ServiceDecision.objects.select_for_update()
        .filter(pk=pk, centre_id=actor.centre_id)
        .values_list("pk", flat=True)
    ):
        raise NotFound()
    locked = ServiceDecision.objects.select_related("case", "person", "provider", "centre").get(pk=pk)
    if not can_view_decision(actor, locked) and not can_issue_decision(actor, locked):
        raise NotFound()
    return locked


def _move(decision: ServiceDecision, to: str) -> None:
    if to not in DECISION_TRANSITIONS.get(decision.status, frozenset()):
        raise InvalidServiceTransition(decision, decision.status, to, labels=dict(DecisionStatus.choices))
    decision.status = to


def _require_draft(decision: ServiceDecision) -> None:
    if decision.status != DecisionStatus.DRAFT:
        raise Conflict(
            _("Only a draft can be changed; this decision is “%(status)s”.")
            % {"status": DecisionStatus(decision.status).label},
            code="decision_not_draft",
        )


def _case(actor: User, case, errors: dict) -> Case | None:
    if case in (None, ""):
        return None
    pk = as_int(case)
    found = Case.objects.select_related("household", "person").filter(pk=pk, centre_id=actor.centre_id).first()
    if found is None or not can_view_case_content(actor, found):
        errors["case"] = [_("Choose a case of your centre that you work on.")]
        return None
    if not found.is_open:
        errors["case"] = [_("Case %(reference)s is closed: reopen it first.") % {"reference": found.reference}]
        return None
    return found


def _person(actor: User, person, case: Case | None, errors: dict) -> Person | None:
    pk = as_int(person)
    found = Person.objects.filter(pk=pk, centre_id=actor.centre_id).first() if pk is not None else None
    if found is None:
        errors["person"] = [_("Choose a person of your centre's registry.")]
        return None
    if case is not None:
        of_case = (
            case.person_id == found.pk
            if case.person_id
            else Membership.objects.filter(household_id=case.household_id, person_id=found.pk).exists()
        )
        if not of_case:
            errors["person"] = [_("Choose the case's person or a member of the case's household.")]
            return None
    return found


def _provider(actor: User, provider, errors: dict) -> Provider | None:
    if provider in (None, ""):
        return None
    pk = as_int(provider)
    found = (
        Provider.objects.filter(pk=pk, centre_id=actor.centre_id, is_active=True).first() if pk is not None else None
    )
    if found is None:
        errors["provider"] = [_("Choose an active provider of your centre.")]
    return found


def _pattern(value, errors: dict, *, quantity: Decimal | None, per: str) -> list[dict]:
    """The usual week: rows {weekday 0–6, start "HH:MM", units > 0}; a week's rows add up to no more than the
    weekly quantity."""
    if value in (None, ""):
        return []
    rows: list[dict] = []
    problem = not isinstance(value, list | tuple) or len(value) > 28
    for row in value if not problem else ():
        if not isinstance(row, dict):
            problem = True
            break
        weekday, start = row.get("weekday"), row.get("start")
        unit_errors: dict = {}
        units = check_decimal(unit_errors, "units", row.get("units"), positive=True, maximum=Decimal(24))
        bad_day = isinstance(weekday, bool) or not isinstance(weekday, int) or not 0 <= weekday <= 6
        if bad_day or not isinstance(start, str) or not _TIME.match(start) or unit_errors:
            problem = True
        else:
            rows.append({"weekday": weekday, "start": start, "units": str(units)})
    if problem:
        errors["weekly_pattern"] = [
            _("Give each day of the usual week as a weekday (0 Monday – 6 Sunday), a time HH:MM and the units.")
        ]
        return []
    if quantity is not None and per == QuantityPer.WEEK and sum(Decimal(r["units"]) for r in rows) > quantity:
        errors["weekly_pattern"] = [_("The usual week has more units than the quantity a week.")]
    return sorted(rows, key=lambda r: (r["weekday"], r["start"]))


def _copayment_facts(data: dict, errors: dict) -> dict:
    """The income facts for the co-payment, all three or none."""
    names = ("income", "household_size", "lives_alone")
    given = {n: data.get(n) for n in names if data.get(n) not in (None, "")}
    if not given:
        return {}
    income = check_decimal(errors, "income", data.get("income"))
    size = data.get("household_size")
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= 30:
        errors["household_size"] = [_("Enter the number of persons in the household (1–30).")]
    alone = data.get("lives_alone")
    if not isinstance(alone, bool):
        errors["lives_alone"] = [_("Say whether the client lives alone.")]
    if isinstance(alone, bool) and isinstance(size, int) and alone and size != 1:
        errors["household_size"] = [_("A person who lives alone is a household of one.")]
    if income is None or "household_size" in errors or "lives_alone" in errors:
        return {}
    return {"income": str(income), "household_size": size, "lives_alone": alone}


def _waiting_entry(
    actor: User, entry, person: Person | None, service_code, errors: dict, current=None
) -> WaitingListEntry | None:
    if entry in (None, ""):
        return None
    pk = as_int(entry)
    found = (
        WaitingListEntry.objects.filter(pk=pk, centre_id=actor.centre_id, status=WaitingStatus.WAITING).first()
        if pk is not None
        else None
    )
    if found is None or (person is not None and found.person_id != person.pk) or found.service_code != service_code:
        errors["waiting_entry"] = [_("Choose the client's waiting-list entry for this service.")]
        return None
    linked = ServiceDecision.objects.filter(waiting_entry=found)
    if current is not None:
        linked = linked.exclude(pk=current.pk)
    if linked.exists():
        errors["waiting_entry"] = [_("A draft decision already comes from this waiting-list entry.")]
        return None
    return found


def _fields(actor: User, data: dict, errors: dict, *, current: ServiceDecision | None = None) -> dict:
    """Check the decision's fields (all of them for a new draft, those given for a change)."""

    def given(name: str) -> bool:
        return current is None or name in data

    def value(name: str, default=None):
        return data.get(name, getattr(current, name, default) if current is not None else default)

    fields: dict = {}
    if current is None:
        case = _case(actor, data.get("case"), errors)
        if "case" not in errors and not can_order_services(actor, case):
            raise Forbidden()
        fields["case"] = case
        fields["person"] = _person(actor, data.get("person"), case, errors)
    if given("service_code"):
        definition = catalogue_code(actor.centre, data.get("service_code"), errors)
        fields["service_code"] = data.get("service_code")
        fields["unit"] = definition.unit if definition is not None else ""
    if given("quantity"):
        fields["quantity"] = check_decimal(errors, "quantity", data.get("quantity"), positive=True, maximum=MAX_UNITS)
    if given("per"):
        per = data.get("per") or QuantityPer.WEEK
        if per not in QuantityPer.values:
            errors["per"] = [_("Choose per week or per month.")]
        fields["per"] = per
    if given("weekly_pattern") or "quantity" in fields or "per" in fields:
        quantity = fields.get("quantity", getattr(current, "quantity", None))
        fields["weekly_pattern"] = _pattern(
            value("weekly_pattern", []), errors, quantity=quantity, per=fields.get("per", value("per"))
        )
    if given("starts_on"):
        check_date(errors, "starts_on", data.get("starts_on"))
        fields["starts_on"] = data.get("starts_on")
    if given("ends_on"):
        check_date(errors, "ends_on", data.get("ends_on"), required=False)
        fields["ends_on"] = data.get("ends_on")
    starts, ends = fields.get("starts_on", value("starts_on")), fields.get("ends_on", value("ends_on"))
    if is_date(starts) and is_date(ends) and ends < starts and "ends_on" not in errors:
        errors["ends_on"] = [_("The decision cannot end before it starts.")]
    if given("provider"):
        fields["provider"] = _provider(actor, data.get("provider"), errors)
    if given("legal_basis"):
        fields["legal_basis"] = check_text(
            errors, "legal_basis", data.get("legal_basis"), max_length=300, required=False
        )
    if given("notes"):
        fields["notes"] = check_text(errors, "notes", data.get("notes"), max_length=4000, required=False)
    if any(n in data for n in ("income", "household_size", "lives_alone")) or current is None:
        fields["copayment_facts"] = _copayment_facts(data, errors)
    if current is None or "waiting_entry" in data:
        person = fields.get("person", getattr(current, "person", None))
        code = fields.get("service_code", value("service_code"))
        fields["waiting_entry"] = _waiting_entry(actor, data.get("waiting_entry"), person, code, errors, current)
    return fields


# --- drafting -------------------------------------------------------------------------------------------------


@transaction.atomic
def draft_decision(actor: User, data: dict) -> ServiceDecision:
    """A worker drafts a decision for a client (on a case they read): service, quantity per week or month, the
    usual week, dates, provider (none: the centre's staff), legal basis, notes, the waiting-list entry it comes
    from, and optionally the income facts for the co-payment (income, household_size, lives_alone)."""
    if not can_order_services(actor):
        raise Forbidden()
    if not isinstance(data, dict):
        raise_if({"person": [_("This field is required.")]})
    errors: dict = {}
    fields = _fields(actor, data, errors)
    raise_if(errors)
    membership = current_membership_of(fields["person"])
    decision = ServiceDecision.objects.create(
        centre_id=actor.centre_id,
        household=membership.household if membership is not None else None,
        drafted_by=actor,
        status=DecisionStatus.DRAFT,
        **fields,
    )
    _audit(actor, AuditAction.CREATE, decision, {})
    return decision


@transaction.atomic
def update_draft(actor: User, decision, data: dict) -> ServiceDecision:
    """Change a draft (its drafter, or whoever may order services on its case)."""
    locked = _locked(actor, decision)
    if not can_draft_on(actor, locked):
        raise Forbidden()
    _require_draft(locked)
    if not isinstance(data, dict):
        data = {}
    errors: dict = {}
    fields = _fields(actor, data, errors, current=locked)
    raise_if(errors)
    before = snapshot(locked, FIELDS)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save()
    _audit(actor, AuditAction.UPDATE, locked, before)
    return locked


@transaction.atomic
def cancel_draft(actor: User, decision, *, reason: str = "") -> ServiceDecision:
    """A draft withdrawn before it was issued: draft → cancelled."""
    locked = _locked(actor, decision)
    if not can_draft_on(actor, locked):
        raise Forbidden()
    errors: dict = {}
    reason = check_text(errors, "reason", reason, max_length=2000, required=False)
    raise_if(errors)
    before = snapshot(locked, FIELDS)
    _move(locked, DecisionStatus.CANCELLED)
    locked.end_reason = reason
    locked.waiting_entry = None  # the client stays on the waiting list, free for another draft
    locked.save()
    _audit(actor, AuditAction.UPDATE, locked, before)
    return locked


# --- issuing ----------------------------------------------------------------------------------------------------


def _next_number(centre_id: int, year: int) -> str:
    """The next number of the centre's year; the caller holds the centre's row lock."""
    stem = f"{NUMBER_PREFIX}/{year}/"
    taken = ServiceDecision.objects.filter(centre_id=centre_id, number__startswith=stem).values_list(
        "number", flat=True
    )
    last = max((int(n[len(stem) :]) for n in taken if n[len(stem) :].isdigit()), default=0)
    return f"{stem}{last + 1:04d}"


def _check_capacity(decision: ServiceDecision, on: dt.date) -> None:
    """The week's units of the centre's staff (the offer's capacity) or of the provider (its capacity for the
    service) must leave room for this decision's units a week, in the week it starts (or of `on`, if later)."""
    week = max(decision.starts_on, on)
    if decision.provider_id:
        row = ProviderCapacity.objects.filter(
            provider_id=decision.provider_id, service_code=decision.service_code
        ).first()
        capacity = row.units_per_week if row is not None else None
    else:
        offer = offer_in_force(decision.centre_id, decision.service_code, week)
        capacity = offer.capacity_per_week if offer is not None else None
    if capacity is None:
        return
    asked = weekly_units(decision.quantity, decision.per)
    booked = capacity_use(decision.centre_id, decision.service_code, week, provider=decision.provider, exclude=decision)
    if booked + asked > capacity:
        label = _label(decision)
        if decision.provider_id:
            label = f"{label} ({decision.provider.name})"
        raise CapacityExceeded(label, capacity, booked, asked)


def _label(decision: ServiceDecision) -> str:
    from django.utils.translation import get_language

    try:
        return service_definition(decision.centre, decision.service_code).label_in(get_language())
    except LookupError:
        return decision.service_code


def _assess_copayment(actor: User, decision: ServiceDecision, on: dt.date) -> None:
    """The co-payment from the facts the drafter gave (copay's `assess_copayment`), from the first day."""
    facts = decision.copayment_facts or {}
    if not facts:
        return
    assess_copayment(
        actor,
        decision,
        income=Decimal(facts["income"]),
        household_size=facts["household_size"],
        lives_alone=facts["lives_alone"],
        valid_from=decision.starts_on,
        on=on,
    )


@transaction.atomic
def issue_decision(actor: User, decision, *, on: dt.date) -> ServiceDecision:
    """Issue a draft: someone who approves decisions and did not draft it; the centre must offer the service on
    the first day; within the week's capacity. Numbers it, places its waiting-list entry, assesses the
    co-payment when the drafter gave the income facts."""
    locked = _locked(actor, decision)
    if not can_issue_decision(actor, locked):
        raise Forbidden()
    errors: dict = {}
    check_date(errors, "on", on)
    raise_if(errors)
    if locked.status != DecisionStatus.DRAFT:  # only a draft is issued (a suspended one is resumed)
        raise InvalidServiceTransition(
            locked, locked.status, DecisionStatus.ISSUED, labels=dict(DecisionStatus.choices)
        )
    if locked.drafted_by_id == actor.pk:
        raise FourEyes()
    if offer_in_force(locked.centre_id, locked.service_code, locked.starts_on) is None:
        raise ServiceNotOffered(_label(locked), locked.starts_on)
    # One issue at a time per centre: the number and the capacity see every other issue's result.
    Centre.objects.select_for_update().filter(pk=locked.centre_id).values_list("pk", flat=True).first()
    _check_capacity(locked, on)
    before = snapshot(locked, FIELDS)
    _move(locked, DecisionStatus.ISSUED)
    locked.number = _next_number(locked.centre_id, on.year)
    locked.issued_by = actor
    locked.issued_on = on
    locked.save()
    _audit(actor, AuditAction.UPDATE, locked, before)
    if locked.waiting_entry_id:
        _place(actor, locked.waiting_entry_id, on)
    _assess_copayment(actor, locked, on)
    return locked


def _place(actor: User, entry_id: int, on: dt.date) -> None:
    entry = WaitingListEntry.objects.select_for_update().get(pk=entry_id)
    if WaitingStatus.PLACED not in WAITING_TRANSITIONS.get(entry.status, frozenset()):
        raise InvalidServiceTransition(entry, entry.status, WaitingStatus.PLACED, labels=dict(WaitingStatus.choices))
    before = snapshot(entry, WaitingListEntry.AUDITED_FIELDS)
    entry.status = WaitingStatus.PLACED
    entry.placed_on = on
    entry.save()
    audit(
        actor,
        AuditAction.UPDATE,
        "service_waiting_entry",
        entry.pk,
        centre_id=entry.centre_id,
        person_ids=[entry.person_id],
        changes=diff(before, snapshot(entry, WaitingListEntry.AUDITED_FIELDS)),
    )


# --- suspending, resuming, ending ---------------------------------------------------------------------------------


def _issuer(actor: User, decision) -> ServiceDecision:
    locked = _locked(actor, decision)
    if not can_issue_decision(actor, locked):
        raise Forbidden()
    return locked


@transaction.atomic
def suspend_decision(actor: User, decision, *, on: dt.date, reason: str) -> ServiceDecision:
    """The services stop for a while (the client in hospital): issued → suspended. The client keeps the place."""
    locked = _issuer(actor, decision)
    errors: dict = {}
    check_date(errors, "on", on)
    reason = check_text(errors, "reason", reason, max_length=2000)
    raise_if(errors)
    before = snapshot(locked, FIELDS)
    _move(locked, DecisionStatus.SUSPENDED)
    locked.suspended_on = on
    locked.suspension_reason = reason
    locked.save()
    _audit(actor, AuditAction.UPDATE, locked, before)
    return locked


@transaction.atomic
def resume_decision(actor: User, decision, *, on: dt.date) -> ServiceDecision:
    """The services go on: suspended → issued."""
    locked = _issuer(actor, decision)
    errors: dict = {}
    check_date(errors, "on", on)
    raise_if(errors)
    before = snapshot(locked, FIELDS)
    _move(locked, DecisionStatus.ISSUED)
    if locked.suspended_on is not None and on < locked.suspended_on:
        raise_if({"on": [_("The date cannot be before %(day)s.") % {"day": locked.suspended_on.isoformat()}]})
    locked.suspended_on = None
    locked.suspension_reason = ""
    locked.save()
    _audit(actor, AuditAction.UPDATE, locked, before)
    return locked


@transaction.atomic
def end_decision(actor: User, decision, *, on: dt.date, reason: str) -> ServiceDecision:
    """The services end on `on` (its last day): issued or suspended → ended."""
    locked = _issuer(actor, decision)
    errors: dict = {}
    check_date(errors, "on", on, not_before=locked.starts_on)
    reason = check_text(errors, "reason", reason, max_length=2000)
    raise_if(errors)
    before = snapshot(locked, FIELDS)
    _move(locked, DecisionStatus.ENDED)
    locked.ended_on = on
    locked.end_reason = reason
    if locked.ends_on is None or locked.ends_on > on:
        locked.ends_on = on
    locked.save()
    _audit(actor, AuditAction.UPDATE, locked, before)
    return locked
