"""API: /api/v1/assessments/ — list ?case=, start, read with answers, PATCH answers (draft), complete and
sign action endpoints with 409 on invalid moves; 400 writes nothing; 403/404 per the case's content rules."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from socius.accounts.models import AuditEvent
from socius.assessments.models import Assessment, AssessmentEvent, AssessmentStatus
from socius.assessments.tests.conftest import PL_INITIAL_ANSWERS, completed_pl, start_pl

URL = "/api/v1/assessments/"

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def state():
    return (
        sorted(Assessment.objects.values_list("pk", "status", "answers", "completed_on", "signed_on")),
        AssessmentEvent.objects.count(),
        AuditEvent.objects.exclude(action="view").count(),
    )


def test_start_fill_complete_sign(pl_worker, pl_case):
    client = api(pl_worker)
    response = client.post(
        URL, {"case": pl_case.pk, "kind": "initial", "need_identified_on": "2025-04-14"}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    pk = body["id"]
    assert body["status"] == "draft" and body["due_on"]
    # Pre-filled from the registry (the case's person, alone in no household).
    assert body["answers"] == {
        "I_A": {"applicant_name": "Anna Nowak", "household_size": 1, "family_members": "Anna Nowak"}
    }

    response = client.patch(f"{URL}{pk}/", {"answers": {"I_A": {"household_size": "3"}}}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["answers"]["I_A"] == {
        "applicant_name": "Anna Nowak",
        "household_size": 3,
        "family_members": "Anna Nowak",
    }

    response = client.post(f"{URL}{pk}/complete/", {"on": "2025-04-16"}, format="json")
    assert response.status_code == 400
    missing = response.json()["missing"]
    assert any(item["section"] == "I_A" and item["field"] == "address" for item in missing)
    assert "answers" in response.json()

    assert client.patch(f"{URL}{pk}/", {"answers": PL_INITIAL_ANSWERS}, format="json").status_code == 200
    response = client.post(f"{URL}{pk}/complete/", {"on": "2025-04-16"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "completed"

    response = client.post(f"{URL}{pk}/sign/", {"signed_on": "2025-04-17"}, format="json")
    assert response.status_code == 200 and response.json()["signed_on"] == "2025-04-17"

    listing = client.get(URL, {"case": pl_case.pk})
    assert listing.status_code == 200
    assert [row["id"] for row in listing.json()["results"]] == [pk]
    assert "answers" not in listing.json()["results"][0]
    detail = client.get(f"{URL}{pk}/")
    assert detail.status_code == 200 and detail.json()["answers"]["I_H"]
    assert AuditEvent.objects.filter(action="view", object_type="assessment", object_id=str(pk)).exists()


def test_bad_input_writes_nothing(pl_worker, pl_case):
    assessment = start_pl(pl_worker, pl_case)
    client = api(pl_worker)
    before = state()
    response = client.post(URL, {"case": pl_case.pk, "kind": "nope", "need_identified_on": "x"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) >= {"kind", "need_identified_on"}
    response = client.post(
        URL, {"case": pl_case.pk, "kind": "initial", "need_identified_on": "2999-01-01"}, format="json"
    )
    assert response.status_code == 400 and "need_identified_on" in response.json()
    response = client.patch(
        f"{URL}{assessment.pk}/",
        {"answers": {"I_A": {"household_size": "many", "applicant_name": "Anna"}, "ZZ": {"x": 1}}},
        format="json",
    )
    assert response.status_code == 400
    assert {"answers.I_A.household_size", "answers.ZZ"} <= set(response.json())
    assert client.post(f"{URL}{assessment.pk}/sign/", {"signed_on": "bad"}, format="json").status_code == 400
    assert client.get(URL, {"case": "x"}).status_code == 400
    assert client.get(URL, {"case": 2**63}).json() == {
        "case": ["Ensure this value is less than or equal to 9223372036854775807."]
    }
    assert state() == before


def test_invalid_moves_are_409(pl_worker, pl_case):
    draft = start_pl(pl_worker, pl_case)
    done = completed_pl(pl_worker, pl_case)
    client = api(pl_worker)
    before = state()
    response = client.post(f"{URL}{draft.pk}/sign/", {"signed_on": "2025-04-17"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"
    assert client.post(f"{URL}{done.pk}/complete/", {}, format="json").status_code == 409
    response = client.patch(f"{URL}{done.pk}/", {"answers": {"I_H": {"needs_expectations": "x"}}}, format="json")
    assert response.status_code == 409
    assert state() == before
    assert Assessment.objects.get(pk=draft.pk).status == AssessmentStatus.DRAFT


def test_permissions(pl_worker, pl_worker2, pl_teamlead, md_worker, pl_case, django_user_model):
    assessment = start_pl(pl_worker, pl_case)
    before = state()
    # Another worker of the same centre: sees the case exists, not its content.
    other = api(pl_worker2)
    assert other.get(f"{URL}{assessment.pk}/").status_code == 403
    assert other.get(URL, {"case": pl_case.pk}).status_code == 403
    assert other.patch(f"{URL}{assessment.pk}/", {"answers": {}}, format="json").status_code == 403
    # Another centre: nothing exists.
    foreign = api(md_worker)
    assert foreign.get(f"{URL}{assessment.pk}/").status_code == 404
    assert foreign.get(URL, {"case": pl_case.pk}).status_code == 404
    assert foreign.post(f"{URL}{assessment.pk}/complete/", {}, format="json").status_code == 404
    assert state() == before
    # The team leader of the case's team reads it.
    assert api(pl_teamlead).get(f"{URL}{assessment.pk}/").status_code == 200
    assert APIClient().get(URL, {"case": pl_case.pk}).status_code in (401, 403)


def test_auditor_reads_nothing_writes_nothing(pl_centre, pl_case, pl_worker):
    from socius.accounts.roles import Role
    from socius.testing.factories import UserFactory

    auditor = UserFactory(username="pl_aud_x", centre=pl_centre, role=Role.AUDITOR)
    assessment = start_pl(pl_worker, pl_case)
    client = api(auditor)
    response = client.post(URL, {"case": pl_case.pk, "kind": "initial", "need_identified_on": "2025-04-14"})
    assert response.status_code == 403
    assert client.post(f"{URL}{assessment.pk}/complete/", {}, format="json").status_code == 403


def test_query_counts(pl_worker, pl_case, django_assert_max_num_queries):
    for _ in range(3):
        completed_pl(pl_worker, pl_case)
    client = api(pl_worker)
    with django_assert_max_num_queries(12):
        assert client.get(URL, {"case": pl_case.pk}).status_code == 200
    pk = Assessment.objects.first().pk
    with django_assert_max_num_queries(10):
        assert client.get(f"{URL}{pk}/").status_code == 200


def test_need_date_today_default_dates(pl_worker, pl_case):
    client = api(pl_worker)
    today = dt.date.today().isoformat()
    response = client.post(URL, {"case": pl_case.pk, "kind": "initial", "need_identified_on": today}, format="json")
    assert response.status_code == 201
