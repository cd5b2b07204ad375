"""Casework API permission matrix: every persona × every casework endpoint, and the schema.

Outcomes, as for the registry: anonymous 401; a role without the capability 403 (before the record is
read); another centre's record 404; a case's content (full GET, timeline) only for the assigned
worker, the team leader of the case's team, the director and staff it is shared with — the rest of the
centre gets the summary (content_visible false) or 403 on the timeline; status actions only for those
who answer for the case. Every refusal leaves the database as it was.
"""

import datetime as dt

import pytest
import yaml
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from socius.accounts.models import AuditEvent
from socius.accounts.roles import Role
from socius.casework.models import Case, CaseEvent, CaseShare, Contact
from socius.casework.tests.factories import CaseFactory, ContactFactory
from socius.testing.factories import HouseholdFactory, UserFactory

CONTENT, SUMMARY = "content", "summary"

# persona: (relation to the case: CONTENT, SUMMARY or 404, may manage the case's status)
PERSONAS = {
    "pl_worker": (CONTENT, True),  # the assigned worker
    "pl_worker2": (SUMMARY, False),  # another worker of the same centre and team
    "pl_assistant": (SUMMARY, False),
    "pl_teamlead": (CONTENT, True),  # leader of the case's team
    "other_teamlead": (SUMMARY, False),  # leader of another team
    "pl_director": (CONTENT, True),
    "pl_auditor": (SUMMARY, False),
    "pl_finance": (SUMMARY, False),
    "pl_admin": (SUMMARY, False),
    "shared_user": (CONTENT, False),  # a share grants reading, not steering
    "md_worker": (404, False),  # another centre
}
RECORDS_CONTACTS = {"pl_worker", "pl_worker2", "pl_assistant", "pl_teamlead", "other_teamlead", "pl_director"}
RECORDS_CONTACTS |= {"shared_user", "md_worker"}
WORKS_CASES = RECORDS_CONTACTS  # same roles
LEADS_CASE_TEAM = {"pl_teamlead", "pl_director"}
ASSIGNS = {"pl_teamlead", "other_teamlead", "pl_director"}

OPERATIONS = [
    "contacts-list",
    "contacts-create",
    "contacts-read",
    "cases-list",
    "cases-create",
    "cases-read",
    "cases-timeline",
    "cases-activate",
    "cases-share",
    "cases-reassign",
    "caseload",
]


def expected(persona: str, operation: str):
    """The status code, or (200, content_visible) for a case read."""
    if persona == "anonymous":
        return 401
    relation, manages = PERSONAS[persona]
    other_centre = relation == 404
    if operation == "cases-list":
        return 200
    if operation == "contacts-create":
        return 201 if persona in RECORDS_CONTACTS else 403
    # A contact's notes and sensitive topics: for those who do casework (decision 0007).
    if operation == "contacts-list":
        return 200 if other_centre else (200, persona in RECORDS_CONTACTS)
    if operation == "contacts-read":
        return 404 if other_centre else (200, persona in RECORDS_CONTACTS)
    if operation == "cases-create":
        if persona not in WORKS_CASES:
            return 403
        return 400 if other_centre else 201  # another centre's household is refused on its field
    if operation == "cases-read":
        return 404 if other_centre else (200, relation == CONTENT)
    if operation == "cases-timeline":
        return 404 if other_centre else 200 if relation == CONTENT else 403
    if operation in ("cases-activate", "cases-share"):
        if persona not in WORKS_CASES:
            return 403
        if other_centre:
            return 404
        ok = 200 if operation == "cases-activate" else 204
        return ok if manages else 403
    if operation == "cases-reassign":
        return 200 if persona in LEADS_CASE_TEAM else 403
    if operation == "caseload":
        return 200 if persona in ASSIGNS else 403
    raise AssertionError(operation)


def matrix():
    for persona in [*PERSONAS, "anonymous"]:
        for operation in OPERATIONS:
            yield pytest.param(persona, operation, expected(persona, operation), id=f"{persona}-{operation}")


@pytest.fixture
def records(pl_centre, pl_worker, pl_worker2, pl_teamlead, family_team, other_teamlead):
    household = HouseholdFactory(centre=pl_centre)
    case = CaseFactory(
        centre=pl_centre,
        household=household,
        assigned_worker=pl_worker,
        team=family_team,
        circumstances=["domestic_violence"],
        notes="Sensitive.",
    )
    shared = UserFactory(username="pl_psychologist", centre=pl_centre, role=Role.SOCIAL_WORKER)
    CaseShare.objects.create(case=case, user=shared)
    contact = ContactFactory(
        centre=pl_centre, handled_by=pl_worker, topics=["health", "housing"], notes="Spoke of violence at home."
    )
    return {"case": case, "household": household, "contact": contact, "shared_user": shared, "team": family_team}


def state():
    return (
        sorted(Case.objects.values_list("pk", "status", "assigned_worker_id", "closure_reason")),
        Contact.objects.count(),
        CaseEvent.objects.count(),
        sorted(CaseShare.objects.values_list("case_id", "user_id")),
        AuditEvent.objects.exclude(action="view").count(),
    )


def call(client, operation, records, pl_worker2):
    case = records["case"]
    if operation == "contacts-list":
        return client.get("/api/v1/contacts/")
    if operation == "contacts-create":
        occurred = (timezone.now() - dt.timedelta(hours=1)).isoformat()
        return client.post(
            "/api/v1/contacts/", {"occurred_at": occurred, "channel": "phone", "topics": ["benefits"]}, format="json"
        )
    if operation == "contacts-read":
        return client.get(f"/api/v1/contacts/{records['contact'].pk}/")
    if operation == "cases-list":
        return client.get("/api/v1/cases/")
    if operation == "cases-create":
        body = {"household": records["household"].pk, "circumstances": ["poverty"], "team": records["team"].pk}
        return client.post("/api/v1/cases/", body, format="json")
    if operation == "cases-read":
        return client.get(f"/api/v1/cases/{case.pk}/")
    if operation == "cases-timeline":
        return client.get(f"/api/v1/cases/{case.pk}/timeline/")
    if operation == "cases-activate":
        return client.post(f"/api/v1/cases/{case.pk}/activate/", {}, format="json")
    if operation == "cases-share":
        return client.post(f"/api/v1/cases/{case.pk}/share/", {"user": pl_worker2.pk}, format="json")
    if operation == "cases-reassign":
        body = {"cases": [case.pk], "worker": pl_worker2.pk, "reason": "Balance the caseload"}
        return client.post("/api/v1/cases/reassign/", body, format="json")
    if operation == "caseload":
        return client.get("/api/v1/caseload/")
    raise AssertionError(operation)


@pytest.mark.parametrize(("persona_name", "operation", "outcome"), list(matrix()))
def test_permission_matrix(request, records, pl_worker2, persona_name, operation, outcome):
    client = APIClient()
    if persona_name == "shared_user":
        client.force_authenticate(records["shared_user"])
    elif persona_name != "anonymous":
        client.force_authenticate(request.getfixturevalue(persona_name))
    before = state()
    views_before = AuditEvent.objects.filter(action="view").count()

    response = call(client, operation, records, pl_worker2)

    code, content_visible = outcome if isinstance(outcome, tuple) else (outcome, None)
    assert response.status_code == code, response.content
    if code >= 400:
        assert state() == before
        assert AuditEvent.objects.filter(action="view").count() == views_before
    if content_visible is not None and operation.startswith("contacts-"):
        body = response.json()
        body = body["results"][0] if operation == "contacts-list" else body
        assert body["id"] == records["contact"].pk
        assert body["content_withheld"] is not content_visible
        assert body["notes"] == ("Spoke of violence at home." if content_visible else "")
        assert body["topics"] == (["health", "housing"] if content_visible else ["housing"])
    elif content_visible is not None:
        body = response.json()
        assert body["content_visible"] is content_visible
        assert (body["notes"] == "Sensitive.") is content_visible
        assert (body["circumstances"] == ["domestic_violence"]) is content_visible
        # Every view of content is audited; a summary is not.
        assert AuditEvent.objects.filter(action="view").count() == views_before + (1 if content_visible else 0)
    if operation == "cases-timeline" and code == 200:
        assert AuditEvent.objects.filter(action="view").count() == views_before + 1


def test_403_does_not_depend_on_whether_the_case_exists(pl_finance, records):
    client = APIClient()
    client.force_authenticate(pl_finance)

    for pk in (records["case"].pk, 999999):
        assert client.post(f"/api/v1/cases/{pk}/close/", {"reason": "died"}, format="json").status_code == 403


def test_a_user_without_a_centre_is_refused(db, records):
    nobody = UserFactory(username="detached", centre=None, role=Role.DIRECTOR)
    client = APIClient()
    client.force_authenticate(nobody)

    assert client.get("/api/v1/cases/").status_code == 403
    assert client.get("/api/v1/contacts/").status_code == 403
    assert client.get(f"/api/v1/cases/{records['case'].pk}/").status_code == 403


# --- schema ---------------------------------------------------------------------------------------

CASEWORK_PATHS = {
    "/api/v1/contacts/": {"get", "post"},
    "/api/v1/contacts/{id}/": {"get"},
    "/api/v1/cases/": {"get", "post"},
    "/api/v1/cases/{id}/": {"get"},
    "/api/v1/cases/{id}/timeline/": {"get"},
    "/api/v1/cases/{id}/activate/": {"post"},
    "/api/v1/cases/{id}/suspend/": {"post"},
    "/api/v1/cases/{id}/close/": {"post"},
    "/api/v1/cases/{id}/reopen/": {"post"},
    "/api/v1/cases/{id}/share/": {"post"},
    "/api/v1/cases/{id}/unshare/": {"post"},
    "/api/v1/cases/reassign/": {"post"},
    "/api/v1/caseload/": {"get"},
}


@pytest.fixture
def schema(db):
    response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_lists_the_casework_endpoints_without_put_patch_or_delete(schema):
    paths = {
        path: set(ops) & {"get", "post", "put", "patch", "delete"}
        for path, ops in schema["paths"].items()
        if path.startswith(("/api/v1/cases", "/api/v1/contacts", "/api/v1/caseload"))
    }

    assert paths == CASEWORK_PATHS


def test_schema_documents_filters_pagination_and_409(schema):
    cases = schema["paths"]["/api/v1/cases/"]["get"]
    assert {"status", "open_only", "worker", "team", "household", "person", "page", "page_size"} <= {
        p["name"] for p in cases["parameters"]
    }
    contacts = schema["paths"]["/api/v1/contacts/"]["get"]
    assert {"person", "household", "date_from", "date_to", "page"} <= {p["name"] for p in contacts["parameters"]}
    timeline = schema["paths"]["/api/v1/cases/{id}/timeline/"]["get"]["responses"]["200"]
    assert timeline["content"]["application/json"]["schema"]["$ref"].endswith("/PaginatedCaseTimelineEntryList")
    assert "409" in schema["paths"]["/api/v1/cases/{id}/close/"]["post"]["responses"]
    case = schema["components"]["schemas"]["Case"]["properties"]
    assert {"content_visible", "circumstances", "notes", "reference", "status", "assigned_worker"} <= set(case)
    assert case["notes"]["nullable"] is True


def test_schema_generates_valid_and_without_warnings(db, tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))

    assert yaml.safe_load((tmp_path / "schema.yaml").read_text())["openapi"].startswith("3.")
