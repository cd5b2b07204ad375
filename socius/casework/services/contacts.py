"""Recording contacts (citizens heard)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socius.accounts.audit import record_event, snapshot
from socius.accounts.models import AuditAction, User
from socius.accounts.permissions import require
from socius.casework import statutory
from socius.casework.models import Contact, ContactChannel
from socius.casework.permissions import can_record_contacts
from socius.casework.services._checks import _as_int, _codes, _household, _staff_member, _unknown_codes_message
from socius.common.errors import ValidationFailed
from socius.registry.models import Person

# --- contacts -------------------------------------------------------------------------------------


CONTACT_FIELDS = ("occurred_at", "channel", "household", "topics", "outcomes", "notes", "handled_by")


def record_contact(actor: User, data: dict) -> Contact:
    """Record that citizens were heard. Persons may be left out: an anonymous contact still counts.

    `data`: occurred_at (aware datetime), channel, persons (Person objects or ids), household, topics and
    outcomes (codes of the centre's jurisdiction), notes, handled_by (defaults to the actor).
    """
    require(actor, can_record_contacts)
    errors: dict[str, list] = {}
    jurisdiction = actor.centre.jurisdiction

    occurred_at = data.get("occurred_at")
    if not isinstance(occurred_at, dt.datetime):
        errors["occurred_at"] = [_("Enter the date and time of the contact.")]
    elif timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    if isinstance(occurred_at, dt.datetime) and occurred_at > timezone.now():
        errors["occurred_at"] = [_("The contact cannot be in the future.")]

    channel = data.get("channel") or ""
    if channel not in ContactChannel.values:
        errors["channel"] = [_("Choose how the contact took place.")]

    person_ids = [_as_int(p) for p in (data.get("persons") or [])]
    person_ids = list(dict.fromkeys(person_ids))
    persons = Person.objects.filter(centre_id=actor.centre_id, pk__in=[p for p in person_ids if p is not None])
    persons = list(persons)
    if None in person_ids or len(persons) != len(person_ids):
        errors["persons"] = [_("Choose persons registered in your centre.")]

    household = None
    if data.get("household") not in (None, ""):
        household = _household(actor, data["household"])
        if household is None:
            errors["household"] = [_("Choose a household registered in your centre.")]

    topics = _codes(data.get("topics"))
    if not topics:
        errors["topics"] = [_("Choose at least one topic.")]
    elif unknown := statutory.unknown_codes(topics, statutory.contact_topics(jurisdiction)):
        errors["topics"] = [_unknown_codes_message(unknown)]

    outcomes = _codes(data.get("outcomes"))
    if unknown := statutory.unknown_codes(outcomes, statutory.contact_outcomes(jurisdiction)):
        errors["outcomes"] = [_unknown_codes_message(unknown)]

    handled_by = actor
    if data.get("handled_by") not in (None, ""):
        handled_by = _staff_member(actor, data["handled_by"])
        if handled_by is None:
            errors["handled_by"] = [_("Choose a member of your centre's staff.")]

    if errors:
        raise ValidationFailed(errors)

    with transaction.atomic():
        contact = Contact.objects.create(
            centre_id=actor.centre_id,
            occurred_at=occurred_at,
            channel=channel,
            household=household,
            topics=topics,
            outcomes=outcomes,
            notes=(data.get("notes") or "").strip(),
            handled_by=handled_by,
            created_by=actor,
            # Where it happened, for the reports (issue 12): the household's locality, else the first person's.
            territory_id=(household.territory_id if household is not None and household.territory_id else None)
            or next((p.territory_id for p in persons if p.territory_id), None),
        )
        contact.persons.set(persons)
        changes = {k: [None, v] for k, v in snapshot(contact, CONTACT_FIELDS).items() if v not in ("", None, [])}
        if persons:
            changes["persons"] = [None, sorted(p.pk for p in persons)]
        # One event per person concerned, so an auditor listing a person's events finds the contact.
        for person_id in sorted(p.pk for p in persons) or [None]:
            record_event(
                actor,
                AuditAction.CREATE,
                object_type="contact",
                object_id=contact.pk,
                centre_id=actor.centre_id,
                person_id=person_id,
                changes=changes,
            )
    return contact
