"""Reads of help plans and social contracts for the UI and the API (case content: audited through the case)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from socius.accounts.models import User
from socius.accounts.permissions import require
from socius.assessments.models import Assessment
from socius.assessments.selectors import completed_interviews_of
from socius.casework.models import Case
from socius.casework.permissions import can_view_cases
from socius.casework.selectors import get_case_content_for, readable_case_ids
from socius.common.errors import NotFound
from socius.plans.models import Goal, HelpPlan, PlanAction, SocialContract


def _id(value) -> int | None:
    try:
        return int(value.pk if hasattr(value, "pk") else value)
    except (TypeError, ValueError):
        return None


def plans_for_case(case: Case) -> QuerySet[HelpPlan]:
    """The case's plans with goals and actions prefetched (three queries however many)."""
    return (
        HelpPlan.objects.filter(case=case)
        .select_related("assessment")
        .prefetch_related(
            Prefetch(
                "goals", queryset=Goal.objects.prefetch_related(Prefetch("actions", queryset=PlanAction.objects.all()))
            )
        )
    )


def completed_interviews(case) -> list[Assessment]:
    """The case's completed or signed interviews, newest first: what a help plan may be based on.
    Content: pass only a case (or its id) whose content the reader may see."""
    return list(completed_interviews_of(_id(case)))


def contracts_for_case(case: Case) -> QuerySet[SocialContract]:
    """The case's contracts with clients, worker and obligations (four queries however many)."""
    return SocialContract.objects.filter(case=case).select_related("worker").prefetch_related("clients", "obligations")


def plans_readable_by(actor: User, case=None) -> QuerySet[HelpPlan]:
    """Plans on cases whose content the actor may read; with `case`, that case's (audited view)."""
    require(actor, can_view_cases)
    if case is not None:
        return plans_for_case(get_case_content_for(actor, _id(case)))
    readable = readable_case_ids(actor)
    return (
        HelpPlan.objects.filter(case_id__in=readable)
        .select_related("assessment")
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.prefetch_related("actions")))
    )


def contracts_readable_by(actor: User, case=None) -> QuerySet[SocialContract]:
    """Contracts on cases whose content the actor may read; with `case`, that case's (audited view)."""
    require(actor, can_view_cases)
    if case is not None:
        return contracts_for_case(get_case_content_for(actor, _id(case)))
    readable = readable_case_ids(actor)
    return (
        SocialContract.objects.filter(case_id__in=readable)
        .select_related("worker")
        .prefetch_related("clients", "obligations")
    )


def _one(actor: User, model, pk, queryset):
    """One plan or contract: NotFound outside the centre, Forbidden without its case's content (audited)."""
    case_id = (
        model.objects.filter(pk=_id(pk), case__centre_id=actor.centre_id).values_list("case_id", flat=True).first()
        if _id(pk) is not None
        else None
    )
    if case_id is None:
        raise NotFound()
    get_case_content_for(actor, case_id)
    return queryset.get(pk=_id(pk))


def get_plan_for(actor: User, pk) -> HelpPlan:
    require(actor, can_view_cases)
    return _one(
        actor,
        HelpPlan,
        pk,
        HelpPlan.objects.select_related("case", "assessment").prefetch_related(
            Prefetch("goals", queryset=Goal.objects.prefetch_related("actions"))
        ),
    )


def get_contract_for(actor: User, pk) -> SocialContract:
    require(actor, can_view_cases)
    return _one(
        actor,
        SocialContract,
        pk,
        SocialContract.objects.select_related("case", "worker").prefetch_related("clients", "obligations", "flags"),
    )
