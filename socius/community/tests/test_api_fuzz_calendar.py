"""Schemathesis over every /community/supervisions/, /community/calendar/, /community/calendar-entries/ and
/calendar.ics operation, against the calendar world, as the director (every operation is theirs to try) and as
a social worker who takes part in the session: no 5xx, and status codes, content types and bodies exactly as
the OpenAPI document declares. Ids are steered as in web/tests/test_api_fuzz.py."""

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
from socius.community.tests.calendar_world import world_fixture  # noqa: F401  (fixture)
from socius.testing.tokens import api_key_for

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
).include(path_regex=r"^/api/v1/(community/(supervisions|calendar|calendar-entries)/|calendar\.ics)")

PATH_RECORDS = {"supervisions": "session", "calendar-entries": "closure"}
ID_KEYS = {"participants": "@pl_worker", "facilitator": "@pl_teamlead", "responsible": "@pl_worker",
           "staff": "@pl_worker2", "territory": "village"}  # fmt: skip


@pytest.fixture(autouse=True)
def keep_connection_open():
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=["pl_director", "pl_worker"])
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


def _target(request, world, name):
    if name.startswith("@"):
        return request.getfixturevalue(name[1:]).pk
    return world[name].pk


def _use_world_ids(request, case, world):
    parts = case.path.removeprefix("/api/v1/").split("/")
    parameters = case.path_parameters or {}
    if "id" in parameters and len(parts) > 1 and parts[1] in PATH_RECORDS:
        parameters["id"] = _steer(parameters["id"], world[PATH_RECORDS[parts[1]]].pk)
    nested = []
    if isinstance(case.body, dict) and isinstance(case.body.get("follow_ups"), list):
        nested = [v for v in case.body["follow_ups"] if isinstance(v, dict)]
    for params in (case.query, case.body, *nested):
        if not isinstance(params, dict):
            continue
        for key, name in ID_KEYS.items():
            if key in params:
                target = _target(request, world, name)
                value = params[key]
                params[key] = [_steer(v, target) for v in value] if isinstance(value, list) else _steer(value, target)


@schema.parametrize()
@hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_every_calendar_operation_answers_without_server_error_and_as_documented(request, case, world, caller):
    token = api_key_for(caller)
    _use_world_ids(request, case, world)
    case.call_and_validate(headers={"Authorization": f"Token {token}", "Accept-Language": "en"}, checks=CHECKS)
