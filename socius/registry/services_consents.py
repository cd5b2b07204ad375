"""Writes of consents (decision 0024): record one, withdraw one. No edits in place: the rows are the history.
Each write is audited under the person."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socius.accounts.audit import diff, record_event, snapshot
from socius.accounts.models import AuditAction, User
from socius.accounts.permissions import can_edit_registry, require
from socius.common.errors import Conflict, NotFound, ValidationFailed
from socius.common.limits import NOTES_MAX_LENGTH
from socius.registry.models import Person
from socius.registry.models_consents import Consent, ConsentMethod, ConsentPurpose

FIELDS = Consent.AUDITED_FIELDS
NOTE_MAX = NOTES_MAX_LENGTH


def _is_date(value) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _text(value, errors: dict, field: str, *, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[field] = [_("Enter text.")]
        return ""
    value = value.strip()
    if required and not value:
        errors[field] = [_("This field is required.")]
    elif len(value) > NOTE_MAX:
        errors[field] = [_("Keep it to %(n)d characters.") % {"n": NOTE_MAX}]
    return value


def _person_of_centre(actor: User, person) -> Person:
    pk = person.pk if isinstance(person, Person) else person
    try:
        return Person.objects.get(pk=int(pk), centre_id=actor.centre_id)
    except (Person.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None


def _audit(actor: User, action: str, consent: Consent, changes: dict) -> None:
    record_event(
        actor,
        action,
        object_type="consent",
        object_id=consent.pk,
        centre_id=consent.centre_id,
        person_id=consent.person_id,
        changes=changes,
    )


def _write(actor: User, person: Person, *, purpose, given_on, method, note, source, future_ok=False) -> Consent:
    errors: dict = {}
    if purpose not in ConsentPurpose.values:
        errors["purpose"] = [_("Choose what the consent is for.")]
    if method not in ConsentMethod.values:
        errors["method"] = [_("Choose how the consent was given.")]
    if not _is_date(given_on):
        errors["given_on"] = [_("Enter the day the consent was given.")]
    elif given_on > timezone.localdate() and not future_ok:
        errors["given_on"] = [_("The date cannot be in the future.")]
    note = _text(note, errors, "note")
    if errors:
        raise ValidationFailed(errors)
    if Consent.objects.filter(person=person, purpose=purpose, withdrawn_on__isnull=True).exists():
        raise Conflict(
            _("This person's consent for this purpose is already recorded: withdraw it first to record it anew."),
            code="consent_live",
        )
    try:
        with transaction.atomic():
            consent = Consent.objects.create(
                centre_id=person.centre_id,
                person=person,
                purpose=purpose,
                given_on=given_on,
                method=method,
                note=note,
                source=source[:60],
                recorded_by=actor,
            )
    except IntegrityError:  # a concurrent recording of the same consent won the partial unique index
        raise Conflict(
            _("This person's consent for this purpose is already recorded: withdraw it first to record it anew."),
            code="consent_live",
        ) from None
    _audit(actor, AuditAction.CREATE, consent, diff({}, snapshot(consent, FIELDS)))
    return consent


@transaction.atomic
def record_consent(
    actor: User, person, *, purpose: str, given_on: dt.date, method: str, note: str = "", source: str = ""
) -> Consent:
    """A person gives their consent for one purpose (at most one live consent per purpose)."""
    require(actor, can_edit_registry)
    return _write(
        actor, _person_of_centre(actor, person), purpose=purpose, given_on=given_on, method=method, note=note,
        source=source,
    )  # fmt: skip


@transaction.atomic
def ensure_consent(
    actor: User, person_id: int, *, purpose: str, given_on: dt.date, method: str, note: str = "", source: str = ""
) -> Consent:
    """The person's consent for `purpose` valid on `given_on`, recorded now when none is. For the services of
    higher apps that take a consent with their own record (a family's enrolment, an outreach list); they have
    checked the actor's right to write theirs."""
    person = _person_of_centre(actor, person_id)
    live = Consent.objects.filter(person=person, purpose=purpose, withdrawn_on__isnull=True).first()
    if live is not None:
        return live
    # The higher app's step checked its own dates: its record and the registry's stay one.
    return _write(
        actor, person, purpose=purpose, given_on=given_on, method=method, note=note, source=source, future_ok=True
    )


def _withdraw(actor: User, consent: Consent, *, withdrawn_on, note, future_ok=False) -> Consent:
    if consent.withdrawn_on is not None:
        raise Conflict(_("This consent was already withdrawn."), code="consent_withdrawn")
    errors: dict = {}
    if not _is_date(withdrawn_on):
        errors["withdrawn_on"] = [_("Enter the day the consent was withdrawn.")]
    elif withdrawn_on > timezone.localdate() and not future_ok:
        errors["withdrawn_on"] = [_("The date cannot be in the future.")]
    elif withdrawn_on < consent.given_on:
        errors["withdrawn_on"] = [_("The consent cannot be withdrawn before it was given.")]
    note = _text(note, errors, "note")
    if errors:
        raise ValidationFailed(errors)
    before = snapshot(consent, FIELDS)
    consent.withdrawn_on = withdrawn_on
    consent.withdrawn_by = actor
    consent.withdrawal_note = note
    consent.save(update_fields=["withdrawn_on", "withdrawn_by", "withdrawal_note"])
    _audit(actor, AuditAction.UPDATE, consent, diff(before, snapshot(consent, FIELDS)))
    return consent


@transaction.atomic
def withdraw_consent(actor: User, consent, *, withdrawn_on: dt.date, note: str = "") -> Consent:
    """The person withdraws a consent (art. 7 ust. 3): the row is dated, never deleted."""
    require(actor, can_edit_registry)
    pk = consent.pk if isinstance(consent, Consent) else consent
    try:
        locked = Consent.objects.select_for_update().get(pk=int(pk), centre_id=actor.centre_id)
    except (Consent.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None
    return _withdraw(actor, locked, withdrawn_on=withdrawn_on, note=note)


@transaction.atomic
def withdraw_live_consent(actor: User, person_id: int, purpose: str, *, withdrawn_on: dt.date, note: str = ""):
    """The person's live consent for `purpose` withdrawn, if there is one (a higher app's own withdrawal, e.g. the
    family's consent to the assistant's work); None when there is none."""
    live = (
        Consent.objects.select_for_update()
        .filter(person_id=person_id, purpose=purpose, withdrawn_on__isnull=True, centre_id=actor.centre_id)
        .first()
    )
    if live is None or (_is_date(withdrawn_on) and withdrawn_on < live.given_on):
        return None
    return _withdraw(actor, live, withdrawn_on=withdrawn_on, note=note, future_ok=True)
