"""Writes of the Blue Card procedure (PL "Niebieska Karta", Dz.U. 2023 poz. 1870).

Each service is atomic, checks who may act (someone who may not see the card is told "not found"), writes a
BlueCardEvent on the card's own history (never a FamilyEvent or CaseEvent: the case's other readers must not
learn of the card) and an audit row naming every person of the procedure. Status moves only through
statuses.BLUE_CARD_TRANSITIONS.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from socius.accounts.audit import diff, record_event, snapshot
from socius.accounts.models import AuditAction, User
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.family.bluecards.rules import first_meeting_due_on, offers_blue_card, require_blue_card
from socius.family.errors import InvalidFamilyTransition
from socius.family.models import (
    BlueCard,
    BlueCardCounter,
    BlueCardEvent,
    BlueCardFormRecord,
    BlueCardMeeting,
    BlueCardMember,
    BlueCardMonitoring,
    BlueCardParty,
    BlueCardPlanItem,
)
from socius.family.permissions import can_start_blue_card, can_view_blue_card, can_work_blue_card
from socius.family.statuses import (
    BLUE_CARD_TRANSITIONS,
    BlueCardClosureGround,
    BlueCardForm,
    BlueCardInitiator,
    BlueCardRole,
    BlueCardStatus,
)
from socius.registry.models import Household, Person

OBJECT_TYPE = "blue_card"
MAX_ANSWERS = 60  # sections of a form kept as {code: text}
MAX_ANSWER_LENGTH = 5000


class EventKind:
    STARTED = "started"
    MEMBER_ADDED = "member_added"
    MEMBER_REMOVED = "member_removed"
    FORM_RECORDED = "form_recorded"
    MEETING_RECORDED = "meeting_recorded"
    PLAN_ITEM_ADDED = "plan_item_added"
    PLAN_ITEM_DONE = "plan_item_done"
    MONITORING_NOTED = "monitoring_noted"
    STATUS_CHANGED = "status_changed"


# --- shared ----------------------------------------------------------------------------------------


def _as_int(value) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value.pk if hasattr(value, "pk") else value)
    except (TypeError, ValueError):
        return None


def _is_date(value) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _check_date(errors: dict, field: str, value, *, required: bool = True) -> None:
    if value is None and not required:
        return
    if not _is_date(value):
        errors[field] = [_("Enter a valid date.")]


def _check_length(errors: dict, field: str, value: str, model, name: str | None = None) -> None:
    max_length = model._meta.get_field(name or field).max_length
    if max_length and len(value) > max_length and field not in errors:
        errors[field] = [_("This text is too long.")]


def _answers(errors: dict, value) -> dict:
    """A form's answers: {section code: text}, bounded; anything else is refused."""
    if value in (None, ""):
        return {}
    if not isinstance(value, dict) or len(value) > MAX_ANSWERS:
        errors["answers"] = [_("The answers must be a list of sections and their text.")]
        return {}
    out = {}
    for key, text in value.items():
        if not isinstance(key, str) or not isinstance(text, str) or len(key) > 40 or len(text) > MAX_ANSWER_LENGTH:
            errors["answers"] = [_("The answers must be a list of sections and their text.")]
            return {}
        if text.strip():
            out[key] = text.strip()
    return out


def party_ids(card: BlueCard) -> list[int]:
    return list(BlueCardParty.objects.filter(card=card).order_by("id").values_list("person_id", flat=True))


def _event(actor: User, card: BlueCard, kind: str, data: dict) -> BlueCardEvent:
    return BlueCardEvent.objects.create(card=card, actor=actor, kind=kind, data=data)


def _audit(actor: User, action: str, card: BlueCard, changes: dict, *, object_type: str = OBJECT_TYPE, object_id=None):
    record_event(
        actor,
        action,
        object_type=object_type,
        object_id=object_id or card.pk,
        centre_id=card.centre_id,
        person_ids=party_ids(card),
        changes=changes,
    )


def _locked_card(actor: User, card, *, open_only: bool = True) -> BlueCard:
    """The card under a row lock, if the actor may work it; "not found" if they may not even see it."""
    pk = _as_int(card)
    if pk is None or not (actor and actor.is_authenticated and actor.centre_id):
        raise NotFound()
    locked = BlueCard.objects.select_for_update().select_related("centre").filter(pk=pk).first()
    if locked is None or not can_view_blue_card(actor, locked):
        raise NotFound()
    if not can_work_blue_card(actor, locked):
        raise Forbidden()
    if open_only and locked.status == BlueCardStatus.CLOSED:
        raise Conflict(_("The Blue Card procedure is closed; only monitoring notes can be added."), code="card_closed")
    return locked


def _parties_of(card: BlueCard, role: str | None = None) -> dict[int, str]:
    rows = BlueCardParty.objects.filter(card=card)
    if role:
        rows = rows.filter(role=role)
    return dict(rows.values_list("person_id", "role"))


# --- NK-A: starting the procedure ------------------------------------------------------------------


def _person_ids(errors: dict, field: str, values, centre_id: int) -> list[int]:
    ids = []
    for value in values or ():
        pk = _as_int(value)
        if pk is None or pk < 1:
            errors[field] = [_("Choose persons from your centre's registry.")]
            return []
        if pk not in ids:
            ids.append(pk)
    found = set(Person.objects.filter(pk__in=ids, centre_id=centre_id).values_list("pk", flat=True))
    if len(found) != len(ids):
        errors[field] = [_("Choose persons from your centre's registry.")]
        return []
    return ids


@transaction.atomic
def start_blue_card(
    actor: User,
    *,
    initiator: str,
    started_on: dt.date,
    received_on: dt.date,
    victims: Iterable,
    suspects: Iterable,
    witnesses: Iterable = (),
    initiator_name: str = "",
    initiator_institution: str = "",
    household=None,
    answers: dict | None = None,
) -> BlueCard:
    """Form NK-A: the procedure starts with every person affected by violence and every person suspected of
    it listed (§ 2 of the regulation), at least one of each. The starter becomes a member of the group."""
    if not (actor and actor.is_authenticated and actor.centre_id and can_start_blue_card(actor)):
        raise Forbidden()
    centre = actor.centre
    require_blue_card(centre)
    errors: dict[str, list] = {}
    if initiator not in BlueCardInitiator.values:
        errors["initiator"] = [_("Choose who filled in form NK-A.")]
    _check_date(errors, "started_on", started_on)
    _check_date(errors, "received_on", received_on)
    if "started_on" not in errors and "received_on" not in errors and received_on < started_on:
        errors["received_on"] = [_("The form cannot be received before it was filled in.")]
    if "received_on" not in errors and not offers_blue_card(centre, received_on):
        errors["received_on"] = [_("The Blue Card procedure of the 2023 regulation applies from 28 September 2023.")]
    initiator_name, initiator_institution = _text(initiator_name), _text(initiator_institution)
    _check_length(errors, "initiator_name", initiator_name, BlueCard)
    _check_length(errors, "initiator_institution", initiator_institution, BlueCard)
    victim_ids = _person_ids(errors, "victims", victims, centre.pk)
    suspect_ids = _person_ids(errors, "suspects", suspects, centre.pk)
    witness_ids = _person_ids(errors, "witnesses", witnesses, centre.pk)
    if not victim_ids and "victims" not in errors:
        errors["victims"] = [_("List every person affected by domestic violence: at least one.")]
    if not suspect_ids and "suspects" not in errors:
        errors["suspects"] = [_("List every person suspected of domestic violence: at least one.")]
    if set(victim_ids) & set(suspect_ids) and "suspects" not in errors:
        errors["suspects"] = [_("The same person cannot be listed both as affected by and as suspected of violence.")]
    if set(witness_ids) & (set(victim_ids) | set(suspect_ids)) and "witnesses" not in errors:
        errors["witnesses"] = [_("A witness cannot also be listed as affected or suspected.")]
    household_id = None
    if household not in (None, ""):
        household_id = _as_int(household)
        if household_id is None or not Household.objects.filter(pk=household_id, centre_id=centre.pk).exists():
            errors["household"] = [_("Choose a household of your centre.")]
    form_answers = _answers(errors, answers)
    if errors:
        raise ValidationFailed(errors)

    counter, _created = BlueCardCounter.objects.get_or_create(centre=centre, year=started_on.year)
    counter = BlueCardCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    card = BlueCard.objects.create(
        centre=centre,
        year=started_on.year,
        number=counter.last_number,
        reference=f"NK/{counter.last_number}/{started_on.year}",
        initiator=initiator,
        initiator_name=initiator_name,
        initiator_institution=initiator_institution,
        started_on=started_on,
        received_on=received_on,
        household_id=household_id,
        first_meeting_due_on=first_meeting_due_on(centre, received_on),
        recorded_by=actor,
    )
    BlueCardParty.objects.bulk_create(
        [BlueCardParty(card=card, person_id=p, role=BlueCardRole.VICTIM) for p in victim_ids]
        + [BlueCardParty(card=card, person_id=p, role=BlueCardRole.SUSPECT) for p in suspect_ids]
        + [BlueCardParty(card=card, person_id=p, role=BlueCardRole.WITNESS) for p in witness_ids]
    )
    form = BlueCardFormRecord.objects.create(
        card=card, form=BlueCardForm.NK_A, filled_on=started_on, answers=form_answers, filled_by=actor
    )
    # A staff member's role in the group is shown from their role in the centre (in the reader's language).
    member = BlueCardMember.objects.create(card=card, user=actor, added_on=received_on)
    _event(
        actor,
        card,
        EventKind.STARTED,
        {"form_id": form.pk, "member_id": member.pk, "victims": len(victim_ids), "suspects": len(suspect_ids)},
    )
    _audit(
        actor,
        AuditAction.CREATE,
        card,
        {k: [None, v] for k, v in snapshot(card, BlueCard.AUDITED_FIELDS).items() if v not in ("", None)},
    )
    return card


# --- the diagnostic-and-support group ---------------------------------------------------------------


@transaction.atomic
def add_group_member(
    actor: User, card, *, on: dt.date, user=None, name: str = "", institution: str = "", role: str = ""
) -> BlueCardMember:
    """A staff member of the centre (who then sees the card) or an outside member by name (the police
    officer, a teacher): the group is at least a social worker and a police officer."""
    card = _locked_card(actor, card)
    errors: dict[str, list] = {}
    _check_date(errors, "on", on)
    name, institution, role = _text(name), _text(institution), _text(role)
    user_obj = None
    if user not in (None, ""):
        user_id = _as_int(user)
        user_obj = (
            User.objects.filter(pk=user_id, centre_id=card.centre_id, is_active=True).first() if user_id else None
        )
        if user_obj is None or not can_start_blue_card(user_obj):
            errors["user"] = [_("Choose an active caseworker of your centre.")]
        elif BlueCardMember.objects.filter(card=card, user=user_obj, removed_on__isnull=True).exists():
            errors["user"] = [_("This staff member is already in the group.")]
    elif not name:
        errors["name"] = [_("Choose a staff member or enter the member's name.")]
    for field in ("name", "institution", "role"):
        _check_length(errors, field, {"name": name, "institution": institution, "role": role}[field], BlueCardMember)
    if "on" not in errors and on < card.received_on:
        errors["on"] = [_("A member cannot join before the card was received.")]
    if errors:
        raise ValidationFailed(errors)
    member = BlueCardMember.objects.create(
        card=card,
        user=user_obj,
        name=name if user_obj is None else "",
        institution=institution,
        role=role,
        added_on=on,
    )
    _event(
        actor, card, EventKind.MEMBER_ADDED, {"member_id": member.pk, "user_id": member.user_id, "on": on.isoformat()}
    )
    _audit(actor, AuditAction.UPDATE, card, {"members": [None, member.pk]})
    return member


@transaction.atomic
def remove_group_member(actor: User, card, *, member, on: dt.date) -> BlueCardMember:
    """The member leaves the group on the day; a staff member no longer sees the card. The group keeps at
    least one staff member of the centre."""
    card = _locked_card(actor, card)
    member_id = _as_int(member)
    row = BlueCardMember.objects.select_for_update().filter(pk=member_id, card=card).first() if member_id else None
    if row is None:
        raise ValidationFailed({"member": [_("Choose a member of this group.")]})
    errors: dict[str, list] = {}
    _check_date(errors, "on", on)
    if row.removed_on is not None:
        errors["member"] = [_("This member has already left the group.")]
    elif "on" not in errors and on < row.added_on:
        errors["on"] = [_("A member cannot leave before joining.")]
    if errors:
        raise ValidationFailed(errors)
    if row.user_id is not None:
        staff_left = BlueCardMember.objects.filter(card=card, user__isnull=False, removed_on__isnull=True).exclude(
            pk=row.pk
        )
        if not staff_left.exists():
            raise Conflict(_("The group must keep at least one staff member of the centre."), code="last_member")
    row.removed_on = on
    row.save(update_fields=["removed_on"])
    _event(actor, card, EventKind.MEMBER_REMOVED, {"member_id": row.pk, "user_id": row.user_id, "on": on.isoformat()})
    _audit(actor, AuditAction.UPDATE, card, {f"member:{row.pk}:removed_on": [None, on.isoformat()]})
    return row


# --- forms NK-B, NK-C, NK-D -------------------------------------------------------------------------

# Who each later form is filled in with: NK-B is handed to, and NK-C filled in with, the person affected
# (§§ 6, 11); NK-D is filled in with the person suspected (§ 12).
FORM_ROLE = {
    BlueCardForm.NK_B: BlueCardRole.VICTIM,
    BlueCardForm.NK_C: BlueCardRole.VICTIM,
    BlueCardForm.NK_D: BlueCardRole.SUSPECT,
}


@transaction.atomic
def record_form(actor: User, card, *, form: str, filled_on: dt.date, person, answers: dict | None = None):
    card = _locked_card(actor, card)
    errors: dict[str, list] = {}
    if form not in FORM_ROLE:
        errors["form"] = [_("Choose form NK-B, NK-C or NK-D (NK-A starts the procedure).")]
    _check_date(errors, "filled_on", filled_on)
    if "filled_on" not in errors and filled_on < card.started_on:
        errors["filled_on"] = [_("The form cannot be filled in before the procedure started.")]
    person_id = _as_int(person)
    if "form" not in errors:
        wanted = FORM_ROLE[form]
        if person_id not in _parties_of(card, wanted):
            errors["person"] = [
                _("Choose a person affected by violence listed on the card.")
                if wanted == BlueCardRole.VICTIM
                else _("Choose a person suspected of violence listed on the card.")
            ]
    form_answers = _answers(errors, answers)
    if errors:
        raise ValidationFailed(errors)
    record = BlueCardFormRecord.objects.create(
        card=card, form=form, person_id=person_id, filled_on=filled_on, answers=form_answers, filled_by=actor
    )
    _event(actor, card, EventKind.FORM_RECORDED, {"form_id": record.pk, "form": form, "person_id": person_id})
    _audit(
        actor,
        AuditAction.CREATE,
        card,
        {"form": [None, form], "filled_on": [None, filled_on.isoformat()]},
        object_type="blue_card_form",
        object_id=record.pk,
    )
    return record


# --- group meetings ---------------------------------------------------------------------------------


def _move(actor: User, card: BlueCard, to: str) -> dict:
    """Change the status of a locked card along the map; an InvalidFamilyTransition (409) otherwise."""
    if to not in BLUE_CARD_TRANSITIONS.get(card.status, frozenset()):
        labels = dict(BlueCardStatus.choices)
        raise InvalidFamilyTransition(card, card.status, to, labels={k: str(v) for k, v in labels.items()})
    before = card.status
    card.status = to
    _event(actor, card, EventKind.STATUS_CHANGED, {"from": before, "to": to})
    return {"status": [before, to]}


@transaction.atomic
def record_meeting(
    actor: User,
    card,
    *,
    held_on: dt.date,
    notes: str,
    place: str = "",
    present: Iterable = (),
    next_meeting_on: dt.date | None = None,
) -> BlueCardMeeting:
    """A meeting of the group; the first one sets the group to work (started -> in progress)."""
    card = _locked_card(actor, card)
    errors: dict[str, list] = {}
    _check_date(errors, "held_on", held_on)
    _check_date(errors, "next_meeting_on", next_meeting_on, required=False)
    if "held_on" not in errors and held_on < card.received_on:
        errors["held_on"] = [_("The group cannot meet before the card was received.")]
    if "held_on" not in errors and next_meeting_on and "next_meeting_on" not in errors and next_meeting_on <= held_on:
        errors["next_meeting_on"] = [_("The next meeting must come after this one.")]
    notes, place = _text(notes), _text(place)
    if not notes:
        errors["notes"] = [_("Write what the group assessed and agreed.")]
    _check_length(errors, "place", place, BlueCardMeeting)
    present_ids = []
    for value in present or ():
        pk = _as_int(value)
        if pk is None:
            errors["present"] = [_("Choose members of this group.")]
            break
        present_ids.append(pk)
    members = list(BlueCardMember.objects.filter(card=card, pk__in=present_ids))
    if "present" not in errors and len(members) != len(set(present_ids)):
        errors["present"] = [_("Choose members of this group.")]
    if errors:
        raise ValidationFailed(errors)
    meeting = BlueCardMeeting.objects.create(
        card=card, held_on=held_on, place=place, notes=notes, next_meeting_on=next_meeting_on, recorded_by=actor
    )
    meeting.present.set(members)
    changes = {"held_on": [None, held_on.isoformat()]}
    if card.status == BlueCardStatus.STARTED:
        changes.update(_move(actor, card, BlueCardStatus.IN_PROGRESS))
        card.save(update_fields=["status", "updated_at"])
    _event(
        actor,
        card,
        EventKind.MEETING_RECORDED,
        {"meeting_id": meeting.pk, "held_on": held_on.isoformat(), "present": len(members)},
    )
    _audit(actor, AuditAction.CREATE, card, changes, object_type="blue_card_meeting", object_id=meeting.pk)
    return meeting


# --- the individual help plan -----------------------------------------------------------------------


@transaction.atomic
def add_plan_item(
    actor: User, card, *, person, measure: str, responsible: str, agreed_on: dt.date, due_on: dt.date | None = None
) -> BlueCardPlanItem:
    """A measure of the individual help plan the group agrees with a person affected (after NK-C)."""
    card = _locked_card(actor, card)
    errors: dict[str, list] = {}
    person_id = _as_int(person)
    if person_id not in _parties_of(card, BlueCardRole.VICTIM):
        errors["person"] = [_("Choose a person affected by violence listed on the card.")]
    measure, responsible = _text(measure), _text(responsible)
    if not measure:
        errors["measure"] = [_("Describe the measure.")]
    if not responsible:
        errors["responsible"] = [_("Say who carries it out.")]
    _check_length(errors, "responsible", responsible, BlueCardPlanItem)
    _check_date(errors, "agreed_on", agreed_on)
    _check_date(errors, "due_on", due_on, required=False)
    if "agreed_on" not in errors and "due_on" not in errors and due_on and due_on < agreed_on:
        errors["due_on"] = [_("The deadline cannot come before the day the measure was agreed.")]
    if errors:
        raise ValidationFailed(errors)
    item = BlueCardPlanItem.objects.create(
        card=card,
        person_id=person_id,
        measure=measure,
        responsible=responsible,
        agreed_on=agreed_on,
        due_on=due_on,
        recorded_by=actor,
    )
    _event(actor, card, EventKind.PLAN_ITEM_ADDED, {"item_id": item.pk, "person_id": person_id})
    _audit(
        actor, AuditAction.CREATE, card, {"measure": [None, measure]}, object_type="blue_card_plan", object_id=item.pk
    )
    return item


@transaction.atomic
def mark_plan_item_done(actor: User, card, *, item, done_on: dt.date) -> BlueCardPlanItem:
    card = _locked_card(actor, card)
    item_id = _as_int(item)
    row = BlueCardPlanItem.objects.select_for_update().filter(pk=item_id, card=card).first() if item_id else None
    if row is None:
        raise ValidationFailed({"item": [_("Choose a measure of this card's help plan.")]})
    errors: dict[str, list] = {}
    _check_date(errors, "done_on", done_on)
    if row.done_on is not None:
        errors["item"] = [_("This measure is already done.")]
    elif "done_on" not in errors and done_on < row.agreed_on:
        errors["done_on"] = [_("A measure cannot be done before it was agreed.")]
    if errors:
        raise ValidationFailed(errors)
    row.done_on = done_on
    row.save(update_fields=["done_on"])
    _event(actor, card, EventKind.PLAN_ITEM_DONE, {"item_id": row.pk, "done_on": done_on.isoformat()})
    _audit(
        actor,
        AuditAction.UPDATE,
        card,
        {"done_on": [None, done_on.isoformat()]},
        object_type="blue_card_plan",
        object_id=row.pk,
    )
    return row


# --- monitoring -------------------------------------------------------------------------------------


@transaction.atomic
def add_monitoring_note(actor: User, card, *, on: dt.date, note: str) -> BlueCardMonitoring:
    """The group monitors the family's situation, also after the procedure is closed (art. 9b of the Act)."""
    card = _locked_card(actor, card, open_only=False)
    errors: dict[str, list] = {}
    _check_date(errors, "on", on)
    if "on" not in errors and on < card.started_on:
        errors["on"] = [_("Monitoring cannot come before the procedure started.")]
    note = _text(note)
    if not note:
        errors["note"] = [_("Write what the monitoring found.")]
    if errors:
        raise ValidationFailed(errors)
    row = BlueCardMonitoring.objects.create(card=card, on=on, note=note, recorded_by=actor)
    _event(actor, card, EventKind.MONITORING_NOTED, {"monitoring_id": row.pk, "on": on.isoformat()})
    _audit(
        actor,
        AuditAction.CREATE,
        card,
        {"on": [None, on.isoformat()]},
        object_type="blue_card_monitoring",
        object_id=row.pk,
    )
    return row


# --- status -----------------------------------------------------------------------------------------


@transaction.atomic
def change_blue_card_status(
    actor: User, card, *, to: str, on: dt.date, closure_ground: str = "", closure_note: str = ""
) -> BlueCard:
    """Move the card along BLUE_CARD_TRANSITIONS. Closing needs a closure ground: violence ceased (and the
    individual help plan was carried out, so every measure must be done) or action found not justified."""
    card = _locked_card(actor, card, open_only=False)
    if to not in BlueCardStatus.values:
        raise ValidationFailed({"to": [_("Choose a status.")]})
    errors: dict[str, list] = {}
    _check_date(errors, "on", on)
    closure_note = _text(closure_note)
    if to == BlueCardStatus.CLOSED and card.status != BlueCardStatus.CLOSED:
        if closure_ground not in BlueCardClosureGround.values:
            errors["closure_ground"] = [_("Choose the ground for closing the procedure.")]
        if "on" not in errors and on < card.started_on:
            errors["on"] = [_("The procedure cannot close before it started.")]
    elif closure_ground:
        errors["closure_ground"] = [_("A closure ground is given only when closing the procedure.")]
    if errors and to in BLUE_CARD_TRANSITIONS.get(card.status, frozenset()):
        raise ValidationFailed(errors)
    before = snapshot(card, BlueCard.AUDITED_FIELDS)
    _move(actor, card, to)  # 409 when the map does not allow it, whatever else is wrong
    if errors:
        raise ValidationFailed(errors)
    if to == BlueCardStatus.CLOSED:
        if (
            closure_ground == BlueCardClosureGround.VIOLENCE_CEASED
            and card.plan_items.filter(done_on__isnull=True).exists()
        ):
            raise Conflict(
                _("The help plan has measures not yet done: close on this ground once the plan is carried out."),
                code="plan_not_done",
            )
        card.closed_on = on
        card.closure_ground = closure_ground
        card.closure_note = closure_note
    card.save()
    _audit(actor, AuditAction.UPDATE, card, diff(before, snapshot(card, BlueCard.AUDITED_FIELDS)))
    return card


def close_blue_card(actor: User, card, *, closed_on: dt.date, ground: str, note: str = "") -> BlueCard:
    return change_blue_card_status(
        actor, card, to=BlueCardStatus.CLOSED, on=closed_on, closure_ground=ground, closure_note=note
    )
