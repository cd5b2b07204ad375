"""A family's way through the family assistant programme: requested, approved (or refused) by the head of
the centre, or enrolled directly on a court order or by law; consents; a change of assistant; the work closed
with an outcome, the family monitored, the monitoring ended, the work resumed.

Every step that gives an assistant a family (approval, direct enrolment, change of assistant, resumed work)
checks the caseload cap in force on its day (PL art. 15 ust. 4) under a lock on the assistant's user row,
before anything is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from socius.accounts.audit import diff, snapshot
from socius.accounts.models import AuditAction, User
from socius.accounts.roles import APPROVE_ENROLMENTS, WORK_FAMILY_SUPPORT, Role
from socius.casework.models import Case, CaseShare
from socius.casework.permissions import can_manage_case, can_view_case_content
from socius.casework.services import share_case
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.family.models import OPEN_ENROLMENT, EnrolmentConsent, FamilyEnrolment, FamilyEventKind
from socius.family.permissions import can_decide_enrolment, can_request_enrolment, can_work_enrolment
from socius.family.rules import add_months, monitoring_months
from socius.family.statuses import ClosureOutcome, ConsentMethod, EnrolmentRoute, EnrolmentStatus
from socius.family.support._common import (
    as_int,
    audit,
    check_cap,
    check_date,
    check_text,
    current_member_ids,
    event,
    is_date,
    locked_enrolment,
    move,
    raise_if,
    require_status,
    staff_assistant,
    text,
    workable_enrolment,
)
from socius.payments.models import Fund
from socius.registry.models import ConsentPurpose, Household, Person
from socius.registry.selectors import current_membership_of
from socius.registry.selectors_consents import persons_with_valid_consent
from socius.registry.services_consents import ensure_consent, withdraw_live_consent

FIELDS = FamilyEnrolment.AUDITED_FIELDS
OPEN = (EnrolmentStatus.REQUESTED, EnrolmentStatus.ACTIVE, EnrolmentStatus.MONITORING)


@dataclass(frozen=True)
class ConsentInput:
    """A family member's consent given with an approval or a direct enrolment."""

    person: Person | int
    given_on: dt.date
    method: str
    note: str = ""


# --- helpers -------------------------------------------------------------------------------------------


def _locked_readable_case(actor: User, case) -> Case:
    pk = as_int(case)
    if pk is None or not actor.centre_id:
        raise NotFound()
    if not list(Case.objects.select_for_update().filter(pk=pk, centre_id=actor.centre_id).values_list("pk", flat=True)):
        raise NotFound()
    locked = Case.objects.select_related("household", "person").get(pk=pk)
    if not can_view_case_content(actor, locked):
        raise Forbidden()
    if not locked.is_open:
        raise Conflict(
            _("Case %(reference)s is closed: reopen it first.") % {"reference": locked.reference}, code="case_closed"
        )
    return locked


def _family_of(case: Case, household, errors: dict) -> Household | None:
    """The case's household, or the case person's current one; a household asked for must be one of those."""
    candidates = []
    if case.household_id:
        candidates.append(case.household)
    elif case.person_id:
        membership = current_membership_of(case.person)
        if membership is not None:
            candidates.append(membership.household)
    if household not in (None, ""):
        wanted = as_int(household)
        chosen = next((h for h in candidates if h.pk == wanted), None)
        if chosen is None:
            errors["household"] = [_("Choose the household of the case (or of the case's person).")]
        return chosen
    if not candidates:
        errors["household"] = [_("The case's person lives in no household: record the household first.")]
        return None
    return candidates[0]


def _no_open_enrolment(household: Household) -> None:
    if FamilyEnrolment.objects.filter(OPEN_ENROLMENT, household=household).exists():
        raise Conflict(
            _("This family already has an open enrolment in the family assistant programme."), code="enrolment_open"
        )


def _fund(actor: User, fund, errors: dict) -> Fund | None:
    if fund in (None, ""):
        return None
    pk = as_int(fund)
    found = Fund.objects.filter(pk=pk, centre_id=actor.centre_id).first() if pk is not None else None
    if found is None:
        errors["fund"] = [_("Choose a fund of your centre.")]
    return found


def _check_consent_input(consent, household_id: int, errors: dict, prefix: str = "consent_") -> None:
    if consent is None:
        return
    if not isinstance(consent, ConsentInput):
        errors[f"{prefix}person"] = [_("Enter the consent.")]
        return
    check_date(errors, f"{prefix}given_on", consent.given_on)
    if consent.method not in ConsentMethod.values:
        errors[f"{prefix}method"] = [_("Choose how the consent was given.")]
    if is_date(consent.given_on):
        pk = as_int(consent.person)
        if pk is None or pk not in current_member_ids(household_id, consent.given_on):
            errors[f"{prefix}person"] = [_("Choose a member of the family's household.")]


def _require_participation_consent(household_id: int, day: dt.date, consent: ConsentInput | None) -> None:
    """Work with an assistant that no court ordered needs a family member's consent to take part (decision 0024):
    given with this step, or recorded in the registry (a family member's page) and valid on the day."""
    if consent is not None:
        return
    if not persons_with_valid_consent(current_member_ids(household_id, day), ConsentPurpose.FAMILY_ASSISTANCE, day):
        raise Conflict(
            _(
                "Missing consent: “%(purpose)s”. No member of the family has given it for %(day)s; record it with "
                "this step or on a family member's page."
            )
            % {"purpose": ConsentPurpose.FAMILY_ASSISTANCE.label, "day": day.isoformat()},
            code="consent_required",
        )


def _write_consent(actor: User, enrolment: FamilyEnrolment, consent: ConsentInput) -> EnrolmentConsent:
    row = EnrolmentConsent.objects.create(
        enrolment=enrolment,
        person_id=as_int(consent.person),
        given_on=consent.given_on,
        method=consent.method,
        note=text(consent.note),
        recorded_by=actor,
    )
    event(
        actor,
        enrolment,
        FamilyEventKind.CONSENT_GIVEN,
        {"consent_id": row.pk, "person_id": row.person_id, "given_on": row.given_on.isoformat(), "method": row.method},
    )
    audit(
        actor,
        AuditAction.CREATE,
        "enrolment_consent",
        row.pk,
        enrolment,
        diff({}, snapshot(row, EnrolmentConsent.AUDITED_FIELDS)),
    )
    # The same consent in the person's registry record, where the family's page and the person's page both read it.
    ensure_consent(
        actor,
        row.person_id,
        purpose=ConsentPurpose.FAMILY_ASSISTANCE,
        given_on=row.given_on,
        method=row.method,
        note=row.note,
        source=f"family_enrolment:{enrolment.pk}",
    )
    return row


def _share_with_assistant(actor: User, case: Case, assistant: User) -> None:
    """The assistant reads the family's case: share it, unless they already read it."""
    if case.assigned_worker_id == assistant.pk or CaseShare.objects.filter(case=case, user=assistant).exists():
        return
    share_case(actor, case.pk, assistant)


def _audit_update(actor, enrolment, before):
    audit(
        actor,
        AuditAction.UPDATE,
        "family_enrolment",
        enrolment.pk,
        enrolment,
        diff(before, snapshot(enrolment, FIELDS)),
    )


# --- requests and decisions -------------------------------------------------------------------------------


@transaction.atomic
def request_enrolment(actor: User, *, case, reason, requested_on, household=None) -> FamilyEnrolment:
    """The social worker asks the head of the centre for a family assistant for the case's family."""
    locked_case = _locked_readable_case(actor, case)
    if not can_request_enrolment(actor, locked_case):
        raise Forbidden()
    errors: dict = {}
    reason = check_text(errors, "reason", reason)
    check_date(errors, "requested_on", requested_on)
    family = _family_of(locked_case, household, errors)
    raise_if(errors)
    _no_open_enrolment(family)
    enrolment = FamilyEnrolment.objects.create(
        centre_id=locked_case.centre_id,
        case=locked_case,
        household=family,
        route=EnrolmentRoute.REQUEST,
        status=EnrolmentStatus.REQUESTED,
        reason=reason,
        requested_by=actor,
        requested_on=requested_on,
        created_by=actor,
    )
    event(
        actor,
        enrolment,
        FamilyEventKind.ENROLMENT_REQUESTED,
        {
            "enrolment_id": enrolment.pk,
            "route": enrolment.route,
            "household_id": family.pk,
            "requested_on": requested_on.isoformat(),
        },
    )
    audit(actor, AuditAction.CREATE, "family_enrolment", enrolment.pk, enrolment, diff({}, snapshot(enrolment, FIELDS)))
    return enrolment


@transaction.atomic
def approve_enrolment(
    actor: User, enrolment, *, assistant, decided_on, fund=None, consent: ConsentInput | None = None
) -> FamilyEnrolment:
    """The head of the centre approves the request and assigns the assistant (within the cap); the work starts
    on `decided_on` and the case is shared with the assistant."""
    locked = locked_enrolment(actor, enrolment)
    if not can_decide_enrolment(actor, locked):
        raise Forbidden()
    require_status(locked, (EnrolmentStatus.REQUESTED,), to=EnrolmentStatus.ACTIVE)
    errors: dict = {}
    chosen = staff_assistant(actor, assistant, errors)
    check_date(errors, "decided_on", decided_on, not_before=locked.requested_on)
    chosen_fund = _fund(actor, fund, errors)
    _check_consent_input(consent, locked.household_id, errors)
    raise_if(errors)
    check_cap(chosen, locked.centre, decided_on)  # before any write: a refusal leaves nothing behind
    _require_participation_consent(locked.household_id, decided_on, consent)
    before = snapshot(locked, FIELDS)
    move(locked, EnrolmentStatus.ACTIVE)
    locked.assistant = chosen
    locked.decided_by = actor
    locked.decided_on = decided_on
    locked.started_on = decided_on
    locked.fund = chosen_fund
    locked.save()
    event(
        actor,
        locked,
        FamilyEventKind.ENROLMENT_APPROVED,
        {
            "enrolment_id": locked.pk,
            "route": locked.route,
            "assistant": chosen.pk,
            "decided_on": decided_on.isoformat(),
            "started_on": decided_on.isoformat(),
        },
    )
    _audit_update(actor, locked, before)
    _share_with_assistant(actor, locked.case, chosen)
    if consent is not None:
        _write_consent(actor, locked, consent)
    return locked


@transaction.atomic
def refuse_enrolment(actor: User, enrolment, *, reason, decided_on) -> FamilyEnrolment:
    """The head of the centre refuses the request, with the reason."""
    locked = locked_enrolment(actor, enrolment)
    if not can_decide_enrolment(actor, locked):
        raise Forbidden()
    require_status(locked, (EnrolmentStatus.REQUESTED,), to=EnrolmentStatus.REFUSED)
    errors: dict = {}
    reason = check_text(errors, "reason", reason)
    check_date(errors, "decided_on", decided_on, not_before=locked.requested_on)
    raise_if(errors)
    before = snapshot(locked, FIELDS)
    move(locked, EnrolmentStatus.REFUSED)
    locked.decided_by = actor
    locked.decided_on = decided_on
    locked.refusal_reason = reason
    locked.save()
    event(
        actor,
        locked,
        FamilyEventKind.ENROLMENT_REFUSED,
        {"enrolment_id": locked.pk, "route": locked.route, "decided_on": decided_on.isoformat()},
    )
    _audit_update(actor, locked, before)
    return locked


def _may_enrol_directly(actor: User, case: Case, assistant: User | None) -> bool:
    """An assistant who reads the case onto themselves; the case's worker, its team leader or the director onto
    any assistant of the centre."""
    if not actor.can(WORK_FAMILY_SUPPORT) or not can_view_case_content(actor, case):
        return False
    if actor.role == Role.FAMILY_ASSISTANT:
        return assistant is None or assistant.pk == actor.pk
    # Those who answer for the case (its worker, the team leader, the director): they share it with the assistant.
    return can_manage_case(actor, case)


@transaction.atomic
def enrol_family(
    actor: User,
    *,
    case,
    route,
    assistant,
    started_on,
    consent: ConsentInput | None = None,
    court_name="",
    court_reference="",
    court_order_on=None,
    legal_basis="",
    reason="",
    household=None,
    fund=None,
) -> FamilyEnrolment:
    """Direct enrolment without the head's approval: a family a court obliged to work with an assistant
    (art. 109 § 2 pkt 1 KRO), or a statutory case (PL art. 11 ust. 1a). Same cap check as an approval."""
    locked_case = _locked_readable_case(actor, case)
    errors: dict = {}
    if route not in (EnrolmentRoute.COURT_ORDER, EnrolmentRoute.STATUTORY):
        errors["route"] = [_("Choose a court order or a statutory case.")]
    chosen = staff_assistant(actor, assistant, errors)
    if not _may_enrol_directly(actor, locked_case, chosen):
        raise Forbidden()
    check_date(errors, "started_on", started_on)
    court_name = check_text(
        errors, "court_name", court_name, max_length=200, required=route == EnrolmentRoute.COURT_ORDER
    )
    court_reference = check_text(errors, "court_reference", court_reference, max_length=60, required=False)
    check_date(errors, "court_order_on", court_order_on, required=False)
    legal_basis = check_text(
        errors, "legal_basis", legal_basis, max_length=200, required=route == EnrolmentRoute.STATUTORY
    )
    if is_date(court_order_on) and is_date(started_on) and court_order_on > started_on:
        errors["court_order_on"] = [_("The court order cannot be dated after the work started.")]
    chosen_fund = _fund(actor, fund, errors)
    family = _family_of(locked_case, household, errors)
    if family is not None:
        _check_consent_input(consent, family.pk, errors)
    raise_if(errors)
    _no_open_enrolment(family)
    check_cap(chosen, actor.centre, started_on)  # before any write
    if route != EnrolmentRoute.COURT_ORDER:  # a court order needs no consent (art. 109 § 2 pkt 1 KRO)
        _require_participation_consent(family.pk, started_on, consent)
    enrolment = FamilyEnrolment.objects.create(
        centre_id=locked_case.centre_id,
        case=locked_case,
        household=family,
        assistant=chosen,
        route=route,
        status=EnrolmentStatus.ACTIVE,
        reason=text(reason),
        requested_by=actor,
        requested_on=started_on,
        decided_by=actor,
        decided_on=started_on,
        started_on=started_on,
        court_name=court_name,
        court_reference=court_reference,
        court_order_on=court_order_on,
        legal_basis=legal_basis,
        fund=chosen_fund,
        created_by=actor,
    )
    kind = (
        FamilyEventKind.ENROLMENT_ORDERED
        if route == EnrolmentRoute.COURT_ORDER
        else FamilyEventKind.ENROLMENT_STATUTORY
    )
    event(
        actor,
        enrolment,
        kind,
        {
            "enrolment_id": enrolment.pk,
            "route": route,
            "assistant": chosen.pk,
            "started_on": started_on.isoformat(),
            "household_id": family.pk,
            **({"court_name": court_name, "court_reference": court_reference} if court_name else {}),
            **({"legal_basis": legal_basis} if legal_basis else {}),
        },
    )
    audit(actor, AuditAction.CREATE, "family_enrolment", enrolment.pk, enrolment, diff({}, snapshot(enrolment, FIELDS)))
    if actor.pk != chosen.pk:
        _share_with_assistant(actor, locked_case, chosen)
    if consent is not None:
        _write_consent(actor, enrolment, consent)
    return enrolment


# --- consents --------------------------------------------------------------------------------------------


@transaction.atomic
def record_consent(actor: User, enrolment, *, person, given_on, method, note="") -> EnrolmentConsent:
    """A member of the family's household consents to the work (one live consent per person)."""
    locked = workable_enrolment(actor, enrolment, statuses=OPEN)
    errors: dict = {}
    consent = ConsentInput(person=person, given_on=given_on, method=method, note=note)
    _check_consent_input(consent, locked.household_id, errors, prefix="")
    raise_if(errors)
    if EnrolmentConsent.objects.filter(enrolment=locked, person_id=as_int(person), withdrawn_on__isnull=True).exists():
        raise ValidationFailed({"person": [_("This person's consent is already recorded.")]})
    return _write_consent(actor, locked, consent)


@transaction.atomic
def withdraw_consent(actor: User, consent, *, withdrawn_on, note) -> FamilyEnrolment:
    """A family member withdraws their consent. Unless a court ordered the work, the work closes (outcome
    "consent withdrawn", then monitoring as `close_work`) when no live consent remains."""
    pk = as_int(consent)
    enrolment_id = (
        EnrolmentConsent.objects.filter(pk=pk, enrolment__centre_id=actor.centre_id)
        .values_list("enrolment_id", flat=True)
        .first()
        if pk is not None and actor.centre_id
        else None
    )
    if enrolment_id is None:
        raise NotFound()
    locked = workable_enrolment(actor, enrolment_id, statuses=OPEN)  # the enrolment first: one lock order
    row = EnrolmentConsent.objects.select_for_update().get(pk=pk)
    if row.withdrawn_on is not None:
        raise Conflict(_("This consent was already withdrawn."), code="consent_withdrawn")
    errors: dict = {}
    check_date(errors, "withdrawn_on", withdrawn_on, not_before=row.given_on)
    note = check_text(errors, "note", note, required=False)
    raise_if(errors)
    before = snapshot(row, EnrolmentConsent.AUDITED_FIELDS)
    row.withdrawn_on = withdrawn_on
    row.withdrawal_note = note
    row.save(update_fields=["withdrawn_on", "withdrawal_note"])
    event(
        actor,
        locked,
        FamilyEventKind.CONSENT_WITHDRAWN,
        {"consent_id": row.pk, "person_id": row.person_id, "withdrawn_on": withdrawn_on.isoformat()},
    )
    audit(
        actor,
        AuditAction.UPDATE,
        "enrolment_consent",
        row.pk,
        locked,
        diff(before, snapshot(row, EnrolmentConsent.AUDITED_FIELDS)),
    )
    withdraw_live_consent(
        actor, row.person_id, ConsentPurpose.FAMILY_ASSISTANCE, withdrawn_on=withdrawn_on, note=note
    )  # the registry's copy of the same consent
    live = EnrolmentConsent.objects.filter(enrolment=locked, withdrawn_on__isnull=True).exists()
    if locked.route != EnrolmentRoute.COURT_ORDER and not live and locked.status == EnrolmentStatus.ACTIVE:
        _close(
            actor,
            locked,
            closed_on=max(withdrawn_on, locked.started_on),
            outcome=ClosureOutcome.CONSENT_WITHDRAWN,
            note="",
        )
    return locked


# --- the assistant -----------------------------------------------------------------------------------------


def _may_change_assistant(actor: User, enrolment: FamilyEnrolment) -> bool:
    if actor.role == Role.DIRECTOR:
        return actor.can(APPROVE_ENROLMENTS) and actor.centre_id == enrolment.centre_id
    if actor.role == Role.TEAM_LEADER:
        return can_work_enrolment(actor, enrolment)
    return False


@transaction.atomic
def change_assistant(actor: User, enrolment, *, assistant, on, reason) -> FamilyEnrolment:
    """The director or the case's team leader gives the family another assistant (within the new one's cap
    when the work is active); the case is shared with the new assistant."""
    locked = locked_enrolment(actor, enrolment)
    if not _may_change_assistant(actor, locked):
        raise Forbidden()
    require_status(locked, (EnrolmentStatus.ACTIVE, EnrolmentStatus.MONITORING))
    errors: dict = {}
    chosen = staff_assistant(actor, assistant, errors)
    check_date(errors, "on", on, not_before=locked.started_on)
    reason = check_text(errors, "reason", reason)
    if chosen is not None and chosen.pk == locked.assistant_id:
        errors["assistant"] = [_("This assistant already works with the family.")]
    raise_if(errors)
    if locked.status == EnrolmentStatus.ACTIVE:
        check_cap(chosen, locked.centre, on)  # before any write
    before = snapshot(locked, FIELDS)
    previous = locked.assistant_id
    locked.assistant = chosen
    locked.save()
    event(
        actor,
        locked,
        FamilyEventKind.ASSISTANT_CHANGED,
        {"enrolment_id": locked.pk, "from": previous, "to": chosen.pk, "on": on.isoformat()},
    )
    _audit_update(actor, locked, before)
    _share_with_assistant(actor, locked.case, chosen)
    return locked


# --- closing, monitoring, resuming ---------------------------------------------------------------------------


def _close(actor: User, locked: FamilyEnrolment, *, closed_on: dt.date, outcome: str, note: str) -> None:
    months = monitoring_months(locked.centre, closed_on).value
    before = snapshot(locked, FIELDS)
    locked.closed_on = closed_on
    locked.outcome = outcome
    locked.closure_note = note
    if months > 0:
        move(locked, EnrolmentStatus.MONITORING)
        locked.monitoring_until = add_months(closed_on, months)
    else:
        move(locked, EnrolmentStatus.CLOSED)
        locked.monitoring_until = None
        locked.ended_on = closed_on
    locked.save()
    event(
        actor,
        locked,
        FamilyEventKind.WORK_CLOSED,
        {
            "enrolment_id": locked.pk,
            "closed_on": closed_on.isoformat(),
            "outcome": outcome,
            "monitoring_until": locked.monitoring_until.isoformat() if locked.monitoring_until else None,
        },
    )
    _audit_update(actor, locked, before)


@transaction.atomic
def close_work(actor: User, enrolment, *, closed_on, outcome, note="") -> FamilyEnrolment:
    """The assistant's work with the family ends with an outcome; the family is then monitored for the
    pack's `monitoring_months` (closed at once when 0)."""
    locked = workable_enrolment(actor, enrolment, statuses=(EnrolmentStatus.ACTIVE,), to=EnrolmentStatus.MONITORING)
    errors: dict = {}
    check_date(errors, "closed_on", closed_on, not_before=locked.started_on)
    if outcome not in ClosureOutcome.values:
        errors["outcome"] = [_("Choose the outcome.")]
    note = check_text(errors, "note", note, required=False)
    raise_if(errors)
    _close(actor, locked, closed_on=closed_on, outcome=outcome, note=note)
    return locked


@transaction.atomic
def end_monitoring(actor: User, enrolment, *, ended_on, note="") -> FamilyEnrolment:
    """Monitoring over: the enrolment is closed."""
    locked = workable_enrolment(actor, enrolment, statuses=(EnrolmentStatus.MONITORING,), to=EnrolmentStatus.CLOSED)
    errors: dict = {}
    check_date(errors, "ended_on", ended_on, not_before=locked.closed_on)
    note = check_text(errors, "note", note, required=False)
    raise_if(errors)
    before = snapshot(locked, FIELDS)
    move(locked, EnrolmentStatus.CLOSED)
    locked.ended_on = ended_on
    if note:
        locked.closure_note = f"{locked.closure_note}\n{note}".strip()
    locked.save()
    event(
        actor, locked, FamilyEventKind.MONITORING_ENDED, {"enrolment_id": locked.pk, "ended_on": ended_on.isoformat()}
    )
    _audit_update(actor, locked, before)
    return locked


@transaction.atomic
def resume_work(actor: User, enrolment, *, on, reason) -> FamilyEnrolment:
    """Monitoring showed the family needs the assistant again: back to active (within the assistant's cap)."""
    locked = workable_enrolment(actor, enrolment, statuses=(EnrolmentStatus.MONITORING,), to=EnrolmentStatus.ACTIVE)
    errors: dict = {}
    check_date(errors, "on", on, not_before=locked.closed_on)
    reason = check_text(errors, "reason", reason)
    raise_if(errors)
    check_cap(locked.assistant, locked.centre, on)  # before any write
    before = snapshot(locked, FIELDS)
    previous = {"closed_on": locked.closed_on.isoformat(), "outcome": locked.outcome}
    move(locked, EnrolmentStatus.ACTIVE)
    locked.closed_on = None
    locked.outcome = ""
    locked.closure_note = ""
    locked.monitoring_until = None
    locked.save()
    # The timeline keeps the closure that was undone, and says the work resumed (with what was closed).
    event(
        actor,
        locked,
        FamilyEventKind.WORK_RESUMED,
        {"enrolment_id": locked.pk, "assistant": locked.assistant_id, "resumed_on": on.isoformat(), **previous},
    )
    _audit_update(actor, locked, before)
    return locked
