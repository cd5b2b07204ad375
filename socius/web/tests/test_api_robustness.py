"""No crash on any input: ids out of the key range, small integers out of their column, bodies that cannot be
read or are too large, and free text past its limit all answer 4xx in JSON, naming the field, and write
nothing. The desk is documented as the object it is; every collection lists without a filter."""

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import RequestDataTooBig
from django.test import override_settings
from rest_framework.test import APIClient

from socius.accounts.models import AuditEvent
from socius.assessments.models import Assessment
from socius.casework.models import Case, CaseEvent, Contact, HomeVisit
from socius.casework.tests.factories import CaseFactory
from socius.common.limits import NOTES_MAX_LENGTH
from socius.common.parsers import SafeJSONParser
from socius.plans.models import Goal, HelpPlan
from socius.registry.models import Household, Membership, Person
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory, TeamFactory
from socius.web.forms_plans import GoalForm

TOO_BIG = 2**63  # one past BigAutoField's top
TOP = 2**63 - 1
RANGE_MESSAGE = f"Ensure this value is less than or equal to {TOP}."


def api(user, language="en"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_authenticate(user)
    return client


def state():
    return (
        Person.objects.count(),
        Household.objects.count(),
        Membership.objects.count(),
        Contact.objects.count(),
        Case.objects.count(),
        CaseEvent.objects.count(),
        HomeVisit.objects.count(),
        sorted(Goal.objects.values_list("pk", "order")),
        AuditEvent.objects.exclude(action="view").count(),
    )


@pytest.fixture
def team(pl_centre, pl_worker):
    team = TeamFactory(centre=pl_centre, problem_group="family", name="Family")
    team.members.add(pl_worker)
    return team


@pytest.fixture
def household(pl_centre):
    household = HouseholdFactory(centre=pl_centre)
    MembershipFactory(household=household, person=PersonFactory(centre=pl_centre), relationship="head")
    return household


@pytest.fixture
def case(pl_centre, pl_worker, team, household):
    return CaseFactory(centre=pl_centre, household=household, assigned_worker=pl_worker, team=team)


@pytest.fixture
def plan(case, pl_worker):
    response = api(pl_worker).post(
        "/api/v1/help-plans/",
        {"case": case.pk, "title": "Plan", "valid_from": "2025-03-03", "assessment": None},
        format="json",
    )
    assert response.status_code == 201, response.content
    return HelpPlan.objects.get(pk=response.json()["id"])


# --- ids ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/cases/?household={}", "household"),
        ("/api/v1/cases/?person={}", "person"),
        ("/api/v1/cases/?worker={}", "worker"),
        ("/api/v1/cases/?team={}", "team"),
        ("/api/v1/households/?person={}", "person"),
        ("/api/v1/contacts/?person={}", "person"),
        ("/api/v1/home-visits/?case={}", "case"),
        ("/api/v1/help-plans/?case={}", "case"),
        ("/api/v1/assessments/?case={}", "case"),
        ("/api/v1/case-flags/?case={}", "case"),
    ],
)
def test_an_id_filter_past_the_key_range_is_a_400_naming_the_filter(pl_worker, case, url, field):
    response = api(pl_worker).get(url.format(TOO_BIG))

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert field in response.json()


def test_the_audit_user_filter_is_bounded_too(pl_auditor):
    response = api(pl_auditor).get("/api/v1/audit/events/", {"user": TOO_BIG})

    assert response.status_code == 400 and response.json() == {"user": [RANGE_MESSAGE]}


@pytest.mark.parametrize("url", ["/api/v1/persons/?territory={}", "/api/v1/households/?territory={}"])
def test_a_related_record_filter_past_the_range_is_an_unknown_choice(pl_worker, url):
    response = api(pl_worker).get(url.format(TOO_BIG))

    assert response.status_code == 400 and list(response.json()) == ["territory"]


def test_the_top_id_itself_is_simply_not_found(pl_worker, case):
    client = api(pl_worker)

    assert client.get("/api/v1/cases/", {"household": TOP}).json()["count"] == 0
    assert client.get("/api/v1/households/", {"person": TOP}).json()["count"] == 0
    for url in ("cases", "persons", "households", "assessments", "help-plans", "home-visits", "case-flags"):
        assert client.get(f"/api/v1/{url}/{TOO_BIG}/").status_code == 404, url
        assert client.get(f"/api/v1/{url}/{TOP}/").status_code == 404, url


def test_ids_past_the_range_in_bodies_are_refused_and_nothing_is_written(pl_worker, case, household):
    client = api(pl_worker)
    head = household.memberships.get().person
    before = state()

    contact = client.post(
        "/api/v1/contacts/",
        {"occurred_at": "2025-01-01T10:00:00Z", "channel": "office", "topics": ["housing"], "persons": [TOO_BIG]},
        format="json",
    )
    members = client.post(
        "/api/v1/households/",
        {"members": [{"person": head.pk, "relationship": "head"}, {"person": TOO_BIG, "relationship": "child"}]},
        format="json",
    )
    visit = client.post(
        "/api/v1/home-visits/", {"case": case.pk, "planned_on": "2025-03-03", "visitors": [TOO_BIG]}, format="json"
    )
    opened = client.post("/api/v1/cases/", {"household": TOO_BIG, "circumstances": ["poverty"]}, format="json")
    person = client.post(
        "/api/v1/persons/", {"first_name": "Anna", "last_name": "Nowak", "territory": TOO_BIG}, format="json"
    )

    assert contact.status_code == 400 and contact.json() == {"persons": {"0": [RANGE_MESSAGE]}}
    assert members.status_code == 400 and members.json() == {"members": {"1": {"person": [RANGE_MESSAGE]}}}
    assert visit.status_code == 400 and visit.json() == {"visitors": {"0": [RANGE_MESSAGE]}}
    assert opened.status_code == 400 and opened.json() == {"household": [RANGE_MESSAGE]}
    assert person.status_code == 400 and list(person.json()) == ["territory"]
    assert state() == before


def test_the_schema_documents_the_id_range(db):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    household = next(p for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"] if p["name"] == "household")
    contact = schema["components"]["schemas"]["ContactRequest"]["properties"]["persons"]["items"]

    assert (household["schema"]["minimum"], household["schema"]["maximum"]) == (1, TOP)
    assert (contact["minimum"], contact["maximum"]) == (1, TOP)


# --- a goal's order ---------------------------------------------------------------------------------


@pytest.mark.parametrize("order", [-1, 32768, 40000, TOO_BIG])
def test_a_goal_order_outside_its_column_is_a_400_and_writes_nothing(pl_worker, plan, order):
    before = state()

    response = api(pl_worker).post(
        f"/api/v1/help-plans/{plan.pk}/goals/", {"description": "g", "order": order}, format="json"
    )

    assert response.status_code == 400 and list(response.json()) == ["order"]
    assert state() == before


def test_after_the_top_order_a_new_goal_still_comes_last(pl_worker, plan):
    client = api(pl_worker)
    url = f"/api/v1/help-plans/{plan.pk}/goals/"

    top = client.post(url, {"description": "top", "order": 32767}, format="json")
    after = client.post(url, {"description": "Find work"}, format="json")

    assert top.status_code == 201 and top.json()["order"] == 32767
    assert after.status_code == 201 and after.json()["order"] == 32767
    assert list(plan.goals.values_list("description", flat=True)) == ["top", "Find work"]


def test_the_service_refuses_an_order_past_the_column(pl_worker, plan):
    from socius.common.errors import ValidationFailed
    from socius.plans.services import add_goal

    with pytest.raises(ValidationFailed) as exc:
        add_goal(pl_worker, plan.pk, description="g", order=32768)

    assert [str(m) for m in exc.value.errors["order"]] == ["Enter a whole number from 0 to 32767."]


def test_the_schema_documents_the_order_range(db):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    order = schema["components"]["schemas"]["GoalRequest"]["properties"]["order"]

    assert (order["minimum"], order["maximum"]) == (0, 32767)


# --- bodies -------------------------------------------------------------------------------------------

DEEP = "[" * 100_000 + "]" * 100_000


def test_deeply_nested_json_is_a_400_in_json_also_without_a_login(db):
    response = APIClient().post("/api/v1/auth/token/", DEEP, content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "The body is not valid JSON: nested too deeply"}


@pytest.mark.parametrize("body", [DEEP, "{", '{"first_name": NaN}', b"\xb9\x00"])
def test_unreadable_json_is_a_400_in_json_and_writes_nothing(pl_worker, body):
    before = state()

    response = api(pl_worker).post("/api/v1/persons/", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"].startswith("The body is not valid JSON")
    assert state() == before


def test_the_parse_error_is_translated(pl_worker):
    response = api(pl_worker, language="pl").post("/api/v1/persons/", "{", content_type="application/json")

    assert response.status_code == 400
    assert not response.json()["detail"].startswith("The body is not valid JSON")


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_an_oversized_body_is_a_413_in_json_and_writes_nothing(pl_worker):
    before = state()
    body = json.dumps({"first_name": "Anna", "last_name": "Nowak", "notes": "x" * 2000})

    response = api(pl_worker).post("/api/v1/persons/", body, content_type="application/json")
    anonymous = APIClient().post("/api/v1/auth/token/", body, content_type="application/json")

    assert response.status_code == 413 and anonymous.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "The request body is too large (at most 1000 bytes)."}
    assert state() == before
    polish = api(pl_worker, language="pl").post("/api/v1/persons/", body, content_type="application/json")
    assert polish.json() == {"detail": "Treść żądania jest zbyt duża (najwyżej 1000 bajtów)."}


def test_a_body_past_the_limit_without_a_declared_length_is_refused_by_the_parser(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10

    with pytest.raises(RequestDataTooBig):
        SafeJSONParser().parse(io.BytesIO(b'{"a": "0123456789"}'))
    assert SafeJSONParser().parse(io.BytesIO(b'{"a": 1}')) == {"a": 1}


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_the_web_pages_keep_django_s_own_limit(pl_worker, client):
    client.force_login(pl_worker)

    response = client.post("/persons/new/", {"notes": "x" * 2000})

    assert response.status_code != 413


# --- free text ------------------------------------------------------------------------------------------


def test_free_text_past_its_limit_is_a_400_naming_the_field_and_writes_nothing(pl_worker, case, plan):
    client = api(pl_worker)
    long = "x" * (NOTES_MAX_LENGTH + 1)
    before = state()
    message = [f"Ensure this field has no more than {NOTES_MAX_LENGTH} characters."]

    person = client.post("/api/v1/persons/", {"first_name": "A", "last_name": "B", "notes": long}, format="json")
    contact = client.post(
        "/api/v1/contacts/",
        {"occurred_at": "2025-01-01T10:00:00Z", "channel": "office", "topics": ["housing"], "notes": long},
        format="json",
    )
    goal = client.post(f"/api/v1/help-plans/{plan.pk}/goals/", {"description": long}, format="json")

    assert (person.status_code, person.json()) == (400, {"notes": message})
    assert (contact.status_code, contact.json()) == (400, {"notes": message})
    assert (goal.status_code, goal.json()) == (400, {"description": message})
    assert state() == before


def test_free_text_at_its_limit_is_accepted(pl_worker):
    response = api(pl_worker).post(
        "/api/v1/persons/", {"first_name": "Anna", "last_name": "Nowak", "notes": "x" * NOTES_MAX_LENGTH}, format="json"
    )

    assert response.status_code == 201, response.content


def test_the_schema_documents_free_text_limits(db):
    components = APIClient().get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]

    for component, field in [
        ("PersonRequest", "notes"),
        ("HouseholdRequest", "notes"),
        ("ContactRequest", "notes"),
        ("CaseOpenRequest", "notes"),
        ("GoalRequest", "description"),
        ("SocialContractRequest", "causes"),
        ("HomeVisitRequest", "purpose"),
        ("PatchedAssessmentDraftRequest", "diagnosis"),
    ]:
        assert components[component]["properties"][field]["maxLength"] == NOTES_MAX_LENGTH, component


def test_the_web_form_enforces_the_same_limit():
    assert GoalForm({"description": "x" * NOTES_MAX_LENGTH}).is_valid()
    form = GoalForm({"description": "x" * (NOTES_MAX_LENGTH + 1)})
    assert not form.is_valid() and list(form.errors) == ["description"]


# --- the desk and the collections ----------------------------------------------------------------------


def test_the_desk_is_documented_as_the_object_it_returns(pl_worker, db):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    desk = schema["paths"]["/api/v1/desk/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]

    assert desk == {"$ref": "#/components/schemas/Desk"}
    body = api(pl_worker).get("/api/v1/desk/").json()
    assert set(body) == set(schema["components"]["schemas"]["Desk"]["properties"])


# Payments collections read by finance, the director, approvers and auditors (socius/payments/tests/
# test_api_permissions.py): listed here as finance; the payments themselves also as a social worker (their clients').
FINANCE_COLLECTIONS = {
    "/api/v1/funds/",
    "/api/v1/benefit-funds/",
    "/api/v1/payment-runs/",
    "/api/v1/bank-statements/",
    "/api/v1/transfers/",
    "/api/v1/payment-details/",
    "/api/v1/services/rosters/",  # those who see every service (socius/services/tests/rosters/test_api_permissions.py)
    "/api/v1/services/statements/",  # VIEW_SERVICES (socius/web/tests/test_services_statements.py)
    "/api/v1/reports/",  # VIEW_REPORTS (socius/reporting/tests/test_api.py)
}


STATUTORY_REPORTS = {
    "/api/v1/reports/mrpips-03/",
    "/api/v1/reports/ozps/",
    "/api/v1/reports/lt-cash-assistance/",
    "/api/v1/reports/md-yearly-aid/",
}


def test_every_collection_lists_without_a_filter(pl_worker, pl_finance, case):
    client = api(pl_worker)
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    collections = [
        path
        for path, operations in schema["paths"].items()
        if "{" not in path and "get" in operations and path not in ("/api/v1/desk/", "/api/v1/caseload/")
    ]

    assert len(collections) >= 14
    for path in collections:
        if path in ("/api/v1/audit/events/", "/api/v1/audit/trail/"):
            continue  # the auditor's; below
        if path == "/api/v1/approver-authorisations/":
            continue  # the director's (socius/benefits/tests/test_api_permissions.py)
        if path == "/api/v1/recalculations/":
            continue  # team leaders' and approvers' (socius/benefits/tests/test_api_recalculation.py)
        if path == "/api/v1/payment-approvers/":
            continue  # the director's (socius/payments/tests/test_api_permissions.py)
        if path == "/api/v1/family-support/loads/":
            continue  # team leaders' and the director's (socius/family/tests/test_api_permissions.py)
        if path == "/api/v1/reports/monthly-activity/":
            continue  # needs ?month= (socius/reporting/tests/test_api.py, test_api_fuzz.py)
        if path in STATUTORY_REPORTS:
            continue  # report readers' and a period each (socius/reporting/tests/test_statutory_api.py)
        if path in ("/api/v1/data-breaches/", "/api/v1/processing-activities/"):
            continue  # the DPO's, the director's and the administrator's (socius/privacy/tests/)
        if path in ("/api/v1/retention/reviews/", "/api/v1/retention/erasure-requests/"):
            continue  # the director's (socius/privacy/tests/test_retention_web_api.py)
        if path == "/api/v1/services/canteen-days/":
            continue  # team leaders', the director's and the canteen staff's (socius/services/tests/rosters/)
        response = (api(pl_finance) if path in FINANCE_COLLECTIONS else client).get(path)
        assert response.status_code == 200, (path, response.content)


def test_the_assessments_collection_lists_what_the_caller_may_read(pl_worker, pl_worker2, md_worker, case):
    mine = Assessment.objects.create(
        case=case,
        kind="initial",
        instrument_code="pl-test",
        instrument_version="1",
        need_identified_on=dt.date(2025, 3, 3),
        due_on=dt.date(2025, 3, 17),
    )

    def listed(user):
        response = api(user).get("/api/v1/assessments/")
        assert response.status_code == 200
        return [row["id"] for row in response.json()["results"]]

    assert listed(pl_worker) == [mine.pk]
    assert listed(pl_worker2) == []  # the same centre, without the case's content
    assert listed(md_worker) == []
    assert api(pl_worker).get("/api/v1/assessments/", {"case": case.pk}).json()["count"] == 1
