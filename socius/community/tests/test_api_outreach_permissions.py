"""Outreach API permission matrix: every persona × every /community/ operation of outreach.

Anonymous 401; a role without the capability 403 before the record is read (the carer reads nothing; auditors
and finance read but do not work); another centre's worker does not find the records (404) and is refused a
territory outside their centre's area (409). Every refusal leaves the records as they were.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from socius.casework.tests.factories import CaseFactory
from socius.community.models import EventFollowUp, OutreachEvent, PotentialRecipient
from socius.community.tests import outreach_fixtures as fx

tree = fx.tree
resident = fx.resident
planned_event = fx.planned_event
recipient = fx.recipient
partner = fx.partner
lt_director = fx.lt_director
lt_auditor = fx.lt_auditor
lt_finance = fx.lt_finance
lt_carer = fx.lt_carer

V1 = "/api/v1/community"
PERSONAS = ["anonymous", "lt_worker", "lt_director", "lt_auditor", "lt_finance", "lt_carer", "md_worker"]
WORKERS = {"lt_worker", "lt_director"}
READERS = {"lt_auditor", "lt_finance"}


def rule(success, *, md=404, readers=403, **special) -> dict:
    out = {"anonymous": 401, "lt_carer": 403, "md_worker": md}
    out.update(dict.fromkeys(WORKERS, success))
    out.update(dict.fromkeys(READERS, readers))
    out.update(special)
    return out


READ = rule(200, readers=200)
OPERATIONS = {
    "events-list": rule(200, md=200, readers=200),
    "events-read": READ,
    "events-plan": rule(201, md=409),
    "events-update": rule(200),
    "events-held": rule(200),
    "events-cancel": rule(200),
    "events-replan": rule(200),
    "events-follow-up-done": rule(200),
    "recipients-list": rule(200, md=200, readers=200),
    "recipients-read": READ,
    "recipients-create": rule(201, md=409),
    "recipients-make-contact": rule(200),
    "recipients-refer": rule(200),
    "recipients-dismiss": rule(200),
    "recipients-reopen": rule(200),
    "territories": rule(200, md=200, readers=200),
    "diagnosis": rule(200, md=409, readers=200),
}


@pytest.fixture
def world(lt_centre, lt_worker, tree, planned_event, recipient, resident, partner):
    cancelled = OutreachEvent.objects.create(centre=lt_centre, territory=tree["turgeliai"], kind="training",
                                             date=fx.ON, status="cancelled", cancelled_reason="x")  # fmt: skip
    held = OutreachEvent.objects.create(centre=lt_centre, territory=tree["turgeliai"], kind="training",
                                        date=fx.ON, status="held", headcount=3)  # fmt: skip
    follow_up = EventFollowUp.objects.create(event=held, text="Paskambinti")
    CaseFactory(centre=lt_centre, household=None, person=resident, assigned_worker=lt_worker)
    recipient.person = resident
    recipient.save()
    dismissed = PotentialRecipient.objects.create(centre=lt_centre, name="Petras", need="Malkos", status="dismissed",
                                                  dismissed_reason="x", found_by=lt_worker, found_on=fx.ON)  # fmt: skip
    return SimpleNamespace(
        event=planned_event, cancelled=cancelled, held=held, follow_up=follow_up, recipient=recipient,
        dismissed=dismissed, tree=tree, partner=partner,
    )  # fmt: skip


def call(client, operation, w):
    j = {"format": "json"}
    e, r = w.event.pk, w.recipient.pk
    later = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    requests = {
        "events-list": lambda: client.get(f"{V1}/events/"),
        "events-read": lambda: client.get(f"{V1}/events/{e}/"),
        "events-plan": lambda: client.post(
            f"{V1}/events/", {"territory": w.tree["village"].pk, "kind": "information_meeting", "date": later}, **j
        ),
        "events-update": lambda: client.patch(f"{V1}/events/{e}/", {"place": "Mokykla"}, **j),
        "events-held": lambda: client.post(
            f"{V1}/events/{e}/held/",
            {"headcount": 12, "leaflets": [{"service_code": "lt.home_help", "count": 5}]},
            **j,
        ),
        "events-cancel": lambda: client.post(f"{V1}/events/{e}/cancel/", {"reason": "Lietus"}, **j),
        "events-replan": lambda: client.post(f"{V1}/events/{w.cancelled.pk}/replan/", {"date": later}, **j),
        "events-follow-up-done": lambda: client.post(
            f"{V1}/events/{w.held.pk}/follow-up-done/", {"follow_up": w.follow_up.pk}, **j
        ),
        "recipients-list": lambda: client.get(f"{V1}/potential-recipients/"),
        "recipients-read": lambda: client.get(f"{V1}/potential-recipients/{r}/"),
        "recipients-create": lambda: client.post(
            f"{V1}/potential-recipients/", {"name": "Jonas", "need": "Malkos", "territory": w.tree["village"].pk}, **j
        ),
        "recipients-make-contact": lambda: client.post(f"{V1}/potential-recipients/{r}/make-contact/", {}, **j),
        "recipients-refer": lambda: client.post(
            f"{V1}/potential-recipients/{r}/refer/", {"partner": w.partner.pk}, **j
        ),
        "recipients-dismiss": lambda: client.post(f"{V1}/potential-recipients/{r}/dismiss/", {"reason": "x"}, **j),
        "recipients-reopen": lambda: client.post(f"{V1}/potential-recipients/{w.dismissed.pk}/reopen/", {}, **j),
        "territories": lambda: client.get(f"{V1}/territories/"),
        "diagnosis": lambda: client.get(f"{V1}/diagnosis/", {"territory": w.tree["jasiunai"].pk}),
    }
    return requests[operation]()


def _state(w):
    return (
        sorted(OutreachEvent.objects.values_list("pk", "status", "place", "headcount")),
        sorted(PotentialRecipient.objects.values_list("pk", "status", "contact_id", "referral_id")),
        list(EventFollowUp.objects.values_list("done_on", flat=True)),
    )


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix(persona, operation, world, request):
    client = APIClient()
    if persona != "anonymous":
        client.force_authenticate(request.getfixturevalue(persona))
    before = _state(world)

    response = call(client, operation, world)

    expected = OPERATIONS[operation][persona]
    assert response.status_code == expected, (persona, operation, response.status_code, response.content[:300])
    if expected >= 400:
        assert _state(world) == before
