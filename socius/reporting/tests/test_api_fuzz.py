"""Schemathesis over every reports operation (/reports/, /reports/{id}/ and its actions, /reports/monthly-activity/)
as the director and as an auditor: no 5xx, and status codes, content types and bodies as the OpenAPI document
declares. Ids are steered as in web/tests/test_api_fuzz.py (a third to a record of the world, a third to the top
of the id range). Fixed seed, bounded examples."""

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

from socius.accounts.roles import Role
from socius.common.limits import ID_MAX
from socius.reporting import services
from socius.reporting.statuses import ReportKind
from socius.reporting.tests.engine_helpers import contacts, make_md_area, use_engine_indicators
from socius.testing.factories import UserFactory
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
).include(path_regex=r"^/api/v1/reports/(\{id\}/|monthly-activity/|$)")


@pytest.fixture(autouse=True)
def keep_connection_open():
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(monkeypatch, md_centre, md_director):
    use_engine_indicators(monkeypatch)
    area = make_md_area(md_centre)
    contacts(md_centre, area["first"], 2)
    report = services.start_report(md_director, ReportKind.MONTHLY_ACTIVITY, "2026-10")
    services.write_narrative(md_director, report.versions.get().pk, "October.")
    return {"reports": report.pk, "territory": area["first"].pk}


@pytest.fixture(params=["director", "auditor"])
def caller(request, world, md_director, md_centre):
    if request.param == "director":
        return md_director
    return UserFactory(username="md_auditor", centre=md_centre, role=Role.AUDITOR)


def _steer(value, target):
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        return value
    if value % 3 == 0 and target is not None:
        return target
    if value % 3 == 1:
        return ID_MAX
    return value


def _use_world_ids(case, world):
    parameters = case.path_parameters or {}
    if "id" in parameters:
        parameters["id"] = _steer(parameters["id"], world["reports"])
    for params in (case.query, case.body):
        if isinstance(params, dict) and "territory" in params:
            params["territory"] = _steer(params["territory"], world["territory"])


@schema.parametrize()
@hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_every_reports_operation_answers_without_server_error_and_as_documented(request, case, world, caller):
    token = api_key_for(caller)
    _use_world_ids(case, world)
    case.call_and_validate(headers={"Authorization": f"Token {token}", "Accept-Language": "en"}, checks=CHECKS)
