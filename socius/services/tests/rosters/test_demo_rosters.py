"""The demo rosters: weeks planned and published up to this week, the past visits recorded (some missed with a
reason), the canteen's month; a centre without a planner or decisions gets nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from socius.services.demo_rosters import load_rosters_demo
from socius.services.models import Delivery, Roster, Visit
from socius.services.statuses import RosterStatus, VisitStatus
from socius.services.tests.factories_rosters import DecisionFactory, WorkerFactory

pytestmark = pytest.mark.usefixtures("english")
TODAY = dt.date(2025, 3, 12)


def test_the_demo_plans_publishes_and_records_the_past(pl_teamlead, pl_centre, offer, canteen):
    for _ in range(3):
        WorkerFactory(centre=pl_centre, weekly_hours=20)
    for _ in range(8):
        DecisionFactory(centre=pl_centre)

    summary = load_rosters_demo(pl_centre, seed=7, today=TODAY)

    weeks = list(Roster.objects.filter(centre=pl_centre).values_list("week_start", "status"))
    assert weeks[0] == (dt.date(2025, 3, 10), RosterStatus.PUBLISHED)
    assert min(w for w, _ in weeks) == dt.date(2025, 1, 27)  # the Monday of the week of 1 February
    assert {s for _, s in weeks} == {RosterStatus.PUBLISHED}
    assert not Visit.objects.filter(date__lt=TODAY, status=VisitStatus.PLANNED).exists()
    assert Visit.objects.filter(date__gte=TODAY, status=VisitStatus.PLANNED).exists()
    assert summary.missed == Delivery.objects.filter(outcome="missed").exclude(missed_reason="").count() > 0
    assert summary.delivered > summary.missed
    assert summary.meals > 0


def test_a_centre_without_a_planner_gets_no_rosters(pl_centre, offer):
    DecisionFactory(centre=pl_centre)
    summary = load_rosters_demo(pl_centre, seed=7, today=TODAY)
    assert (summary.rosters, Roster.objects.count()) == (0, 0)
