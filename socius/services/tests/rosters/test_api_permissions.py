"""Rosters API permission matrix: every persona × every /services/ rosters, visits, deliveries and canteen-days
operation. Anonymous 401; a role without the capability 403 before anything is read; a visit or delivery the
caller may not see (another carer's, a client whose case they do not read, another centre's) 404; a body naming
a record of another centre 400 on its field. Every refusal leaves the database as it was, audit log included."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from socius.accounts.models import AuditEvent
from socius.services import rosters
from socius.services.models import Delivery, Roster, Visit
from socius.services.statuses import DeliveryOutcome
from socius.services.tests.factories_rosters import CANTEEN, VisitFactory
from socius.services.tests.rosters.conftest import WEEK

PERSONAS = [
    "anonymous", "pl_worker", "pl_worker2", "pl_teamlead", "pl_director", "pl_carer", "pl_carer2", "pl_finance",
    "pl_auditor", "md_worker",
]  # fmt: skip
V = "/api/v1/services/"


def answers(default, **special):
    out = dict.fromkeys(PERSONAS, default)
    out["anonymous"] = 401
    out.update(special)
    return out


MANAGERS = {"pl_teamlead", "pl_director"}


def managers_only(success):
    return answers(403, **dict.fromkeys(MANAGERS, success))


VIEWERS = answers(403, pl_teamlead=200, pl_director=200, pl_finance=200, pl_auditor=200)
RECORDERS_LIST = answers(200, pl_finance=403, pl_auditor=403)
ONE_VISIT = answers(404, pl_worker=200, pl_teamlead=200, pl_director=200, pl_carer=200, pl_finance=403, pl_auditor=403)

MATRIX = {
    "rosters list": ("get", lambda w: f"{V}rosters/", None, VIEWERS),
    "roster retrieve": ("get", lambda w: f"{V}rosters/{w['roster'].pk}/", None, VIEWERS),
    "roster generate": ("post", lambda w: f"{V}rosters/generate/", lambda w: {"week_start": "2025-03-17"},
                        managers_only(200)),
    "roster reopen": ("post", lambda w: f"{V}rosters/{w['roster'].pk}/reopen/", None, managers_only(200)),
    "roster publish": ("post", lambda w: f"{V}rosters/{w['draft'].pk}/publish/", None, managers_only(200)),
    "visits list": ("get", lambda w: f"{V}visits/", None, RECORDERS_LIST),
    "visit retrieve": ("get", lambda w: f"{V}visits/{w['visit'].pk}/", None, ONE_VISIT),
    "visit deliver": ("post", lambda w: f"{V}visits/{w['visit'].pk}/deliver/", lambda w: {"units": "2"}, ONE_VISIT),
    "visit miss": ("post", lambda w: f"{V}visits/{w['visit'].pk}/miss/", lambda w: {"reason": "client_absent"},
                   ONE_VISIT),
    "visit create": (
        "post", lambda w: f"{V}visits/",
        lambda w: {"roster": w["draft"].pk, "decision": w["draft_visit"].decision_id, "worker": w["carer"].pk,
                   "date": "2025-03-12", "starts_at": "15:00", "units": "1"},
        managers_only(201),
    ),
    "visit move": (
        "post", lambda w: f"{V}visits/{w['draft_visit'].pk}/move/",
        lambda w: {"worker": w["carer"].pk, "date": "2025-03-11", "starts_at": "12:00", "units": "1"},
        managers_only(200),
    ),
    "visit cancel": ("post", lambda w: f"{V}visits/{w['draft_visit'].pk}/cancel/", lambda w: {"reason": "away"},
                     managers_only(200)),
    "deliveries list": ("get", lambda w: f"{V}deliveries/", None, RECORDERS_LIST),
    "delivery retrieve": ("get", lambda w: f"{V}deliveries/{w['delivery'].pk}/", None, ONE_VISIT),
    "delivery create": (
        "post", lambda w: f"{V}deliveries/",
        lambda w: {"decision": w["visit"].decision_id, "date": "2025-03-04", "units": "1"},
        answers(404, pl_worker=201, pl_teamlead=201, pl_director=201, pl_finance=403, pl_auditor=403, md_worker=400),
    ),
    "delivery correct": ("post", lambda w: f"{V}deliveries/{w['delivery'].pk}/correct/",
                         lambda w: {"units": "1", "note": "Left early"}, managers_only(200)),
    "canteen day": ("get", lambda w: f"{V}canteen-days/?service_code={CANTEEN}&day=2025-03-04", None,
                    managers_only(200)),
    "canteen record": ("post", lambda w: f"{V}canteen-days/",
                       lambda w: {"service_code": CANTEEN, "day": "2025-03-04",
                                  "meals": [{"decision": w["canteen"][0].pk, "meals": 1}]},
                       managers_only(200)),
}  # fmt: skip


@pytest.fixture
def world(pl_teamlead, pl_centre, carer, client_decision, canteen, pl_carer2, carer2):
    result = rosters.generate_roster(pl_teamlead, pl_centre, WEEK)
    roster = rosters.publish_roster(pl_teamlead, result.roster)
    visits = sorted(result.visits, key=lambda v: v.date)
    draft = Roster.objects.create(centre=pl_centre, week_start=WEEK + dt.timedelta(days=7))
    draft_visit = VisitFactory(roster=draft, decision=client_decision, worker=carer, date=draft.week_start,
                               units=Decimal("1"))  # fmt: skip
    delivery = Delivery.objects.create(
        centre=pl_centre, decision=client_decision, visit=visits[1], worker=carer, date=visits[1].date,
        outcome=DeliveryOutcome.DELIVERED, units=2, recorded_by=pl_teamlead,
    )  # fmt: skip
    return {"roster": roster, "visit": visits[0], "draft": draft, "draft_visit": draft_visit, "carer": carer,
            "delivery": delivery, "canteen": canteen}  # fmt: skip


def _state():
    return (
        list(Visit.objects.order_by("pk").values_list("pk", "worker_id", "date", "starts_at", "units", "status")),
        list(Delivery.objects.order_by("pk").values_list("pk", "units")),
        list(Roster.objects.order_by("pk").values_list("pk", "status")),
        AuditEvent.objects.exclude(action="view").count(),
    )


CASES = [(op, persona) for op in MATRIX for persona in PERSONAS]


@pytest.mark.parametrize(("op", "persona_name"), CASES, ids=[f"{o}-{p}" for o, p in CASES])
def test_permission_matrix(op, persona_name, world, request):
    method, url, data, expected = MATRIX[op]
    client = APIClient()
    if persona_name != "anonymous":
        client.force_authenticate(request.getfixturevalue(persona_name))
    before = _state()
    views_before = AuditEvent.objects.filter(action="view").count()

    response = getattr(client, method)(url(world), data(world) if data else None, format="json")

    assert response.status_code == expected[persona_name], response.content
    if response.status_code >= 400:
        assert _state() == before
        assert AuditEvent.objects.filter(action="view").count() == views_before
