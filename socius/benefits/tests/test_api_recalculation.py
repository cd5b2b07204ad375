"""/api/v1/recalculations/: the flow through the API, its audit, and the permission matrix (every persona ×
every operation); every refusal leaves the database as it was."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from socius.accounts.models import AuditEvent, AuditEventPerson
from socius.benefits import recalculation
from socius.benefits.models import Decision, DecisionCounter, RecalculationItem, RecalculationRun
from socius.benefits.tests.test_recalculation import JUNE, grant, reference_month_formula  # noqa: F401 (fixtures)

V1 = "/api/v1/recalculations"


def api(user, language="en"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_authenticate(user)
    return client


def state_of_db() -> tuple:
    return (
        list(Decision.objects.order_by("id").values_list("id", "status", "state", "number")),
        list(DecisionCounter.objects.values_list("last_number", flat=True)),
        list(RecalculationRun.objects.values_list("id", "status", "approved")),
        RecalculationItem.objects.count(),
        AuditEvent.objects.exclude(action="view").count(),
    )


@pytest.fixture
def run(grant, pl_teamlead, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        started = recalculation.start_recalculation(pl_teamlead, {"month": JUNE})
    started.refresh_from_db()
    return started


def test_start_follow_list_and_approve_through_the_api(
    grant,  # noqa: F811
    pl_teamlead,
    pl_director,
    mother,
    son,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        started = api(pl_teamlead).post(V1 + "/", {"month": "2025-06", "benefit": "pl.toy_allowance"}, format="json")
    assert started.status_code == 201, started.json()
    run_id = started.json()["id"]

    progress = api(pl_director).get(f"{V1}/{run_id}/").json()
    assert {k: progress[k] for k in ("status", "total", "done", "percent", "proposed", "unchanged", "month")} == {
        "status": "done",
        "total": 1,
        "done": 1,
        "percent": 100,
        "proposed": 1,
        "unchanged": 0,
        "month": "2025-06",
    }
    views_before = AuditEvent.objects.filter(action="view").count()
    items = api(pl_director).get(f"{V1}/{run_id}/items/").json()
    row = items["results"][0]
    assert {
        k: row[k] for k in ("decision", "old_amount", "new_amount", "difference", "currency", "proposal_status")
    } == {
        "decision": grant.pk,
        "old_amount": "552.00",
        "new_amount": "600.00",
        "difference": "48.00",
        "currency": "PLN",
        "proposal_status": "proposed",
    }
    assert row["reasons"] == [{"code": "law", "label": "The law changed (a parameter in force differs)"}]
    view = AuditEvent.objects.filter(action="view").order_by("id")[views_before:].get()
    named = {view.person_id, *AuditEventPerson.objects.filter(event=view).values_list("person_id", flat=True)}
    assert (view.object_type, view.object_id, named) == ("benefit_decision", grant.pk, {mother.pk, son.pk})

    refused = api(pl_teamlead).post(f"{V1}/{run_id}/approve/", {}, format="json")
    assert refused.status_code == 403 and refused.json()["detail"].startswith("Nobody approves their own proposal")

    approved = api(pl_director).post(f"{V1}/{run_id}/approve/", {"items": [row["id"]]}, format="json")
    assert approved.status_code == 200, approved.json()
    assert (approved.json()["approved"], approved.json()["left_out"], approved.json()["run"]["approved"]) == (1, 0, 1)
    proposal = Decision.objects.get(pk=row["proposal"])
    assert (proposal.status, proposal.approved_by_id) == ("approved", pl_director.pk)


def test_bad_input_answers_400_with_field_messages_in_the_readers_language(grant, pl_teamlead):  # noqa: F811
    before = state_of_db()

    response = api(pl_teamlead, "pl").post(V1 + "/", {"month": "2025-13", "benefit": "md.social_aid"}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"month"}
    response = api(pl_teamlead).post(V1 + "/", {"month": "2025-06", "benefit": "md.social_aid"}, format="json")
    assert response.status_code == 400 and set(response.json()) == {"benefit"}
    assert state_of_db() == before


def test_items_of_an_unknown_item_id_are_refused_on_approval(run, pl_director):
    before = state_of_db()

    response = api(pl_director).post(f"{V1}/{run.pk}/approve/", {"items": [999999]}, format="json")

    assert response.status_code == 400 and "items" in response.json()
    assert state_of_db() == before


# --- the permission matrix -------------------------------------------------------------------------------------

PERSONAS = [
    "anonymous",
    "pl_worker",
    "pl_assistant",
    "pl_teamlead",
    "pl_director",
    "pl_finance",
    "pl_auditor",
    "pl_admin",
    "md_worker",
    "md_director",
]
OPERATIONS = ["list", "create", "retrieve", "items", "approve"]
STARTS = {"pl_teamlead", "pl_director"}  # propose decisions and read every decision of the centre
VIEWS = {"pl_teamlead", "pl_director"}  # those who start or approve


def expected(persona: str, operation: str) -> int:
    if persona == "anonymous":
        return 401
    other_centre = persona.startswith("md_")
    if operation == "list":
        return 200 if persona in VIEWS or persona == "md_director" else 403
    if operation == "create":
        return 201 if persona in STARTS or persona == "md_director" else 403
    if other_centre:
        return 404  # another centre's run
    if operation in ("retrieve", "items"):
        return 200 if persona in VIEWS else 403
    # approve: the run was started (and its proposals proposed) by pl_teamlead.
    if persona == "pl_teamlead":
        return 403  # four eyes
    return 200 if persona == "pl_director" else 403


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix(request, persona, operation, run, django_capture_on_commit_callbacks):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    if operation == "create":
        # The run of the fixture is done: a new one may start (in the caller's own centre).
        call = lambda client: client.post(V1 + "/", {"month": "2025-06"}, format="json")  # noqa: E731
    elif operation == "list":
        call = lambda client: client.get(V1 + "/")  # noqa: E731
    elif operation == "retrieve":
        call = lambda client: client.get(f"{V1}/{run.pk}/")  # noqa: E731
    elif operation == "items":
        call = lambda client: client.get(f"{V1}/{run.pk}/items/")  # noqa: E731
    else:
        call = lambda client: client.post(f"{V1}/{run.pk}/approve/", {}, format="json")  # noqa: E731
    before = state_of_db()
    with django_capture_on_commit_callbacks(execute=True):
        response = call(api(user))
    want = expected(persona, operation)
    assert response.status_code == want, (persona, operation, response.content[:300])
    if want >= 400:
        assert state_of_db() == before
    if operation == "list" and want == 200:
        ids = [row["id"] for row in response.json()["results"]]
        assert ids == ([] if persona.startswith("md_") else [run.pk])


def test_the_fixture_run_is_done(run):
    assert (run.status, run.proposed, run.started_by.username) == ("done", 1, "pl_teamlead")
    assert run.month == dt.date(2025, 6, 1)
