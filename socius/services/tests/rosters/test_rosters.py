"""Rosters: generation from the decisions in force, and every change checked against the carer's week (hours,
overlaps) and the client's decision; refusals leave the roster and the audit log as they were."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from socius.accounts.models import AuditEvent
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.services import rosters
from socius.services.errors import InvalidServiceTransition, OutsideDecision, WorkerOverbooked
from socius.services.models import Roster, Visit
from socius.services.statuses import QuantityPer, RosterStatus, VisitStatus
from socius.services.tests.factories_rosters import DecisionFactory, VisitFactory, WorkerFactory
from socius.services.tests.rosters.conftest import WEEK

pytestmark = pytest.mark.usefixtures("english")


def _state():
    return (
        list(Visit.objects.order_by("pk").values_list("pk", "worker_id", "date", "starts_at", "units", "status")),
        AuditEvent.objects.count(),
    )


# --- generation -------------------------------------------------------------------------------------------


def test_generating_plans_the_usual_week_with_one_carer(pl_teamlead, pl_centre, carer, carer2, client_decision):
    result = rosters.generate_roster(pl_teamlead, pl_centre, WEEK)

    visits = sorted(result.visits, key=lambda v: v.date)
    assert [(v.date, v.starts_at, v.units) for v in visits] == [
        (dt.date(2025, 3, 3), dt.time(9, 0), Decimal("2")),
        (dt.date(2025, 3, 6), dt.time(9, 0), Decimal("2")),
    ]
    assert len({v.worker_id for v in visits}) == 1
    assert result.unplaced == []
    assert result.roster.status == RosterStatus.DRAFT
    event = AuditEvent.objects.get(object_type="service_roster")
    assert event.person_id == client_decision.person_id
    assert event.changes["visits"] == [0, 2]


def test_generating_balances_hours_and_never_books_a_carer_beyond_their_contract(pl_teamlead, pl_centre, offer):
    small = WorkerFactory(centre=pl_centre, weekly_hours=Decimal("4"), name="A")
    big = WorkerFactory(centre=pl_centre, weekly_hours=Decimal("6"), name="B")
    decisions = [  # 3 × 4 h = 12 h for 10 h of carers, at different times
        DecisionFactory(
            centre=pl_centre, weekly_pattern=[{"weekday": d, "start": f"{h}:00", "units": "2"} for d in (0, 3)]
        )
        for h in (8, 11, 14)
    ]

    result = rosters.generate_roster(pl_teamlead, pl_centre, WEEK)

    booked = {small.pk: Decimal(0), big.pk: Decimal(0)}
    for v in result.visits:
        booked[v.worker_id] += v.units
    assert booked[small.pk] <= 4 and booked[big.pk] <= 6
    assert sum(booked.values()) == Decimal("10")
    assert len(result.unplaced) == 1
    assert {u.reason for u in result.unplaced} == {"Every carer of this service has their contracted hours full."}
    assert {u.decision.pk for u in result.unplaced} <= {d.pk for d in decisions}


def test_generating_never_overlaps_a_carers_visits(pl_teamlead, pl_centre, offer):
    only = WorkerFactory(centre=pl_centre, weekly_hours=Decimal("40"))
    DecisionFactory(centre=pl_centre)
    DecisionFactory(centre=pl_centre)  # the same Monday and Thursday 9:00

    result = rosters.generate_roster(pl_teamlead, pl_centre, WEEK)

    assert [v.worker_id for v in result.visits] == [only.pk, only.pk]
    assert len(result.unplaced) == 2
    assert {u.reason for u in result.unplaced} == {"No carer of this service is free at that time."}


def test_without_a_usual_week_the_quantity_is_spread_over_free_times(pl_teamlead, pl_centre, offer, carer):
    DecisionFactory(centre=pl_centre, weekly_pattern=[], quantity=Decimal("6"))

    result = rosters.generate_roster(pl_teamlead, pl_centre, WEEK)

    assert sorted(v.date.weekday() for v in result.visits) == [0, 2, 4]
    assert sum(v.units for v in result.visits) == Decimal("6")


def test_a_client_keeps_last_weeks_carer(pl_teamlead, pl_centre, carer, carer2, client_decision):
    VisitFactory(roster__centre=pl_centre, roster__week_start=WEEK - dt.timedelta(days=7), decision=client_decision,
                 worker=carer2, date=WEEK - dt.timedelta(days=7))  # fmt: skip

    result = rosters.generate_roster(pl_teamlead, pl_centre, WEEK)

    assert {v.worker_id for v in result.visits} == {carer2.pk}


def test_a_decision_not_in_force_that_week_is_not_planned(pl_teamlead, pl_centre, carer, offer):
    DecisionFactory(centre=pl_centre, ends_on=WEEK - dt.timedelta(days=1))
    DecisionFactory(centre=pl_centre, status="suspended")
    DecisionFactory(centre=pl_centre, starts_on=WEEK + dt.timedelta(days=2))  # from Wednesday: Thursday only

    result = rosters.generate_roster(pl_teamlead, pl_centre, WEEK)

    assert [v.date for v in result.visits] == [dt.date(2025, 3, 6)]


def test_generating_again_keeps_what_was_recorded_and_replans_the_rest(pl_teamlead, pl_centre, carer, client_decision):
    first = rosters.generate_roster(pl_teamlead, pl_centre, WEEK)
    done = min(first.visits, key=lambda v: v.date)
    Visit.objects.filter(pk=done.pk).update(status=VisitStatus.DELIVERED)

    second = rosters.generate_roster(pl_teamlead, pl_centre, WEEK)

    assert second.roster.pk == first.roster.pk
    assert second.visits == []  # the decision already has a recorded visit this week: kept as planned by hand
    assert Visit.objects.filter(roster=first.roster).count() == 1


def test_a_published_roster_is_not_generated_again(pl_teamlead, pl_centre, carer, client_decision):
    roster = rosters.generate_roster(pl_teamlead, pl_centre, WEEK).roster
    rosters.publish_roster(pl_teamlead, roster)
    before = _state()

    with pytest.raises(Conflict) as refused:
        rosters.generate_roster(pl_teamlead, pl_centre, WEEK)

    assert refused.value.code == "roster_published"
    assert _state() == before


def test_a_roster_starts_on_a_monday(pl_teamlead, pl_centre):
    with pytest.raises(ValidationFailed) as refused:
        rosters.generate_roster(pl_teamlead, pl_centre, WEEK + dt.timedelta(days=1))
    assert list(refused.value.errors) == ["week_start"]
    assert not Roster.objects.exists()


@pytest.mark.parametrize("persona", ["pl_worker", "pl_finance", "pl_auditor"], indirect=True)
def test_only_those_who_keep_the_services_generate_rosters(persona, pl_centre):
    with pytest.raises(Forbidden):
        rosters.generate_roster(persona, pl_centre, WEEK)
    assert not Roster.objects.exists()


def test_another_centres_roster_is_not_found(md_director, pl_centre):
    with pytest.raises(NotFound):
        rosters.generate_roster(md_director, pl_centre, WEEK)


# --- moving and adding visits ------------------------------------------------------------------------------


@pytest.fixture
def planned(pl_teamlead, pl_centre, carer, carer2, client_decision):
    result = rosters.generate_roster(pl_teamlead, pl_centre, WEEK)
    return min(result.visits, key=lambda v: v.date)


def test_a_visit_moves_to_another_carer_and_time(pl_teamlead, planned, carer2):
    other = carer2 if planned.worker_id != carer2.pk else planned.worker
    moved = rosters.move_visit(
        pl_teamlead, planned, worker=other, date=WEEK + dt.timedelta(days=1), starts_at=dt.time(14, 0), units=2
    )
    moved.refresh_from_db()
    assert (moved.worker_id, moved.date, moved.starts_at) == (other.pk, dt.date(2025, 3, 4), dt.time(14, 0))
    event = AuditEvent.objects.filter(object_type="service_visit").get()
    assert event.changes["date"] == ["2025-03-03", "2025-03-04"]
    assert event.person_id == planned.decision.person_id


def test_a_move_that_overbooks_the_carers_hours_is_refused(pl_teamlead, pl_centre, planned, client_decision):
    busy = WorkerFactory(centre=pl_centre, weekly_hours=Decimal("3"))
    VisitFactory(roster=planned.roster, worker=busy, decision__centre=pl_centre, date=WEEK + dt.timedelta(days=4),
                 starts_at=dt.time(8, 0), units=Decimal("2"))  # fmt: skip
    before = _state()

    with pytest.raises(WorkerOverbooked) as refused:
        rosters.move_visit(pl_teamlead, planned, worker=busy, date=planned.date, starts_at=planned.starts_at, units=2)

    assert "would work 4 hours in that week; their contract gives 3" in str(refused.value.message)
    assert refused.value.code == "worker_overbooked"
    assert _state() == before


def test_a_move_onto_another_visit_of_the_carer_is_refused(pl_teamlead, pl_centre, planned):
    other = VisitFactory(roster=planned.roster, worker=planned.worker, decision__centre=pl_centre,
                         date=WEEK + dt.timedelta(days=2), starts_at=dt.time(10, 0), units=Decimal("1"))  # fmt: skip
    before = _state()

    with pytest.raises(WorkerOverbooked) as refused:
        rosters.move_visit(pl_teamlead, planned, worker=planned.worker, date=other.date, starts_at=dt.time(9, 30),
                           units=Decimal("1"))  # fmt: skip

    assert "already has a visit at 10:00 that day" in str(refused.value.message)
    assert _state() == before


def test_a_visit_touching_another_end_to_start_is_not_an_overlap(pl_teamlead, pl_centre, planned):
    VisitFactory(roster=planned.roster, worker=planned.worker, decision__centre=pl_centre,
                 date=WEEK + dt.timedelta(days=2), starts_at=dt.time(10, 0), units=Decimal("1"))  # fmt: skip
    moved = rosters.move_visit(pl_teamlead, planned, worker=planned.worker, date=WEEK + dt.timedelta(days=2),
                               starts_at=dt.time(8, 0), units=2)  # fmt: skip
    assert moved.starts_at == dt.time(8, 0)


def test_more_units_than_the_decision_gives_in_the_week_are_refused(pl_teamlead, planned):
    before = _state()
    with pytest.raises(OutsideDecision) as refused:
        rosters.move_visit(pl_teamlead, planned, worker=planned.worker, date=planned.date,
                           starts_at=planned.starts_at, units=3)  # fmt: skip
    assert refused.value.code == "outside_decision"
    assert "gives 4 units per week; 2 are planned, so 3 more do not fit" in str(refused.value.message)
    assert _state() == before


def test_a_visit_after_the_decision_ends_is_refused(pl_teamlead, planned, client_decision):
    client_decision.ends_on = WEEK + dt.timedelta(days=1)
    client_decision.save()
    before = _state()
    with pytest.raises(OutsideDecision):
        rosters.move_visit(pl_teamlead, planned, worker=planned.worker, date=WEEK + dt.timedelta(days=2),
                           starts_at=planned.starts_at, units=2)  # fmt: skip
    assert _state() == before


def test_a_monthly_decision_counts_the_units_of_the_month(pl_teamlead, pl_centre, carer):
    monthly = DecisionFactory(centre=pl_centre, per=QuantityPer.MONTH, quantity=Decimal("3"), weekly_pattern=[])
    roster = Roster.objects.create(centre=pl_centre, week_start=WEEK)
    rosters.add_visit(pl_teamlead, roster, decision=monthly, worker=carer, date=WEEK, starts_at=dt.time(8), units=2)
    before = _state()
    with pytest.raises(OutsideDecision):
        rosters.add_visit(pl_teamlead, roster, decision=monthly, worker=carer, date=WEEK + dt.timedelta(days=1),
                          starts_at=dt.time(8), units=2)  # fmt: skip
    assert _state() == before


def test_a_visit_for_another_service_than_the_carers_is_refused(pl_teamlead, pl_centre, planned):
    driver = WorkerFactory(centre=pl_centre, service_codes=["pl.transport"])
    with pytest.raises(ValidationFailed) as refused:
        rosters.move_visit(pl_teamlead, planned, worker=driver, date=planned.date, starts_at=planned.starts_at,
                           units=2)  # fmt: skip
    assert list(refused.value.errors) == ["worker"]


def test_a_move_outside_the_rosters_week_is_refused(pl_teamlead, planned):
    with pytest.raises(ValidationFailed) as refused:
        rosters.move_visit(pl_teamlead, planned, worker=planned.worker, date=WEEK + dt.timedelta(days=7),
                           starts_at=planned.starts_at, units=2)  # fmt: skip
    assert list(refused.value.errors) == ["date"]


def test_a_published_roster_is_reopened_before_a_move(pl_teamlead, planned):
    rosters.publish_roster(pl_teamlead, planned.roster)
    before = _state()
    with pytest.raises(Conflict) as refused:
        rosters.move_visit(pl_teamlead, planned, worker=planned.worker, date=planned.date, starts_at=dt.time(11),
                           units=2)  # fmt: skip
    assert refused.value.code == "roster_published"
    assert _state() == before
    rosters.reopen_roster(pl_teamlead, planned.roster)
    moved = rosters.move_visit(pl_teamlead, planned, worker=planned.worker, date=planned.date, starts_at=dt.time(11),
                               units=2)  # fmt: skip
    assert moved.starts_at == dt.time(11)


def test_a_delivered_visit_does_not_move(pl_teamlead, planned):
    Visit.objects.filter(pk=planned.pk).update(status=VisitStatus.DELIVERED)
    with pytest.raises(InvalidServiceTransition):
        rosters.move_visit(pl_teamlead, planned, worker=planned.worker, date=planned.date, starts_at=dt.time(11),
                           units=2)  # fmt: skip


def test_cancelling_a_visit_frees_the_carers_time(pl_teamlead, planned):
    rosters.cancel_visit(pl_teamlead, planned, reason="Client in hospital")
    planned.refresh_from_db()
    assert planned.status == VisitStatus.CANCELLED
    with pytest.raises(InvalidServiceTransition):
        rosters.cancel_visit(pl_teamlead, planned)


def test_publishing_twice_is_an_invalid_transition(pl_teamlead, planned):
    roster = rosters.publish_roster(pl_teamlead, planned.roster)
    assert (roster.status, roster.published_by) == (RosterStatus.PUBLISHED, pl_teamlead)
    with pytest.raises(InvalidServiceTransition):
        rosters.publish_roster(pl_teamlead, roster)
    roster.refresh_from_db()
    assert roster.status == RosterStatus.PUBLISHED


def test_a_carer_cannot_change_the_roster(pl_carer, planned):
    before = _state()
    with pytest.raises(Forbidden):
        rosters.move_visit(pl_carer, planned, worker=planned.worker, date=planned.date, starts_at=dt.time(11), units=2)
    assert _state() == before
