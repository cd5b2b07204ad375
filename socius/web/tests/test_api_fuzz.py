"""Schemathesis over every operation of /api/schema/: no 5xx and answers that conform to the schema.

It runs through schemathesis' pytest integration against the WSGI application (no server), inside the
test's transaction, on a small demo (the three demo centres with their casework), as a social worker and as
an auditor of the Polish centre. The seed is fixed and the examples per operation are bounded, so a run
is repeatable and takes about a minute a pass.

Ids in paths, queries and bodies are random numbers, which mostly answer 404 or 400; a third of them are
steered to a demo record of the same kind, to reach the real records, and a third to the top of the
documented id range, which must answer 400 or 404 like any other unknown id (never an overflow).
"""

from __future__ import annotations

import datetime as dt
import io

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import close_old_connections, transaction
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from socius.accounts.models import User
from socius.assessments.models import Assessment
from socius.benefits.models import Application, ApproverAuthorisation, Decision
from socius.benefits.models_recalculation import RecalculationRun
from socius.casework.models import Case, Contact
from socius.casework.models_documents import CaseDocument
from socius.casework.models_referrals import Partner, Referral
from socius.casework.models_visits import HomeVisit, SocialWorkActivity
from socius.common.limits import ID_MAX
from socius.payments.models import (
    BankStatement,
    BenefitFund,
    Fund,
    Payment,
    PaymentApprover,
    PaymentDetailsChange,
    PaymentRun,
    Transfer,
)
from socius.plans.models import HelpPlan, SocialContract
from socius.registry.models import Household, Person
from socius.testing.tokens import api_key_for

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
MAX_EXAMPLES = 6

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
    "applications": Application,
    "decisions": Decision,
    "approver-authorisations": ApproverAuthorisation,
    "recalculations": RecalculationRun,
}
PAYMENTS_RECORDS = {
    "funds": Fund,
    "benefit-funds": BenefitFund,
    "payment-runs": PaymentRun,
    "payments": Payment,
    "bank-statements": BankStatement,
    "transfers": Transfer,
    "payment-details": PaymentDetailsChange,
    "payment-approvers": PaymentApprover,
}
RECORDS.update(PAYMENTS_RECORDS)
# Id fields of queries and bodies, and the kind of record each names.
ID_KEYS = {
    "person": "persons",
    "persons": "persons",
    "participants": "persons",
    "clients": "persons",
    "household": "households",
    "case": "cases",
    "partner": "partners",
    "assessment": "assessments",
    "plan": "help-plans",
    "applicant": "persons",
    "application": "applications",
    "decision": "decisions",
    "flag": None,
    "worker": None,
    "user": None,
    "team": None,
    "visitors": None,
    "run": "payment-runs",
    "fund": "funds",
    "territory": None,
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
    return api_key_for(caller)


# Loaded at collection through the application itself; the schema view reads no table.
schema = schemathesis.openapi.from_wsgi(
    "/api/schema/?format=json", WSGIHandler(), config=schemathesis.Config.from_dict(CONFIG)
)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _steer(value, demo_id):
    """A generated id, steered: a third to a demo record, a third to the top of the documented range."""
    if not _is_int(value) or value < 1:
        return value
    if value % 3 == 0 and demo_id is not None:
        return demo_id
    if value % 3 == 1:
        return ID_MAX
    return value


def _use_demo_ids(case, demo_ids):
    segment = case.path.removeprefix("/api/v1/").split("/", 1)[0]
    parameters = case.path_parameters or {}
    if "id" in parameters:
        parameters["id"] = _steer(parameters["id"], demo_ids.get(segment))
    members = case.body.get("members") if isinstance(case.body, dict) else None
    nested = [m for m in members if isinstance(m, dict)] if isinstance(members, list) else []
    for params in (case.query, case.body, *nested):
        if not isinstance(params, dict):
            continue
        for key, kind in ID_KEYS.items():
            if key in params:
                demo = demo_ids.get(kind) if kind else None
                value = params[key]
                params[key] = [_steer(v, demo) for v in value] if isinstance(value, list) else _steer(value, demo)


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


# Payments: most operations are finance's or the director's, refused (403) to the callers above before their
# input is read. The payments operations run again as pl-finance and pl-director, so that hostile input (huge
# amounts, bad months, bad IBANs, files that are no statement) reaches the serializers and the services.
payments_schema = schema.include(
    path_regex=r"^/api/v1/(funds|benefit-funds|payment-runs|payments|bank-statements|transfers|payment-details|"
    r"payment-approvers|services/statements)/"  # monthly service statements: finance and the director too
)


@pytest.fixture(params=["pl-finance", "pl-director"])
def payments_caller(request, demo, db):
    return User.objects.get(username=request.param)


@payments_schema.parametrize()
@hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_every_payments_operation_answers_finance_and_the_director_without_server_error(case, payments_caller):
    token = api_key_for(payments_caller)
    ids = {}
    for segment, model in {**PAYMENTS_RECORDS, "persons": Person, "decisions": Decision}.items():
        first = model.objects.filter(centre=payments_caller.centre).order_by("pk").values_list("pk", flat=True).first()
        if first is not None:
            ids[segment] = first
    # The paths' first segment is "services": steer {id} to a record of the collection named after it.
    ids["services"] = ids.get(case.path.removeprefix("/api/v1/services/").split("/", 1)[0])
    _use_demo_ids(case, ids)
    case.call_and_validate(headers={"Authorization": f"Token {token}", "Accept-Language": "en"}, checks=CHECKS)


# Social services (issue 11): offers, providers and workers are kept by team leaders and the director, decisions
# issued by them; as pl-director hostile input reaches the serializers and the services of every operation.
services_schema = schema.include(
    path_regex=r"^/api/v1/services/(catalogue|offers|providers|workers|decisions|waiting-list)/"
)


@services_schema.parametrize()
@hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_every_services_operation_answers_the_director_without_server_error(case, demo, db):
    from socius.services.models import Provider, ServiceDecision, ServiceWorker, WaitingListEntry

    director = User.objects.get(username="pl-director")
    token = api_key_for(director)
    ids = {}
    for segment, model in {
        "decisions": ServiceDecision,
        "providers": Provider,
        "workers": ServiceWorker,
        "waiting-list": WaitingListEntry,
        "persons": Person,
    }.items():
        first = model.objects.filter(centre=director.centre).order_by("pk").values_list("pk", flat=True).first()
        if first is not None:
            ids[segment] = first
    # The paths' first segment is "services": steer {id} to a record of the collection named after it.
    ids["services"] = ids.get(case.path.removeprefix("/api/v1/services/").split("/", 1)[0])
    _use_demo_ids(case, ids)
    case.call_and_validate(headers={"Authorization": f"Token {token}", "Accept-Language": "en"}, checks=CHECKS)


# Retention (issue 13, decision 0023): reviews and the decisions on erasure requests are the director's; as
# pl-director hostile input (reasons, days, person ids) reaches the serializers and the services of every operation.
retention_schema = schema.include(path_regex=r"^/api/v1/retention/")
REVIEW_DAY = dt.date(2026, 12, 8)


@retention_schema.parametrize()
@hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_every_retention_operation_answers_the_director_without_server_error(case, demo, db):
    from socius.privacy.services_retention import review_retention

    director = User.objects.get(username="pl-director")
    token = api_key_for(director)
    review = review_retention(director.centre, on=REVIEW_DAY)
    person = Person.objects.filter(centre=director.centre).order_by("pk").values_list("pk", flat=True).first()
    # The paths' first segment is "retention": steer {id} to the review (its requests' ids are random).
    _use_demo_ids(case, {"retention": review.pk, "persons": person})
    case.call_and_validate(headers={"Authorization": f"Token {token}", "Accept-Language": "en"}, checks=CHECKS)


# Subject access (issue 13): approval, refusal and the download are the director's; as pl-director hostile input
# reaches the serializers and the services, with {id} steered to a request a worker recorded.
subject_access_schema = schema.include(path_regex=r"^/api/v1/subject-access/")


@subject_access_schema.parametrize()
@hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_every_subject_access_operation_answers_the_director_without_server_error(case, demo, db):
    from socius.privacy.services import record_subject_access_request

    director = User.objects.get(username="pl-director")
    worker = User.objects.get(username="pl-worker")
    person = Person.objects.filter(centre=director.centre).order_by("pk").first()
    request = record_subject_access_request(
        worker, person.pk, received_on=person.created_at.date(), requester="person", channel="letter"
    )
    token = api_key_for(director)
    _use_demo_ids(case, {"subject-access": request.pk, "persons": person.pk})
    case.call_and_validate(headers={"Authorization": f"Token {token}", "Accept-Language": "en"}, checks=CHECKS)
