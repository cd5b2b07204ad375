"""Schemathesis over every /services/ rosters, visits, deliveries and canteen-days operation, as the team leader
(every operation is theirs to try) and as the carer: no 5xx, and status codes, content types and bodies as the
OpenAPI document declares. Generated ids are steered as in web/tests/test_api_fuzz.py: a third to a record of
the world, a third to the top of the id range, the rest left random; the seed is fixed and the examples bounded.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from socius.common.limits import ID_MAX
from socius.services import rosters
from socius.services.models import Delivery, Roster
from socius.services.tests.factories_rosters import VisitFactory
from socius.services.tests.rosters.conftest import WEEK
from socius.testing.tokens import api_key_for

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
CONFIG = {
    "seed": 20261207,
    "generation": {"mode": "all", "max-examples": 6, "deterministic": True, "database": "none"},
    "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
}
schema = schemathesis.openapi.from_wsgi(
    "/api/schema/?format=json", WSGIHandler(), config=schemathesis.Config.from_dict(CONFIG)
).include(path_regex=r"^/api/v1/services/(rosters|visits|deliveries|canteen-days)/")

PATH_RECORDS = {"rosters": "roster", "visits": "visit", "deliveries": "delivery"}
ID_KEYS = {"roster": "draft", "decision": "decision", "worker": "carer", "visit": "visit"}


@pytest.fixture(autouse=True)
def keep_connection_open():
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_world(pl_teamlead, pl_centre, carer, client_decision, canteen):
    result = rosters.generate_roster(pl_teamlead, pl_centre, WEEK)
    roster = rosters.publish_roster(pl_teamlead, result.roster)
    visit = min(result.visits, key=lambda v: v.date)
    draft = Roster.objects.create(centre=pl_centre, week_start=WEEK + dt.timedelta(days=7))
    VisitFactory(roster=draft, decision=client_decision, worker=carer, date=draft.week_start, units=Decimal("1"))
    delivery = Delivery.objects.create(centre=pl_centre, decision=client_decision, worker=carer, date=WEEK,
                                       outcome="delivered", units=1, recorded_by=pl_teamlead)  # fmt: skip
    return {"roster": roster, "visit": visit, "draft": draft, "decision": client_decision, "carer": carer,
            "delivery": delivery}  # fmt: skip


@pytest.fixture(params=["pl_teamlead", "pl_carer"])
def caller(request, fuzz_world):
    return request.getfixturevalue(request.param)


def _steer(value, target):
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        return value
    if value % 3 == 0 and target is not None:
        return target
    if value % 3 == 1:
        return ID_MAX
    return value


def _use_world_ids(case, world):
    segment = case.path.removeprefix("/api/v1/services/").split("/")[0]
    parameters = case.path_parameters or {}
    if "id" in parameters and segment in PATH_RECORDS:
        parameters["id"] = _steer(parameters["id"], world[PATH_RECORDS[segment]].pk)
    for params in (case.query, case.body):
        if isinstance(params, dict):
            for key, name in ID_KEYS.items():
                if key in params:
                    params[key] = _steer(params[key], world[name].pk)


@schema.parametrize()
@hypothesis.settings(
    max_examples=6,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_every_roster_operation_answers_without_server_error_and_as_documented(case, fuzz_world, caller):
    token = api_key_for(caller)
    _use_world_ids(case, fuzz_world)
    case.call_and_validate(headers={"Authorization": f"Token {token}", "Accept-Language": "en"}, checks=CHECKS)
