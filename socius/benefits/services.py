"""Writes for benefits: applications, income declarations, proposals computed by the rulebook, four-eyes
approval with gapless numbering, and the decisions that change a grant (docs/decisions/0013).

Every service is one atomic step: it checks everything first and writes nothing when it refuses
(ValidationFailed → 400, Forbidden → 403, NotFound → 404, Conflict → 409 at the edge).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError

from socius.accounts.audit import record_event, snapshot
from socius.accounts.models import AuditAction, User
from socius.accounts.roles import AUTHORISE_APPROVERS, PROPOSE_DECISIONS
from socius.assessments.models import Assessment
from socius.assessments.selectors import DONE, completed_interviews_of
from socius.benefits import hooks
from socius.benefits.models import (
    Application,
    ApplicationMember,
    ApproverAuthorisation,
    Decision,
    DecisionCounter,
    DecisionEvent,
    DecisionEventKind,
    IncomeDeclaration,
    IncomeKind,
)
from socius.benefits.selectors import can_approve_decisions, facts_for_application, month_start
from socius.benefits.statuses import (
    APPLICATION_TRANSITIONS,
    DECISION_TRANSITIONS,
    GRANTING_KINDS,
    STATE_AFTER,
    STATES_BEFORE,
    ApplicationStatus,
    DecisionKind,
    DecisionStatus,
    GrantState,
    PaymentMethod,
    is_move_allowed,
)
from socius.casework.models import Case
from socius.casework.services import locked_workable_case
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.common.formatting import format_money, format_value
from socius.plans.models import CaseFlag, Consequence
from socius.registry.models import Membership
from socius.rulebook.engine import benefits as engine
from socius.rulebook.engine.benefit_documents import benefit_documents
from socius.rulebook.engine.data import PackDataError
from socius.rulebook.engine.jurisdiction import benefit_definition, get_jurisdiction
from socius.rulebook.engine.parameters import ParameterError

# A pack that asks for a current environmental interview before a decision names its validity here (months).
INTERVIEW_VALIDITY = "benefits/interview_validity"
MAX_AMOUNT = Decimal("9999999999.99")


class FourEyes(Forbidden):
    """Nobody approves their own proposal."""

    message = "Nobody approves their own proposal: another person with the right must approve it."


# --- small checks ---------------------------------------------------------------------------------------


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


def _money(value, field: str, errors: dict, *, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            errors[field] = [_("Enter an amount.")]
        return None
    if isinstance(value, bool | float):
        errors[field] = [_("Enter the amount as a number such as 950.00.")]
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[field] = [_("Enter the amount as a number such as 950.00.")]
        return None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        errors[field] = [_("Enter an amount of zero or more, with at most two decimal places.")]
        return None
    return amount.quantize(Decimal("0.01"))


def normalise_iban(value) -> str:
    return "".join(str(value or "").split()).upper()


def check_iban(value, errors: dict, field: str = "iban") -> str:
    """The IBAN in its compact form when python-stdnum validates it (country format and check digits)."""
    compact = normalise_iban(value)
    if not compact:
        errors[field] = [_("Enter the IBAN of the account the benefit is paid to.")]
        return ""
    try:
        return stdnum_iban.validate(compact)
    except StdnumError:
        errors[field] = [_("This is not a valid IBAN: check the country code, the length and the check digits.")]
        return ""


def _payment(data: dict, errors: dict) -> tuple[str, str]:
    method = data.get("payment_method") or ""
    if method not in PaymentMethod.values:
        errors["payment_method"] = [_("Choose how the benefit is paid: bank transfer or cash.")]
        return "", ""
    if method == PaymentMethod.BANK_TRANSFER:
        return method, check_iban(data.get("iban"), errors)
    return method, ""


def _definition(code: str):
    try:
        return benefit_definition(code)
    except engine.UnknownBenefit:
        return None


def _locked_application(actor: User, application_id) -> tuple[Application, Case]:
    pk = _as_int(application_id)
    case_id = (
        Application.objects.filter(pk=pk, centre_id=actor.centre_id).values_list("case_id", flat=True).first()
        if pk
        else None
    )
    if case_id is None:
        raise NotFound()
    case = _workable_case(actor, case_id)
    return Application.objects.select_for_update().get(pk=pk), case


def _workable_case(actor: User, case_id) -> Case:
    """The case, locked; NotFound outside the centre; Forbidden without the right to propose or its content;
    Conflict when closed."""
    if not actor.can(PROPOSE_DECISIONS):
        # Still 404 for a case outside the centre, so the existence of other centres' cases does not leak.
        if not Case.objects.filter(pk=_as_int(case_id), centre_id=actor.centre_id).exists():
            raise NotFound()
        raise Forbidden()
    return locked_workable_case(actor, case_id)


def _move_application(application: Application, to_status: str) -> None:
    if not is_move_allowed(APPLICATION_TRANSITIONS, application.status, to_status):
        raise Conflict(
            _("The application cannot move from “%(from)s” to “%(to)s”.")
            % {
                "from": ApplicationStatus(application.status).label,
                "to": ApplicationStatus(to_status).label,
            },
            code="invalid_transition",
        )
    application.status = to_status


def _audit(actor: User, action: str, object_type: str, record, changes: dict) -> None:
    record_event(
        actor,
        action,
        object_type=object_type,
        object_id=record.pk,
        centre_id=record.centre_id,
        person_id=record.applicant_id,
        changes=changes,
    )


def _event(actor: User | None, decision: Decision, kind: str, data: dict | None = None) -> DecisionEvent:
    return DecisionEvent.objects.create(
        decision=decision,
        case_id=decision.case_id,
        household_id=decision.household_id,
        person_id=decision.applicant_id,
        kind=kind,
        actor=actor,
        data={
            "decision": decision.pk,
            "kind": decision.kind,
            "benefit": decision.benefit,
            "amount": str(decision.amount),
            "currency": decision.currency,
            **(data or {}),
        },
    )


# --- applications ---------------------------------------------------------------------------------------


def documents_for(benefit: str) -> tuple:
    """The documents the benefit's pack lists for an application (benefits/documents.yaml)."""
    definition = _definition(benefit)
    if definition is None:
        return ()
    data_dir = get_jurisdiction(definition.country).data_dir
    return benefit_documents(data_dir).get(benefit, ()) if data_dir else ()


def _clean_application(actor: User, case: Case, data: dict, errors: dict, *, current: Application | None = None):
    get = (lambda k: data[k] if k in data else getattr(current, k, None)) if current else data.get
    benefit = get("benefit") if current is None else current.benefit
    definition = _definition(benefit) if isinstance(benefit, str) else None
    if definition is None or definition.country != actor.centre.jurisdiction:
        errors["benefit"] = [_("Choose a benefit of your centre's country.")]
    applied_on = get("applied_on")
    if not _is_date(applied_on):
        errors["applied_on"] = [_("Enter a date.")]
    elif applied_on > timezone.localdate():
        errors["applied_on"] = [_("The date cannot be in the future.")]
    elif applied_on < case.opened_on:
        errors["applied_on"] = [_("The date cannot be before the case was opened.")]
    period_from = get("period_from") or (applied_on if _is_date(applied_on) else None)
    period_to = get("period_to")
    if not _is_date(period_from):
        errors["period_from"] = [_("Enter the first month.")]
    if period_to is not None and not _is_date(period_to):
        errors["period_to"] = [_("Enter the last month.")]
    elif _is_date(period_to) and _is_date(period_from) and month_start(period_to) < month_start(period_from):
        errors["period_to"] = [_("The last month cannot be before the first.")]
    one_off = definition is not None and definition.payment == "one_off"
    if (
        one_off
        and _is_date(period_to)
        and "period_to" not in errors
        and month_start(period_to) != month_start(period_from)
    ):
        errors["period_to"] = [_("One-off aid is for one month: leave the last month empty.")]
    need = _money(get("need_amount"), "need_amount", errors, required=False)
    amounts = get("amounts") or {}
    if not isinstance(amounts, dict):
        errors["amounts"] = [_("Expected named amounts.")]
        amounts = {}
    clean_amounts = {}
    for name, value in amounts.items():
        amount = _money(value, f"amounts.{name}", errors)
        if amount is not None:
            clean_amounts[str(name)[:40]] = str(amount)
    flags = get("flags") or []
    if not isinstance(flags, list | tuple) or not all(isinstance(f, str) and 0 < len(f) <= 40 for f in flags):
        errors["flags"] = [_("Expected a list of circumstance codes.")]
        flags = []
    documents = get("documents") or {}
    known = {d.code for d in documents_for(benefit)} if definition else set()
    if not isinstance(documents, dict) or not all(isinstance(v, bool) for v in documents.values()):
        errors["documents"] = [_("Expected document codes with true (received) or false.")]
        documents = {}
    elif set(documents) - known:
        errors["documents"] = [
            _("Unknown documents for this benefit: %(codes)s.") % {"codes": ", ".join(sorted(set(documents) - known))}
        ]
    applicant = get("applicant")
    return {
        "benefit": benefit,
        "applied_on": applied_on,
        "ex_officio": bool(get("ex_officio")),
        "period_from": month_start(period_from) if _is_date(period_from) else None,
        "period_to": month_start(period_to) if _is_date(period_to) and not one_off else None,
        "purpose": _text(get("purpose"))[:200],
        "need_amount": need,
        "amounts": clean_amounts,
        "income_lost": bool(get("income_lost")),
        "flags": sorted(set(flags)),
        "documents": {code: documents[code] for code in sorted(documents)},
        "applicant": applicant,
    }


def _members_of_case(case: Case, on: dt.date) -> set[int]:
    if case.person_id:
        return {case.person_id}
    return set(
        Membership.objects.filter(household_id=case.household_id, valid_from__lte=on)
        .exclude(valid_until__lte=on)
        .values_list("person_id", flat=True)
    )


def file_application(actor: User, case_id, data: dict) -> Application:
    """A draft application on an open case the actor works. `data`: benefit (a code of the centre's
    country), applied_on, ex_officio, period_from / period_to (months; one-off aid: one month),
    applicant (a member of the case's household on the day; the head by default), purpose, need_amount,
    amounts ({name: amount}), income_lost, flags, documents ({code: received})."""
    with transaction.atomic():
        case = _workable_case(actor, case_id)
        errors: dict[str, list] = {}
        clean = _clean_application(actor, case, data, errors)
        applicant_id = _as_int(clean.pop("applicant"))
        day = clean["applied_on"] if _is_date(clean["applied_on"]) else timezone.localdate()
        members = _members_of_case(case, day)
        if applicant_id is None:
            applicant_id = case.person_id or (
                Membership.objects.filter(household_id=case.household_id, relationship="head", person_id__in=members)
                .values_list("person_id", flat=True)
                .first()
            )
        if applicant_id is None or applicant_id not in members:
            errors["applicant"] = [_("The applicant must be the case's person or a member of its household.")]
        if errors:
            raise ValidationFailed(errors)
        application = Application.objects.create(
            centre_id=case.centre_id,
            case=case,
            household_id=case.household_id,
            applicant_id=applicant_id,
            created_by=actor,
            **clean,
        )
        _audit(actor, AuditAction.CREATE, "benefit_application", application, _created(application))
        return application


def _created(application: Application) -> dict:
    return {k: [None, v] for k, v in snapshot(application, Application.AUDITED_FIELDS).items() if v not in ("", None)}


def update_application(actor: User, application_id, data: dict) -> Application:
    """Change a draft or returned application (not its benefit or case): the same fields as filing."""
    with transaction.atomic():
        application, case = _locked_application(actor, application_id)
        _require_editable(application)
        before = snapshot(application, Application.AUDITED_FIELDS)
        errors: dict[str, list] = {}
        clean = _clean_application(actor, case, data, errors, current=application)
        applicant_id = _as_int(clean.pop("applicant"))
        if applicant_id is not None and applicant_id not in _members_of_case(case, application.applied_on):
            errors["applicant"] = [_("The applicant must be the case's person or a member of its household.")]
        if errors:
            raise ValidationFailed(errors)
        for name, value in clean.items():
            setattr(application, name, value)
        if applicant_id is not None:
            application.applicant_id = applicant_id
        application.save()
        after = snapshot(application, Application.AUDITED_FIELDS)
        changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if changes:
            _audit(actor, AuditAction.UPDATE, "benefit_application", application, changes)
        return application


def _require_editable(application: Application) -> None:
    if application.status not in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED):
        raise Conflict(
            _("Only a draft or returned application can be changed; this one is “%(status)s”.")
            % {"status": ApplicationStatus(application.status).label},
            code="application_not_editable",
        )


def declare_incomes(actor: User, application_id, rows: Iterable[dict]) -> list[IncomeDeclaration]:
    """Replace the application's income declaration by `rows`: person (a member of the household on the
    application day), month, kind, amount, deductions, one_off, covers_months. Errors are keyed
    `incomes[i].field`; nothing is written when any row is wrong."""
    with transaction.atomic():
        application, case = _locked_application(actor, application_id)
        _require_editable(application)
        rows = list(rows) if isinstance(rows, list | tuple) else None
        errors: dict[str, list] = {}
        if rows is None:
            raise ValidationFailed({"incomes": [_("Expected a list of incomes.")]})
        if len(rows) > 500:
            raise ValidationFailed({"incomes": [_("At most 500 incomes per application.")]})
        members = _members_of_case(case, application.applied_on) | {application.applicant_id}
        clean = []
        for i, row in enumerate(rows):
            where = f"incomes[{i}]"
            if not isinstance(row, dict):
                errors[where] = [_("Expected an income.")]
                continue
            person = _as_int(row.get("person"))
            if person is None or person not in members:
                errors[f"{where}.person"] = [_("Choose a member of the household.")]
            month = row.get("month")
            if not _is_date(month):
                errors[f"{where}.month"] = [_("Enter the month.")]
            kind = row.get("kind")
            if kind not in IncomeKind.values:
                errors[f"{where}.kind"] = [_("Choose the kind of income.")]
            amount = _money(row.get("amount"), f"{where}.amount", errors)
            deductions = _money(row.get("deductions") or "0", f"{where}.deductions", errors)
            covers = row.get("covers_months", 1)
            if not isinstance(covers, int) or isinstance(covers, bool) or not 1 <= covers <= 120:
                errors[f"{where}.covers_months"] = [_("Enter a number of months from 1 to 120.")]
            clean.append(
                IncomeDeclaration(
                    application=application,
                    person_id=person,
                    month=month_start(month) if _is_date(month) else None,
                    kind=kind,
                    amount=amount,
                    deductions=deductions,
                    one_off=bool(row.get("one_off")),
                    covers_months=covers if isinstance(covers, int) else 1,
                )
            )
        if errors:
            raise ValidationFailed(errors)
        before = list(application.incomes.order_by("id").values_list("person_id", "month", "kind", "amount"))
        application.incomes.all().delete()
        created = IncomeDeclaration.objects.bulk_create(clean)
        _audit(
            actor,
            AuditAction.UPDATE,
            "benefit_application",
            application,
            {"incomes": [len(before) or None, len(created)]},
        )
        return created


def set_member_facts(actor: User, application_id, rows: Iterable[dict]) -> list[ApplicationMember]:
    """Replace what the registry lacks about members: person, unable_to_work, benefit_months_received,
    flags (pack codes such as "abroad")."""
    with transaction.atomic():
        application, case = _locked_application(actor, application_id)
        _require_editable(application)
        if not isinstance(rows, list | tuple):
            raise ValidationFailed({"members": [_("Expected a list of members.")]})
        members = _members_of_case(case, application.applied_on) | {application.applicant_id}
        errors: dict[str, list] = {}
        clean, seen = [], set()
        for i, row in enumerate(rows):
            where = f"members[{i}]"
            person = _as_int(row.get("person")) if isinstance(row, dict) else None
            if person is None or person not in members or person in seen:
                errors[f"{where}.person"] = [_("Choose a member of the household, once.")]
                continue
            seen.add(person)
            months = row.get("benefit_months_received", 0)
            if not isinstance(months, int) or isinstance(months, bool) or not 0 <= months <= 1200:
                errors[f"{where}.benefit_months_received"] = [_("Enter a number of months.")]
                months = 0
            flags = row.get("flags") or []
            if not isinstance(flags, list) or not all(isinstance(f, str) and 0 < len(f) <= 40 for f in flags):
                errors[f"{where}.flags"] = [_("Expected a list of circumstance codes.")]
                flags = []
            clean.append(
                ApplicationMember(
                    application=application,
                    person_id=person,
                    unable_to_work=bool(row.get("unable_to_work")),
                    benefit_months_received=months,
                    flags=sorted(set(flags)),
                )
            )
        if errors:
            raise ValidationFailed(errors)
        application.member_facts.all().delete()
        created = ApplicationMember.objects.bulk_create(clean)
        _audit(actor, AuditAction.UPDATE, "benefit_application", application, {"member_facts": [None, len(created)]})
        return created


def withdraw_application(actor: User, application_id) -> Application:
    with transaction.atomic():
        application, _case = _locked_application(actor, application_id)
        before = application.status
        _move_application(application, ApplicationStatus.WITHDRAWN)
        application.save(update_fields=["status", "updated_at"])
        _audit(actor, AuditAction.UPDATE, "benefit_application", application, {"status": [before, application.status]})
        return application


# --- the interview the law asks for --------------------------------------------------------------------


def _interview_validity(jurisdiction: str, on: dt.date) -> int | None:
    pack = get_jurisdiction(jurisdiction)
    if pack.data_dir is None or not pack.has_parameter(INTERVIEW_VALIDITY, on):
        return None
    return int(pack.parameter(INTERVIEW_VALIDITY, on))


def _oldest_valid_interview(on: dt.date, months: int) -> dt.date:
    year, month = divmod(on.year * 12 + on.month - 1 - months, 12)
    return dt.date(year, month + 1, min(on.day, 28))


def interview_gaps(case_ids: Iterable[int], jurisdiction: str, on: dt.date) -> dict[int, str]:
    """The rule of `check_interview` for many cases at once (the recalculation): {case id: "interview_missing"
    or "interview_outdated"} for each case whose decision the pack's interview rule would stop on `on`;
    empty when the pack asks for no interview. One query for any number of cases."""
    months = _interview_validity(jurisdiction, on)
    case_ids = list(dict.fromkeys(case_ids))
    if months is None or not case_ids:
        return {}
    latest = dict(
        Assessment.objects.filter(case_id__in=case_ids, status__in=DONE, completed_on__isnull=False)
        .values("case_id")
        .annotate(latest=Max("completed_on"))
        .values_list("case_id", "latest")
    )
    oldest = _oldest_valid_interview(on, months)
    gaps = {}
    for case_id in case_ids:
        if case_id not in latest:
            gaps[case_id] = "interview_missing"
        elif latest[case_id] < oldest:
            gaps[case_id] = "interview_outdated"
    return gaps


def check_interview(case: Case, jurisdiction: str, on: dt.date) -> None:
    """Conflict when the pack asks for a current environmental interview (INTERVIEW_VALIDITY, in months,
    e.g. PL art. 106 ust. 4 and art. 107 ust. 4 u.p.s.) and the case has none completed within it."""
    months = _interview_validity(jurisdiction, on)
    if months is None:
        return
    latest = completed_interviews_of(case.pk).first()
    if latest is None:
        raise Conflict(
            _("The law requires an environmental interview before this decision: complete one on case %(case)s.")
            % {"case": case.reference},
            code="interview_missing",
        )
    if latest.completed_on < _oldest_valid_interview(on, months):
        raise Conflict(
            _(
                "The latest environmental interview, completed on %(day)s, is older than %(months)s months: "
                "update it before this decision."
            )
            % {"day": latest.completed_on.isoformat(), "months": months},
            code="interview_outdated",
        )


# --- proposals ------------------------------------------------------------------------------------------


def _evaluate(benefit: str, facts: engine.Facts) -> engine.Outcome:
    try:
        return engine.evaluate(benefit, facts)
    except engine.BenefitNotInForce:
        raise Conflict(
            _("The benefit has no rules in force for %(month)s.") % {"month": facts.period.strftime("%Y-%m")},
            code="benefit_not_in_force",
        ) from None
    except (engine.UnknownBenefit, ParameterError, PackDataError) as exc:
        raise Conflict(
            _("The rules of this benefit cannot be applied: %(reason)s") % {"reason": str(exc)},
            code="rules_unavailable",
        ) from None


def stored_trace(outcome: engine.Outcome) -> list[dict]:
    """The trace as stored: every step without its labels (re-rendered from the pack by code)."""
    return [
        {
            "code": step.code,
            "value": engine.plain_value(step.value),
            "unit": step.unit,
            "parameter": step.parameter or None,
            "valid_from": step.valid_from.isoformat() if step.valid_from else None,
            "legal_basis": step.legal_basis,
            "source": step.source,
            "confirmed": step.confirmed,
        }
        for step in outcome.trace
    ]


def justification_from(outcome: engine.Outcome, language: str | None) -> str:
    """The justification in plain words from the trace: each step's label, value and law, one a line."""
    definition = benefit_definition(outcome.benefit)
    with override(language):
        lines = []
        for step in outcome.trace:
            label = step.label_in(language)
            value = format_value(engine.plain_value(step.value), step.unit, outcome.currency)
            basis = f" ({step.legal_basis})" if step.legal_basis else ""
            lines.append(f"{label}: {value}{basis}.")
        if outcome.eligible:
            lines.append(
                _("The conditions of %(benefit)s are met; the amount is %(amount)s.")
                % {
                    "benefit": definition.label_in(language),
                    "amount": format_money(outcome.amount, outcome.currency, language),
                }
            )
        else:
            lines.append(
                _("The conditions of %(benefit)s are not met: %(reasons)s.")
                % {
                    "benefit": definition.label_in(language),
                    "reasons": "; ".join(reason.label_in(language) for reason in outcome.reasons),
                }
            )
    return "\n".join(lines)


def _centre_language(case: Case) -> str:
    return get_jurisdiction(case.centre.jurisdiction).default_language


def _choose_amount(outcome: engine.Outcome, data: dict, errors: dict) -> Decimal:
    """The computed amount, or the centre's choice within the law's range (PL art. 38: minimum–maximum)."""
    if not outcome.eligible:
        return outcome.amount
    chosen = _money(data.get("amount"), "amount", errors, required=False)
    if chosen is None:
        return outcome.amount
    if outcome.minimum is None and outcome.maximum is None:
        if chosen != outcome.amount:
            errors["amount"] = [
                _("The law sets this amount (%(amount)s); it cannot be chosen.") % {"amount": outcome.amount}
            ]
        return chosen
    low = outcome.minimum if outcome.minimum is not None else Decimal("0")
    high = outcome.maximum if outcome.maximum is not None else outcome.amount
    if not low <= chosen <= high:
        errors["amount"] = [
            _("Choose an amount from %(low)s to %(high)s.") % {"low": low, "high": high},
        ]
    return chosen


def _law_of(outcome: engine.Outcome, facts: engine.Facts, member_ids: list[int]) -> dict:
    return {
        "facts": engine.facts_to_dict(facts),
        "member_ids": member_ids,
        "rules_version": outcome.rules_version,
        "formula_version": outcome.version,
        "parameters": outcome.parameters_used,
        "eligible": outcome.eligible,
        "reasons": [{"code": reason.code, "params": dict(reason.params)} for reason in outcome.reasons],
        "trace": stored_trace(outcome),
        "minimum": outcome.minimum,
        "maximum": outcome.maximum,
        "currency": outcome.currency,
    }


# A monthly grant is computed for its first month; the months after it are evaluated too, up to this many
# (an open-ended grant: the law known to the pack for the year ahead), to find where the law or the facts
# change the outcome inside the period (docs/decisions/0013, "A period the law changes in").
PERIOD_HORIZON_MONTHS = 12


def _same_outcome(first: engine.Outcome, later: engine.Outcome) -> bool:
    return (first.eligible, first.amount, first.minimum, first.maximum) == (
        later.eligible,
        later.amount,
        later.minimum,
        later.maximum,
    )


def first_change_in_period(
    application: Application, start: dt.date, end: dt.date | None, first: engine.Outcome
) -> tuple[dt.date, engine.Outcome] | None:
    """The first month after `start`, up to `end` (or PERIOD_HORIZON_MONTHS), whose outcome differs from
    `first` (eligibility, amount or range): a parameter dated inside the period, or a change of the household
    or its incomes; with that month's outcome. None when the whole period comes out the same."""
    month = month_start(start)
    last = _months_later(month, PERIOD_HORIZON_MONTHS - 1)
    if end is not None:
        last = min(last, month_start(end))
    while True:
        month = _months_later(month, 1)
        if month > last:
            return None
        facts, _members = facts_for_application(application, month)
        try:
            later = engine.evaluate(application.benefit, facts)
        except (engine.BenefitError, ParameterError, PackDataError):
            return None  # the rules stop there: the recalculation or the worker takes it from that month
        if not _same_outcome(first, later):
            return month, later


def _months_later(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month + 1, 1)


def _period_change_note(change: tuple[dt.date, engine.Outcome] | None, language: str) -> str:
    """The sentence a decision carries when its outcome changes inside its period."""
    if change is None:
        return ""
    month, later = change
    with override(language):
        changed = [
            f"{name} {used['value']} ({_('from')} {used['valid_from']})"
            for name, used in later.parameters_used.items()
            if used.get("valid_from") and used["valid_from"] >= month.isoformat()
        ]
        what = "; ".join(changed) or _("the household's situation")
        amount = format_money(later.amount, later.currency, language) if later.eligible else _("no entitlement")
        return _(
            "From %(month)s the outcome changes (%(what)s): %(amount)s. The months from then on are decided by "
            "an amending decision."
        ) % {"month": month.strftime("%Y-%m"), "what": what, "amount": amount}


def propose_decision(actor: User, application_id, data: dict | None = None, *, on: dt.date | None = None) -> Decision:
    """Compute the application's outcome with the law in force for its first month and store it as a
    proposal (a grant when eligible, else a refusal): facts snapshot, rules and formula version,
    parameters used, reasons and trace. `data`: amount (within the law's range, where it gives one),
    payment_method and iban (a grant), justification (else written from the trace).
    Conflict: the application is not draft or returned, the required interview is missing or old, or
    the rules cannot be applied."""
    data = data or {}
    on = on or timezone.localdate()
    with transaction.atomic():
        application, case = _locked_application(actor, application_id)
        if application.status not in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED):
            _move_application(application, ApplicationStatus.PROPOSED)  # raises the conflict with its reason
        check_interview(case, case.centre.jurisdiction, on)
        facts, member_ids = facts_for_application(application)
        outcome = _evaluate(application.benefit, facts)
        errors: dict[str, list] = {}
        amount = _choose_amount(outcome, data, errors)
        method, iban = _payment(data, errors) if outcome.eligible and amount > 0 else ("", "")
        if errors:
            raise ValidationFailed(errors)
        law = _law_of(outcome, facts, member_ids)
        justification = _text(data.get("justification")) or justification_from(outcome, _centre_language(case))
        if outcome.eligible and benefit_definition(application.benefit).payment == "monthly":
            change = first_change_in_period(application, facts.period, application.period_to, outcome)
            note = _period_change_note(change, _centre_language(case))
            justification = "\n".join(t for t in (justification, note) if t)
        decision = Decision.objects.create(
            centre_id=application.centre_id,
            case=case,
            household_id=application.household_id,
            applicant_id=application.applicant_id,
            application=application,
            kind=DecisionKind.GRANT if outcome.eligible else DecisionKind.REFUSAL,
            benefit=application.benefit,
            one_off=benefit_definition(application.benefit).payment == "one_off",
            period_from=application.period_from,
            period_to=application.period_to,
            amount=amount,
            payment_method=method,
            iban=iban,
            justification=justification,
            proposed_by=actor,
            **law,
        )
        _move_application(application, ApplicationStatus.PROPOSED)
        application.save(update_fields=["status", "updated_at"])
        _proposed(actor, decision)
        return decision


def _proposed(actor: User, decision: Decision) -> None:
    _event(actor, decision, DecisionEventKind.PROPOSED)
    record_event(
        actor,
        AuditAction.CREATE,
        object_type="benefit_decision",
        object_id=decision.pk,
        centre_id=decision.centre_id,
        person_id=decision.applicant_id,
        person_ids=decision.member_ids,
        changes={
            "kind": [None, decision.kind],
            "benefit": [None, decision.benefit],
            "amount": [None, str(decision.amount)],
            "status": [None, decision.status],
            **({"changes": [None, decision.changes_id]} if decision.changes_id else {}),
        },
    )


# --- approval and return -------------------------------------------------------------------------------


def _locked_decision(actor: User, decision_id) -> Decision:
    pk = _as_int(decision_id)
    if pk is None or not Decision.objects.filter(pk=pk, centre_id=actor.centre_id).exists():
        raise NotFound()
    return Decision.objects.select_for_update().get(pk=pk)


def _check_decision_move(decision: Decision, to_status: str) -> None:
    if not is_move_allowed(DECISION_TRANSITIONS, decision.status, to_status):
        raise Conflict(
            _("The decision cannot move from “%(from)s” to “%(to)s”.")
            % {"from": DecisionStatus(decision.status).label, "to": DecisionStatus(to_status).label},
            code="invalid_transition",
        )


def next_decision_number(centre_id: int, year: int) -> int:
    """The next number of the centre's year; call inside a transaction. The counter row stays locked
    (SELECT … FOR UPDATE) until the approval commits, so concurrent approvals queue and numbers are
    neither repeated nor skipped (a rollback gives the number back)."""
    DecisionCounter.objects.get_or_create(centre_id=centre_id, year=year)
    counter = DecisionCounter.objects.select_for_update().get(centre_id=centre_id, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def approve_decision(actor: User, decision_id, *, on: dt.date | None = None) -> Decision:
    """Approve a proposal: four eyes (never one's own; the right: team leader, director, or staff the
    director authorised), then the number of the centre's year, the date, and what the decision does to
    the application and to the grant it changes. Refused with nothing changed otherwise."""
    on = on or timezone.localdate()
    with transaction.atomic():
        if not can_approve_decisions(actor):
            if not Decision.objects.filter(pk=_as_int(decision_id), centre_id=actor.centre_id).exists():
                raise NotFound()
            raise Forbidden()
        decision = _locked_decision(actor, decision_id)
        if decision.proposed_by_id == actor.pk:
            raise FourEyes()
        _check_decision_move(decision, DecisionStatus.APPROVED)
        changed = None
        if decision.changes_id:
            changed = Decision.objects.select_for_update().get(pk=decision.changes_id)
            _check_changeable(changed, decision.kind)
        number = next_decision_number(decision.centre_id, on.year)
        decision.status = DecisionStatus.APPROVED
        decision.approved_by = actor
        decision.approved_at = timezone.now()
        decision.decided_on = on
        decision.year = on.year
        decision.number = number
        decision.reference = f"{number}/{on.year}"
        if decision.kind in GRANTING_KINDS and decision.eligible is not False:
            decision.state = GrantState.ACTIVE
        decision.save()
        _event(actor, decision, DecisionEventKind.APPROVED, {"reference": decision.reference})
        record_event(
            actor,
            AuditAction.UPDATE,
            object_type="benefit_decision",
            object_id=decision.pk,
            centre_id=decision.centre_id,
            person_id=decision.applicant_id,
            changes={"status": [DecisionStatus.PROPOSED, decision.status], "reference": [None, decision.reference]},
        )
        if changed is not None:
            before = changed.state
            changed.state = STATE_AFTER[decision.kind]
            changed.save(update_fields=["state"])
            _event(
                actor,
                changed,
                DecisionEventKind.STATE_CHANGED,
                {"state": [before, changed.state], "by": decision.reference, "from_month": str(decision.period_from)},
            )
            record_event(
                actor,
                AuditAction.UPDATE,
                object_type="benefit_decision",
                object_id=changed.pk,
                centre_id=changed.centre_id,
                person_id=changed.applicant_id,
                changes={"state": [before, changed.state]},
            )
        if decision.application_id and decision.kind in (DecisionKind.GRANT, DecisionKind.REFUSAL):
            application = Application.objects.select_for_update().get(pk=decision.application_id)
            before = application.status
            _move_application(application, ApplicationStatus.DECIDED)
            application.save(update_fields=["status", "updated_at"])
            _audit(actor, AuditAction.UPDATE, "benefit_application", application, {"status": [before, "decided"]})
        hooks.decisions_approved([decision])
        return decision


def period_change_of(decision: Decision) -> tuple[dt.date, engine.Outcome] | None:
    """For an active monthly grant (or amendment) on an application: the first month of its period whose
    outcome differs (a parameter dated inside the period, or the household's facts), with that month's
    outcome; what the decision page offers to amend from. A read: nothing is written."""
    if (
        decision.status != DecisionStatus.APPROVED
        or decision.kind not in GRANTING_KINDS
        or decision.state != GrantState.ACTIVE
        or decision.one_off
        or decision.application_id is None
    ):
        return None
    application = Application.objects.get(pk=decision.application_id)
    try:
        first = engine.evaluate(decision.benefit, facts_for_application(application, decision.period_from)[0])
    except (engine.BenefitError, ParameterError, PackDataError):
        return None
    return first_change_in_period(application, decision.period_from, decision.period_to, first)


def return_decision(actor: User, decision_id, comment: str) -> Decision:
    """Return a proposal to its author with a comment; its application may be corrected and proposed again."""
    with transaction.atomic():
        if not can_approve_decisions(actor):
            if not Decision.objects.filter(pk=_as_int(decision_id), centre_id=actor.centre_id).exists():
                raise NotFound()
            raise Forbidden()
        decision = _locked_decision(actor, decision_id)
        comment = _text(comment)
        if not comment:
            raise ValidationFailed({"comment": [_("Say what must be corrected.")]})
        if decision.proposed_by_id == actor.pk:
            raise FourEyes()
        _check_decision_move(decision, DecisionStatus.RETURNED)
        decision.status = DecisionStatus.RETURNED
        decision.returned_by = actor
        decision.returned_at = timezone.now()
        decision.returned_comment = comment[:4000]
        decision.save()
        _event(actor, decision, DecisionEventKind.RETURNED, {"comment": decision.returned_comment})
        record_event(
            actor,
            AuditAction.UPDATE,
            object_type="benefit_decision",
            object_id=decision.pk,
            centre_id=decision.centre_id,
            person_id=decision.applicant_id,
            changes={"status": [DecisionStatus.PROPOSED, decision.status]},
        )
        if decision.application_id and decision.kind in (DecisionKind.GRANT, DecisionKind.REFUSAL):
            application = Application.objects.select_for_update().get(pk=decision.application_id)
            _move_application(application, ApplicationStatus.RETURNED)
            application.save(update_fields=["status", "updated_at"])
        return decision


# --- decisions that change a grant --------------------------------------------------------------------


def _check_changeable(grant: Decision, kind: str) -> None:
    if grant.status != DecisionStatus.APPROVED or grant.kind not in GRANTING_KINDS or not grant.state:
        raise Conflict(_("Only an approved grant can be changed by a decision."), code="not_a_grant")
    if grant.state not in STATES_BEFORE[kind]:
        raise Conflict(
            _("A grant that is “%(state)s” cannot be changed by a decision of kind “%(kind)s”.")
            % {"state": GrantState(grant.state).label, "kind": DecisionKind(kind).label},
            code="invalid_transition",
        )


def _pending_change(grant: Decision) -> bool:
    return Decision.objects.filter(changes=grant, status=DecisionStatus.PROPOSED).exists()


def _change_proposal(
    actor: User,
    decision_id,
    kind: str,
    data: dict,
    *,
    on: dt.date | None = None,
    law: dict | None = None,
    amount: Decimal | None = None,
    extra: dict | None = None,
) -> Decision:
    pk = _as_int(decision_id)
    case_id = (
        Decision.objects.filter(pk=pk, centre_id=actor.centre_id).values_list("case_id", flat=True).first()
        if pk
        else None
    )
    if case_id is None:
        raise NotFound()
    case = _workable_case(actor, case_id)
    grant = _locked_decision(actor, pk)
    _check_changeable(grant, kind)
    if _pending_change(grant):
        raise Conflict(_("A proposal to change this decision is already waiting for approval."), code="change_pending")
    errors: dict[str, list] = {}
    from_month = data.get("from_month")
    if not _is_date(from_month):
        errors["from_month"] = [_("Enter the month from which the decision applies.")]
    elif month_start(from_month) < grant.period_from or (grant.period_to and month_start(from_month) > grant.period_to):
        errors["from_month"] = [_("The month must fall within the period of the decision it changes.")]
    justification = _text(data.get("justification"))
    if not justification and not (extra or {}).get("justification"):
        errors["justification"] = [_("Give the reasons for this decision.")]
    method, iban = grant.payment_method, grant.iban
    if kind == DecisionKind.AMENDMENT and "payment_method" in data:
        method, iban = _payment(data, errors)
    if errors:
        raise ValidationFailed(errors)
    law = law or {}
    extra = dict(extra or {})
    justification = "\n".join(t for t in (extra.pop("justification", ""), justification) if t)
    decision = Decision.objects.create(
        centre_id=grant.centre_id,
        case=case,
        household_id=grant.household_id,
        applicant_id=grant.applicant_id,
        application_id=grant.application_id,
        changes=grant,
        kind=kind,
        benefit=grant.benefit,
        one_off=grant.one_off,
        period_from=month_start(from_month),
        period_to=grant.period_to,
        amount=grant.amount if amount is None else amount,
        currency=law.pop("currency", grant.currency),
        minimum=law.pop("minimum", None),
        maximum=law.pop("maximum", None),
        payment_method=method if kind == DecisionKind.AMENDMENT else "",
        iban=iban if kind == DecisionKind.AMENDMENT else "",
        justification=justification,
        proposed_by=actor,
        **law,
        **extra,
    )
    _proposed(actor, decision)
    return decision


def propose_suspension(actor: User, decision_id, data: dict) -> Decision:
    """A proposal to suspend an active grant from `from_month`, with `justification`."""
    with transaction.atomic():
        return _change_proposal(actor, decision_id, DecisionKind.SUSPENSION, data)


def propose_resumption(actor: User, decision_id, data: dict) -> Decision:
    """A proposal to resume a suspended grant from `from_month`."""
    with transaction.atomic():
        return _change_proposal(actor, decision_id, DecisionKind.RESUMPTION, data)


def propose_revocation(actor: User, decision_id, data: dict) -> Decision:
    """A proposal to revoke (uchylić) a grant from `from_month`."""
    with transaction.atomic():
        return _change_proposal(actor, decision_id, DecisionKind.REVOCATION, data)


def propose_ending(actor: User, decision_id, data: dict) -> Decision:
    """A proposal to end a grant from `from_month` (the client no longer needs it, moved away, died)."""
    with transaction.atomic():
        return _change_proposal(actor, decision_id, DecisionKind.ENDING, data)


def propose_amendment(actor: User, decision_id, data: dict, *, on: dt.date | None = None) -> Decision:
    """A proposal to amend a grant from `from_month`: recomputed with the law in force that month from the
    registry and the application's incomes as they are now (the old decision keeps its own law); `amount`
    within the law's range where it gives one; payment method and IBAN may change."""
    on = on or timezone.localdate()
    with transaction.atomic():
        pk = _as_int(decision_id)
        grant = Decision.objects.filter(pk=pk, centre_id=actor.centre_id).select_related("application", "case").first()
        if grant is None:
            raise NotFound()
        if grant.application is None:
            raise Conflict(_("This decision has no application to recompute from."), code="no_application")
        from_month = data.get("from_month")
        if not _is_date(from_month):
            raise ValidationFailed({"from_month": [_("Enter the month from which the decision applies.")]})
        _workable_case(actor, grant.case_id)  # 404/403/409 before anything is computed
        check_interview(grant.case, grant.case.centre.jurisdiction, on)
        facts, member_ids = facts_for_application(grant.application, from_month)
        outcome = _evaluate(grant.benefit, facts)
        errors: dict[str, list] = {}
        amount = _choose_amount(outcome, data, errors)
        if errors:
            raise ValidationFailed(errors)
        law = _law_of(outcome, facts, member_ids)
        written = justification_from(outcome, _centre_language(grant.case))
        extra = {} if data.get("justification") else {"justification": written}
        return _change_proposal(
            actor, decision_id, DecisionKind.AMENDMENT, data, on=on, law=law, amount=amount, extra=extra
        )


# --- a social contract refused or breached (art. 11 ust. 2 u.p.s.) --------------------------------------


def propose_breach_consequence(actor: User, flag_id, data: dict | None = None) -> Decision:
    """The proposal that the consequence decided on a refused or breached social contract asks for, citing
    the contract: refuse_cash_aid → a refusal of the case's open application (`application`, or the only
    one), or with `decision` the revocation of that grant; suspend_cash_aid → the suspension of a grant
    (`decision`, or the case's only active one); reduce_cash_aid → an amendment of the grant to `amount`
    (lower than now), keeping its law. `from_month` for changes; `justification` adds to the citation."""
    data = dict(data or {})
    with transaction.atomic():
        pk = _as_int(flag_id)
        flag = (
            CaseFlag.objects.filter(pk=pk, case__centre_id=actor.centre_id).select_related("contract", "case").first()
            if pk
            else None
        )
        if flag is None:
            raise NotFound()
        case = _workable_case(actor, flag.case_id)
        if not flag.is_active:
            raise Conflict(_("This flag was cleared: it asks for no decision."), code="flag_cleared")
        if flag.consequence == Consequence.NONE:
            raise Conflict(
                _("The centre decided on no consequence for this contract: there is nothing to propose."),
                code="no_consequence",
            )
        if Decision.objects.filter(flag=flag, status=DecisionStatus.PROPOSED).exists():
            raise Conflict(_("A proposal for this flag is already waiting for approval."), code="change_pending")
        citation = _contract_citation(flag, case)
        extra = {"contract": flag.contract, "flag": flag, "justification": citation}
        if flag.consequence == Consequence.REFUSE_CASH_AID and not data.get("decision"):
            return _refuse_for_breach(actor, case, flag, data, extra)
        grant_id = _as_int(data.get("decision")) or _only_active_grant(case)
        if flag.consequence == Consequence.REFUSE_CASH_AID:
            return _change_proposal(actor, grant_id, DecisionKind.REVOCATION, data, extra=extra)
        if flag.consequence == Consequence.SUSPEND_CASH_AID:
            return _change_proposal(actor, grant_id, DecisionKind.SUSPENSION, data, extra=extra)
        # reduce_cash_aid: the same law, a lower amount chosen by the centre.
        grant = Decision.objects.filter(pk=grant_id, case=case).first()
        if grant is None:
            raise ValidationFailed({"decision": [_("Choose a grant of this case.")]})
        errors: dict[str, list] = {}
        amount = _money(data.get("amount"), "amount", errors)
        if amount is not None and amount >= grant.amount:
            errors["amount"] = [_("The reduced amount must be lower than %(amount)s.") % {"amount": grant.amount}]
        if errors:
            raise ValidationFailed(errors)
        law = {
            "facts": grant.facts,
            "member_ids": grant.member_ids,
            "rules_version": grant.rules_version,
            "formula_version": grant.formula_version,
            "parameters": grant.parameters,
            "eligible": grant.eligible,
            "reasons": grant.reasons,
            "trace": grant.trace,
            "currency": grant.currency,
            "minimum": grant.minimum,
            "maximum": grant.maximum,
        }
        return _change_proposal(actor, grant.pk, DecisionKind.AMENDMENT, data, law=law, amount=amount, extra=extra)


def _contract_citation(flag: CaseFlag, case: Case) -> str:
    from socius.plans.rules import consequence_wording

    wording, basis = consequence_wording(case.centre.jurisdiction).get(flag.consequence, ("", ""))
    contract = flag.contract
    return _(
        "The social contract of %(signed)s (no. %(contract)s) was %(what)s on %(day)s; the centre decided: "
        "%(consequence)s (%(basis)s)."
    ) % {
        "signed": (contract.signed_on or contract.valid_from).isoformat(),
        "contract": contract.pk,
        "what": _("refused") if flag.kind == "contract_refused" else _("not carried out"),
        "day": flag.raised_on.isoformat(),
        "consequence": wording or Consequence(flag.consequence).label,
        "basis": basis or "art. 11 ust. 2 u.p.s.",
    }


def _only_active_grant(case: Case) -> int | None:
    ids = list(
        Decision.objects.filter(
            case=case,
            status=DecisionStatus.APPROVED,
            kind__in=GRANTING_KINDS,
            state__in=(GrantState.ACTIVE, GrantState.SUSPENDED),
            amount__gt=0,
        ).values_list("pk", flat=True)[:2]
    )
    if len(ids) != 1:
        raise ValidationFailed({"decision": [_("Choose the grant this consequence applies to.")]})
    return ids[0]


def _refuse_for_breach(actor: User, case: Case, flag: CaseFlag, data: dict, extra: dict) -> Decision:
    open_statuses = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)
    application_id = _as_int(data.get("application"))
    candidates = Application.objects.filter(case=case, status__in=open_statuses)
    if application_id is not None:
        candidates = candidates.filter(pk=application_id)
    found = list(candidates.values_list("pk", flat=True)[:2])
    if len(found) != 1:
        raise ValidationFailed({"application": [_("Choose the open application of this case to refuse.")]})
    application = Application.objects.select_for_update().get(pk=found[0])
    definition = benefit_definition(application.benefit)
    jurisdiction = get_jurisdiction(definition.country)
    justification = "\n".join(t for t in (extra.pop("justification"), _text(data.get("justification"))) if t)
    decision = Decision.objects.create(
        centre_id=application.centre_id,
        case=case,
        household_id=application.household_id,
        applicant_id=application.applicant_id,
        application=application,
        kind=DecisionKind.REFUSAL,
        benefit=application.benefit,
        one_off=definition.payment == "one_off",
        period_from=application.period_from,
        period_to=application.period_to,
        amount=Decimal("0.00"),
        currency=jurisdiction.currency,
        rules_version=jurisdiction.rules_version,
        eligible=False,
        justification=justification,
        proposed_by=actor,
        **extra,
    )
    _move_application(application, ApplicationStatus.PROPOSED)
    application.save(update_fields=["status", "updated_at"])
    _proposed(actor, decision)
    return decision


# --- who may approve ------------------------------------------------------------------------------------


def authorise_approver(actor: User, user_id) -> ApproverAuthorisation:
    """The director authorises a member of staff of the centre to approve decisions (audited)."""
    with transaction.atomic():
        if not actor.can(AUTHORISE_APPROVERS):
            raise Forbidden()
        user = User.objects.filter(pk=_as_int(user_id), centre_id=actor.centre_id, is_active=True).first()
        if user is None:
            raise NotFound()
        if ApproverAuthorisation.objects.filter(user=user, revoked_at__isnull=True).exists():
            raise Conflict(_("This person is already authorised to approve decisions."), code="already_authorised")
        grant = ApproverAuthorisation.objects.create(centre_id=actor.centre_id, user=user, granted_by=actor)
        record_event(
            actor,
            AuditAction.CREATE,
            object_type="approver_authorisation",
            object_id=grant.pk,
            centre_id=actor.centre_id,
            changes={"user": [None, user.pk]},
        )
        return grant


def revoke_approver(actor: User, user_id) -> ApproverAuthorisation:
    with transaction.atomic():
        if not actor.can(AUTHORISE_APPROVERS):
            raise Forbidden()
        grant = (
            ApproverAuthorisation.objects.select_for_update()
            .filter(user_id=_as_int(user_id), centre_id=actor.centre_id, revoked_at__isnull=True)
            .first()
        )
        if grant is None:
            raise NotFound()
        grant.revoked_at = timezone.now()
        grant.revoked_by = actor
        grant.save(update_fields=["revoked_at", "revoked_by"])
        record_event(
            actor,
            AuditAction.UPDATE,
            object_type="approver_authorisation",
            object_id=grant.pk,
            centre_id=actor.centre_id,
            changes={"revoked_at": [None, grant.revoked_at.isoformat()]},
        )
        return grant


__all__ = [
    "FourEyes",
    "approve_decision",
    "authorise_approver",
    "check_iban",
    "check_interview",
    "declare_incomes",
    "documents_for",
    "file_application",
    "first_change_in_period",
    "interview_gaps",
    "justification_from",
    "period_change_of",
    "propose_amendment",
    "propose_breach_consequence",
    "propose_decision",
    "propose_ending",
    "propose_resumption",
    "propose_revocation",
    "propose_suspension",
    "return_decision",
    "revoke_approver",
    "set_member_facts",
    "update_application",
    "withdraw_application",
]
