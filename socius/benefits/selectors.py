"""Reads for benefits: who may see which application or decision, the engine's facts from the registry,
the amounts due in a month (for payments) and the rows the timelines and the desk show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from socius.accounts.models import User
from socius.accounts.roles import APPROVE_DECISIONS, AUTHORISE_APPROVERS, CAPABILITIES, VIEW_CASES, VIEW_DECISIONS
from socius.benefits.models import (
    Application,
    ApproverAuthorisation,
    Decision,
    DecisionEvent,
)
from socius.benefits.statuses import DecisionKind, DecisionStatus, GrantState, PaymentMethod
from socius.casework.models import Case
from socius.casework.permissions import can_view_case_content
from socius.casework.selectors import content_readable_q
from socius.common.errors import Forbidden, NotFound
from socius.registry.models import DisabilityDegree, EmploymentStatus, Membership, Person
from socius.rulebook.engine.benefits import Facts, IncomeRecord, Label, Member, Reason
from socius.rulebook.engine.jurisdiction import get_jurisdiction

# --- who may see and approve --------------------------------------------------------------------------


def is_authorised_approver(actor: User) -> bool:
    """Staff the director authorised to approve (ApproverAuthorisation not revoked), read once per actor."""
    cached = getattr(actor, "_benefits_authorised", None)
    if cached is None:
        cached = bool(
            actor.pk
            and actor.is_active
            and actor.centre_id
            and ApproverAuthorisation.objects.filter(
                user_id=actor.pk, centre_id=actor.centre_id, revoked_at__isnull=True
            ).exists()
        )
        actor._benefits_authorised = cached
    return cached


def can_approve_decisions(actor: User) -> bool:
    """Team leaders and the director by their role; other staff when the director authorised them."""
    return bool(actor.centre_id) and (actor.can(APPROVE_DECISIONS) or is_authorised_approver(actor))


def approver_authorisations_for(actor: User) -> QuerySet[ApproverAuthorisation]:
    """The director's authorisations of staff to approve decisions, current and past, newest first
    (Forbidden for anyone without AUTHORISE_APPROVERS)."""
    if not (actor.centre_id and actor.can(AUTHORISE_APPROVERS)):
        raise Forbidden()
    return (
        ApproverAuthorisation.objects.filter(centre_id=actor.centre_id)
        .select_related("user", "granted_by", "revoked_by")
        .order_by("-granted_at", "-id")
    )


def staff_to_authorise_for(actor: User) -> QuerySet[User]:
    """Active staff of the actor's centre who may be authorised: not approving by their role already, and
    not authorised now."""
    if not (actor.centre_id and actor.can(AUTHORISE_APPROVERS)):
        raise Forbidden()
    approving_roles = [role for role, caps in CAPABILITIES.items() if APPROVE_DECISIONS in caps]
    current = ApproverAuthorisation.objects.filter(centre_id=actor.centre_id, revoked_at__isnull=True)
    return (
        User.objects.filter(centre_id=actor.centre_id, is_active=True)
        .exclude(role__in=approving_roles)
        .exclude(pk__in=current.values("user_id"))
        .order_by("last_name", "first_name", "username", "id")
    )


def reads_every_decision(actor: User) -> bool:
    """Finance, auditors, the director and every approver read all the centre's applications and decisions
    (an approver must see a proposal to judge it); others read those of cases whose content they read."""
    return actor.can(VIEW_DECISIONS) or can_approve_decisions(actor)


def can_view_benefits(actor: User) -> bool:
    return bool(actor.is_active and actor.centre_id) and (actor.can(VIEW_CASES) or can_approve_decisions(actor))


def _scope_q(actor: User, prefix: str = "case__") -> Q:
    if reads_every_decision(actor):
        return Q(centre_id=actor.centre_id)
    return Q(centre_id=actor.centre_id) & Q(
        **{f"{prefix}in": Case.objects.filter(content_readable_q(actor)).values("pk")}
    )


def _require_view(actor: User) -> None:
    if not (actor and actor.is_authenticated and can_view_benefits(actor)):
        raise Forbidden()


def applications_readable_by(actor: User) -> QuerySet[Application]:
    _require_view(actor)
    return (
        Application.objects.filter(_scope_q(actor))
        .select_related("case", "applicant", "household")
        .prefetch_related("incomes", "member_facts")
        .order_by("-applied_on", "-id")
    )


def decisions_readable_by(actor: User) -> QuerySet[Decision]:
    _require_view(actor)
    return (
        Decision.objects.filter(_scope_q(actor))
        .select_related("case", "applicant", "proposed_by", "approved_by", "returned_by")
        .order_by("-proposed_at", "-id")
    )


def _one(actor: User, model, pk, queryset):
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    found = queryset.filter(pk=pk).first()
    if found is not None:
        return found
    # In the centre but not readable: 403 (the record exists for the actor's centre), else 404.
    if model.objects.filter(pk=pk, centre_id=actor.centre_id).exists():
        raise Forbidden()
    raise NotFound()


def get_application_for(actor: User, pk) -> Application:
    return _one(actor, Application, pk, applications_readable_by(actor))


def get_decision_for(actor: User, pk) -> Decision:
    return _one(actor, Decision, pk, decisions_readable_by(actor))


def may_read_case_of(actor: User, record) -> bool:
    return reads_every_decision(actor) or can_view_case_content(actor, record.case)


# --- persons a record shows (for the audit) ----------------------------------------------------------


def persons_shown_by(records) -> dict[int, list[int]]:
    """{record id: the persons whose data it shows}: the party, every member in its facts' household
    (the declared incomes' persons for an application), in one or two queries for any number."""
    records = list(records)
    out: dict[int, list[int]] = {r.pk: [r.applicant_id] for r in records}
    applications = [r for r in records if isinstance(r, Application)]
    if applications:
        from socius.benefits.models import IncomeDeclaration

        rows = IncomeDeclaration.objects.filter(application__in=applications).values_list("application_id", "person_id")
        for application_id, person_id in rows:
            if person_id not in out[application_id]:
                out[application_id].append(person_id)
    for record in records:
        for person_id in (record.member_ids or []) if isinstance(record, Decision) else []:
            if person_id not in out[record.pk]:
                out[record.pk].append(person_id)
    return out


# --- facts for the engine ------------------------------------------------------------------------------

_ROLES = {
    "spouse": "spouse",
    "partner": "partner",
    "child": "child",
    "grandchild": "child",
    "parent": "parent",
}
_DISABLED = {
    DisabilityDegree.MILD,
    DisabilityDegree.MODERATE,
    DisabilityDegree.SEVERE,
    DisabilityDegree.CHILD,
}


_UNEMPLOYED = (EmploymentStatus.UNEMPLOYED_REGISTERED, EmploymentStatus.UNEMPLOYED_UNREGISTERED)


def registry_member(
    relationship: str,
    *,
    is_applicant: bool,
    birth_date: dt.date | None,
    employment_status: str,
    disability_degree: str,
    incomes: tuple[IncomeRecord, ...] = (),
    unable_to_work: bool = False,
    benefit_months_received: int = 0,
    flags=(),
) -> Member:
    """A registry person as the engine counts them: the role from the membership's relationship, employment
    and disability from the registry, what the registry lacks (unable to work, months received, flags) as
    the application states it. The one mapping, for one application and for a batch."""
    return Member(
        role="applicant" if is_applicant else _ROLES.get(relationship, "other"),
        birth_date=birth_date,
        incomes=incomes,
        unable_to_work=unable_to_work or employment_status == EmploymentStatus.UNABLE,
        unemployed=employment_status in _UNEMPLOYED,
        disabled=disability_degree in _DISABLED,
        benefit_months_received=benefit_months_received,
        flags=frozenset(
            [*flags]
            + (["registered_unemployed"] if employment_status == EmploymentStatus.UNEMPLOYED_REGISTERED else [])
        ),
    )


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    first_next = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first_next - dt.timedelta(days=1)


def composition_day(application: Application, month: dt.date) -> dt.date:
    """The day the household is counted on for a month: the application day when it falls in that month,
    else the month's first day."""
    month = month_start(month)
    if month_start(application.applied_on) == month:
        return application.applied_on
    return month


def members_on(application: Application, day: dt.date) -> list[tuple[Person, str]]:
    """(person, relationship) of the application's household on `day` (dated memberships), the applicant
    first; a case of one person: that person alone."""
    if application.household_id is None:
        return [(application.applicant, "head")]
    memberships = (
        Membership.objects.filter(household_id=application.household_id, valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=day))
        .select_related("person")
        .order_by("valid_from", "id")
    )
    rows = [(m.person, m.relationship) for m in memberships]
    rows.sort(key=lambda row: row[0].pk != application.applicant_id)
    if not rows or rows[0][0].pk != application.applicant_id:
        rows.insert(0, (application.applicant, "head"))
    return rows


# A pack that counts the months of a benefit already received from the decisions (LT: the single person's
# coefficient by month of receipt) names the break, in months, after which the count starts again.
MONTHS_RECEIVED_GAP = "benefits/months_received_restart_gap"


def _months_between(earlier: dt.date, later: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month + 1, 1)


def months_received_of(benefit: str, person_ids, period: dt.date) -> dict[int, list[dt.date]]:
    """{person: the months before `period` for which an approved grant (or amendment) of `benefit` with the
    person as its party paid an amount}, from the decisions: a grant covers its period, cut from the month
    an approved revocation, ending or amendment of it applies, and without the months between an approved
    suspension and the next resumption. Two queries for any number of persons."""
    period = month_start(period)
    person_ids = list(person_ids)
    grants = list(
        Decision.objects.filter(
            benefit=benefit,
            applicant_id__in=person_ids,
            status=DecisionStatus.APPROVED,
            kind__in=(DecisionKind.GRANT, DecisionKind.AMENDMENT),
            eligible=True,
            amount__gt=0,
            one_off=False,
            period_from__lt=period,
        ).values_list("pk", "applicant_id", "period_from", "period_to")
    )
    changes: dict[int, list[tuple[dt.date, str]]] = {}
    for changed, starts, kind in (
        Decision.objects.filter(changes_id__in=[g[0] for g in grants], status=DecisionStatus.APPROVED)
        .order_by("period_from", "id")
        .values_list("changes_id", "period_from", "kind")
    ):
        changes.setdefault(changed, []).append((month_start(starts), kind))
    received: dict[int, set[dt.date]] = {pk: set() for pk in person_ids}
    last = _add_months(period, -1)
    for pk, person, start, end in grants:
        stop = min(month_start(end), last) if end else last
        suspended_from = None
        cut = stop
        paused: list[tuple[dt.date, dt.date]] = []
        for starts, kind in changes.get(pk, ()):
            if kind in (DecisionKind.REVOCATION, DecisionKind.ENDING, DecisionKind.AMENDMENT):
                cut = min(cut, _add_months(starts, -1))
                break
            if kind == DecisionKind.SUSPENSION and suspended_from is None:
                suspended_from = starts
            elif kind == DecisionKind.RESUMPTION and suspended_from is not None:
                paused.append((suspended_from, starts))
                suspended_from = None
        if suspended_from is not None:
            paused.append((suspended_from, _add_months(period, 1)))
        month = month_start(start)
        while month <= cut:
            if not any(a <= month < b for a, b in paused):
                received[person].add(month)
            month = _add_months(month, 1)
    return {person: sorted(months) for person, months in received.items()}


def months_received_gap(benefit: str, period: dt.date) -> int | None:
    """The pack's break, in months, after which the count of months received starts again, for a pack that
    counts them from the decisions (MONTHS_RECEIVED_GAP); None where the worker's entry alone counts."""
    definition = _definition_or_none(benefit)
    if definition is None:
        return None
    pack = get_jurisdiction(definition.country)
    if pack.data_dir is None or not pack.has_parameter(MONTHS_RECEIVED_GAP, period):
        return None
    return int(pack.parameter(MONTHS_RECEIVED_GAP, period))


def months_received_counted(months: list[dt.date], period: dt.date, gap: int, entered: int) -> int:
    """The months of `months` (received, sorted) counted back from `period` until a break of at least `gap`
    months; `entered` (months received before Socius) added when no such break lies between the earliest
    recorded month and `period`."""
    count, later, broken = 0, period, False
    for month in reversed(months):
        if _months_between(month, later) - 1 >= gap:
            broken = True
            break
        count += 1
        later = month
    # A break (also one right before the period) starts the count again, so the months received
    # before Socius, earlier still, no longer count.
    return count + (0 if broken else entered)


def months_received_from_records(
    benefit: str, period: dt.date, entered: dict[int, int], person_ids
) -> dict[int, int] | None:
    """{person: months of `benefit` received before `period`} for a pack that counts them
    (MONTHS_RECEIVED_GAP), else None (the worker's entry alone). The months counted back from `period` until
    a break of at least the pack's gap; the worker's entry (`entered`: months received before Socius) is added
    when no such break lies between the earliest recorded month and `period`."""
    period = month_start(period)
    gap = months_received_gap(benefit, period)
    if gap is None:
        return None
    return {
        person: months_received_counted(months, period, gap, entered.get(person, 0))
        for person, months in months_received_of(benefit, person_ids, period).items()
    }


def facts_for_application(application: Application, month: dt.date | None = None) -> tuple[Facts, list[int]]:
    """The engine's facts for the application and a month (its first month by default), and the persons
    counted, in order. Composition from the dated memberships; birth dates, disability and employment from
    the registry; incomes and what the registry lacks (unable to work, months received, flags) from the
    application."""
    period = month_start(month or application.period_from)
    people = members_on(application, composition_day(application, period))
    extra = {m.person_id: m for m in application.member_facts.all()}
    from_records = months_received_from_records(
        application.benefit,
        period,
        {pk: m.benefit_months_received for pk, m in extra.items()},
        [person.pk for person, _relationship in people],
    )
    incomes: dict[int, list[IncomeRecord]] = {}
    for row in application.incomes.all():
        incomes.setdefault(row.person_id, []).append(
            IncomeRecord(
                kind=row.kind,
                amount=row.amount,
                month=month_start(row.month),
                deductions=row.deductions,
                one_off=row.one_off,
                covers_months=row.covers_months,
            )
        )
    members = []
    for person, relationship in people:
        facts = extra.get(person.pk)
        members.append(
            registry_member(
                relationship,
                is_applicant=person.pk == application.applicant_id,
                birth_date=person.birth_date,
                employment_status=person.employment_status,
                disability_degree=person.disability_degree,
                incomes=tuple(incomes.get(person.pk, ())),
                unable_to_work=bool(facts and facts.unable_to_work),
                benefit_months_received=from_records[person.pk]
                if from_records is not None
                else (facts.benefit_months_received if facts else 0),
                flags=facts.flags if facts else (),
            )
        )
    amounts = {str(k): Decimal(str(v)) for k, v in (application.amounts or {}).items()}
    if application.need_amount is not None:
        amounts["need"] = application.need_amount
    # A change of income reported after the application (incomes of a later month) moves the reference
    # period for the months after it, as in the recalculation (batch.reference_on), so an amendment and a
    # recalculation of the same month agree.
    from socius.benefits.batch import reference_on

    on = reference_on(application, [month_start(i.month) for rows in incomes.values() for i in rows], period)
    facts = Facts(
        period=period,
        members=tuple(members),
        application_on=on,
        # A reported change is counted as a plain month: the loss of income was the application's.
        income_lost=application.income_lost and on == application.applied_on,
        amounts=tuple(sorted(amounts.items())),
        flags=frozenset(application.flags or ()),
        purpose=application.purpose,
    )
    return facts, [person.pk for person, _relationship in people]


# --- amounts due (for the payments issue) --------------------------------------------------------------


@dataclass(frozen=True)
class AmountDue:
    decision_id: int
    reference: str
    case_id: int
    person_id: int
    benefit: str
    month: dt.date
    amount: Decimal
    currency: str
    payment_method: str
    iban: str


def amounts_due(centre, month: dt.date) -> list[AmountDue]:
    """Every approved grant's amount due in `month` for the centre, with its benefit, payment method and
    IBAN: a grant (or amendment) whose period covers the month, and which no approved later decision
    (suspension, revocation, ending, amendment) has stopped from a month on or before it, unless a
    resumption from a later month restarted it. One-off aid is due in its month. Three queries."""
    centre_id = getattr(centre, "pk", centre)
    month = month_start(month)
    grants = list(
        Decision.objects.filter(
            centre_id=centre_id,
            status=DecisionStatus.APPROVED,
            kind__in=(DecisionKind.GRANT, DecisionKind.AMENDMENT),
            period_from__lte=month,
            amount__gt=0,
        )
        .filter(Q(period_to__isnull=True) | Q(period_to__gte=month))
        .order_by("id")
    )
    changes: dict[int, list[Decision]] = {}
    for change in Decision.objects.filter(
        changes_id__in=[g.pk for g in grants], status=DecisionStatus.APPROVED, period_from__lte=month
    ).order_by("period_from", "approved_at", "id"):
        changes.setdefault(change.changes_id, []).append(change)
    due = []
    for grant in grants:
        if grant.one_off and month_start(grant.period_from) != month:
            continue
        if grant.kind == DecisionKind.AMENDMENT and grant.period_from > month:
            continue
        paying = True
        for change in changes.get(grant.pk, ()):
            paying = change.kind == DecisionKind.RESUMPTION
        if not paying:
            continue
        due.append(
            AmountDue(
                decision_id=grant.pk,
                reference=grant.reference,
                case_id=grant.case_id,
                person_id=grant.applicant_id,
                benefit=grant.benefit,
                month=month,
                amount=grant.amount,
                currency=grant.currency,
                payment_method=grant.payment_method or PaymentMethod.CASH,
                iban=grant.iban,
            )
        )
    return due


# --- timelines and the desk (for the desk app) ---------------------------------------------------------


def decision_events_for_cases(case_ids) -> QuerySet[DecisionEvent]:
    """The decision events of these cases, oldest first, with their decision (the case timeline's rows)."""
    return DecisionEvent.objects.filter(case_id__in=list(case_ids)).select_related("decision").order_by("at", "id")


def decision_events_for_household(household_id: int) -> QuerySet[DecisionEvent]:
    return DecisionEvent.objects.filter(household_id=household_id).select_related("decision").order_by("at", "id")


def decision_events_for_person(person_id: int) -> QuerySet[DecisionEvent]:
    """Decision events where the person is the party (a household member's events are the household's)."""
    return DecisionEvent.objects.filter(person_id=person_id).select_related("decision").order_by("at", "id")


def proposals_to_approve(actor: User) -> QuerySet[Decision]:
    """Proposals waiting for approval that the actor may approve (never their own), oldest first."""
    if not can_approve_decisions(actor):
        return Decision.objects.none()
    return (
        Decision.objects.filter(centre_id=actor.centre_id, status=DecisionStatus.PROPOSED)
        .exclude(proposed_by_id=actor.pk)
        .select_related("case", "applicant", "proposed_by")
        .order_by("proposed_at", "id")
    )


def decisions_ending_in(actor: User, month: dt.date) -> QuerySet[Decision]:
    """Active grants whose period ends in `month`, of the cases the actor reads (the desk's reminder)."""
    first = month_start(month)
    return (
        decisions_readable_by(actor)
        .filter(status=DecisionStatus.APPROVED, state=GrantState.ACTIVE, period_to__gte=first)
        .filter(period_to__lte=month_end(first))
        .order_by("period_to", "id")
    )


def today() -> dt.date:
    return timezone.localdate()


# --- a stored decision's law, in the reader's language -------------------------------------------------


def _definition_or_none(code: str):
    from socius.rulebook.engine.benefits import UnknownBenefit
    from socius.rulebook.engine.jurisdiction import benefit_definition

    try:
        return benefit_definition(code)
    except UnknownBenefit:
        return None


def benefit_name(code: str, language: str | None) -> str:
    definition = _definition_or_none(code)
    return definition.label_in(language) if definition else code


def rendered_trace(decision: Decision, language: str | None) -> list[dict]:
    """The stored trace with each step's label re-rendered from the pack in `language` (the statutory
    wording beside it); a step the pack no longer labels shows its code. Values, dates and sources are
    the stored ones: the law the decision was computed with."""
    definition = _definition_or_none(decision.benefit)
    steps = []
    for step in decision.trace or []:
        label = definition.steps.get(step.get("code")) if definition else None
        steps.append(
            {
                "code": step.get("code"),
                "label": label.label_in(language) if label else step.get("code"),
                "statutory_label": label.label if label else step.get("code"),
                "value": step.get("value"),
                "unit": step.get("unit") or "",
                "parameter": step.get("parameter"),
                "valid_from": step.get("valid_from"),
                "legal_basis": step.get("legal_basis") or "",
                "source": step.get("source") or "",
                "confirmed": bool(step.get("confirmed", True)),
            }
        )
    return steps


def rendered_reasons(decision: Decision, language: str | None) -> list[dict]:
    definition = _definition_or_none(decision.benefit)
    out = []
    for stored in decision.reasons or []:
        code, params = stored.get("code", ""), stored.get("params") or {}
        label = definition.reasons.get(code) if definition else None
        reason = Reason(code=code, label=label or Label(label=code), params=tuple(params.items()))
        out.append({"code": code, "label": reason.label_in(language), "statutory_label": reason.statutory_label})
    return out
