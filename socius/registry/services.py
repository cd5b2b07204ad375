"""Writes to the registry. Each service is one atomic step with its audit events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from socius.accounts.audit import diff, record_event, record_view, snapshot
from socius.accounts.models import AuditAction, Territory, User
from socius.accounts.permissions import can_edit_registry, require
from socius.accounts.selectors import is_in_centre_area
from socius.common.errors import NotFound, ValidationFailed
from socius.common.text import name_problem
from socius.registry.models import Household, Membership, Person, Relationship
from socius.registry.national_id import check_national_id, problem_messages
from socius.registry.selectors import (
    find_person_by_national_id,
    find_similar_persons,
    get_household_for,
    get_person_for,
    member_ids_by_household,
)

PERSON_WRITABLE = Person.AUDITED_FIELDS
HOUSEHOLD_WRITABLE = Household.AUDITED_FIELDS


# --- persons -------------------------------------------------------------------------------------


def _duplicate_id_error(existing: Person) -> ValidationFailed:
    return ValidationFailed(
        {"national_id": [_("A person with this national ID is already registered.")]},
        extra={"duplicate_of": existing.pk},
    )


def _check_territory(actor: User, territory: Territory | None, errors: dict, field: str = "territory") -> None:
    if territory is not None and not is_in_centre_area(actor.centre, territory):
        errors.setdefault(field, []).append(_("Choose a locality in your centre's area."))


def validate_person_data(actor: User, data: dict, *, instance: Person | None = None, allow_similar: bool) -> dict:
    """Domain checks the form or serializer cannot make: national ID rules, duplicates, territory."""
    errors: dict[str, list] = {}
    if not (data.get("first_name") or "").strip():
        errors["first_name"] = [_("Enter the given names.")]
    elif problem := name_problem(data["first_name"]):
        errors["first_name"] = [problem]
    if not (data.get("last_name") or "").strip():
        errors["last_name"] = [_("Enter the family name.")]
    elif problem := name_problem(data["last_name"]):
        errors["last_name"] = [problem]
    birth_date = data.get("birth_date")
    if birth_date and birth_date > timezone.localdate():
        errors.setdefault("birth_date", []).append(_("The birth date cannot be in the future."))
    national_id = (data.get("national_id") or "").strip()
    if "national_id" in data:
        # A blank ID is stored as "" (never "  " or None): the unique constraint exempts "" only.
        data["national_id"] = national_id
    if national_id:
        check = check_national_id(actor.centre.jurisdiction, national_id, birth_date, data.get("sex") or None)
        if check.problems:
            errors["national_id"] = problem_messages(actor.centre.jurisdiction, check)
        else:
            data["national_id"] = check.number
            # What the ID encodes fills what was left empty (PESEL and asmens kodas carry both).
            if check.birth_date and not birth_date:
                birth_date = data["birth_date"] = check.birth_date
                if birth_date > timezone.localdate():
                    errors.setdefault("national_id", []).append(
                        _("The birth date encoded in this number is in the future.")
                    )
            if check.sex and not data.get("sex"):
                data["sex"] = check.sex
            existing = find_person_by_national_id(
                actor.centre_id, check.number, exclude_pk=instance.pk if instance else None
            )
            if existing:
                raise _duplicate_id_error(existing)
    _check_territory(actor, data.get("territory"), errors)
    if errors:
        raise ValidationFailed(errors)
    if not allow_similar:
        # With a national ID, only records without one can be the same person registered earlier.
        similar = find_similar_persons(
            actor.centre_id,
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            birth_date=birth_date,
            exclude_pk=instance.pk if instance else None,
            without_national_id=bool(national_id),
        )
        if similar:
            raise ValidationFailed(
                {
                    "non_field_errors": [
                        _(
                            "A person with a similar name and the same birth date is already registered. "
                            "Check the candidates; if this is a different person, confirm and save again."
                        )
                    ]
                },
                extra={"possible_duplicates": [p.pk for p in similar]},
            )
    return data


def register_person(actor: User, data: dict, *, allow_similar: bool = False) -> Person:
    require(actor, can_edit_registry)
    data = {k: v for k, v in data.items() if k in PERSON_WRITABLE}
    validate_person_data(actor, data, allow_similar=allow_similar)
    person = Person(centre_id=actor.centre_id, created_by=actor, **data)
    try:
        with transaction.atomic():
            person.save()
            record_event(
                actor,
                AuditAction.CREATE,
                object_type="person",
                object_id=person.pk,
                centre_id=actor.centre_id,
                person_id=person.pk,
                changes={k: [None, v] for k, v in snapshot(person, PERSON_WRITABLE).items() if v not in ("", None)},
            )
    except IntegrityError:
        # Two registrations of the same national ID at once: the unique constraint lets one through.
        existing = find_person_by_national_id(actor.centre_id, person.national_id)
        if existing:
            raise _duplicate_id_error(existing) from None
        raise
    return person


def update_person(actor: User, person_id, data: dict, *, allow_similar: bool = True) -> Person:
    require(actor, can_edit_registry)
    with transaction.atomic():
        person = get_person_for(actor, person_id)
        person = Person.objects.select_for_update().get(pk=person.pk)
        data = {k: v for k, v in data.items() if k in PERSON_WRITABLE}
        merged = {**{f: getattr(person, f) for f in PERSON_WRITABLE}, **data}
        validate_person_data(actor, merged, instance=person, allow_similar=allow_similar)
        before = snapshot(person, PERSON_WRITABLE)
        for field, value in merged.items():
            setattr(person, field, value)
        after = snapshot(person, PERSON_WRITABLE)
        changes = diff(before, after)
        if not changes:
            return person
        try:
            with transaction.atomic():
                person.save()
        except IntegrityError:
            existing = find_person_by_national_id(actor.centre_id, person.national_id, exclude_pk=person.pk)
            if existing:
                raise _duplicate_id_error(existing) from None
            raise
        record_event(
            actor,
            AuditAction.UPDATE,
            object_type="person",
            object_id=person.pk,
            centre_id=actor.centre_id,
            person_id=person.pk,
            changes=changes,
        )
    return person


def open_person_record(actor: User, person_id) -> Person:
    """Fetch a person for display and log the view (who, when, from where)."""
    person = get_person_for(actor, person_id)
    record_view(actor, object_type="person", object_id=person.pk, centre_id=actor.centre_id, person_id=person.pk)
    return person


# --- households ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberSpec:
    person_id: int
    relationship: str


def _resolve_members(actor: User, members: Sequence[MemberSpec]) -> list[tuple[Person, str]]:
    errors: list[str] = []
    if not members:
        raise ValidationFailed({"members": [_("A household needs at least one member.")]})
    ids = [m.person_id for m in members]
    if len(set(ids)) != len(ids):
        errors.append(_("A person is listed twice."))
    heads = [m for m in members if m.relationship == Relationship.HEAD]
    if len(heads) != 1:
        errors.append(_("Mark exactly one member as the head of the household."))
    bad_codes = [m.relationship for m in members if m.relationship not in Relationship.values]
    if bad_codes:
        errors.append(_("Unknown relationship: %(codes)s.") % {"codes": ", ".join(map(str, bad_codes))})
    persons = Person.objects.filter(centre_id=actor.centre_id, pk__in=ids).in_bulk()
    missing = [str(i) for i in ids if i not in persons]
    if missing:
        errors.append(_("No such person: %(ids)s.") % {"ids": ", ".join(missing)})
    if errors:
        raise ValidationFailed({"members": errors})
    return [(persons[m.person_id], m.relationship) for m in members]


def _check_not_elsewhere(resolved: list[tuple[Person, str]], household: Household | None, move: bool) -> None:
    others = (
        Membership.objects.filter(person__in=[p for p, _ in resolved], valid_until__isnull=True)
        .exclude(household=household)
        .select_related("person")
    )
    if others and not move:
        names = ", ".join(f"{m.person.full_name} ({_('household')} {m.household_id})" for m in others)
        raise ValidationFailed(
            {"members": [_("Already a member of another household: %(names)s.") % {"names": names}]},
            extra={"in_other_household": [m.person_id for m in others]},
        )
    # A head may move only if the household left behind would be empty (or moves along entirely).
    moving = {p.pk for p, _ in resolved}
    for m in others:
        if m.relationship != Relationship.HEAD:
            continue
        staying = Membership.objects.filter(household_id=m.household_id, valid_until__isnull=True).exclude(
            person_id__in=moving
        )
        if staying.exists():
            raise ValidationFailed(
                {
                    "members": [
                        _("%(name)s is the head of household %(id)s: choose a new head there before moving them.")
                        % {"name": m.person.full_name, "id": m.household_id}
                    ]
                }
            )


def _end_membership(actor: User, membership: Membership, on: dt.date, reason: str) -> None:
    membership.valid_until = max(on, membership.valid_from)
    membership.save(update_fields=["valid_until"])
    record_event(
        actor,
        AuditAction.UPDATE,
        object_type="membership",
        object_id=membership.pk,
        centre_id=actor.centre_id,
        person_id=membership.person_id,
        changes={"household": [membership.household_id, None], "reason": [None, reason]},
    )


def _discard_membership(actor: User, membership: Membership) -> None:
    """Delete a membership corrected on the day it began; the audit keeps what it was."""
    record_event(
        actor,
        AuditAction.DELETE,
        object_type="membership",
        object_id=membership.pk,
        centre_id=actor.centre_id,
        person_id=membership.person_id,
        changes={"household": [membership.household_id, None], "relationship": [membership.relationship, None]},
    )
    membership.delete()


def _start_membership(actor: User, household: Household, person: Person, relationship: str, on: dt.date) -> None:
    membership = Membership.objects.create(household=household, person=person, relationship=relationship, valid_from=on)
    record_event(
        actor,
        AuditAction.CREATE,
        object_type="membership",
        object_id=membership.pk,
        centre_id=actor.centre_id,
        person_id=person.pk,
        changes={"household": [None, household.pk], "relationship": [None, relationship]},
    )


def _sync_members(
    actor: User, household: Household, resolved: list[tuple[Person, str]], on: dt.date, move: bool
) -> None:
    _check_not_elsewhere(resolved, household, move)
    wanted = {p.pk: rel for p, rel in resolved}
    current = {
        m.person_id: m
        for m in Membership.objects.select_for_update().filter(
            Q(person_id__in=list(wanted)) | Q(household=household), valid_until__isnull=True
        )
    }
    # End first (people leaving, moving from elsewhere, or changing relationship), then start: the
    # one-head constraint then holds at every step.
    to_start: list[tuple[Person, str]] = []
    for person, rel in resolved:
        m = current.get(person.pk)
        if m is None:
            to_start.append((person, rel))
        elif m.household_id != household.pk:
            _end_membership(actor, m, on, "moved")
            to_start.append((person, rel))
        elif m.relationship != rel:
            if m.valid_from >= on:
                _discard_membership(actor, m)  # same-day correction: no history to keep
            else:
                _end_membership(actor, m, on, "relationship_changed")
            to_start.append((person, rel))
    for person_id, m in current.items():
        if m.household_id == household.pk and person_id not in wanted:
            _end_membership(actor, m, on, "left")
    for person, rel in to_start:
        _start_membership(actor, household, person, rel, on)


@contextmanager
def _membership_race_as_validation_error():
    """Two workers placing the same person at the same moment: the database constraints let one through."""
    try:
        yield
    except IntegrityError:
        raise ValidationFailed(
            {"members": [_("The household or one of its members was changed meanwhile. Reload and try again.")]}
        ) from None


def create_household(
    actor: User,
    data: dict,
    members: Sequence[MemberSpec],
    *,
    on: dt.date | None = None,
    move: bool = False,
) -> Household:
    require(actor, can_edit_registry)
    on = on or timezone.localdate()
    data = {k: v for k, v in data.items() if k in HOUSEHOLD_WRITABLE}
    errors: dict[str, list] = {}
    _check_territory(actor, data.get("territory"), errors)
    ref = (data.get("external_ref") or "").strip()
    if ref and Household.objects.filter(centre_id=actor.centre_id, external_ref=ref).exists():
        errors.setdefault("external_ref", []).append(_("Another household already has this reference."))
    if errors:
        raise ValidationFailed(errors)
    resolved = _resolve_members(actor, members)
    with _membership_race_as_validation_error(), transaction.atomic():
        household = Household.objects.create(centre_id=actor.centre_id, created_by=actor, **data)
        record_event(
            actor,
            AuditAction.CREATE,
            object_type="household",
            object_id=household.pk,
            centre_id=actor.centre_id,
            changes={k: [None, v] for k, v in snapshot(household, HOUSEHOLD_WRITABLE).items() if v not in ("", None)},
        )
        _sync_members(actor, household, resolved, on, move)
    return household


def update_household(
    actor: User,
    household_id,
    data: dict,
    members: Sequence[MemberSpec] | None = None,
    *,
    on: dt.date | None = None,
    move: bool = False,
) -> Household:
    require(actor, can_edit_registry)
    on = on or timezone.localdate()
    with _membership_race_as_validation_error(), transaction.atomic():
        household = get_household_for(actor, household_id)
        household = Household.objects.select_for_update().get(pk=household.pk)
        data = {k: v for k, v in data.items() if k in HOUSEHOLD_WRITABLE}
        errors: dict[str, list] = {}
        _check_territory(actor, data.get("territory"), errors)
        ref = (data.get("external_ref") or "").strip()
        if (
            ref
            and Household.objects.filter(centre_id=actor.centre_id, external_ref=ref).exclude(pk=household.pk).exists()
        ):
            errors.setdefault("external_ref", []).append(_("Another household already has this reference."))
        if errors:
            raise ValidationFailed(errors)
        before = snapshot(household, HOUSEHOLD_WRITABLE)
        for field, value in data.items():
            setattr(household, field, value)
        changes = diff(before, snapshot(household, HOUSEHOLD_WRITABLE))
        if changes:
            household.save()
            record_event(
                actor,
                AuditAction.UPDATE,
                object_type="household",
                object_id=household.pk,
                centre_id=actor.centre_id,
                changes=changes,
            )
        if members is not None:
            _sync_members(actor, household, _resolve_members(actor, members), on, move)
    return household


def end_membership(actor: User, person_id, *, on: dt.date | None = None) -> None:
    """The person moves out of their household (history kept)."""
    require(actor, can_edit_registry)
    on = on or timezone.localdate()
    person = get_person_for(actor, person_id)
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(person=person, valid_until__isnull=True).first()
        if membership is None:
            raise NotFound()
        if membership.relationship == Relationship.HEAD:
            others = Membership.objects.filter(household=membership.household, valid_until__isnull=True).exclude(
                pk=membership.pk
            )
            if others.exists():
                raise ValidationFailed(
                    {"members": [_("Choose a new head of the household before the head moves out.")]}
                )
        _end_membership(actor, membership, on, "left")


def open_household_record(actor: User, household_id) -> Household:
    household = get_household_for(actor, household_id)
    record_view(
        actor,
        object_type="household",
        object_id=household.pk,
        centre_id=actor.centre_id,
        person_ids=member_ids_by_household([household.pk]).get(household.pk, []),
    )
    return household
