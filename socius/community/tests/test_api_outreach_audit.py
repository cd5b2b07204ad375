"""Outreach API reads are audited under the persons they show: an event's named attendees and recipients, a page
of potential recipients, one recipient; lists of events, the territory view and the diagnosis name no one and
write no view event."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from socius.accounts.models import AuditEvent, AuditEventPerson
from socius.community.models import EventAttendee
from socius.community.tests import outreach_fixtures as fx

tree = fx.tree
resident = fx.resident
planned_event = fx.planned_event
recipient = fx.recipient
lt_auditor = fx.lt_auditor

V1 = "/api/v1/community"


def _named(event) -> set[int]:
    return {p for p in [event.person_id] if p} | set(
        AuditEventPerson.objects.filter(event=event).values_list("person_id", flat=True)
    )


@pytest.fixture
def named(planned_event, recipient, resident, lt_centre):
    from socius.testing.factories import PersonFactory

    attendee = PersonFactory(centre=lt_centre)
    EventAttendee.objects.create(event=planned_event, person=attendee, consent="written", consent_on=fx.ON)
    recipient.person = resident
    recipient.save()
    return {attendee.pk, resident.pk}


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_reading_an_event_is_audited_under_its_attendees_and_recipients(lt_auditor, planned_event, named):
    response = _client(lt_auditor).get(f"{V1}/events/{planned_event.pk}/")

    assert response.status_code == 200
    assert {a["person"] for a in response.json()["attendees"]} == named - {
        planned_event.potential_recipients.get().person_id
    }
    audit = AuditEvent.objects.get(action="view", object_type="outreach_event")
    assert (audit.actor, audit.object_id) == (lt_auditor, planned_event.pk)
    assert _named(audit) == named


def test_a_page_of_potential_recipients_and_one_recipient_are_audited(lt_auditor, recipient, named, resident):
    client = _client(lt_auditor)
    assert client.get(f"{V1}/potential-recipients/").status_code == 200
    assert client.get(f"{V1}/potential-recipients/{recipient.pk}/").status_code == 200

    views = AuditEvent.objects.filter(action="view", object_type="potential_recipient").order_by("id")
    assert [(v.object_id, v.person_id) for v in views] == [(None, resident.pk), (recipient.pk, resident.pk)]


def test_lists_of_events_the_territory_view_and_the_diagnosis_write_no_view(lt_auditor, planned_event, named, tree):
    client = _client(lt_auditor)
    assert client.get(f"{V1}/events/").status_code == 200
    assert client.get(f"{V1}/territories/").status_code == 200
    assert client.get(f"{V1}/diagnosis/", {"territory": tree["jasiunai"].pk}).status_code == 200
    assert not AuditEvent.objects.filter(action="view").exists()


def test_the_event_list_shows_no_attendee(lt_auditor, planned_event, named):
    row = _client(lt_auditor).get(f"{V1}/events/").json()["results"][0]
    assert "attendees" not in row and "potential_recipients" not in row
    assert row["recipient_count"] == 1


def test_a_territory_outside_the_area_is_refused_with_its_reason(lt_auditor, tree):
    response = _client(lt_auditor).get(f"{V1}/territories/", {"root": tree["outside"].pk})
    assert response.status_code == 409
    assert response.json()["code"] == "territory_outside_centre"
    response = _client(lt_auditor).get(f"{V1}/events/", {"year": "x", "date_from": "never"})
    assert response.status_code == 400
    assert list(response.json()) == ["date_from"]
