"""Outreach events: planned in a territory of the centre's area, held (headcount, partners, named attendees with
their consent, leaflets per service of the catalogue, questions, follow-ups) or cancelled and planned again
(decision 0016).

Every service is atomic, takes the actor first and the day (`on=`), checks the permission inside (NotFound for
an event the actor may not see, Forbidden for one they see but may not change), moves the status only along
`statuses.EVENT_TRANSITIONS` and writes one audit event naming every person concerned (the named attendees).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from socius.accounts.audit import record_event, snapshot
from socius.accounts.models import AuditAction, Territory, User
from socius.accounts.selectors import is_in_centre_area
from socius.casework.models_referrals import Partner
from socius.common.errors import Forbidden, NotFound, ValidationFailed
from socius.common.limits import ID_MAX
from socius.community.errors import InvalidCommunityTransition, TerritoryOutsideCentre
from socius.community.models import EventAttendee, EventFollowUp, EventPartner, LeafletCount, OutreachEvent
from socius.community.permissions import can_view_event, can_work_community, can_work_event
from socius.community.statuses import EVENT_TRANSITIONS, AttendeeConsent, EventKind, EventStatus, PartnerRole
from socius.registry.models import ConsentPurpose, Person
from socius.registry.services_consents import ensure_consent
from socius.rulebook import service_catalogue

OBJECT_TYPE = "outreach_event"

# --- small checks shared with recipients.py ---------------------------------------------------------------


def as_int(value) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        pk = int(value.pk if isinstance(value, Model) else value)
    except (TypeError, ValueError):
        return None
    return pk if 1 <= pk <= ID_MAX else None  # beyond the key range no record: never bind it (OverflowError)


def is_date(value) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def text(value, max_length: int | None = None) -> str:
    cleaned = value.strip() if isinstance(value, str) else ""
    return cleaned[:max_length] if max_length else cleaned


def check_length(errors: dict, field: str, value: str, max_length: int) -> None:
    if len(value) > max_length:
        errors[field] = [_("Use at most %(n)d characters.") % {"n": max_length}]


def territory_in_area(actor: User, value, errors: dict, field: str = "territory", *, required: bool = True):
    """The territory node for `value`, which must lie in the actor's centre's area. A node of the tree outside
    it is a refusal (TerritoryOutsideCentre, 409); no such node is a field error."""
    if value in (None, ""):
        if required:
            errors[field] = [_("Choose a territory.")]
        return None
    territory = Territory.objects.filter(pk=as_int(value)).first() if as_int(value) is not None else None
    if territory is None:
        errors[field] = [_("Choose a territory of your centre's area.")]
        return None
    if not is_in_centre_area(actor.centre, territory):
        raise TerritoryOutsideCentre(territory)
    return territory


def person_of_centre(actor: User, value, errors: dict, field: str) -> Person | None:
    if value in (None, ""):
        return None
    pk = as_int(value)
    person = Person.objects.filter(pk=pk, centre_id=actor.centre_id).first() if pk is not None else None
    if person is None:
        errors[field] = [_("Choose a person registered in your centre.")]
    return person


# --- the catalogue of services (leaflets) -----------------------------------------------------------------


def service_catalogue_of(country: str) -> tuple:
    """The jurisdiction's catalogue of services (rulebook `service_catalogue`): what a leaflet may be about."""
    return tuple(service_catalogue(country.lower()))


def leaflet_services(country: str, language: str | None = None) -> list[tuple[str, str]]:
    """(code, label in the reader's language) of every service a leaflet may be about, for forms."""
    return [(s.code, s.label_in(language)) for s in service_catalogue_of(country)]


# --- reading the event under lock -------------------------------------------------------------------------


def _locked_event(actor: User, event) -> OutreachEvent:
    pk = as_int(event)
    found = OutreachEvent.objects.select_for_update().filter(pk=pk).first() if pk is not None else None
    if found is None or not can_view_event(actor, found):
        raise NotFound()
    if not can_work_event(actor, found):
        raise Forbidden()
    return found


def _move(event: OutreachEvent, to: str) -> None:
    if to not in EVENT_TRANSITIONS[event.status]:
        raise InvalidCommunityTransition(event, event.status, to, dict(EventStatus.choices))


def _attendee_person_ids(event: OutreachEvent) -> list[int]:
    return sorted(
        p for p in EventAttendee.objects.filter(event=event).values_list("person_id", flat=True) if p is not None
    )


def _plain(value):
    """Times (starts_at, ends_at) as text: the audit keeps JSON."""
    if isinstance(value, dt.time):
        return value.isoformat(timespec="minutes")
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _audit(actor: User, action: str, event: OutreachEvent, changes: dict) -> None:
    changes = _plain(changes)
    record_event(
        actor,
        action,
        object_type=OBJECT_TYPE,
        object_id=event.pk,
        centre_id=event.centre_id,
        person_ids=_attendee_person_ids(event),
        changes=changes,
    )


# --- planning ---------------------------------------------------------------------------------------------


def _time(value, errors: dict, field: str):
    if value in (None, ""):
        return None
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0, tzinfo=None)  # a clock time: hours and minutes
    errors[field] = [_("Enter a time.")]
    return None


def _staff(actor: User, value, errors: dict) -> list[User]:
    ids = [as_int(v) for v in (value or [])] if isinstance(value, list | tuple | set) else None
    if ids is None or None in ids:
        errors["staff"] = [_("Choose members of your centre's staff.")]
        return []
    ids = list(dict.fromkeys(ids))
    users = list(User.objects.filter(pk__in=ids, centre_id=actor.centre_id, is_active=True))
    if len(users) != len(ids):
        errors["staff"] = [_("Choose members of your centre's staff.")]
    return users


def _partners(actor: User, value, errors: dict) -> list[EventPartner]:
    if value in (None, ""):
        return []
    if not isinstance(value, list | tuple):
        errors["partners"] = [_("Give the partners as a list.")]
        return []
    rows, messages = [], []
    for i, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            messages.append(_("Partner %(n)d: give its role and name.") % {"n": i})
            continue
        role = item.get("role") or ""
        name, organisation = text(item.get("name"), 200), text(item.get("organisation"), 200)
        partner = None
        if item.get("partner") not in (None, ""):
            pk = as_int(item["partner"])
            partner = Partner.objects.filter(pk=pk, centre_id=actor.centre_id).first() if pk is not None else None
            if partner is None:
                messages.append(_("Partner %(n)d: choose a partner institution of your centre.") % {"n": i})
                continue
        if role not in PartnerRole.values:
            messages.append(_("Partner %(n)d: choose the partner's role.") % {"n": i})
        elif not (name or organisation or partner):
            messages.append(_("Partner %(n)d: give a name or an organisation.") % {"n": i})
        else:
            rows.append(EventPartner(role=role, name=name, organisation=organisation, partner=partner))
    if messages:
        errors["partners"] = messages
    return rows


def _event_fields(actor: User, data: dict, errors: dict, *, instance: OutreachEvent | None) -> dict:
    """The plan's fields from `data` (every key for a new event, only the keys given for an update)."""
    fields: dict = {}

    def given(key: str) -> bool:
        return instance is None or key in data

    if given("territory"):
        fields["territory"] = territory_in_area(actor, data.get("territory"), errors)
    if given("kind"):
        if data.get("kind") not in EventKind.values:
            errors["kind"] = [_("Choose the type of event.")]
        fields["kind"] = data.get("kind")
    if given("date"):
        if not is_date(data.get("date")):
            errors["date"] = [_("Enter a date.")]
        fields["date"] = data.get("date")
    for key in ("title", "place"):
        if given(key):
            fields[key] = text(data.get(key))
            check_length(errors, key, fields[key], 200)
    if given("notes"):
        fields["notes"] = text(data.get("notes"))
    for key in ("starts_at", "ends_at"):
        if given(key):
            fields[key] = _time(data.get(key), errors, key)
    starts = fields.get("starts_at", instance.starts_at if instance else None)
    ends = fields.get("ends_at", instance.ends_at if instance else None)
    if "starts_at" not in errors and "ends_at" not in errors and starts and ends and ends <= starts:
        errors["ends_at"] = [_("The event must end after it starts.")]
    return fields


@transaction.atomic
def plan_event(actor: User, data: dict, *, on: dt.date) -> OutreachEvent:
    """Plan an outreach event in a territory of the centre's area.

    `data`: territory, kind, date, title, starts_at, ends_at, place, staff (user ids; the actor when left
    out), partners ([{role, name, organisation, partner}]), notes.
    """
    if not can_work_community(actor):
        raise Forbidden()
    errors: dict[str, list] = {}
    fields = _event_fields(actor, data, errors, instance=None)
    staff = _staff(actor, data["staff"], errors) if data.get("staff") not in (None, "") else [actor]
    partners = _partners(actor, data.get("partners"), errors)
    if errors:
        raise ValidationFailed(errors)
    event = OutreachEvent.objects.create(centre_id=actor.centre_id, created_by=actor, **fields)
    event.staff.set(staff)
    for partner in partners:
        partner.event = event
    EventPartner.objects.bulk_create(partners)
    changes = {k: [None, v] for k, v in snapshot(event, OutreachEvent.AUDITED_FIELDS).items() if v not in ("", None)}
    changes["staff"] = [None, sorted(u.pk for u in staff)]
    if partners:
        changes["partners"] = [None, [[p.role, p.name or p.organisation] for p in partners]]
    _audit(actor, AuditAction.CREATE, event, changes)
    return event


@transaction.atomic
def update_event(actor: User, event, data: dict, *, on: dt.date) -> OutreachEvent:
    """Change a planned event (only the keys given; `staff` and `partners` replace the lists)."""
    event = _locked_event(actor, event)
    if event.status != EventStatus.PLANNED:
        raise InvalidCommunityTransition(event, event.status, EventStatus.PLANNED, dict(EventStatus.choices))
    errors: dict[str, list] = {}
    fields = _event_fields(actor, data, errors, instance=event)
    staff = _staff(actor, data["staff"], errors) if "staff" in data else None
    partners = _partners(actor, data.get("partners"), errors) if "partners" in data else None
    if errors:
        raise ValidationFailed(errors)
    before = snapshot(event, OutreachEvent.AUDITED_FIELDS)
    for key, value in fields.items():
        setattr(event, key, value)
    event.save()
    after = snapshot(event, OutreachEvent.AUDITED_FIELDS)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if staff is not None:
        old = sorted(event.staff.values_list("pk", flat=True))
        event.staff.set(staff)
        if old != sorted(u.pk for u in staff):
            changes["staff"] = [old, sorted(u.pk for u in staff)]
    if partners is not None:
        _replace_partners(event, partners, changes)
    if changes:
        _audit(actor, AuditAction.UPDATE, event, changes)
    return event


def _replace_partners(event: OutreachEvent, partners: list[EventPartner], changes: dict) -> None:
    old = [[p.role, p.name or p.organisation] for p in event.partners.all()]
    event.partners.all().delete()
    for partner in partners:
        partner.event = event
    EventPartner.objects.bulk_create(partners)
    new = [[p.role, p.name or p.organisation] for p in partners]
    if old != new:
        changes["partners"] = [old, new]


# --- holding ----------------------------------------------------------------------------------------------


def _attendees(actor: User, value, errors: dict, held_on: dt.date | None) -> list[EventAttendee]:
    """Named attendees, each only with their consent (how and when given, not after the event's day)."""
    if value in (None, ""):
        return []
    if not isinstance(value, list | tuple):
        errors["attendees"] = [_("Give the named attendees as a list.")]
        return []
    rows, messages, seen = [], [], set()
    for i, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            messages.append(_("Attendee %(n)d: give a person or a name.") % {"n": i})
            continue
        item_errors: dict = {}
        person = person_of_centre(actor, item.get("person"), item_errors, "person")
        name = text(item.get("name"), 200)
        consent, consent_on = item.get("consent") or "", item.get("consent_on")
        if item_errors:
            messages.append(_("Attendee %(n)d: choose a person registered in your centre.") % {"n": i})
        elif person is None and not name:
            messages.append(_("Attendee %(n)d: give a person or a name.") % {"n": i})
        elif consent not in AttendeeConsent.values:
            messages.append(
                _("Attendee %(n)d: a name is recorded only with the person's consent; say how it was given.") % {"n": i}
            )
        elif not is_date(consent_on) or (held_on is not None and consent_on > held_on):
            messages.append(_("Attendee %(n)d: enter the day the consent was given (not after the event).") % {"n": i})
        elif person is not None and person.pk in seen:
            messages.append(_("Attendee %(n)d: this person is already on the list.") % {"n": i})
        else:
            if person is not None:
                seen.add(person.pk)
            rows.append(EventAttendee(person=person, name=name, consent=consent, consent_on=consent_on))
    if messages:
        errors["attendees"] = messages
    return rows


def _leaflets(actor: User, value, errors: dict) -> list[LeafletCount]:
    """Leaflets per service of the jurisdiction's catalogue: [{service_code, count}] or {code: count}."""
    if value in (None, ""):
        return []
    if isinstance(value, dict):
        value = [{"service_code": k, "count": v} for k, v in value.items()]
    if not isinstance(value, list | tuple):
        errors["leaflets"] = [_("Give the leaflets as a list of services and counts.")]
        return []
    known = {s.code for s in service_catalogue_of(actor.centre.jurisdiction)}
    rows, messages, seen = [], [], set()
    for i, item in enumerate(value, start=1):
        code = item.get("service_code") if isinstance(item, dict) else None
        count = item.get("count") if isinstance(item, dict) else None
        if code not in known:
            messages.append(_("Line %(n)d: choose a service of the catalogue.") % {"n": i})
        elif code in seen:
            messages.append(_("Line %(n)d: this service is already counted.") % {"n": i})
        elif isinstance(count, bool) or not isinstance(count, int) or count < 1 or count > 100000:
            messages.append(_("Line %(n)d: enter how many leaflets (a whole number, at least 1).") % {"n": i})
        else:
            seen.add(code)
            rows.append(LeafletCount(service_code=code, count=count))
    if messages:
        errors["leaflets"] = messages
    return rows


def _follow_ups(actor: User, value, errors: dict, held_on: dt.date | None) -> list[EventFollowUp]:
    if value in (None, ""):
        return []
    if not isinstance(value, list | tuple):
        errors["follow_ups"] = [_("Give the follow-ups as a list.")]
        return []
    rows, messages = [], []
    for i, item in enumerate(value, start=1):
        if not isinstance(item, dict) or not text(item.get("text")):
            messages.append(_("Follow-up %(n)d: say what is to be done.") % {"n": i})
            continue
        responsible = None
        if item.get("responsible") not in (None, ""):
            pk = as_int(item["responsible"])
            responsible = User.objects.filter(pk=pk, centre_id=actor.centre_id).first() if pk is not None else None
            if responsible is None:
                messages.append(_("Follow-up %(n)d: choose a member of your centre's staff.") % {"n": i})
                continue
        due_on = item.get("due_on")
        if due_on is not None and not is_date(due_on):
            messages.append(_("Follow-up %(n)d: enter a date.") % {"n": i})
            continue
        if due_on is not None and held_on is not None and due_on < held_on:
            messages.append(_("Follow-up %(n)d: it cannot be due before the event.") % {"n": i})
            continue
        rows.append(EventFollowUp(text=text(item["text"]), responsible=responsible, due_on=due_on))
    if messages:
        errors["follow_ups"] = messages
    return rows


@transaction.atomic
def record_event_held(actor: User, event, data: dict, *, on: dt.date) -> OutreachEvent:
    """Record that a planned event took place: its day (`held_on`, the planned day when left out, not after
    `on`), `headcount`, `partners`, `attendees` (named only with consent: [{person | name, consent,
    consent_on}]), `leaflets` ([{service_code, count}] of the catalogue), `questions`, `notes` and `follow_ups`
    ([{text, responsible, due_on}]). The lists given replace the event's lists, all in one transaction."""
    event = _locked_event(actor, event)
    _move(event, EventStatus.HELD)
    errors: dict[str, list] = {}
    held_on = data.get("held_on") or event.date
    if not is_date(held_on):
        errors["held_on"] = [_("Enter a date.")]
        held_on = None
    elif held_on > on:
        errors["held_on"] = [_("An event cannot be recorded as held before it takes place.")]
    headcount = data.get("headcount")
    if headcount in (None, ""):
        errors["headcount"] = [_("Enter how many people came.")]
    elif isinstance(headcount, bool) or not isinstance(headcount, int) or not 0 <= headcount <= 100000:
        errors["headcount"] = [_("Enter how many people came (a whole number).")]
    partners = _partners(actor, data["partners"], errors) if "partners" in data else None
    attendees = _attendees(actor, data.get("attendees"), errors, held_on)
    if not errors.get("headcount") and "attendees" not in errors and len(attendees) > headcount:
        errors["attendees"] = [_("There are more named attendees than the headcount.")]
    leaflets = _leaflets(actor, data.get("leaflets"), errors)
    follow_ups = _follow_ups(actor, data.get("follow_ups"), errors, held_on)
    if errors:
        raise ValidationFailed(errors)

    before = snapshot(event, OutreachEvent.AUDITED_FIELDS)
    event.status = EventStatus.HELD
    event.date = held_on
    event.headcount = headcount
    event.questions = text(data.get("questions"))
    if "notes" in data:
        event.notes = text(data.get("notes"))
    event.held_recorded_by = actor
    event.save()
    after = snapshot(event, OutreachEvent.AUDITED_FIELDS)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if partners is not None:
        _replace_partners(event, partners, changes)
    event.attendees.all().delete()
    event.leaflets.all().delete()
    event.follow_ups.all().delete()
    for row in (*attendees, *leaflets, *follow_ups):
        row.event = event
    for attendee in attendees:
        if attendee.person_id is not None:  # a registered person's consent is kept in the registry too
            attendee.registry_consent = ensure_consent(
                actor, attendee.person_id, purpose=ConsentPurpose.OUTREACH_ATTENDANCE, given_on=attendee.consent_on,
                method=attendee.consent, source=f"outreach_event:{event.pk}",
            )  # fmt: skip
    EventAttendee.objects.bulk_create(attendees)
    LeafletCount.objects.bulk_create(leaflets)
    EventFollowUp.objects.bulk_create(follow_ups)
    changes["attendees"] = [None, [[a.person_id, a.name, a.consent] for a in attendees]]
    changes["leaflets"] = [None, {row.service_code: row.count for row in leaflets}]
    changes["follow_ups"] = [None, [row.text for row in follow_ups]]
    _audit(actor, AuditAction.UPDATE, event, changes)
    return event


@transaction.atomic
def cancel_event(actor: User, event, *, reason: str, on: dt.date) -> OutreachEvent:
    """Cancel a planned event, with the reason."""
    event = _locked_event(actor, event)
    _move(event, EventStatus.CANCELLED)
    reason = text(reason)
    if not reason:
        raise ValidationFailed({"reason": [_("Say why the event is cancelled.")]})
    before = event.status
    event.status, event.cancelled_reason = EventStatus.CANCELLED, reason
    event.save(update_fields=["status", "cancelled_reason", "updated_at"])
    _audit(
        actor,
        AuditAction.UPDATE,
        event,
        {"status": [before, event.status], "cancelled_reason": ["", reason]},
    )
    return event


@transaction.atomic
def replan_event(actor: User, event, *, date, on: dt.date, starts_at=None, ends_at=None) -> OutreachEvent:
    """Plan a cancelled event again on a new day (not in the past)."""
    event = _locked_event(actor, event)
    _move(event, EventStatus.PLANNED)
    errors: dict[str, list] = {}
    if not is_date(date):
        errors["date"] = [_("Enter a date.")]
    elif date < on:
        errors["date"] = [_("Plan it for today or a later day.")]
    starts_at, ends_at = _time(starts_at, errors, "starts_at"), _time(ends_at, errors, "ends_at")
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = [_("The event must end after it starts.")]
    if errors:
        raise ValidationFailed(errors)
    before = snapshot(event, OutreachEvent.AUDITED_FIELDS)
    event.status, event.date, event.cancelled_reason = EventStatus.PLANNED, date, ""
    if starts_at is not None or ends_at is not None:
        event.starts_at, event.ends_at = starts_at, ends_at
    event.save()
    after = snapshot(event, OutreachEvent.AUDITED_FIELDS)
    _audit(actor, AuditAction.UPDATE, event, {k: [before[k], after[k]] for k in after if before[k] != after[k]})
    return event


@transaction.atomic
def mark_follow_up_done(actor: User, follow_up, *, on: dt.date, done: bool = True) -> EventFollowUp:
    """Mark a follow-up of an event done on `on` (or not done again)."""
    pk = as_int(follow_up)
    found = EventFollowUp.objects.select_related("event").filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise NotFound()
    event = _locked_event(actor, found.event_id)
    found = EventFollowUp.objects.select_for_update().get(pk=found.pk)
    before = found.done_on
    found.done_on = on if done else None
    if before != found.done_on:
        found.save(update_fields=["done_on"])
        _audit(
            actor,
            AuditAction.UPDATE,
            event,
            {
                "follow_up": [None, found.pk],
                "done_on": [before and before.isoformat(), on.isoformat() if done else None],
            },
        )
    return found
