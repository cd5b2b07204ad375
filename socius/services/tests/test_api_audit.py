"""Every API answer showing a client's data is audited under the client (and the persons of their case); lists
read in a fixed number of queries whatever their length; bad filters are 400 naming the field."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from socius.accounts.models import AuditAction, AuditEvent, AuditEventPerson
from socius.services.models import CopaymentAssessment, WaitingListEntry
from socius.services.statuses import DecisionStatus
from socius.services.tests.conftest import DAY, HOME_HELP, make_decision
from socius.testing.factories import PersonFactory

S = "/api/v1/services"


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _persons(event) -> set[int]:
    extra = set(AuditEventPerson.objects.filter(event=event).values_list("person_id", flat=True))
    return extra | ({event.person_id} if event.person_id else set())


def _many(centre, drafter, n):
    for i in range(n):
        decision = make_decision(centre, PersonFactory(centre=centre), drafter, number=f"USL/2025/{i + 1:04d}")
        CopaymentAssessment.objects.create(
            decision=decision,
            valid_from=DAY,
            income=Decimal("1000"),
            household_size=1,
            lives_alone=True,
            free=False,
            share_of_cost_percent=Decimal("10"),
            rule_version=DAY,
            computed_by=drafter,
        )
        WaitingListEntry.objects.create(
            centre=centre,
            service_code=HOME_HELP,
            person=decision.person,
            reason="r",
            requested_on=DAY,
            created_by=drafter,
        )


def test_a_decision_read_is_audited_under_the_client(pl_director, pl_centre, pl_worker, client_person, case):
    decision = make_decision(pl_centre, client_person, pl_worker, case=case)
    response = _client(pl_director).get(f"{S}/decisions/{decision.pk}/")
    assert response.status_code == 200
    assert response.json()["person_name"] == "Halina Kowalczyk"
    event = AuditEvent.objects.get(action=AuditAction.VIEW)
    assert (event.object_type, event.object_id) == ("service_decision", decision.pk)
    assert _persons(event) == {client_person.pk}


def test_a_page_of_decisions_is_one_audit_event_naming_every_client(pl_director, pl_centre, pl_worker):
    _many(pl_centre, pl_worker, 3)
    response = _client(pl_director).get(f"{S}/decisions/")
    assert response.status_code == 200
    shown = {row["person"] for row in response.json()["results"]}
    event = AuditEvent.objects.get(action=AuditAction.VIEW, object_type="service_decision")
    assert event.object_id is None
    assert _persons(event) == shown and len(shown) == 3
    assert all(row["copayment"]["share_of_cost_percent"] == "10.00" for row in response.json()["results"])


def test_the_waiting_list_is_audited_under_the_persons_shown(pl_worker, pl_centre):
    _many(pl_centre, pl_worker, 2)
    response = _client(pl_worker).get(f"{S}/waiting-list/")
    assert response.status_code == 200
    assert [row["position"] for row in response.json()["results"]] == [1, 2]
    event = AuditEvent.objects.get(action=AuditAction.VIEW, object_type="service_waiting_entry")
    assert _persons(event) == {row["person"] for row in response.json()["results"]}


def test_the_catalogue_shows_no_person_and_is_not_audited(pl_carer, offer):
    response = _client(pl_carer).get(f"{S}/catalogue/", {"on": "2025-03-03", "offered": "true"})
    assert response.status_code == 200
    assert [(r["code"], r["offer"]["unit_cost"], r["capacity_left"]) for r in response.json()] == [
        (HOME_HELP, "32.50", "30.00")
    ]
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("path", ["decisions", "waiting-list"])
def test_lists_read_in_a_fixed_number_of_queries(
    path, pl_director, pl_centre, pl_worker, django_assert_max_num_queries
):
    _many(pl_centre, pl_worker, 2)
    client = _client(pl_director)
    client.get(f"{S}/{path}/")  # warm caches (the pack, the session)
    with django_assert_max_num_queries(9) as few:
        assert client.get(f"{S}/{path}/").status_code == 200
    _many(pl_centre, pl_worker, 15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"{S}/{path}/")
    assert response.status_code == 200 and response.json()["count"] == 17


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("decisions", {"status": "lost"}, "status"),
        ("decisions", {"person": "x"}, "person"),
        ("decisions", {"in_force_on": "yesterday"}, "in_force_on"),
        ("waiting-list", {"priority": "9"}, "priority"),
        ("catalogue", {"on": "2025-13-01"}, "on"),
        ("workers", {"provider": "0"}, "provider"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(pl_director, path, query, field):
    response = _client(pl_director).get(f"{S}/{path}/", query)
    assert response.status_code == 400
    assert field in response.json()


def test_a_refused_issue_is_a_409_with_the_reason_and_nothing_changes(
    pl_teamlead, pl_centre, client_person, case, offer
):
    draft = make_decision(pl_centre, client_person, pl_teamlead, status=DecisionStatus.DRAFT, case=case)
    response = _client(pl_teamlead).post(f"{S}/decisions/{draft.pk}/issue/", {"on": "2025-03-03"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "four_eyes"
    draft.refresh_from_db()
    assert draft.status == DecisionStatus.DRAFT and not AuditEvent.objects.exists()


def test_placing_from_the_waiting_list_drafts_a_decision_linked_to_the_entry(pl_worker, pl_centre, client_person, case):
    entry = WaitingListEntry.objects.create(
        centre=pl_centre,
        service_code=HOME_HELP,
        person=client_person,
        case=case,
        reason="r",
        requested_on=DAY,
        created_by=pl_worker,
    )
    response = _client(pl_worker).post(
        f"{S}/waiting-list/{entry.pk}/place/",
        {
            "quantity": "4",
            "starts_on": "2025-04-01",
            "weekly_pattern": [{"weekday": 0, "start": "08:30", "units": "2"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["waiting_entry"], body["service_code"], body["case"]) == (
        "draft",
        entry.pk,
        HOME_HELP,
        case.pk,
    )
    assert body["weekly_pattern"] == [{"weekday": 0, "start": "08:30", "units": "2.00"}]
