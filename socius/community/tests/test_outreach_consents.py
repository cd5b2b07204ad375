"""A registered person named on an outreach attendance list: their consent is kept in the registry too, and the
list links to it (decision 0024)."""

from __future__ import annotations

import datetime as dt

from socius.community.models import EventAttendee
from socius.community.outreach import record_event_held
from socius.community.tests import outreach_fixtures as fx
from socius.registry.models import Consent
from socius.registry.services_consents import record_consent

tree = fx.tree
resident = fx.resident
planned_event = fx.planned_event
ON = fx.ON


def _held(resident):
    return {
        "headcount": 10,
        "attendees": [
            {"person": resident.pk, "consent": "written", "consent_on": ON},
            {"name": "Ona", "consent": "oral", "consent_on": ON},
        ],
    }


def test_a_named_persons_consent_is_recorded_in_the_registry_and_linked(lt_worker, planned_event, resident):
    event = record_event_held(lt_worker, planned_event, _held(resident), on=ON)
    consent = Consent.objects.get()
    assert (consent.person_id, consent.purpose, consent.given_on, consent.method, consent.source) == (
        resident.pk, "outreach_attendance", ON, "written", f"outreach_event:{event.pk}",
    )  # fmt: skip
    attendees = {a.name or a.person_id: a.registry_consent_id for a in EventAttendee.objects.filter(event=event)}
    assert attendees == {resident.pk: consent.pk, "Ona": None}  # a name outside the registry stays on the list only


def test_a_live_consent_in_the_registry_is_reused(lt_worker, planned_event, resident):
    earlier = record_consent(lt_worker, resident, purpose="outreach_attendance", given_on=dt.date(2026, 1, 5),
                             method="written")  # fmt: skip
    event = record_event_held(lt_worker, planned_event, _held(resident), on=ON)
    assert Consent.objects.get() == earlier
    assert EventAttendee.objects.get(event=event, person=resident).registry_consent == earlier
