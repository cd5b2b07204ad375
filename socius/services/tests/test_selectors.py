"""Reads: decisions in force on a day (for the roster and the statements), the offer in force, capacity use,
what each persona may read; set-based (fixed query counts)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from socius.common.errors import NotFound
from socius.services import selectors
from socius.services.models import ServiceOffer
from socius.services.statuses import DecisionStatus
from socius.services.tests.conftest import DAY, HOME_HELP, SPECIALIST, make_decision
from socius.testing.factories import PersonFactory


def test_decisions_in_force_are_issued_and_cover_the_day(pl_centre, other_centre, pl_worker, client_person):
    in_force = make_decision(pl_centre, client_person, pl_worker, ends_on=DAY + dt.timedelta(days=30))
    make_decision(pl_centre, client_person, pl_worker, status=DecisionStatus.SUSPENDED)
    make_decision(pl_centre, client_person, pl_worker, status=DecisionStatus.DRAFT)
    later = make_decision(pl_centre, client_person, pl_worker, starts_on=DAY + dt.timedelta(days=1))
    make_decision(pl_centre, client_person, pl_worker, starts_on=dt.date(2025, 1, 1), ends_on=DAY - dt.timedelta(1))
    make_decision(other_centre, PersonFactory(centre=other_centre), pl_worker)
    assert list(selectors.decisions_in_force(pl_centre, DAY)) == [in_force]
    assert set(selectors.decisions_in_force(pl_centre, DAY + dt.timedelta(days=30))) == {in_force, later}
    assert list(selectors.decisions_in_force(pl_centre, DAY + dt.timedelta(days=31))) == [later]
    assert list(selectors.decisions_in_force(pl_centre, DAY, service_code=SPECIALIST)) == []


def test_decisions_in_force_read_in_one_query(pl_centre, pl_worker, django_assert_num_queries):
    for _ in range(15):
        make_decision(pl_centre, PersonFactory(centre=pl_centre), pl_worker)
    with django_assert_num_queries(1):
        rows = list(selectors.decisions_in_force(pl_centre, DAY))
        names = [d.person.last_name for d in rows] + [d.provider for d in rows]
    assert len(rows) == 15 and len(names) == 30


def test_the_offer_in_force_is_the_newest_from_on_or_before_the_day(pl_centre):
    ServiceOffer.objects.create(centre=pl_centre, service_code=HOME_HELP, valid_from=dt.date(2025, 1, 1), unit_cost=30)
    ServiceOffer.objects.create(centre=pl_centre, service_code=HOME_HELP, valid_from=dt.date(2025, 4, 1), unit_cost=34)
    ServiceOffer.objects.create(
        centre=pl_centre, service_code=SPECIALIST, valid_from=dt.date(2025, 1, 1), unit_cost=45, is_active=False
    )
    assert selectors.offer_in_force(pl_centre, HOME_HELP, DAY).unit_cost == Decimal("30")
    assert selectors.offer_in_force(pl_centre, HOME_HELP, dt.date(2025, 4, 1)).unit_cost == Decimal("34")
    assert selectors.offer_in_force(pl_centre, HOME_HELP, dt.date(2024, 12, 31)) is None
    assert {c: o.unit_cost for c, o in selectors.offers_in_force(pl_centre, DAY).items()} == {HOME_HELP: Decimal("30")}


def test_capacity_use_counts_issued_and_suspended_units_of_the_week(pl_centre, pl_worker, client_person, provider):
    make_decision(pl_centre, client_person, pl_worker, quantity=Decimal("10"))
    make_decision(pl_centre, client_person, pl_worker, quantity=Decimal("4"), status=DecisionStatus.SUSPENDED)
    make_decision(pl_centre, client_person, pl_worker, quantity=Decimal("52"), per="month")  # 12 a week
    make_decision(pl_centre, client_person, pl_worker, quantity=Decimal("7"), status=DecisionStatus.DRAFT)
    make_decision(pl_centre, client_person, pl_worker, quantity=Decimal("3"), provider=provider)
    wednesday = DAY + dt.timedelta(days=2)
    assert selectors.capacity_use(pl_centre, HOME_HELP, wednesday) == Decimal("26.00")
    assert selectors.capacity_use(pl_centre, HOME_HELP, wednesday, provider=provider) == Decimal("3")
    assert selectors.capacity_use_by_service(pl_centre, wednesday) == {HOME_HELP: Decimal("26.00")}


def test_the_catalogue_shows_each_service_with_the_offer_and_the_room_left(
    pl_worker, pl_centre, client_person, offer, django_assert_max_num_queries
):
    make_decision(pl_centre, client_person, pl_worker, quantity=Decimal("12"))
    with django_assert_max_num_queries(2):
        rows = selectors.catalogue_for(pl_worker, on=DAY)
    home = next(r for r in rows if r.code == HOME_HELP)
    assert (home.offer, home.used_this_week, home.capacity_left) == (offer, Decimal("12"), Decimal("18"))
    assert [r.code for r in selectors.catalogue_for(pl_worker, on=DAY, offered_only=True)] == [HOME_HELP]


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("pl_worker", True),  # holds the case
        ("pl_worker2", False),
        ("pl_teamlead", True),
        ("pl_director", True),
        ("pl_finance", True),
        ("pl_auditor", True),
        ("pl_assistant", False),
        ("pl_carer", False),
        ("md_worker", False),
    ],
    indirect=["persona"],
)
def test_who_reads_a_decision(persona, sees, pl_centre, pl_worker, client_person, case):
    decision = make_decision(pl_centre, client_person, pl_worker, case=case)
    assert list(selectors.visible_decisions(persona)) == ([decision] if sees else [])
    if sees:
        assert selectors.get_decision_for(persona, decision.pk) == decision
    else:
        with pytest.raises(NotFound):
            selectors.get_decision_for(persona, decision.pk)


def test_the_drafter_reads_their_draft_without_the_case(pl_worker2, pl_centre, client_person):
    draft = make_decision(pl_centre, client_person, pl_worker2, status=DecisionStatus.DRAFT)
    assert list(selectors.visible_decisions(pl_worker2)) == [draft]


def test_decisions_filter_by_service_status_and_client_name(pl_director, pl_centre, pl_worker, client_person):
    home = make_decision(pl_centre, client_person, pl_worker, number="USL/2025/0001")
    make_decision(pl_centre, client_person, pl_worker, service_code=SPECIALIST, status=DecisionStatus.DRAFT)
    assert list(selectors.list_decisions_for(pl_director, service_code=HOME_HELP)) == [home]
    assert list(selectors.list_decisions_for(pl_director, status="issued")) == [home]
    assert list(selectors.list_decisions_for(pl_director, q="kowalcz")).count(home) == 1
    assert list(selectors.list_decisions_for(pl_director, q="USL/2025/0001")) == [home]
    assert list(selectors.list_decisions_for(pl_director, q="Nobody")) == []
    assert list(selectors.list_decisions_for(pl_director, in_force_on=DAY)) == [home]
