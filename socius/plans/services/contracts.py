"""Social contracts (art. 108 u.p.s.): drafting, obligations, signing, and how they end; flags on the case.

A refusal or a breach is recorded with reasons and the centre's decision on consequences (art. 11
ust. 2 u.p.s.) and raises a CaseFlag that the benefits module acts on; clearing the flag is its own step.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from socius.accounts.audit import diff, snapshot
from socius.accounts.models import AuditAction, User
from socius.casework.models import Case
from socius.casework.services import locked_workable_case
from socius.common.errors import Conflict, ValidationFailed
from socius.plans.models import (
    CaseFlag,
    FlagKind,
    Obligation,
    ObligationParty,
    PlanEventKind,
    SocialContract,
    variants_for,
)
from socius.plans.rules import consequences_for
from socius.plans.services._common import (
    as_int,
    audit,
    case_id_of,
    event,
    is_date,
    text,
    transition_conflict,
)
from socius.plans.statuses import CONTRACT_TRANSITIONS, ContractStatus, is_move_allowed
from socius.registry.models import Membership, Person


def _iso(day):
    return day.isoformat() if day else None


def case_client_ids(case: Case, on: dt.date) -> set[int]:
    """Who may be a client party: the case's person, or the household's members on `on`."""
    if case.person_id:
        return {case.person_id}
    return set(
        Membership.objects.filter(household_id=case.household_id, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=on))
        .values_list("person_id", flat=True)
    )


def _locked_contract(actor: User, contract_id) -> tuple[SocialContract, Case]:
    case = locked_workable_case(actor, case_id_of(SocialContract, actor, contract_id, "case"))
    contract = SocialContract.objects.select_for_update().get(pk=as_int(contract_id))
    return contract, case


def _check_move(contract: SocialContract, to_status: str) -> None:
    if not is_move_allowed(CONTRACT_TRANSITIONS, contract.status, to_status):
        raise transition_conflict(ContractStatus, contract.status, to_status)


def _check_day(day, errors: dict, field: str, *, not_before: dt.date) -> None:
    if not is_date(day):
        errors[field] = [_("Enter a date.")]
    elif day > timezone.localdate():
        errors[field] = [_("The date cannot be in the future.")]
    elif day < not_before:
        errors[field] = [_("The date cannot be before %(day)s.") % {"day": not_before.isoformat()}]


def draft_contract(actor: User, case_id, data: dict) -> SocialContract:
    """A draft contract. `data`: variant (PL: IA_IIA or IB_IIB; elsewhere general), clients (persons of
    the case's household or the case's person), causes, strengths, limitations, goals, valid_from,
    valid_until (exclusive, after valid_from). The actor signs for the centre."""
    with transaction.atomic():
        case = locked_workable_case(actor, case_id)
        errors: dict[str, list] = {}
        variant = data.get("variant") or None
        allowed = variants_for(actor.centre.jurisdiction)
        if variant is None and len(allowed) == 1:
            variant = allowed[0]
        if variant not in allowed:
            errors["variant"] = [_("Choose the variant of the contract.")]
        valid_from, valid_until = data.get("valid_from"), data.get("valid_until")
        if not is_date(valid_from):
            errors["valid_from"] = [_("Enter a date.")]
        elif valid_from < case.opened_on:
            errors["valid_from"] = [_("The date cannot be before the case was opened.")]
        if not is_date(valid_until):
            errors["valid_until"] = [_("Enter a date.")]
        elif is_date(valid_from) and valid_until <= valid_from:
            errors["valid_until"] = [_("The contract must end after it begins.")]
        raw = data.get("clients")
        ids = [as_int(v) for v in (raw if isinstance(raw, list | tuple | set) else [raw]) if v not in (None, "")]
        ids = list(dict.fromkeys(ids))
        if not ids:
            errors["clients"] = [_("Choose the client or clients who sign the contract.")]
        elif "valid_from" not in errors and (None in ids or not set(ids) <= case_client_ids(case, valid_from)):
            errors["clients"] = [_("The clients must be the case's person or members of its household.")]
        if errors:
            raise ValidationFailed(errors)
        contract = SocialContract.objects.create(
            case=case,
            variant=variant,
            worker=actor,
            causes=text(data.get("causes")),
            strengths=text(data.get("strengths")),
            limitations=text(data.get("limitations")),
            goals=text(data.get("goals")),
            valid_from=valid_from,
            valid_until=valid_until,
            created_by=actor,
        )
        contract.clients.set(Person.objects.filter(pk__in=ids))
        event(actor, case, PlanEventKind.CONTRACT_DRAFTED, {"contract": contract.pk, "variant": variant})
        changes = {
            k: [None, v] for k, v in snapshot(contract, SocialContract.AUDITED_FIELDS).items() if v not in ("", None)
        }
        changes["clients"] = [None, sorted(ids)]
        audit(actor, AuditAction.CREATE, "social_contract", contract.pk, case, changes)
    return contract


def add_obligation(actor: User, contract_id, *, party: str, description: str, due_on=None) -> Obligation:
    """An obligation of the client or of the centre; only while the contract is a draft (signed terms
    are not rewritten)."""
    with transaction.atomic():
        contract, case = _locked_contract(actor, contract_id)
        if contract.status != ContractStatus.DRAFT:
            raise Conflict(_("Obligations are added only to a draft contract."), code="contract_not_draft")
        errors: dict[str, list] = {}
        if party not in ObligationParty.values:
            errors["party"] = [_("Choose whose obligation it is.")]
        description = text(description)
        if not description:
            errors["description"] = [_("Describe the obligation.")]
        if due_on is not None:
            if not is_date(due_on):
                errors["due_on"] = [_("Enter a date.")]
            elif not contract.valid_from <= due_on < contract.valid_until:
                errors["due_on"] = [_("The deadline must fall within the contract's duration.")]
        if errors:
            raise ValidationFailed(errors)
        obligation = Obligation.objects.create(contract=contract, party=party, description=description, due_on=due_on)
        event(actor, case, PlanEventKind.OBLIGATION_ADDED, {"contract": contract.pk, "obligation": obligation.pk})
        audit(actor, AuditAction.UPDATE, "social_contract", contract.pk, case, {"obligations": [None, obligation.pk]})
    return obligation


def mark_obligation(actor: User, obligation_id, *, is_done: bool = True) -> Obligation:
    """Tick (or untick) an obligation as done while the contract is signed or in progress."""
    with transaction.atomic():
        case = locked_workable_case(actor, case_id_of(Obligation, actor, obligation_id, "contract__case"))
        obligation = Obligation.objects.select_for_update().select_related("contract").get(pk=as_int(obligation_id))
        if obligation.contract.status not in (ContractStatus.SIGNED, ContractStatus.IN_PROGRESS):
            raise Conflict(_("Only the obligations of a running contract are ticked off."), code="contract_not_running")
        if obligation.is_done == bool(is_done):
            return obligation
        obligation.is_done = bool(is_done)
        obligation.save(update_fields=["is_done"])
        audit(
            actor,
            AuditAction.UPDATE,
            "social_contract",
            obligation.contract_id,
            case,
            {f"obligation:{obligation.pk}:is_done": [not obligation.is_done, obligation.is_done]},
        )
    return obligation


def _move(
    actor: User,
    contract: SocialContract,
    case: Case,
    to_status: str,
    kind: str,
    *,
    fields: dict,
    event_data: dict | None = None,
) -> SocialContract:
    before = snapshot(contract, SocialContract.AUDITED_FIELDS)
    from_status = contract.status
    contract.status = to_status
    for name, value in fields.items():
        setattr(contract, name, value)
    contract.save(update_fields=["status", *fields])
    event(actor, case, kind, {"contract": contract.pk, "from": from_status, "to": to_status, **(event_data or {})})
    audit(
        actor,
        AuditAction.UPDATE,
        "social_contract",
        contract.pk,
        case,
        diff(before, snapshot(contract, SocialContract.AUDITED_FIELDS)),
    )
    return contract


def sign_contract(actor: User, contract_id, signed_on: dt.date) -> SocialContract:
    """draft -> signed on `signed_on`; the contract needs at least one obligation of the client."""
    with transaction.atomic():
        contract, case = _locked_contract(actor, contract_id)
        _check_move(contract, ContractStatus.SIGNED)
        errors: dict[str, list] = {}
        _check_day(signed_on, errors, "signed_on", not_before=case.opened_on)
        if not contract.obligations.filter(party=ObligationParty.CLIENT).exists():
            errors["obligations"] = [
                _("The contract has no obligations of the client: add at least one before signing.")
            ]
        if errors:
            raise ValidationFailed(errors)
        return _move(
            actor, contract, case, ContractStatus.SIGNED, PlanEventKind.CONTRACT_SIGNED, fields={"signed_on": signed_on}
        )


def start_contract(actor: User, contract_id, *, on: dt.date | None = None) -> SocialContract:
    """signed -> in progress (its carrying out has begun)."""
    with transaction.atomic():
        contract, case = _locked_contract(actor, contract_id)
        _check_move(contract, ContractStatus.IN_PROGRESS)
        day = on or timezone.localdate()
        errors: dict[str, list] = {}
        _check_day(day, errors, "on", not_before=contract.signed_on or case.opened_on)
        if errors:
            raise ValidationFailed(errors)
        return _move(
            actor,
            contract,
            case,
            ContractStatus.IN_PROGRESS,
            PlanEventKind.CONTRACT_STARTED,
            fields={},
            event_data={"on": day.isoformat()},
        )


def fulfil_contract(actor: User, contract_id, *, evaluation: str, on: dt.date | None = None) -> SocialContract:
    """in progress -> fulfilled, with the evaluation (part II of the contract)."""
    with transaction.atomic():
        contract, case = _locked_contract(actor, contract_id)
        _check_move(contract, ContractStatus.FULFILLED)
        day = on or timezone.localdate()
        errors: dict[str, list] = {}
        _check_day(day, errors, "on", not_before=contract.signed_on or case.opened_on)
        evaluation = text(evaluation)
        if not evaluation:
            errors["evaluation"] = [_("Write the evaluation of the contract.")]
        if errors:
            raise ValidationFailed(errors)
        return _move(
            actor,
            contract,
            case,
            ContractStatus.FULFILLED,
            PlanEventKind.CONTRACT_FULFILLED,
            fields={"evaluation": evaluation, "ended_on": day},
        )


def terminate_contract(actor: User, contract_id, *, reasons: str, on: dt.date | None = None) -> SocialContract:
    """signed or in progress -> terminated (ended early for reasons other than a breach), with reasons."""
    with transaction.atomic():
        contract, case = _locked_contract(actor, contract_id)
        _check_move(contract, ContractStatus.TERMINATED)
        day = on or timezone.localdate()
        errors: dict[str, list] = {}
        _check_day(day, errors, "on", not_before=contract.signed_on or case.opened_on)
        reasons = text(reasons)
        if not reasons:
            errors["reasons"] = [_("Say why the contract is terminated.")]
        if errors:
            raise ValidationFailed(errors)
        return _move(
            actor,
            contract,
            case,
            ContractStatus.TERMINATED,
            PlanEventKind.CONTRACT_TERMINATED,
            fields={"end_reasons": reasons, "ended_on": day},
        )


def _end_with_flag(
    actor: User, contract_id, to_status: str, *, reasons: str, consequence: str, on: dt.date
) -> SocialContract:
    kind, flag_kind = {
        ContractStatus.BREACHED: (PlanEventKind.CONTRACT_BREACHED, FlagKind.CONTRACT_BREACHED),
        ContractStatus.REFUSED: (PlanEventKind.CONTRACT_REFUSED, FlagKind.CONTRACT_REFUSED),
    }[to_status]
    with transaction.atomic():
        contract, case = _locked_contract(actor, contract_id)
        _check_move(contract, to_status)
        errors: dict[str, list] = {}
        _check_day(on, errors, "on", not_before=contract.signed_on or case.opened_on)
        reasons = text(reasons)
        if not reasons:
            errors["reasons"] = [
                _("A breach needs its reasons: say what was not kept.")
                if to_status == ContractStatus.BREACHED
                else _("A refusal needs its reasons: say why the client refused.")
            ]
        allowed = consequences_for(actor.centre.jurisdiction)
        if consequence not in allowed:
            errors["consequence"] = [_("Record the centre's decision on consequences.")]
        if errors:
            raise ValidationFailed(errors)
        _move(
            actor,
            contract,
            case,
            to_status,
            kind,
            fields={"end_reasons": reasons, "consequence": consequence, "ended_on": on},
            event_data={"consequence": consequence, "legal_basis": allowed[consequence]},
        )
        flag = CaseFlag.objects.create(
            case=case, kind=flag_kind, consequence=consequence, contract=contract, raised_on=on, raised_by=actor
        )
        audit(
            actor,
            AuditAction.CREATE,
            "case_flag",
            flag.pk,
            case,
            {
                "case": [None, case.pk],
                "kind": [None, flag_kind.value],
                "consequence": [None, consequence],
                "contract": [None, contract.pk],
                "raised_on": [None, on.isoformat()],
            },
        )
    return contract


def record_breach(actor: User, contract_id, *, reasons: str, consequence: str, on: dt.date) -> SocialContract:
    """signed or in progress -> breached, with reasons and consequence (art. 11 ust. 2 u.p.s.); raises a flag."""
    return _end_with_flag(actor, contract_id, ContractStatus.BREACHED, reasons=reasons, consequence=consequence, on=on)


def record_refusal(actor: User, contract_id, *, reasons: str, consequence: str, on: dt.date) -> SocialContract:
    """draft -> refused (the client would not conclude it), with reasons and consequence; raises a flag."""
    return _end_with_flag(actor, contract_id, ContractStatus.REFUSED, reasons=reasons, consequence=consequence, on=on)


def clear_flag(actor: User, flag_id, reason: str, *, on: dt.date | None = None) -> CaseFlag:
    """Clear an active flag with a reason (e.g. the client resumed cooperation). Clearing twice is a Conflict."""
    with transaction.atomic():
        case = locked_workable_case(actor, case_id_of(CaseFlag, actor, flag_id, "case"))
        flag = CaseFlag.objects.select_for_update().get(pk=as_int(flag_id))
        if flag.cleared_on is not None:
            raise Conflict(_("The flag has already been cleared."), code="flag_cleared")
        day = on or timezone.localdate()
        errors: dict[str, list] = {}
        _check_day(day, errors, "on", not_before=flag.raised_on)
        reason = text(reason)
        if not reason:
            errors["reason"] = [_("Say why the flag is cleared.")]
        if errors:
            raise ValidationFailed(errors)
        flag.cleared_on, flag.cleared_by, flag.cleared_reason = day, actor, reason
        flag.save(update_fields=["cleared_on", "cleared_by", "cleared_reason"])
        event(
            actor, case, PlanEventKind.FLAG_CLEARED, {"flag": flag.pk, "contract": flag.contract_id, "reason": reason}
        )
        audit(
            actor,
            AuditAction.UPDATE,
            "case_flag",
            flag.pk,
            case,
            {"cleared_on": [None, day.isoformat()], "cleared_reason": [None, reason]},
        )
    return flag
