"""Writes for assessments. Each service is one atomic step that writes its timeline event and audit rows.

Who: staff who do casework (WORK_CASES) and may read the case's content (casework.permissions); a case
of another centre is NotFound, a closed case is a Conflict. Status moves follow ASSESSMENT_TRANSITIONS:
draft → completed → signed; anything else is a Conflict and changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socius.accounts.audit import record_event
from socius.accounts.models import AuditAction, User
from socius.accounts.permissions import require
from socius.assessments.answers import instrument_for, instrument_in_force, merge_answers, missing_required
from socius.assessments.models import (
    ASSESSMENT_TRANSITIONS,
    Assessment,
    AssessmentEvent,
    AssessmentEventKind,
    AssessmentKind,
    AssessmentStatus,
)
from socius.assessments.prefill import prefill_answers, previous_interview, role_texts
from socius.casework.models import Case
from socius.casework.permissions import can_view_cases
from socius.casework.selectors import persons_concerned
from socius.casework.services import locked_workable_case
from socius.common.errors import Conflict, NotFound, ValidationFailed
from socius.rulebook import get_jurisdiction

DEADLINE = "casework/assessment/deadline"
URGENT_DEADLINE = "casework/assessment/urgent_deadline"
RENEWAL_INTERVAL = "casework/assessment/renewal_interval"


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _locked_assessment(actor: User, assessment_id) -> tuple[Assessment, Case]:
    require(actor, can_view_cases)
    pk = _as_int(assessment_id)
    if pk is None:
        raise NotFound()
    case_id = (
        Assessment.objects.filter(pk=pk, case__centre_id=actor.centre_id).values_list("case_id", flat=True).first()
    )
    if case_id is None:
        raise NotFound()
    case = locked_workable_case(actor, case_id)  # the case first, then the assessment: one lock order everywhere
    assessment = Assessment.objects.select_for_update().get(pk=pk)
    return assessment, case


def _is_day(value) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _check_day(value, errors: dict, field: str, *, not_before: dt.date | None = None) -> None:
    if not _is_day(value):
        errors[field] = [_("Enter a date.")]
    elif value > timezone.localdate():
        errors[field] = [_("The date cannot be in the future.")]
    elif not_before and value < not_before:
        errors[field] = [
            _("The date cannot be before %(day)s.") % {"day": not_before.isoformat()},
        ]


def compute_due_on(jurisdiction: str, need_identified_on: dt.date, urgent: bool) -> dt.date | None:
    """PL: 14 working days from the day the need became known, 2 when urgent (§ 3 Dz.U. 2021 poz. 893).
    The pack's own term elsewhere; None when the pack has no deadline in force on that day."""
    pack = get_jurisdiction(jurisdiction)
    if urgent and pack.has_parameter(URGENT_DEADLINE, need_identified_on):
        return pack.due_on(URGENT_DEADLINE, need_identified_on)
    if pack.has_parameter(DEADLINE, need_identified_on):
        return pack.due_on(DEADLINE, need_identified_on)
    return None


def compute_renewal_due_on(jurisdiction: str, completed_on: dt.date, permanent_help: bool) -> dt.date | None:
    """PL: at least every 6 months for those on permanent help (art. 107 ust. 4 u.p.s.); None otherwise."""
    pack = get_jurisdiction(jurisdiction)
    if not permanent_help or not pack.has_parameter(RENEWAL_INTERVAL, completed_on):
        return None
    return pack.due_on(RENEWAL_INTERVAL, completed_on)


def _event(assessment: Assessment, actor: User, kind: str, data: dict) -> None:
    AssessmentEvent.objects.create(assessment=assessment, case_id=assessment.case_id, actor=actor, kind=kind, data=data)


def _audit(actor: User, action: str, assessment: Assessment, case: Case, changes: dict) -> None:
    record_event(
        actor,
        action,
        object_type="assessment",
        object_id=assessment.pk,
        centre_id=case.centre_id,
        person_id=case.person_id,
        person_ids=persons_concerned(case),
        changes=changes,
    )


def _check_move(assessment: Assessment, to_status: str) -> None:
    if to_status not in ASSESSMENT_TRANSITIONS[assessment.status]:
        raise Conflict(
            _("An assessment cannot move from “%(from)s” to “%(to)s”.")
            % {"from": AssessmentStatus(assessment.status).label, "to": AssessmentStatus(to_status).label},
            code="invalid_transition",
        )


def start_assessment(
    actor: User,
    case_id,
    *,
    kind: str,
    need_identified_on: dt.date,
    urgent: bool = False,
    permanent_help: bool = False,
    instrument_code: str | None = None,
) -> Assessment:
    """A draft on the jurisdiction's instrument version in force on `need_identified_on` (the one named by
    `instrument_code` when a pack has several), with its due date."""
    with transaction.atomic():
        case = locked_workable_case(actor, case_id)
        errors: dict[str, list] = {}
        if kind not in AssessmentKind.values:
            errors["kind"] = [_("Choose an initial assessment or an update.")]
        _check_day(need_identified_on, errors, "need_identified_on")
        if not isinstance(urgent, bool):
            errors["urgent"] = [_("Choose yes or no.")]
        if not isinstance(permanent_help, bool):
            errors["permanent_help"] = [_("Choose yes or no.")]
        jurisdiction = case.centre.jurisdiction
        instrument = None
        if "need_identified_on" not in errors:
            instrument = instrument_in_force(jurisdiction, need_identified_on, instrument_code)
            if instrument is None:
                errors["need_identified_on"] = [_("No assessment form is in force on this date.")]
            elif "kind" not in errors and kind not in instrument.kinds:
                errors["kind"] = [_("This assessment form has no such kind.")]
        if errors:
            raise ValidationFailed(errors)

        # Starts from the registry and from the case's previous completed interview (assessments.prefill).
        previous = previous_interview(case)
        answers, prefilled = prefill_answers(case, instrument, previous)
        assessment = Assessment.objects.create(
            case=case,
            instrument_code=instrument.code,
            instrument_version=instrument.version,
            answers=answers,
            **role_texts(instrument, answers),
            kind=kind,
            need_identified_on=need_identified_on,
            urgent=urgent,
            permanent_help=permanent_help,
            due_on=compute_due_on(jurisdiction, need_identified_on, urgent),
            created_by=actor,
        )
        data = {
            "instrument": instrument.code,
            "version": instrument.version,
            "kind": kind,
            "due_on": assessment.due_on.isoformat() if assessment.due_on else None,
            # Which answers it starts with (names, not values: they may hold family details).
            "prefilled": prefilled,
            "previous": previous.pk if previous else None,
        }
        _event(assessment, actor, AssessmentEventKind.STARTED, data)
        _audit(
            actor,
            AuditAction.CREATE,
            assessment,
            case,
            {
                **data,
                "case": case.pk,
                "need_identified_on": need_identified_on.isoformat(),
                "urgent": urgent,
                "permanent_help": permanent_help,
            },
        )
    return assessment


def save_draft(
    actor: User, assessment_id, answers: dict, *, diagnosis: str | None = None, conclusions: str | None = None
) -> Assessment:
    """Merge `answers` ({section: {field: value}}) into the draft; partial answers are fine, each value is
    checked against its field, an unknown section or field is an error naming it, and nothing is saved
    when anything is wrong. An empty value removes an answer."""
    with transaction.atomic():
        assessment, case = _locked_assessment(actor, assessment_id)
        if assessment.status != AssessmentStatus.DRAFT:
            raise Conflict(_("Only a draft can be edited."), code="not_draft")
        instrument = instrument_for(case.centre.jurisdiction, assessment.instrument_code, assessment.instrument_version)
        merged, errors, changed = merge_answers(instrument, assessment.answers, answers)
        texts = {}
        # The diagnosis and conclusions follow the fields that play those roles in the instrument, so a
        # plan based on the interview shows what the worker wrote in the form; explicit texts still win.
        from_form = role_texts(instrument, merged) if not errors else {}
        for name, value in (("diagnosis", diagnosis), ("conclusions", conclusions)):
            if value is None:
                if name in from_form and from_form[name] != getattr(assessment, name):
                    texts[name] = from_form[name]
                continue
            if not isinstance(value, str):
                errors[name] = [_("Enter text.")]
            elif value.strip() != getattr(assessment, name):
                texts[name] = value.strip()
        if errors:
            raise ValidationFailed(errors)
        if not changed and not texts:
            return assessment
        assessment.answers = merged
        for name, value in texts.items():
            setattr(assessment, name, value)
        assessment.save(update_fields=["answers", *texts, "updated_at"])
        # Answers may hold health or family details: the trail names what changed, not the values.
        data = {"changed": changed, **dict.fromkeys(texts, True)}
        _event(assessment, actor, AssessmentEventKind.DRAFT_SAVED, data)
        _audit(actor, AuditAction.UPDATE, assessment, case, data)
    return assessment


def complete_assessment(actor: User, assessment_id, *, on: dt.date) -> Assessment:
    """Draft → completed on `on`, once every required field of the sections mandatory for the kind is
    answered; otherwise ValidationFailed listing every missing field (section title: field label)."""
    with transaction.atomic():
        assessment, case = _locked_assessment(actor, assessment_id)
        _check_move(assessment, AssessmentStatus.COMPLETED)
        errors: dict[str, list] = {}
        _check_day(on, errors, "on", not_before=assessment.need_identified_on)
        instrument = instrument_for(case.centre.jurisdiction, assessment.instrument_code, assessment.instrument_version)
        missing = missing_required(instrument, assessment.kind, assessment.answers)
        if missing:
            errors["answers"] = [
                _("%(section)s: “%(field)s” is required.")
                % {"section": item["section_title"], "field": item["field_label"]}
                for item in missing
            ]
        if errors:
            raise ValidationFailed(errors, extra={"missing": missing})
        assessment.status = AssessmentStatus.COMPLETED
        assessment.completed_on = on
        assessment.renewal_due_on = compute_renewal_due_on(case.centre.jurisdiction, on, assessment.permanent_help)
        # A draft saved before the texts followed the form still reaches the plan: fill what is empty.
        filled = []
        for name, value in role_texts(instrument, assessment.answers).items():
            if value and not getattr(assessment, name):
                setattr(assessment, name, value)
                filled.append(name)
        assessment.save(update_fields=["status", "completed_on", "renewal_due_on", *filled, "updated_at"])
        renewal = assessment.renewal_due_on.isoformat() if assessment.renewal_due_on else None
        _event(assessment, actor, AssessmentEventKind.COMPLETED, {"on": on.isoformat(), "renewal_due_on": renewal})
        _audit(
            actor,
            AuditAction.UPDATE,
            assessment,
            case,
            {
                "status": [AssessmentStatus.DRAFT.value, AssessmentStatus.COMPLETED.value],
                "completed_on": [None, on.isoformat()],
                "renewal_due_on": [None, renewal],
            },
        )
    return assessment


def sign_assessment(actor: User, assessment_id, signed_on: dt.date) -> Assessment:
    """Completed → signed on `signed_on` (not before completion, not in the future)."""
    with transaction.atomic():
        assessment, case = _locked_assessment(actor, assessment_id)
        _check_move(assessment, AssessmentStatus.SIGNED)
        errors: dict[str, list] = {}
        _check_day(signed_on, errors, "signed_on", not_before=assessment.completed_on)
        if errors:
            raise ValidationFailed(errors)
        assessment.status = AssessmentStatus.SIGNED
        assessment.signed_on = signed_on
        assessment.save(update_fields=["status", "signed_on", "updated_at"])
        _event(assessment, actor, AssessmentEventKind.SIGNED, {"on": signed_on.isoformat()})
        _audit(
            actor,
            AuditAction.UPDATE,
            assessment,
            case,
            {
                "status": [AssessmentStatus.COMPLETED.value, AssessmentStatus.SIGNED.value],
                "signed_on": [None, signed_on.isoformat()],
            },
        )
    return assessment
