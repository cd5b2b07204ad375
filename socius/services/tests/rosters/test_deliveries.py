"""Deliveries: a carer records only their own visits of a published roster; missed visits carry a reason; the
canteen's day is one transaction (all meals or none); corrections stop at an issued statement; the carer's day
and the canteen sheet are audited under the clients shown."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from socius.accounts.models import AuditEvent, AuditEventPerson
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.services import deliveries, rosters, selectors_rosters
from socius.services.errors import InvalidServiceTransition, OutsideDecision, ServiceNotOffered
from socius.services.models import Delivery, MonthlyStatement, Visit
from socius.services.statuses import DeliveryOutcome, MissedReason, VisitStatus
from socius.services.tests.factories_rosters import (
    CANTEEN,
    DecisionFactory,
    RosterFactory,
    VisitFactory,
    WorkerFactory,
)
from socius.services.tests.rosters.conftest import WEEK

pytestmark = pytest.mark.usefixtures("english")
LATER = WEEK + dt.timedelta(days=10)


def _state():
    return (
        list(Visit.objects.order_by("pk").values_list("pk", "status")),
        list(Delivery.objects.order_by("pk").values_list("pk", "units", "outcome")),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def week(pl_teamlead, pl_centre, carer, client_decision):
    result = rosters.generate_roster(pl_teamlead, pl_centre, WEEK)
    rosters.publish_roster(pl_teamlead, result.roster)
    return sorted(result.visits, key=lambda v: v.date)


def test_a_carer_records_their_visit_as_delivered(pl_carer, week):
    delivery = deliveries.record_delivery(pl_carer, week[0], units=Decimal("1.5"), on=LATER, note="Shopping")

    week[0].refresh_from_db()
    assert week[0].status == VisitStatus.DELIVERED
    assert (delivery.outcome, delivery.units, delivery.date, delivery.worker_id) == (
        DeliveryOutcome.DELIVERED, Decimal("1.5"), WEEK, week[0].worker_id,
    )  # fmt: skip
    event = AuditEvent.objects.get(object_type="service_delivery")
    assert event.person_id == week[0].decision.person_id
    assert event.changes["units"] == [None, "1.5"]


def test_a_carer_cannot_record_another_carers_visit(week, carer2, pl_carer2):
    before = _state()
    with pytest.raises(NotFound):
        deliveries.record_delivery(pl_carer2, week[0], units=2, on=LATER)
    with pytest.raises(NotFound):
        deliveries.record_missed(pl_carer2, week[0], MissedReason.CLIENT_ABSENT, on=LATER)
    assert _state() == before


def test_a_carer_does_not_see_visits_of_a_draft_roster(pl_carer, pl_teamlead, week):
    rosters.reopen_roster(pl_teamlead, week[0].roster)
    before = _state()
    with pytest.raises(NotFound):
        deliveries.record_delivery(pl_carer, week[0], units=2, on=LATER)
    assert _state() == before


def test_a_carer_records_a_missed_visit_with_its_reason(pl_carer, week):
    delivery = deliveries.record_missed(pl_carer, week[1], MissedReason.CLIENT_IN_HOSPITAL, on=LATER)
    week[1].refresh_from_db()
    assert week[1].status == VisitStatus.MISSED
    assert (delivery.outcome, delivery.units, delivery.missed_reason) == ("missed", 0, "client_in_hospital")


def test_a_missed_visit_for_another_reason_needs_a_note(pl_carer, week):
    before = _state()
    with pytest.raises(ValidationFailed) as refused:
        deliveries.record_missed(pl_carer, week[1], MissedReason.OTHER, "  ", on=LATER)
    assert list(refused.value.errors) == ["note"]
    with pytest.raises(ValidationFailed) as refused:
        deliveries.record_missed(pl_carer, week[1], "holiday", on=LATER)
    assert list(refused.value.errors) == ["reason"]
    assert _state() == before


def test_a_visit_is_recorded_once(pl_carer, week):
    deliveries.record_delivery(pl_carer, week[0], units=2, on=LATER)
    before = _state()
    with pytest.raises(InvalidServiceTransition):
        deliveries.record_missed(pl_carer, week[0], MissedReason.CLIENT_ABSENT, on=LATER)
    assert _state() == before


def test_more_units_than_planned_are_refused(pl_carer, week):
    before = _state()
    with pytest.raises(ValidationFailed) as refused:
        deliveries.record_delivery(pl_carer, week[0], units=3, on=LATER)
    assert refused.value.errors["units"] == ["At most 2 units were planned for this visit."]
    assert _state() == before


def test_a_visit_is_not_recorded_before_its_day(pl_carer, week):
    before = _state()
    with pytest.raises(Conflict) as refused:
        deliveries.record_delivery(pl_carer, week[1], units=2, on=WEEK)
    assert refused.value.code == "visit_in_future"
    assert _state() == before


def test_the_worker_of_the_case_records_a_visit(pl_worker, week):
    delivery = deliveries.record_delivery(pl_worker, week[0], units=2, on=LATER)
    assert delivery.recorded_by == pl_worker


@pytest.mark.parametrize("persona", ["pl_finance", "pl_auditor"], indirect=True)
def test_roles_without_the_capability_record_nothing(persona, week):
    with pytest.raises(Forbidden):
        deliveries.record_delivery(persona, week[0], units=2, on=LATER)


def test_an_unplanned_delivery_stays_within_the_decision(pl_worker, client_decision):
    deliveries.record_unplanned_delivery(pl_worker, client_decision, units=3, date=WEEK, on=LATER)
    before = _state()
    with pytest.raises(OutsideDecision):
        deliveries.record_unplanned_delivery(pl_worker, client_decision, units=2, date=WEEK, on=LATER)
    assert _state() == before


def test_a_carer_records_no_unplanned_delivery(pl_carer, carer, client_decision):
    with pytest.raises(NotFound):
        deliveries.record_unplanned_delivery(pl_carer, client_decision, units=1, date=WEEK, on=LATER, worker=carer)
    assert not Delivery.objects.exists()


# --- the canteen ----------------------------------------------------------------------------------------


def test_the_canteen_day_records_every_clients_meals_at_once(pl_teamlead, canteen):
    a, b, c = canteen
    created = deliveries.record_canteen_day(pl_teamlead, CANTEEN, WEEK, {a: 1, b.person: 2, str(c.pk): 0}, on=WEEK)

    assert sorted((d.decision_id, d.units) for d in created) == [(a.pk, 1), (b.pk, 2)]
    event = AuditEvent.objects.get(object_type="canteen_day")
    assert event.changes["meals"] == [0, 3]
    named = {event.person_id} - {None} | set(
        AuditEventPerson.objects.filter(event=event).values_list("person_id", flat=True)
    )
    assert named == {a.person_id, b.person_id, c.person_id}


def test_recording_the_canteen_day_again_replaces_it(pl_teamlead, canteen):
    a, b, _ = canteen
    deliveries.record_canteen_day(pl_teamlead, CANTEEN, WEEK, {a: 1, b: 2}, on=WEEK)
    deliveries.record_canteen_day(pl_teamlead, CANTEEN, WEEK, {a: 1, b: 1}, on=WEEK)
    assert sorted(Delivery.objects.values_list("decision_id", "units")) == [(a.pk, 1), (b.pk, 1)]


def test_one_wrong_line_writes_nothing_of_the_canteen_day(pl_teamlead, pl_centre, canteen):
    a, b, _ = canteen
    deliveries.record_canteen_day(pl_teamlead, CANTEEN, WEEK, {a: 1}, on=WEEK)
    stranger = DecisionFactory(centre=pl_centre)  # home help, not the canteen
    before = _state()

    with pytest.raises(ValidationFailed) as refused:
        deliveries.record_canteen_day(pl_teamlead, CANTEEN, WEEK, {a: 2, b: 1, stranger: 1}, on=WEEK)
    assert list(refused.value.errors) == ["meals"]
    with pytest.raises(ValidationFailed):
        deliveries.record_canteen_day(pl_teamlead, CANTEEN, WEEK, {a: 2, b: "1.5"}, on=WEEK)
    assert _state() == before


def test_the_canteen_day_stays_within_each_decision(pl_teamlead, canteen):
    a, b, _ = canteen
    for i in range(4):
        deliveries.record_canteen_day(pl_teamlead, CANTEEN, WEEK + dt.timedelta(days=i), {a: 1}, on=LATER)
    before = _state()
    with pytest.raises(OutsideDecision):  # 5 meals a week: 4 recorded, 2 more do not fit
        deliveries.record_canteen_day(pl_teamlead, CANTEEN, WEEK + dt.timedelta(days=4), {a: 2, b: 1}, on=LATER)
    assert _state() == before


def test_the_canteen_day_needs_the_offer_in_force(pl_teamlead, canteen):
    with pytest.raises(ServiceNotOffered):
        deliveries.record_canteen_day(pl_teamlead, CANTEEN, dt.date(2024, 12, 31), {canteen[0]: 1}, on=LATER)
    assert not Delivery.objects.exists()


def test_canteen_staff_record_the_day_but_other_carers_do_not(pl_centre, pl_carer, pl_carer2, canteen):
    WorkerFactory(centre=pl_centre, user=pl_carer, service_codes=[CANTEEN])
    deliveries.record_canteen_day(pl_carer, CANTEEN, WEEK, {canteen[0]: 1}, on=WEEK)
    with pytest.raises(Forbidden):
        deliveries.record_canteen_day(pl_carer2, CANTEEN, WEEK, {canteen[0]: 1}, on=WEEK)
    assert Delivery.objects.count() == 1


# --- corrections ------------------------------------------------------------------------------------------


def test_a_manager_corrects_a_delivery_with_a_note(pl_teamlead, pl_carer, week):
    delivery = deliveries.record_delivery(pl_carer, week[0], units=2, on=LATER)
    corrected = deliveries.correct_delivery(pl_teamlead, delivery, units=1, note="Left early")
    assert corrected.units == 1
    event = AuditEvent.objects.filter(object_type="service_delivery").latest("pk")
    assert event.changes["units"] == ["2.00", "1"]


def test_no_correction_once_the_statement_is_issued(pl_teamlead, pl_centre, pl_carer, week):
    delivery = deliveries.record_delivery(pl_carer, week[0], units=2, on=LATER)
    MonthlyStatement.objects.create(
        centre=pl_centre, person=week[0].decision.person, month=WEEK.replace(day=1), number="S/1", status="issued",
        total_units=2, total_cost=65, total_due=0, currency="PLN",
    )  # fmt: skip
    before = _state()
    with pytest.raises(Conflict) as refused:
        deliveries.correct_delivery(pl_teamlead, delivery, units=1, note="Left early")
    assert refused.value.code == "statement_issued"
    assert _state() == before


def test_a_carer_does_not_correct(pl_carer, week):
    delivery = deliveries.record_delivery(pl_carer, week[0], units=2, on=LATER)
    with pytest.raises(Forbidden):
        deliveries.correct_delivery(pl_carer, delivery, units=1, note="x")


# --- reads ------------------------------------------------------------------------------------------------


def test_the_carers_day_lists_their_visits_and_is_audited(pl_carer, week, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        day = selectors_rosters.carer_day(pl_carer, WEEK)
    assert [v.pk for v in day.visits] == [week[0].pk]
    assert day.visits[0].decision.person.street_address is not None
    event = AuditEvent.objects.get(object_type="carer_day", action="view")
    assert event.person_id == week[0].decision.person_id


def test_another_carers_day_is_empty_and_audits_nothing(week, carer2, pl_carer2):
    assert selectors_rosters.carer_day(pl_carer2, WEEK).visits == []
    assert not AuditEvent.objects.filter(object_type="carer_day").exists()


def test_a_draft_roster_is_not_on_the_carers_day(pl_carer, pl_teamlead, week):
    rosters.reopen_roster(pl_teamlead, week[0].roster)
    assert selectors_rosters.carer_day(pl_carer, WEEK).visits == []


def test_the_week_grid_reads_in_a_few_queries_and_is_audited(pl_teamlead, pl_centre, offer, carer,
                                                              django_assert_max_num_queries):  # fmt: skip
    roster = RosterFactory(centre=pl_centre, week_start=WEEK)
    for _ in range(6):
        VisitFactory(roster=roster, worker=carer, units=Decimal("0.5"))
    with django_assert_max_num_queries(8):
        grid = selectors_rosters.roster_grid(pl_teamlead, roster)
    assert grid.visit_count == 6
    assert AuditEvent.objects.filter(object_type="service_roster", action="view").count() == 1


def test_the_canteen_sheet_shows_the_meals_recorded(pl_teamlead, canteen):
    deliveries.record_canteen_day(pl_teamlead, CANTEEN, WEEK, {canteen[0]: 2}, on=WEEK)
    sheet = selectors_rosters.canteen_day_sheet(pl_teamlead, CANTEEN, WEEK)
    assert sheet.total == 2 and len(sheet.lines) == 3
    assert AuditEvent.objects.filter(object_type="canteen_day", action="view").count() == 1
