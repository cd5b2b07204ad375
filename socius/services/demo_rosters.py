"""Demo rosters and deliveries (issue 11): for each demo centre, the weeks from the start of last month to this
week planned from its service decisions and published, the visits before today recorded (most delivered, a
few missed with their reasons) and the canteen's days of last month. Runs after the services demo
(`load_services_demo`: offers, carers, decisions); written through the services, so it is audited as real work.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from socius.accounts.models import Centre, User
from socius.accounts.roles import Role
from socius.common.errors import DomainError
from socius.services import deliveries, rosters
from socius.services.models import ServiceDecision, Visit
from socius.services.statuses import DecisionStatus, MissedReason, RosterStatus, ServiceUnit, VisitStatus

MISSED_SHARE = 0.08
MISSED_REASONS = [MissedReason.CLIENT_ABSENT, MissedReason.CLIENT_IN_HOSPITAL, MissedReason.CARER_ILL,
                  MissedReason.WEATHER]  # fmt: skip


@dataclass
class RostersSummary:
    rosters: int = 0
    visits: int = 0
    delivered: int = 0
    missed: int = 0
    meals: int = 0

    def __str__(self) -> str:
        return (
            f"{self.rosters} weekly rosters, {self.visits} visits ({self.delivered} delivered, {self.missed} missed), "
            f"{self.meals} canteen meals"
        )


def _planner(centre: Centre) -> User | None:
    return (
        User.objects.filter(centre=centre, is_active=True, role__in=[Role.TEAM_LEADER, Role.DIRECTOR])
        .order_by("role", "pk")
        .first()
    )


def load_rosters_demo(centre: Centre, *, seed: int, today: dt.date | None = None) -> RostersSummary:
    today = today or timezone.localdate()
    summary = RostersSummary()
    actor = _planner(centre)
    if actor is None:
        return summary
    rng = random.Random(f"{seed}-rosters-{centre.code}")
    first = rosters.week_of((today.replace(day=1) - dt.timedelta(days=1)).replace(day=1))
    week = first
    while week <= rosters.week_of(today):
        result = rosters.generate_roster(actor, centre, week, on=today)
        if result.roster.status == RosterStatus.DRAFT:
            rosters.publish_roster(actor, result.roster)
        summary.rosters += 1
        summary.visits += len(result.visits)
        week += dt.timedelta(days=7)
    past = Visit.objects.filter(roster__centre=centre, date__lt=today, status=VisitStatus.PLANNED).select_related(
        "roster", "decision", "worker"
    )
    for visit in past.order_by("date", "starts_at", "pk"):
        if rng.random() < MISSED_SHARE:
            deliveries.record_missed(actor, visit, rng.choice(MISSED_REASONS), on=today)
            summary.missed += 1
        else:
            deliveries.record_delivery(actor, visit, units=visit.units, on=today)
            summary.delivered += 1
    summary.meals = _canteen(actor, centre, rng, start=today.replace(day=1) - dt.timedelta(days=1), today=today)
    return summary


def _canteen(actor: User, centre: Centre, rng: random.Random, *, start: dt.date, today: dt.date) -> int:
    """Last month's weekdays at the canteen: one meal for most clients with a canteen decision."""
    decisions = list(ServiceDecision.objects.filter(centre=centre, unit=ServiceUnit.MEAL, status=DecisionStatus.ISSUED))
    meals = 0
    day = start.replace(day=1)
    while day <= start:
        if day.weekday() < 5:
            sheet = {d.pk: 1 for d in decisions if d.starts_on <= day and (d.ends_on is None or d.ends_on >= day)}
            sheet = {k: v for k, v in sheet.items() if rng.random() < 0.9}
            if sheet:
                # no price that day, or a decision's quantity reached: the demo skips the day
                with contextlib.suppress(DomainError):
                    meals += len(deliveries.record_canteen_day(actor, decisions[0].service_code, day, sheet, on=today))
        day += dt.timedelta(days=1)
    return meals
