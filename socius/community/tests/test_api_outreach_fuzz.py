"""Schemathesis over every outreach operation (/community/events/, potential-recipients/, territories/,
diagnosis/), as the director and as an auditor: no 5xx, and status codes, content types and bodies as the OpenAPI
document declares. Ids are steered as in web/tests/test_api_fuzz.py (a third to a record of the world, a third to
the top of the id range). Fixed seed, bounded examples."""

from __future__ import annotations

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
from socius.community.tests import outreach_fixtures as fx
from socius.testing.tokens import api_key_for

tree = fx.tree
resident = fx.resident
planned_event = fx.planned_event
recipient = fx.recipient
partner = fx.partner
lt_director = fx.lt_director
lt_auditor = fx.lt_auditor

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
SEED = 20261207
MAX_EXAMPLES = 6
CONFIG = {
    "seed": SEED,
    "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
    "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
}

schema = schemathesis.openapi.from_wsgi(
    "/api/schema/?format=json", WSGIHandler(), config=schemathesis.Config.from_dict(CONFIG)
).include(path_regex=r"^/api/v1/community/(events|potential-recipients|territories|diagnosis)/")


@pytest.fixture(autouse=True)
def keep_connection_open():
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(tree, planned_event, recipient, resident, partner, lt_worker):
    return {
        "events": planned_event.pk,
        "potential-recipients": recipient.pk,
        "territory": tree["village"].pk,
        "root": tree["jasiunai"].pk,
        "event": planned_event.pk,
        "person": resident.pk,
        "partner": partner.pk,
        "staff": lt_worker.pk,
        "responsible": lt_worker.pk,
    }


@pytest.fixture(params=["lt_director", "lt_auditor"])
def caller(request, world):
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
    segment = case.path.removeprefix("/api/v1/community/").split("/")[0]
    parameters = case.path_parameters or {}
    if "id" in parameters:
        parameters["id"] = _steer(parameters["id"], world.get(segment))
    for params in (case.query, case.body):
        if isinstance(params, dict):
            for key in ("territory", "root", "event", "person", "partner", "staff", "responsible"):
                if key in params:
                    value = params[key]
                    params[key] = (
                        [_steer(v, world[key]) for v in value] if isinstance(value, list) else _steer(value, world[key])
                    )


@schema.parametrize()
@hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_every_outreach_operation_answers_without_server_error_and_as_documented(request, case, world, caller):
    token = api_key_for(caller)
    _use_world_ids(case, world)
    case.call_and_validate(headers={"Authorization": f"Token {token}", "Accept-Language": "en"}, checks=CHECKS)
