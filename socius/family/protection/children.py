"""Children in difficulty: recording a child on a case, their risks, their forms of care over time, closing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from socius.accounts.audit import diff, snapshot
from socius.accounts.models import AuditAction, User
from socius.accounts.roles import WORK_CHILD_PROTECTION
from socius.casework.services import locked_workable_case
from socius.common.errors import Conflict, ValidationFailed
from socius.family.errors import InvalidFamilyTransition
from socius.family.models import ChildInDifficulty, FamilyEventKind, Placement
from socius.family.permissions import can_record_children, can_work_child
from socius.family.protection._common import (
    AGE_OF_MAJORITY,
    age_on,
    as_int,
    audit,
    check_date,
    check_text,
    created,
    event,
    is_date,
    locked_child,
    partner_of,
    require,
    staff_member,
    text,
)
from socius.family.rules_protection import form_of_care_basis
from socius.family.statuses import ChildRisk, ChildStatus, FormOfCare
from socius.registry.models import Membership, Person

CHILD = "child_in_difficulty"
PLACEMENT = "placement"


def _risks(value, errors: dict) -> list[str]:
    """Risk codes without blanks or repeats, in the order given; at least one, all of ChildRisk."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple | set | frozenset):
        errors["risks"] = [_("Choose at least one risk.")]
        return []
    codes: list[str] = []
    for code in value:
        code = str(code).strip()
        if code and code not in codes:
            codes.append(code)
    unknown = [code for code in codes if code not in ChildRisk.values]
    if unknown:
        errors["risks"] = [_("Unknown code: %(codes)s.") % {"codes": ", ".join(unknown)}]
    elif not codes:
        errors["risks"] = [_("Choose at least one risk.")]
    return codes


def _child_of_case(actor: User, case, child, identified_on, errors: dict) -> Person | None:
    """The child: the case's person, or a member of the case's household on `identified_on`; a minor then."""
    pk = as_int(child)
    person = Person.objects.filter(pk=pk, centre_id=actor.centre_id).first() if pk is not None else None
    if person is None:
        errors["child"] = [_("Choose a child of the case's household.")]
        return None
    if not is_date(identified_on):
        return person  # the date's own error is reported; membership and age need it
    if case.person_id is not None:
        belongs = case.person_id == person.pk
    else:
        belongs = (
            Membership.objects.filter(household_id=case.household_id, person_id=person.pk)
            .filter(valid_from__lte=identified_on)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=identified_on))
            .exists()
        )
    if not belongs:
        errors["child"] = [_("The child must be the case's client or a member of its household on that day.")]
    elif person.birth_date is None:
        errors["child"] = [_("The child's birth date is not in the registry: record it first.")]
    elif person.birth_date > identified_on:
        errors["child"] = [_("The child was not yet born on that day.")]
    elif age_on(person.birth_date, identified_on) >= AGE_OF_MAJORITY:
        message = _("Only a minor (under %(age)d) can be recorded as a child in difficulty.")
        errors["child"] = [message % {"age": AGE_OF_MAJORITY}]
    return person


def _care_inputs(actor: User, form, carer, partner, errors: dict, *, form_field: str = "form_of_care"):
    if form not in FormOfCare.values:
        errors[form_field] = [_("Choose the form of care.")]
    carer = text(carer)
    if len(carer) > 300:
        errors["carer"] = [_("Keep it to %(max)d characters.") % {"max": 300}]
    partner_obj = None
    if partner not in (None, ""):
        partner_obj = partner_of(actor, partner)
        if partner_obj is None:
            errors["partner"] = [_("Choose an active partner institution of the centre.")]
    return carer, partner_obj


@transaction.atomic
def record_child(
    actor: User,
    *,
    case,
    child,
    responsible_worker,
    risks,
    identified_on: dt.date,
    form_of_care: str,
    care_from: dt.date,
    carer: str = "",
    partner=None,
    notes: str = "",
) -> ChildInDifficulty:
    """Record a child of the case as in difficulty, with the risks, the responsible worker and the form of
    care the child is in now (the first Placement). ValidationFailed per field, nothing written."""
    case = locked_workable_case(actor, as_int(case))
    require(can_record_children(actor))
    errors: dict[str, list] = {}
    check_date(identified_on, errors, "identified_on")
    person = _child_of_case(actor, case, child, identified_on, errors)
    worker = staff_member(actor, responsible_worker, capability=WORK_CHILD_PROTECTION)
    if worker is None:
        errors["responsible_worker"] = [_("Choose a worker of the centre who does child protection work.")]
    risk_codes = _risks(risks, errors)
    check_date(care_from, errors, "care_from")
    carer, partner_obj = _care_inputs(actor, form_of_care, carer, partner, errors)
    notes = text(notes)
    if person is not None and "child" not in errors:
        already = ChildInDifficulty.objects.filter(
            centre_id=actor.centre_id, child_id=person.pk, status=ChildStatus.OPEN
        ).first()
        if already is not None:
            errors["child"] = [_("This child is already recorded as in difficulty in the centre.")]
    if errors:
        raise ValidationFailed(errors)
    record = ChildInDifficulty.objects.create(
        centre_id=actor.centre_id,
        child=person,
        case=case,
        responsible_worker=worker,
        risks=risk_codes,
        identified_on=identified_on,
        notes=notes,
        created_by=actor,
    )
    placement = Placement.objects.create(
        record=record,
        form=form_of_care,
        valid_from=care_from,
        carer=carer,
        partner=partner_obj,
        legal_basis=form_of_care_basis(case.centre.jurisdiction, form_of_care)[:300],
        recorded_by=actor,
    )
    event(
        actor,
        case.pk,
        FamilyEventKind.CHILD_RECORDED,
        {
            "record": record.pk,
            "child": person.pk,
            "risks": risk_codes,
            "form_of_care": form_of_care,
            "care_from": care_from.isoformat(),
            "identified_on": identified_on.isoformat(),
            "responsible_worker": worker.pk,
        },
    )
    audit(
        actor,
        AuditAction.CREATE,
        CHILD,
        record.pk,
        centre_id=record.centre_id,
        person_id=person.pk,
        changes=created(snapshot(record, ChildInDifficulty.AUDITED_FIELDS)),
    )
    audit(
        actor,
        AuditAction.CREATE,
        PLACEMENT,
        placement.pk,
        centre_id=record.centre_id,
        person_id=person.pk,
        changes=created(snapshot(placement, Placement.AUDITED_FIELDS)),
    )
    return record


def _workable_open_child(actor: User, record) -> ChildInDifficulty:
    record = locked_child(actor, record)
    require(can_work_child(actor, record))
    if record.status != ChildStatus.OPEN:
        raise Conflict(_("The child's record is closed."), code="child_closed")
    return record


@transaction.atomic
def update_risks(actor: User, record, *, risks, on: dt.date, note: str = "") -> ChildInDifficulty:
    """Set the child's risks as of `on` (RISKS_CHANGED on the case when they change)."""
    record = _workable_open_child(actor, record)
    errors: dict[str, list] = {}
    codes = _risks(risks, errors)
    check_date(on, errors, "on")
    if errors:
        raise ValidationFailed(errors)
    if codes == list(record.risks):
        return record
    before = snapshot(record, ChildInDifficulty.AUDITED_FIELDS)
    previous = list(record.risks)
    record.risks = codes
    record.save(update_fields=["risks", "updated_at"])
    event(
        actor,
        record.case_id,
        FamilyEventKind.RISKS_CHANGED,
        {"record": record.pk, "child": record.child_id, "risks": codes, "from": previous, "on": on.isoformat()},
    )
    changes = diff(before, snapshot(record, ChildInDifficulty.AUDITED_FIELDS))
    if text(note):
        changes["note"] = [None, text(note)]
    centre_id, person_id = record.centre_id, record.child_id
    audit(actor, AuditAction.UPDATE, CHILD, record.pk, centre_id=centre_id, person_id=person_id, changes=changes)
    return record


def change_care(
    actor: User,
    record: ChildInDifficulty,
    *,
    form,
    valid_from,
    carer="",
    partner=None,
    legal_basis="",
    note="",
    decision=None,
    form_field: str = "form",
    date_field: str = "valid_from",
) -> Placement:
    """The shared step of change_form_of_care and a meeting's decision: the record is locked, workable and
    open. Ends the current placement on `valid_from` and starts the new one."""
    errors: dict[str, list] = {}
    carer, partner_obj = _care_inputs(actor, form, carer, partner, errors, form_field=form_field)
    check_date(valid_from, errors, date_field)
    current = Placement.objects.select_for_update().filter(record_id=record.pk, valid_until__isnull=True).first()
    if current is not None and is_date(valid_from) and valid_from <= current.valid_from:
        errors[date_field] = [
            _("The new form of care must start after the current one (from %(day)s).")
            % {"day": current.valid_from.isoformat()}
        ]
    if (
        current is not None
        and not errors
        and (current.form, current.carer, current.partner_id) == (form, carer, partner_obj and partner_obj.pk)
    ):
        errors[form_field] = [_("The child is already in this form of care.")]
    legal_basis = text(legal_basis) or form_of_care_basis(record.centre.jurisdiction, form)
    if len(legal_basis) > 300:
        errors["legal_basis"] = [_("Keep it to %(max)d characters.") % {"max": 300}]
    if errors:
        raise ValidationFailed(errors)
    if current is not None:
        before = snapshot(current, Placement.AUDITED_FIELDS)
        current.valid_until = valid_from
        current.save(update_fields=["valid_until"])
        audit(
            actor,
            AuditAction.UPDATE,
            PLACEMENT,
            current.pk,
            centre_id=record.centre_id,
            person_id=record.child_id,
            changes=diff(before, snapshot(current, Placement.AUDITED_FIELDS)),
        )
    placement = Placement.objects.create(
        record=record,
        form=form,
        valid_from=valid_from,
        carer=carer,
        partner=partner_obj,
        decision=decision,
        legal_basis=legal_basis,
        note=text(note),
        recorded_by=actor,
    )
    event(
        actor,
        record.case_id,
        FamilyEventKind.CARE_CHANGED,
        {
            "record": record.pk,
            "child": record.child_id,
            "placement": placement.pk,
            "from": current.form if current is not None else None,
            "to": form,
            "valid_from": valid_from.isoformat(),
            "decision": decision.pk if decision is not None else None,
        },
    )
    audit(
        actor,
        AuditAction.CREATE,
        PLACEMENT,
        placement.pk,
        centre_id=record.centre_id,
        person_id=record.child_id,
        changes=created(snapshot(placement, Placement.AUDITED_FIELDS)),
    )
    return placement


@transaction.atomic
def change_form_of_care(
    actor: User,
    record,
    *,
    form: str,
    valid_from: dt.date,
    carer: str = "",
    partner=None,
    legal_basis: str = "",
    note: str = "",
    decision=None,
) -> Placement:
    """The child moves to another form of care from `valid_from`: the current one ends that day (exclusive).
    The legal basis defaults to the pack's for the form."""
    record = _workable_open_child(actor, record)
    if decision is not None and decision.item.case_id != record.case_id:
        raise ValidationFailed({"decision": [_("The decision is not on this child's case.")]})
    return change_care(
        actor,
        record,
        form=form,
        valid_from=valid_from,
        carer=carer,
        partner=partner,
        legal_basis=legal_basis,
        note=note,
        decision=decision,
    )


@transaction.atomic
def close_child(actor: User, record, *, closed_on: dt.date, note: str) -> ChildInDifficulty:
    """The child is no longer in difficulty (ChildStatus open -> closed); the history of care stays."""
    record = locked_child(actor, record)
    require(can_work_child(actor, record))
    if record.status != ChildStatus.OPEN:
        raise InvalidFamilyTransition(record, record.status, ChildStatus.CLOSED, labels=dict(ChildStatus.choices))
    errors: dict[str, list] = {}
    check_date(closed_on, errors, "closed_on")
    if is_date(closed_on) and closed_on < record.identified_on:
        errors["closed_on"] = [_("The date cannot be before the child was identified.")]
    note = check_text(note, errors, "note", _("Say why the child is no longer in difficulty."))
    if errors:
        raise ValidationFailed(errors)
    before = snapshot(record, ChildInDifficulty.AUDITED_FIELDS)
    record.status = ChildStatus.CLOSED
    record.closed_on = closed_on
    record.closure_note = note
    record.save(update_fields=["status", "closed_on", "closure_note", "updated_at"])
    event(
        actor,
        record.case_id,
        FamilyEventKind.CHILD_CLOSED,
        {"record": record.pk, "child": record.child_id, "closed_on": closed_on.isoformat()},
    )
    audit(
        actor,
        AuditAction.UPDATE,
        CHILD,
        record.pk,
        centre_id=record.centre_id,
        person_id=record.child_id,
        changes=diff(before, snapshot(record, ChildInDifficulty.AUDITED_FIELDS)),
    )
    return record


@transaction.atomic
def reassign_child(actor: User, record, *, worker) -> ChildInDifficulty:
    """Another worker of the centre answers for the child."""
    record = _workable_open_child(actor, record)
    new_worker = staff_member(actor, worker, capability=WORK_CHILD_PROTECTION)
    if new_worker is None:
        raise ValidationFailed({"worker": [_("Choose a worker of the centre who does child protection work.")]})
    if new_worker.pk == record.responsible_worker_id:
        return record
    before = snapshot(record, ChildInDifficulty.AUDITED_FIELDS)
    record.responsible_worker = new_worker
    record.save(update_fields=["responsible_worker", "updated_at"])
    audit(
        actor,
        AuditAction.UPDATE,
        CHILD,
        record.pk,
        centre_id=record.centre_id,
        person_id=record.child_id,
        changes=diff(before, snapshot(record, ChildInDifficulty.AUDITED_FIELDS)),
    )
    return record
