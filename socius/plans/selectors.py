"""Reads for plans and contracts: the case flags the benefits module acts on."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from socius.accounts.models import User
from socius.casework.models import Case
from socius.casework.selectors import cases_in_scope
from socius.plans.models import CaseFlag, Consequence


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
