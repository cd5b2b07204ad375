"""The roster pages: carers land on their day and record it from there (only their own visits); the week's
table moves a visit through a small form that shows why a move is refused; the canteen's sheet saves the whole
day or nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from socius.accounts.models import AuditEvent
from socius.services import rosters
from socius.services.models import Delivery, Visit
from socius.services.statuses import VisitStatus
from socius.services.tests.factories_rosters import VisitFactory, WorkerFactory
from socius.services.tests.rosters.conftest import WEEK

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def week(pl_teamlead, pl_centre, carer, client_decision):
    client_decision.person.street_address = "ul. Lipowa 7"
    client_decision.person.save()
    result = rosters.generate_roster(pl_teamlead, pl_centre, WEEK)
    rosters.publish_roster(pl_teamlead, result.roster)
    return sorted(result.visits, key=lambda v: v.date)


def test_a_carer_lands_on_their_day(client, pl_carer, week):
    client.force_login(pl_carer)
    response = client.get(reverse("web:home"), {"day": WEEK.isoformat()})
    assert response.status_code == 200
    assert week[0].decision.person.full_name in response.content.decode()


def test_the_carers_day_shows_the_client_and_address_and_is_audited(client, pl_carer, week):
    client.force_login(pl_carer)
    response = client.get(reverse("web:carer_day"), {"day": WEEK.isoformat()})
    page = response.content.decode()
    assert response.status_code == 200
    assert week[0].decision.person.full_name in page
    assert "ul. Lipowa 7" in page
    assert AuditEvent.objects.filter(object_type="carer_day", person_id=week[0].decision.person_id).count() == 1


def test_a_carer_records_a_delivery_from_their_day(client, pl_carer, week):
    client.force_login(pl_carer)
    response = client.post(reverse("web:carer_visit_record", args=[week[0].pk]), {"outcome": "delivered"})
    assert response.status_code == 302
    week[0].refresh_from_db()
    assert week[0].status == VisitStatus.DELIVERED
    assert Delivery.objects.get(visit=week[0]).units == Decimal("2")


def test_a_carer_records_a_missed_visit_with_the_reason(client, pl_carer, week):
    client.force_login(pl_carer)
    client.post(reverse("web:carer_visit_record", args=[week[0].pk]),
                {"outcome": "missed", "reason": "client_absent"})  # fmt: skip
    assert Delivery.objects.get(visit=week[0]).missed_reason == "client_absent"


def test_another_carers_visit_is_not_found(client, week, carer2, pl_carer2):
    client.force_login(pl_carer2)
    response = client.post(reverse("web:carer_visit_record", args=[week[0].pk]), {"outcome": "delivered"})
    assert response.status_code == 404
    assert not Delivery.objects.exists()


def test_the_week_table_links_each_visit_to_its_form(client, pl_teamlead, week):
    client.force_login(pl_teamlead)
    response = client.get(reverse("web:roster_week"), {"week": WEEK.isoformat()})
    page = response.content.decode()
    assert response.status_code == 200
    for v in week:
        assert reverse("web:roster_visit", args=[v.pk]) in page
    assert AuditEvent.objects.filter(object_type="service_roster", action="view").count() == 1


def test_a_refused_move_shows_the_reason_and_changes_nothing(client, pl_teamlead, pl_centre, week):
    rosters.reopen_roster(pl_teamlead, week[0].roster)
    busy = WorkerFactory(centre=pl_centre, weekly_hours=Decimal("2"), name="Busy Carer")
    VisitFactory(roster=week[0].roster, worker=busy, decision__centre=pl_centre, date=WEEK + dt.timedelta(days=2),
                 starts_at=dt.time(13), units=Decimal("1"))  # fmt: skip
    client.force_login(pl_teamlead)
    response = client.post(
        reverse("web:roster_visit", args=[week[0].pk]),
        {"worker": busy.pk, "date": WEEK.isoformat(), "starts_at": "09:00", "units": "2"},
    )
    assert response.status_code == 409
    assert "Busy Carer would work 3 hours in that week; their contract gives 2." in response.content.decode()
    week[0].refresh_from_db()
    assert week[0].worker_id != busy.pk


def test_a_move_through_the_form(client, pl_teamlead, week):
    rosters.reopen_roster(pl_teamlead, week[0].roster)
    client.force_login(pl_teamlead)
    response = client.post(
        reverse("web:roster_visit", args=[week[0].pk]),
        {"worker": week[0].worker_id, "date": (WEEK + dt.timedelta(days=1)).isoformat(), "starts_at": "10:30",
         "units": "2"},
    )  # fmt: skip
    assert response.status_code == 302
    visit = Visit.objects.get(pk=week[0].pk)
    assert (visit.date, visit.starts_at) == (WEEK + dt.timedelta(days=1), dt.time(10, 30))


def test_planning_the_week_from_the_page(client, pl_teamlead, carer, client_decision):
    client.force_login(pl_teamlead)
    response = client.post(reverse("web:roster_generate"), {"week": WEEK.isoformat()})
    assert response.status_code == 302
    assert Visit.objects.count() == 2


def test_the_canteen_sheet_saves_the_day_or_nothing(client, pl_teamlead, canteen):
    client.force_login(pl_teamlead)
    url = reverse("web:canteen_day")
    day = WEEK.isoformat()
    bad = client.post(url, {"day": day, "service": "pl.meals", f"meals-{canteen[0].pk}": "1",
                            f"meals-{canteen[1].pk}": "many"})  # fmt: skip
    assert bad.status_code == 400
    assert not Delivery.objects.exists()
    good = client.post(url, {"day": day, "service": "pl.meals", f"meals-{canteen[0].pk}": "1",
                             f"meals-{canteen[1].pk}": "2"})  # fmt: skip
    assert good.status_code == 302
    assert sorted(Delivery.objects.values_list("units", flat=True)) == [1, 2]
    page = client.get(url, {"day": day, "service": "pl.meals"}).content.decode()
    assert canteen[0].person.full_name in page
