"""The client's co-payment for a service decision: assessed by the pack's dated rules (rulebook
`evaluate_copayment`) from the income facts, stored with its trace, in force from a date until the next one.

A draft's co-payment is assessed by whoever may work the draft (its drafter, a worker on its case) or by one
who issues decisions; an issued or suspended decision is re-assessed (a new income, a new rule) only by one who
issues decisions. An ended or cancelled decision is closed. A second assessment from the same day replaces the
first (the audit keeps the old values). What a month costs the client is `copayment_due(assessment, cost,
income)` (rulebook), applied by the monthly statements to the assessment in force (`copayment_in_force`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from socius.accounts.audit import record_event, record_view
from socius.accounts.models import AuditAction, User
from socius.benefits.selectors import applications_readable_by, composition_day, members_on
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.rulebook import CopaymentFacts, CopaymentNotInForce, UnknownCode, evaluate_copayment, get_jurisdiction
from socius.services.errors import ServiceNotOffered
from socius.services.models import CopaymentAssessment, ServiceDecision
from socius.services.permissions import can_draft_on, can_issue_decision, can_view_decision
from socius.services.statuses import DecisionStatus

OBJECT_TYPE = "service_copayment"
OPEN_STATUSES = (DecisionStatus.DRAFT, DecisionStatus.ISSUED, DecisionStatus.SUSPENDED)
MAX_INCOME = Decimal("9999999999.99")  # the column's MONEY limit
MAX_HOUSEHOLD = 30
CENT = Decimal("0.01")
STORED_FIELDS = (
    "income", "household_size", "lives_alone", "free", "share_of_cost_percent", "income_cap_percent",
    "rule_version", "rules_version",
)  # fmt: skip


def _locked_decision(actor: User, decision) -> ServiceDecision:
    pk = getattr(decision, "pk", decision)
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not actor.centre_id:
        raise NotFound()
    if not list(
        ServiceDecision.objects.select_for_update()
        .filter(pk=pk, centre_id=actor.centre_id)
        .values_list("pk", flat=True)
    ):
        raise NotFound()
    locked = ServiceDecision.objects.select_related("centre", "case").get(pk=pk)
    if not can_view_decision(actor, locked):
        raise NotFound()
    return locked


def _check_inputs(income, household_size, lives_alone, valid_from, decision: ServiceDecision) -> dict:
    errors: dict[str, list] = {}
    try:
        income = Decimal(str(income)) if not isinstance(income, (bool, float)) and income is not None else None
    except InvalidOperation:
        income = None
    if income is None or not income.is_finite():
        errors["income"] = [_("Enter the monthly income as an amount.")]
    elif income < 0 or income > MAX_INCOME or income != income.quantize(CENT):
        errors["income"] = [_("Enter an amount from 0 with at most two decimal places.")]
    if isinstance(household_size, bool) or not isinstance(household_size, int):
        errors["household_size"] = [_("Enter the number of persons in the household.")]
    elif not 1 <= household_size <= MAX_HOUSEHOLD:
        errors["household_size"] = [_("Enter a number from 1 to %(n)s.") % {"n": MAX_HOUSEHOLD}]
    if not isinstance(lives_alone, bool):
        errors["lives_alone"] = [_("Say whether the client lives alone.")]
    elif lives_alone and isinstance(household_size, int) and household_size > 1 and "household_size" not in errors:
        errors["lives_alone"] = [_("A client who lives alone is a household of one person.")]
    if not isinstance(valid_from, dt.date) or isinstance(valid_from, dt.datetime):
        errors["valid_from"] = [_("Enter a date.")]
    elif valid_from < decision.starts_on:
        errors["valid_from"] = [
            _("The co-payment cannot start before the decision (%(day)s).") % {"day": decision.starts_on.isoformat()}
        ]
    elif decision.ends_on is not None and valid_from > decision.ends_on:
        errors["valid_from"] = [
            _("The co-payment cannot start after the decision ends (%(day)s).") % {"day": decision.ends_on.isoformat()}
        ]
    if errors:
        raise ValidationFailed(errors)
    return {"income": income}


@transaction.atomic
def assess_copayment(
    actor: User, decision, *, income, household_size, lives_alone, valid_from, on: dt.date
) -> CopaymentAssessment:
    """Assess the decision's co-payment from `valid_from` with the rules in force on that day; the outcome and
    its trace (statutory wording) are stored. `on` is the day the assessment is made (the audit's day)."""
    locked = _locked_decision(actor, decision)
    if locked.status == DecisionStatus.DRAFT:
        allowed = can_draft_on(actor, locked) or can_issue_decision(actor, locked)
    else:
        allowed = can_issue_decision(actor, locked)
    if not allowed:
        raise Forbidden()
    if locked.status not in OPEN_STATUSES:
        raise Conflict(
            _("The decision is %(status)s: its co-payment can no longer change.")
            % {"status": DecisionStatus(locked.status).label.lower()},
            code="decision_closed",
        )
    cleaned = _check_inputs(income, household_size, lives_alone, valid_from, locked)
    facts = CopaymentFacts(income=cleaned["income"], household_size=household_size, lives_alone=lives_alone)
    country = locked.centre.jurisdiction
    try:
        outcome = evaluate_copayment(country, locked.service_code, facts, valid_from)
    except UnknownCode:
        raise ServiceNotOffered(locked.service_code) from None
    except CopaymentNotInForce:
        raise ValidationFailed(
            {"valid_from": [_("No co-payment rule for this service is in force on %(day)s.") % {"day": valid_from}]}
        ) from None
    values = {
        "income": cleaned["income"],
        "household_size": household_size,
        "lives_alone": lives_alone,
        "free": outcome.free,
        "share_of_cost_percent": outcome.share_of_cost_percent.quantize(CENT),
        "income_cap_percent": None if outcome.income_cap_percent is None else outcome.income_cap_percent.quantize(CENT),
        "rule_version": outcome.rule_version,
        "rules_version": outcome.rules_version,
        "trace": outcome.as_dict(None)["trace"],
    }
    existing = CopaymentAssessment.objects.filter(decision=locked, valid_from=valid_from).first()
    if existing is None:
        assessment = CopaymentAssessment.objects.create(
            decision=locked, valid_from=valid_from, computed_by=actor, **values
        )
        action = AuditAction.CREATE
        changes = {field: [None, _plain(getattr(assessment, field))] for field in ("valid_from", *STORED_FIELDS)}
    else:
        before = {field: _plain(getattr(existing, field)) for field in STORED_FIELDS}
        for field, value in values.items():
            setattr(existing, field, value)
        existing.computed_by = actor
        existing.save()
        assessment = existing
        action = AuditAction.UPDATE
        after = {field: _plain(getattr(existing, field)) for field in STORED_FIELDS}
        changes = {field: [before[field], after[field]] for field in STORED_FIELDS if before[field] != after[field]}
    record_event(
        actor,
        action,
        object_type=OBJECT_TYPE,
        object_id=assessment.pk,
        centre_id=locked.centre_id,
        person_id=locked.person_id,
        changes={"decision": [None, locked.pk], **changes} if action == AuditAction.CREATE else changes,
    )
    return assessment


def _plain(value):
    if isinstance(value, (Decimal, dt.date)):
        return str(value)
    return value


def copayment_in_force(decision, day: dt.date) -> CopaymentAssessment | None:
    """The assessment in force on `day`: the latest one from a date on or before it; None before the first."""
    decision_id = getattr(decision, "pk", decision)
    return (
        CopaymentAssessment.objects.filter(decision_id=decision_id, valid_from__lte=day)
        .order_by("-valid_from", "-id")
        .first()
    )


def copayment_history(decision) -> list[CopaymentAssessment]:
    """Every assessment of the decision, newest first (the decision page's co-payment history)."""
    decision_id = getattr(decision, "pk", decision)
    return list(CopaymentAssessment.objects.filter(decision_id=decision_id).select_related("computed_by"))


@dataclass(frozen=True)
class IncomeSuggestion:
    """The income facts a worker may start the co-payment from: the last month declared in the client's latest
    benefit application (net of deductions), per person in the household on that month, or the person's own."""

    income: Decimal
    household_size: int
    lives_alone: bool
    month: dt.date
    application_id: int


def suggest_income(actor: User, decision, on: dt.date) -> IncomeSuggestion | None:
    """A suggestion from the benefits' declared incomes, for one who reads the decision and the application
    (audited as a view of the application under the persons whose incomes it shows); None when there is none
    or the actor does not read benefit applications. The worker checks it before assessing."""
    pk = getattr(decision, "pk", decision)
    try:
        found = ServiceDecision.objects.select_related("centre", "case").get(pk=int(pk), centre_id=actor.centre_id)
    except (TypeError, ValueError, ServiceDecision.DoesNotExist):
        raise NotFound() from None
    if not can_view_decision(actor, found):
        raise NotFound()
    try:
        readable = applications_readable_by(actor)
    except Forbidden:
        return None
    whose = Q(applicant_id=found.person_id)
    if found.household_id:
        whose |= Q(household_id=found.household_id)
    application = readable.filter(whose, applied_on__lte=on, incomes__isnull=False).distinct().first()
    if application is None:
        return None
    incomes = list(application.incomes.all())
    month = max(row.month for row in incomes)
    rows = [row for row in incomes if row.month == month]
    total = sum((max(row.amount - row.deductions, Decimal(0)) for row in rows), Decimal(0))
    size = max(len(members_on(application, composition_day(application, month))), 1)
    income = get_jurisdiction(found.centre.jurisdiction).round_money(total / size)
    record_view(
        actor,
        object_type="benefit_application",
        object_id=application.pk,
        centre_id=found.centre_id,
        person_id=application.applicant_id,
        person_ids=[row.person_id for row in rows],
    )
    return IncomeSuggestion(
        income=income, household_size=size, lives_alone=size == 1, month=month, application_id=application.pk
    )
