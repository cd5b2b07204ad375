"""Schemathesis over every operation of /api/schema/: no 5xx and answers that conform to the schema.

It runs through schemathesis' pytest integration against the WSGI application (no server), inside the
test's transaction, on a small demo (the three demo centres with their casework), as a social worker and as
an auditor of the Polish centre. The seed is fixed and the examples per operation are bounded, so a run
is repeatable and takes about a minute a pass.

Path and body ids are mostly random numbers, which answer 404 or 400; to reach the real records too, an
id that the generator made even is replaced by the id of a demo record of the same kind.
"""

from __future__ import annotations

import io

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import close_old_connections, transaction
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from socius.accounts.models import User
from socius.assessments.models import Assessment
from socius.casework.models import Case, Contact
from socius.casework.models_documents import CaseDocument
from socius.casework.models_referrals import Partner, Referral
from socius.casework.models_visits import HomeVisit, SocialWorkActivity
from socius.plans.models import HelpPlan, SocialContract
from socius.registry.models import Household, Person

# What "as documented" means here: no 5xx; a status code, content type and body the schema declares. Not
# whether a schema-valid request is accepted: a random id names no record, and business rules refuse more.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
SEED = 20261207
MAX_EXAMPLES = 12

CONFIG = {
    "seed": SEED,
    "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
    # The coverage phase sends every boundary value of every parameter: hundreds of requests an operation,
    # beyond this test's time budget. Examples and fuzzing (positive and negative) run.
    "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
}

# The demo record standing in for each path: the first path segment after /api/v1/ names its kind.
RECORDS = {
    "persons": Person,
    "households": Household,
    "contacts": Contact,
    "cases": Case,
    "partners": Partner,
    "referrals": Referral,
    "home-visits": HomeVisit,
    "social-work": SocialWorkActivity,
    "case-documents": CaseDocument,
    "help-plans": HelpPlan,
    "social-contracts": SocialContract,
    "assessments": Assessment,
}
BODY_IDS = {
    "person": Person,
    "household": Household,
    "case": Case,
    "partner": Partner,
    "assessment": Assessment,
    "plan": HelpPlan,
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module inside a transaction rolled back at its end (each test adds a savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", persons_per_centre=60, stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module", autouse=True)
def keep_connection_open():
    """Django closes "old" connections around each request; here the requests run inside the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=["pl-worker", "pl-auditor"])
def caller(request, demo, db):
    return User.objects.get(username=request.param)


@pytest.fixture
def demo_ids(caller):
    """One record of each kind in the caller's centre, the first by id."""
    ids = {}
    for segment, model in RECORDS.items():
        field = "centre" if hasattr(model, "centre") else "case__centre"
        first = model.objects.filter(**{field: caller.centre}).order_by("pk").values_list("pk", flat=True).first()
        if first is not None:
            ids[segment] = first
    return ids


@pytest.fixture
def token(caller):
    return Token.objects.get_or_create(user=caller)[0].key


# Loaded at collection through the application itself; the schema view reads no table.
schema = schemathesis.openapi.from_wsgi(
    "/api/schema/?format=json", WSGIHandler(), config=schemathesis.Config.from_dict(CONFIG)
)


def _use_demo_ids(case, demo_ids):
    segment = case.path.removeprefix("/api/v1/").split("/", 1)[0]
    parameters = case.path_parameters or {}
    if segment in demo_ids and isinstance(parameters.get("id"), int) and parameters["id"] % 2 == 0:
        parameters["id"] = demo_ids[segment]
    if isinstance(case.body, dict):
        for key, model in BODY_IDS.items():
            value = case.body.get(key)
            if isinstance(value, int) and not isinstance(value, bool) and value % 2 == 0:
                segment = next(s for s, m in RECORDS.items() if m is model)
                if segment in demo_ids:
                    case.body[key] = demo_ids[segment]


@schema.parametrize()
@hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_every_operation_answers_without_server_error_and_as_documented(case, demo_ids, token):
    _use_demo_ids(case, demo_ids)
    case.call_and_validate(headers={"Authorization": f"Token {token}", "Accept-Language": "en"}, checks=CHECKS)
