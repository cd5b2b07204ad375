"""Reads for plans and contracts: the case flags the benefits module (and the API) act on."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from socius.accounts.audit import record_view
from socius.accounts.models import User
from socius.accounts.permissions import require
from socius.casework.models import Case
from socius.casework.permissions import can_view_cases
from socius.casework.selectors import attach_case_clients, cases_in_scope
from socius.casework.statuses import OPEN_STATUSES
from socius.common.errors import NotFound
from socius.plans.models import CaseFlag, Consequence, Obligation, PlanAction
from socius.plans.statuses import ActionStatus, ContractStatus, PlanStatus


def active_flags_for_case(case: Case) -> list[CaseFlag]:
    """The case's flags not yet cleared, newest first, with their contract (one query).

    No actor check: for services of higher apps that already hold the case they were allowed to act on.
    """
    return list(CaseFlag.objects.filter(case=case, cleared_on__isnull=True).select_related("contract"))


def cases_with_benefit_flags(actor: User) -> QuerySet[Case]:
    """The actor's centre's cases with an active flag whose consequence touches cash aid, each with
    `active_flags` prefetched (a bounded number of queries however many cases)."""
    flags = CaseFlag.objects.filter(cleared_on__isnull=True).exclude(consequence=Consequence.NONE)
    return (
        cases_in_scope(actor)
        .filter(Exists(flags.filter(case_id=OuterRef("pk"))))
        .prefetch_related(Prefetch("plan_flags", queryset=flags.select_related("contract"), to_attr="active_flags"))
        .order_by("pk")
    )


class FlagState:
    RAISED = "raised"
    CLEARED = "cleared"
    CHOICES = (RAISED, CLEARED)


def flags_visible_to(actor: User, *, case: int | None = None, state: str | None = None) -> QuerySet[CaseFlag]:
    """The flags of the actor's centre's cases, newest first, for everyone who may see a case's summary.

    A flag is not case content: the finance officer acts on it for cash benefits (art. 11 ust. 2 u.p.s.),
    so it is shown wherever the case's summary is, and it carries nothing of the case beyond itself.
    `case` and `state` (raised, cleared) narrow the list; a case outside the centre gives an empty list.
    """
    require(actor, can_view_cases)
    flags = CaseFlag.objects.filter(case__centre_id=actor.centre_id).select_related("case", "contract")
    if case is not None:
        flags = flags.filter(case_id=case)
    if state == FlagState.RAISED:
        flags = flags.filter(cleared_on__isnull=True)
    elif state == FlagState.CLEARED:
        flags = flags.filter(cleared_on__isnull=False)
    return flags.order_by("-raised_on", "-id")


def get_flag_for(actor: User, flag_id: int) -> CaseFlag:
    """One flag of the actor's centre; NotFound otherwise (indistinguishable from a missing one)."""
    flag = flags_visible_to(actor).filter(pk=flag_id).first()
    if flag is None:
        raise NotFound()
    return flag


def flags_of_case(case: Case | int) -> list[CaseFlag]:
    """All the case's flags, raised and cleared, newest first, with their contract (one query).

    No actor check: for the case detail, which has already checked that the reader sees the case.
    """
    return list(CaseFlag.objects.filter(case=case).select_related("case", "contract").order_by("-raised_on", "-id"))


FLAG_LIST_LIMIT = 200


def flags_for_benefits(actor: User, *, limit: int = FLAG_LIST_LIMIT) -> list[CaseFlag]:
    """The centre's active flags whose consequence touches cash aid (what finance acts on), newest first,
    each with its case (named: `case.client_name`) and contract. A summary: the flag's kind, consequence
    and dates, the contract's period, the case's reference and whose case it is; no case content.
    Three queries; each flag shown is audited as a view under the person it names."""
    require(actor, can_view_cases)
    flags = list(
        CaseFlag.objects.filter(case__centre_id=actor.centre_id, cleared_on__isnull=True)
        .exclude(consequence=Consequence.NONE)
        .select_related("case", "case__household", "case__person", "case__assigned_worker", "contract")
        .order_by("-raised_on", "-id")[:limit]
    )
    attach_case_clients([f.case for f in flags])
    for flag in flags:
        case = flag.case
        head = case.household.head_member if case.household_id else None
        person_id = case.person_id or (head.pk if head else None)
        record_view(actor, object_type="case_flag", object_id=flag.pk, centre_id=actor.centre_id, person_id=person_id)
    return flags


# --- what is due: the desk lists them, the caseload and the centre's figures count them when late ---------

RUNNING_CONTRACTS = (ContractStatus.SIGNED, ContractStatus.IN_PROGRESS)
OPEN_ACTIONS = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)
LIVE_PLANS = (PlanStatus.DRAFT, PlanStatus.ACTIVE)


def open_plan_actions(centre_id: int, **case_filter) -> QuerySet[PlanAction]:
    """Actions still to do in live plans of the centre's open cases; `case_filter` narrows the cases
    (e.g. assigned_worker_id=…). What the desk lists and the caseload counts when late."""
    return PlanAction.objects.filter(
        goal__plan__case__centre_id=centre_id,
        goal__plan__case__status__in=OPEN_STATUSES,
        goal__plan__status__in=LIVE_PLANS,
        status__in=OPEN_ACTIONS,
        **{f"goal__plan__case__{name}": value for name, value in case_filter.items()},
    )


def unmet_obligations(centre_id: int, **case_filter) -> QuerySet[Obligation]:
    """Obligations not yet met of running contracts of the centre's open cases (as `open_plan_actions`)."""
    return Obligation.objects.filter(
        contract__case__centre_id=centre_id,
        contract__case__status__in=OPEN_STATUSES,
        contract__status__in=RUNNING_CONTRACTS,
        is_done=False,
        **{f"contract__case__{name}": value for name, value in case_filter.items()},
    )
