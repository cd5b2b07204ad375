"""Schemathesis over every /family-support/ and /child-protection/ operation, against the family API world (every
state an action moves from is there), as the director (every operation is theirs to try) and as the Nowaks'
assistant: no 5xx, and status codes, content types and bodies exactly as the OpenAPI document declares.

Generated ids are steered as in web/tests/test_api_fuzz.py: a third to a record of the world of the kind the
path or the field names, a third to the top of the id range, the rest left random. The seed is fixed and the
examples bounded, so a run is repeatable.
"""

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
from socius.family.tests.api_world import world  # noqa: F401  (fixture)
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
).include(path_regex=r"^/api/v1/(family-support|child-protection)/")

# The world's record standing for each collection (the path segment after family-support/ or child-protection/).
PATH_RECORDS = {
    "enrolments": "waiting",
    "consents": "consent",
    "work-plans": "draft",
    "work-plan-items": "draft_item",
    "activities": "activity",
    "assessments": "assessment",
    "children": "child",
    "placements": "placement",
    "meetings": "meeting",
    "decisions": "decision",
    "tasks": "task",
}
# Id fields of queries and bodies, and the world's record (or persona) each names.
ID_KEYS = {
    "enrolment": "enrolment",
    "case": "new_case",
    "household": "new_household",
    "person": "son",
    "child": "new_son",
    "agreed_with": "mother",
    "family_members": "son",
    "present": "worker_member",
    "agenda_item": "item",
    "child_record": "child",
    "meeting": "meeting",
    "assistant": "@pl_assistant2",
    "social_worker": "@pl_worker",
    "responsible_worker": "@pl_worker",
    "assigned_to": "@pl_worker",
    "chair": "@pl_director",
    "user": "@pl_worker",
    "responsible": "@pl_worker",
    "worker": "@pl_worker",
    "partner": None,
    "partners": None,
    "fund": None,
}


@pytest.fixture(autouse=True)
def keep_connection_open():
    """Django closes "old" connections around each request; here the requests run inside the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=["pl_director", "pl_assistant"])
def caller(request, world):  # noqa: F811
    return request.getfixturevalue(request.param)


def _steer(value, target):
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        return value
    if value % 3 == 0 and target is not None:
        return target
    if value % 3 == 1:
        return ID_MAX
    return value


def _target(request, world, name):  # noqa: F811
    if name is None:
        return None
    if name.startswith("@"):
        return request.getfixturevalue(name[1:]).pk
    return world[name].pk


def _use_world_ids(request, case, world):  # noqa: F811
    segment = case.path.removeprefix("/api/v1/").split("/")[1]
    parameters = case.path_parameters or {}
    if "id" in parameters:
        parameters["id"] = _steer(parameters["id"], world[PATH_RECORDS[segment]].pk)
    nested = []
    if isinstance(case.body, dict):
        for key in ("members", "tasks", "consent"):
            value = case.body.get(key)
            nested += [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
            nested += [value] if isinstance(value, dict) else []
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
def test_every_family_operation_answers_without_server_error_and_as_documented(request, case, world, caller):  # noqa: F811
    token = api_key_for(caller)
    _use_world_ids(request, case, world)
    case.call_and_validate(headers={"Authorization": f"Token {token}", "Accept-Language": "en"}, checks=CHECKS)
