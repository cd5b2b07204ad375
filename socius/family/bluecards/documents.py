"""What the Blue Card's documents print, as plain contexts (strings and dates, never model objects).

The notice to the person suspected of violence (of the group's meeting, or the invitation to fill in NK-D)
is built from the suspect's own data, the card's reference and the meeting's day and place, nothing else: a
template given this context cannot reach the person affected (no card, no parties, no household in it).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from socius.common.errors import ValidationFailed
from socius.family.models import BlueCard, BlueCardFormRecord, BlueCardMember, BlueCardParty
from socius.family.statuses import BlueCardRole
from socius.registry.models import Person
from socius.registry.selectors import current_membership_of
from socius.rulebook import get_jurisdiction


def _address(person: Person) -> str:
    """The person's own address, else that of the household they live in: street, locality."""
    membership = None if (person.street_address or person.territory_id) else current_membership_of(person)
    for holder in (person, membership.household if membership else None):
        if holder is not None and (holder.street_address or holder.territory_id):
            locality = holder.territory.name if holder.territory_id else ""
            return ", ".join(part for part in (holder.street_address, locality) if part)
    return ""


def _centre(card: BlueCard) -> dict:
    centre = card.centre
    return {
        "name": centre.name,
        "address": centre.address,
        "locality": centre.locality,
        "phone": centre.phone,
        "email": centre.email,
    }


def suspect_notice_context(card: BlueCard, suspect, *, meeting_on: dt.date, place: str, issued_on: dt.date) -> dict:
    """The notice to the person suspected of violence: their name and address, the card's reference, the
    meeting's day and place. The suspect must be listed on the card as suspected (else a field error)."""
    person_id = getattr(suspect, "pk", suspect)
    party = (
        BlueCardParty.objects.filter(card=card, role=BlueCardRole.SUSPECT, person_id=person_id)
        .select_related("person__territory")
        .first()
    )
    errors = {}
    if party is None:
        errors["suspect"] = [_("Choose a person suspected of violence listed on the card.")]
    if not isinstance(meeting_on, dt.date):
        errors["meeting_on"] = [_("Enter a valid date.")]
    place = (place or "").strip()[:300]
    if not place:
        errors["place"] = [_("Enter where the meeting takes place.")]
    if errors:
        raise ValidationFailed(errors)
    person = party.person
    return {
        "centre": _centre(card),
        "issued_on": issued_on,
        "reference": card.reference,
        "addressee": {"name": person.full_name, "address": _address(person)},
        "meeting_on": meeting_on,
        "place": place,
    }


def nka_print_context(card: BlueCard, *, issued_on: dt.date) -> dict:
    """Form NK-A as filled in, for the members of the group (never for the suspect)."""
    pack = get_jurisdiction(card.centre.jurisdiction)
    parties = BlueCardParty.objects.filter(card=card).select_related("person__territory").order_by("role", "id")
    nka = BlueCardFormRecord.objects.filter(card=card, form="nk_a").order_by("id").first()
    members = BlueCardMember.objects.filter(card=card, removed_on__isnull=True).select_related("user").order_by("id")
    return {
        "centre": _centre(card),
        "issued_on": issued_on,
        "national_id_name": pack.national_id_name,
        "card": {
            "reference": card.reference,
            "initiator": card.get_initiator_display(),
            "initiator_name": card.initiator_name,
            "initiator_institution": card.initiator_institution,
            "started_on": card.started_on,
            "received_on": card.received_on,
            "first_meeting_due_on": card.first_meeting_due_on,
        },
        "parties": [
            {
                "role": p.get_role_display(),
                "name": p.person.full_name,
                "national_id": p.person.national_id,
                "birth_date": p.person.birth_date,
                "address": _address(p.person),
            }
            for p in parties
        ],
        "answers": sorted((nka.answers or {}).items()) if nka else [],
        "members": [
            {
                "name": m.name or (m.user.get_full_name() or m.user.username),
                "institution": m.institution,
                "role": m.role,
            }
            for m in members
        ],
    }
