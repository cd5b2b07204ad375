"""Potential recipients: someone found in the community who may need help but has not asked (decision 0016).

Each is followed up once: it becomes a contact ("citizen heard", casework `record_contact` with the channel
"outreach") or a referral on the person's open case, in one step and one transaction, under a lock on the
recipient's row. A second try (the same click twice, two workers at once) finds it no longer open and is refused
with AlreadyFollowedUp: the report counts it once.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from socius.accounts.audit import record_event, snapshot
from socius.accounts.models import AuditAction, User
from socius.casework.models import Case, ContactChannel
from socius.casework.permissions import can_view_case_content
from socius.casework.services.contacts import record_contact
from socius.casework.services.referrals import create_referral
from socius.casework.statuses import OPEN_STATUSES
from socius.common.errors import Forbidden, NotFound, ValidationFailed
from socius.community.errors import AlreadyFollowedUp, InvalidCommunityTransition
from socius.community.models import OutreachEvent, PotentialRecipient
from socius.community.outreach import as_int, check_length, is_date, person_of_centre, territory_in_area, text
from socius.community.permissions import can_view_community, can_work_community
from socius.community.statuses import RECIPIENT_TRANSITIONS, RecipientStatus
from socius.registry.models import Membership
from socius.registry.services import register_person

OBJECT_TYPE = "potential_recipient"
_LABELS = dict(RecipientStatus.choices)


def _audit(actor: User, action: str, recipient: PotentialRecipient, changes: dict) -> None:
    record_event(
        actor,
        action,
        object_type=OBJECT_TYPE,
        object_id=recipient.pk,
        centre_id=recipient.centre_id,
        person_id=recipient.person_id,
        changes=changes,
    )


def _locked(actor: User, recipient) -> PotentialRecipient:
    """The recipient under a row lock (select_for_update): concurrent follow-ups wait here and then see the
    status the first one wrote."""
    pk = as_int(recipient)
    found = (
        PotentialRecipient.objects.select_for_update().filter(pk=pk, centre_id=actor.centre_id).first()
        if pk is not None and actor.centre_id
        else None
    )
    if found is None or not can_view_community(actor):
        raise NotFound()
    if not can_work_community(actor):
        raise Forbidden()
    return found


def _follow_up_once(recipient: PotentialRecipient, to: str) -> None:
    if recipient.status in (RecipientStatus.CONTACTED, RecipientStatus.REFERRED):
        raise AlreadyFollowedUp(recipient)
    if to not in RECIPIENT_TRANSITIONS[recipient.status]:
        raise InvalidCommunityTransition(recipient, recipient.status, to, _LABELS)


@transaction.atomic
def record_potential_recipient(actor: User, data: dict, *, on: dt.date) -> PotentialRecipient:
    """Note someone who may need help: `name` or `description`, `need`, `territory` (of the centre's area),
    `place`, `person` (when known in the registry), `event` (the event they were found at), `found_on`
    (default `on`, not after it)."""
    if not can_work_community(actor):
        raise Forbidden()
    errors: dict[str, list] = {}
    event = None
    if data.get("event") not in (None, ""):
        pk = as_int(data["event"])
        event = OutreachEvent.objects.filter(pk=pk, centre_id=actor.centre_id).first() if pk is not None else None
        if event is None:
            errors["event"] = [_("Choose an outreach event of your centre.")]
    name, description, need, place = (text(data.get(k)) for k in ("name", "description", "need", "place"))
    check_length(errors, "name", name, 200)
    check_length(errors, "place", place, 200)
    person = person_of_centre(actor, data.get("person"), errors, "person")
    if not (name or description or person):
        errors["name"] = [_("Give a name or describe the person.")]
    if not need:
        errors["need"] = [_("Describe the need.")]
    territory = territory_in_area(actor, data.get("territory"), errors, required=False)
    if territory is None and event is not None and "territory" not in errors:
        territory = event.territory
    found_on = data.get("found_on") or (event.date if event is not None else on)
    if not is_date(found_on):
        errors["found_on"] = [_("Enter a date.")]
    elif found_on > on:
        errors["found_on"] = [_("The date cannot be in the future.")]
    if errors:
        raise ValidationFailed(errors)
    if person is not None and not name:
        name = f"{person.first_name} {person.last_name}"[:200]
    recipient = PotentialRecipient.objects.create(
        centre_id=actor.centre_id,
        event=event,
        name=name,
        description=description,
        need=need,
        territory=territory,
        place=place,
        person=person,
        found_by=actor,
        found_on=found_on,
    )
    _audit(
        actor,
        AuditAction.CREATE,
        recipient,
        {
            k: [None, v]
            for k, v in snapshot(recipient, (*PotentialRecipient.AUDITED_FIELDS, "event")).items()
            if v not in ("", None)
        },
    )
    return recipient


def _new_person(actor: User, recipient: PotentialRecipient, value) -> object:
    """Register the person on the way (`new_person`: first_name, last_name, birth_date, national_id, …)."""
    if not isinstance(value, dict):
        raise ValidationFailed({"new_person": [_("Give the person's names to register them.")]})
    data = {k: v for k, v in value.items() if v not in (None, "")}
    if recipient.territory_id and "territory" not in data:
        data["territory"] = recipient.territory
    try:
        return register_person(actor, data)
    except ValidationFailed as exc:
        raise ValidationFailed({f"new_person.{k}": v for k, v in exc.errors.items()}, extra=exc.extra) from None


@transaction.atomic
def make_contact(actor: User, recipient, data: dict, *, on: dt.date) -> PotentialRecipient:
    """Turn a potential recipient into a contact ("citizen heard"), once.

    `data`: topics (contact topic codes; "other" when left out), outcomes, notes (the need when left out),
    occurred_at (now when left out), person (a registered person; the recipient's when left out) or new_person
    (names etc. to register them on the way). The contact is recorded with the channel "outreach" and linked;
    the recipient becomes CONTACTED. A second try raises AlreadyFollowedUp and writes nothing.
    """
    recipient = _locked(actor, recipient)
    _follow_up_once(recipient, RecipientStatus.CONTACTED)
    errors: dict[str, list] = {}
    person = person_of_centre(actor, data.get("person"), errors, "person") or recipient.person
    if errors:
        raise ValidationFailed(errors)
    if person is None and data.get("new_person"):
        person = _new_person(actor, recipient, data["new_person"])
    contact = record_contact(
        actor,
        {
            "occurred_at": data.get("occurred_at") or timezone.now(),
            "channel": ContactChannel.OUTREACH,
            "persons": [person] if person is not None else [],
            "topics": data.get("topics") or ["other"],
            "outcomes": data.get("outcomes") or [],
            "notes": text(data.get("notes")) or recipient.need,
        },
    )
    before = snapshot(recipient, PotentialRecipient.AUDITED_FIELDS)
    recipient.person = person
    recipient.status = RecipientStatus.CONTACTED
    recipient.contact = contact
    recipient.converted_on = on
    recipient.converted_by = actor
    recipient.save()
    after = snapshot(recipient, PotentialRecipient.AUDITED_FIELDS)
    _audit(actor, AuditAction.UPDATE, recipient, {k: [before[k], after[k]] for k in after if before[k] != after[k]})
    return recipient


def _case_for_referral(actor: User, recipient: PotentialRecipient, data: dict) -> Case:
    """The case named in `data`, else the open case of the person (or of their household) the actor works on; a
    clear refusal when none."""
    if data.get("case") not in (None, ""):
        pk = as_int(data["case"])
        case = Case.objects.filter(pk=pk, centre_id=actor.centre_id).first() if pk is not None else None
        if case is None or not can_view_case_content(actor, case):
            raise ValidationFailed({"case": [_("Choose an open case you work on.")]})
        return case
    if recipient.person_id is None:
        raise ValidationFailed(
            {"case": [_("A referral is made on a case: the person is not in the registry. Make a contact first.")]}
        )
    households = Membership.objects.filter(person_id=recipient.person_id, valid_until__isnull=True).values(
        "household_id"
    )
    cases = [
        case
        for case in Case.objects.filter(centre_id=actor.centre_id, status__in=OPEN_STATUSES)
        .filter(Q(person_id=recipient.person_id) | Q(household_id__in=households))
        .order_by("-opened_on", "-id")
        if can_view_case_content(actor, case)
    ]
    if not cases:
        raise ValidationFailed(
            {"case": [_("The person has no open case you work on: open a case or make a contact instead.")]}
        )
    return cases[0]


@transaction.atomic
def refer(actor: User, recipient, data: dict, *, on: dt.date) -> PotentialRecipient:
    """Turn a potential recipient into an outgoing referral to a partner, once, on the person's open case
    (or `case`). `data`: partner, reason (the need when left out), documents, sent_on (default `on`),
    response_due_on, case."""
    recipient = _locked(actor, recipient)
    _follow_up_once(recipient, RecipientStatus.REFERRED)
    case = _case_for_referral(actor, recipient, data)
    referral = create_referral(
        actor,
        case.pk,
        {
            "direction": "outgoing",
            "partner": data.get("partner"),
            "reason": text(data.get("reason")) or recipient.need,
            "documents": data.get("documents"),
            "sent_on": data.get("sent_on") or on,
            "response_due_on": data.get("response_due_on"),
        },
    )
    before = snapshot(recipient, PotentialRecipient.AUDITED_FIELDS)
    recipient.status = RecipientStatus.REFERRED
    recipient.referral = referral
    recipient.converted_on = on
    recipient.converted_by = actor
    recipient.save()
    after = snapshot(recipient, PotentialRecipient.AUDITED_FIELDS)
    _audit(actor, AuditAction.UPDATE, recipient, {k: [before[k], after[k]] for k in after if before[k] != after[k]})
    return recipient


@transaction.atomic
def dismiss(actor: User, recipient, *, reason: str, on: dt.date) -> PotentialRecipient:
    """Close an open potential recipient without follow-up (not in need, moved away, refused), with the reason."""
    recipient = _locked(actor, recipient)
    _follow_up_once(recipient, RecipientStatus.DISMISSED)
    reason = text(reason)
    if not reason:
        raise ValidationFailed({"reason": [_("Say why no follow-up is needed.")]})
    before = recipient.status
    recipient.status, recipient.dismissed_reason = RecipientStatus.DISMISSED, reason
    recipient.save(update_fields=["status", "dismissed_reason", "updated_at"])
    _audit(
        actor, AuditAction.UPDATE, recipient, {"status": [before, recipient.status], "dismissed_reason": ["", reason]}
    )
    return recipient


@transaction.atomic
def reopen(actor: User, recipient, *, on: dt.date) -> PotentialRecipient:
    """Open a dismissed potential recipient again."""
    recipient = _locked(actor, recipient)
    if RecipientStatus.OPEN not in RECIPIENT_TRANSITIONS[recipient.status]:
        raise InvalidCommunityTransition(recipient, recipient.status, RecipientStatus.OPEN, _LABELS)
    before = snapshot(recipient, PotentialRecipient.AUDITED_FIELDS)
    recipient.status, recipient.dismissed_reason = RecipientStatus.OPEN, ""
    recipient.save(update_fields=["status", "dismissed_reason", "updated_at"])
    after = snapshot(recipient, PotentialRecipient.AUDITED_FIELDS)
    _audit(actor, AuditAction.UPDATE, recipient, {k: [before[k], after[k]] for k in after if before[k] != after[k]})
    return recipient
