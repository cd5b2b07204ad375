"""Family API: state moves the law or the record's state refuses answer 409 with the reason in the caller's
language and its code, nothing written; bad input answers 400 naming the field; hostile input never 5xx."""

from __future__ import annotations

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from socius.accounts.models import AuditEvent
from socius.common.limits import ID_MAX
from socius.family.errors import CaseloadCapReached, QuorumNotMet
from socius.family.models import FamilyEnrolment, WorkPlan
from socius.family.rules import caseload_cap
from socius.family.tests.api_world import CP, FS, world  # noqa: F401  (fixture)
from socius.family.tests.test_api_permissions import snapshot


def client_for(user, language: str = "en") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    return client


def assert_refused_unchanged(call, status_code: int):
    before, events = snapshot(), AuditEvent.objects.count()
    response = call()
    assert response.status_code == status_code, response.content[:500]
    assert snapshot() == before
    assert AuditEvent.objects.count() == events
    return response


# --- 409: the reason, in the caller's language, and nothing written ------------------------------------


def test_approving_onto_an_assistant_at_the_cap_answers_409_with_the_cap_and_writes_nothing(
    world,  # noqa: F811
    pl_director,
    pl_assistant2,
    fill_caseload,
):
    cap = caseload_cap(world.centre, world.waiting.requested_on).value
    fill_caseload(pl_assistant2, cap)
    client = client_for(pl_director, "pl")

    response = assert_refused_unchanged(
        lambda: client.post(
            f"{FS}/enrolments/{world.waiting.pk}/approve/",
            {"assistant": pl_assistant2.pk, "decided_on": "2025-03-12"},
            format="json",
        ),
        409,
    )

    assert response.json()["code"] == "caseload_cap_reached"
    with translation.override("pl"):
        expected = str(CaseloadCapReached(pl_assistant2, cap, cap, "").message)
    assert response.json()["detail"].startswith(expected[:40])
    assert FamilyEnrolment.objects.get(pk=world.waiting.pk).status == "requested"


def test_a_move_the_state_does_not_allow_answers_409_invalid_transition(world, pl_director):  # noqa: F811
    client = client_for(pl_director)

    response = assert_refused_unchanged(
        lambda: client.post(f"{FS}/enrolments/{world.enrolment.pk}/end-monitoring/", {}, format="json"), 409
    )

    assert response.json()["code"] == "invalid_transition"
    assert "Active" in response.json()["detail"]


def test_agreeing_a_plan_without_the_familys_consent_answers_409_consent_required(world, pl_assistant, pl_worker):  # noqa: F811
    client = client_for(pl_assistant)
    draft = client.post(f"{FS}/work-plans/", {"enrolment": world.fresh.pk}, format="json").json()
    client.post(
        f"{FS}/work-plans/{draft['id']}/items/",
        {"area": "housing", "goal": "Dry flat", "action": "Ask the landlord", "responsible": "Assistant"},
        format="json",
    )

    response = assert_refused_unchanged(
        lambda: client.post(
            f"{FS}/work-plans/{draft['id']}/agree/",
            {"agreed_on": "2025-03-20", "agreed_with": [world.fresh_mother.pk], "social_worker": pl_worker.pk},
            format="json",
        ),
        409,
    )

    assert response.json()["code"] == "consent_required"
    assert WorkPlan.objects.get(pk=draft["id"]).status == "draft"


def test_holding_a_meeting_without_its_quorum_answers_409_quorum_not_met(world, pl_worker):  # noqa: F811
    client = client_for(pl_worker)
    assert (
        client.post(f"{CP}/meetings/{world.meeting.pk}/attendance/", {"present": []}, format="json").status_code == 200
    )

    response = assert_refused_unchanged(
        lambda: client.post(
            f"{CP}/meetings/{world.meeting.pk}/hold/", {"held_on": "2025-04-02", "minutes": "Agreed."}, format="json"
        ),
        409,
    )

    body = response.json()
    assert body["code"] == "quorum_not_met"
    assert body["detail"].startswith(str(QuorumNotMet(0, 1).message).split(" 0 ")[0])


def test_a_body_the_centres_pack_does_not_have_answers_409_not_in_pack(world, pl_worker):  # noqa: F811
    client = client_for(pl_worker)

    response = assert_refused_unchanged(
        lambda: client.post(
            f"{CP}/meetings/", {"body": "md_commission", "scheduled_at": "2025-05-06T10:00:00+02:00"}, format="json"
        ),
        409,
    )

    assert response.json()["code"] == "not_in_pack"


def test_a_second_decision_on_an_item_is_refused_and_nothing_written(world, pl_worker):  # noqa: F811
    client = client_for(pl_worker)

    response = assert_refused_unchanged(
        lambda: client.post(f"{CP}/decisions/", {"agenda_item": world.held_item.pk, "text": "Again."}, format="json"),
        409,
    )

    assert response.json()["code"]


# --- 400: messages under the field's name ----------------------------------------------------------------


def test_a_consent_of_someone_outside_the_family_is_a_400_on_person(world, pl_assistant, pl_centre):  # noqa: F811
    from socius.testing.factories import PersonFactory

    outsider = PersonFactory(centre=pl_centre)
    client = client_for(pl_assistant)

    response = assert_refused_unchanged(
        lambda: client.post(
            f"{FS}/consents/",
            {"enrolment": world.enrolment.pk, "person": outsider.pk, "given_on": "2025-03-05", "method": "oral"},
            format="json",
        ),
        400,
    )

    assert "person" in response.json()


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (f"{FS}/enrolments/", {"route": "court_order", "case": 1}, "assistant"),
        (f"{FS}/enrolments/", {"route": "by_mail", "case": 1}, "route"),
        (
            f"{FS}/activities/",
            {"enrolment": 1, "on": "2025-03-11", "minutes": 0, "place": "office", "areas": ["school"]},
            "minutes",
        ),
        (
            f"{FS}/activities/",
            {"enrolment": 1, "on": "2025-03-11", "minutes": 30, "place": "office", "areas": ["magic"]},
            "areas",
        ),
        (
            f"{FS}/activities/",
            {"enrolment": 1, "on": "11.03.2025", "minutes": 30, "place": "office", "areas": ["school"]},
            "on",
        ),
        (
            f"{FS}/assessments/",
            {
                "enrolment": 1,
                "assessed_on": "2025-03-20",
                "period_from": "2025-03-20",
                "period_until": "2025-03-01",
                "situation": "x",
                "recommendation": "y",
            },
            "period_until",
        ),
        (
            f"{CP}/children/",
            {"case": 1, "child": 1, "risks": [], "identified_on": "2025-03-10", "form_of_care": "own_family"},
            "risks",
        ),
        (f"{CP}/meetings/", {"body": "pl_interdisciplinary_team", "scheduled_at": "soon"}, "scheduled_at"),
        (
            f"{CP}/meetings/",
            {"body": "pl_interdisciplinary_team", "scheduled_at": "2025-05-06T10:00:00Z", "members": [{"role": "x"}]},
            "members",
        ),
        (f"{CP}/tasks/", {"case": ID_MAX + 1, "assigned_to": 1, "description": "x", "due_on": "2025-04-01"}, "case"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(world, pl_director, path, body, field):  # noqa: F811
    client = client_for(pl_director)

    response = assert_refused_unchanged(lambda: client.post(path, body, format="json"), 400)

    assert field in response.json(), response.json()


def test_a_record_of_another_centre_named_in_a_body_is_a_400_on_its_field(world, md_worker, pl_director):  # noqa: F811
    client = client_for(md_worker)

    response = assert_refused_unchanged(
        lambda: client.post(
            f"{CP}/tasks/",
            {"case": world.case.pk, "assigned_to": md_worker.pk, "description": "x", "due_on": "2025-04-01"},
            format="json",
        ),
        400,
    )

    assert "case" in response.json()


# --- hostile input: 4xx, never a crash -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("get", f"{FS}/enrolments/{ID_MAX}/", None),
        ("get", f"{FS}/enrolments/{ID_MAX + 1}/", None),
        ("get", f"{FS}/enrolments/", {"assistant": str(ID_MAX + 1)}),
        ("get", f"{FS}/enrolments/", {"status": "' OR 1=1 --"}),
        ("get", f"{FS}/enrolments/", {"q": "x" * 500}),
        ("get", f"{FS}/timesheets/", {"month": "2025-13"}),
        ("get", f"{FS}/timesheets/", {"month": "0000-01"}),
        ("get", f"{FS}/timesheets/", {"month": "2025-03", "assistant": "-1"}),
        ("get", f"{FS}/activities/", {"date_from": "2025-02-30"}),
        ("get", f"{CP}/children/", {"risk": "everything"}),
        ("get", f"{CP}/meetings/", {"date_from": "2025-02-29"}),
        ("get", f"{CP}/tasks/", {"status": "whatever"}),
        ("post", f"{FS}/enrolments/", ["not", "an", "object"]),
        ("post", f"{FS}/enrolments/", {"route": "request", "case": True}),
        ("post", f"{FS}/enrolments/1/approve/", {"assistant": "1; DROP TABLE"}),
        (
            "post",
            f"{FS}/consents/",
            {"enrolment": 1, "person": 1, "given_on": "2025-03-05", "method": "oral", "note": "x" * 20_000},
        ),
        ("post", f"{CP}/meetings/1/attendance/", {"present": [ID_MAX]}),
        ("post", f"{CP}/meetings/1/members/", {"members": [{"user": ID_MAX}]}),
        ("post", f"{CP}/decisions/", {"agenda_item": 1, "text": "x", "form_of_care": "foster_family"}),
        ("post", f"{CP}/decisions/", {"agenda_item": 1, "text": "x", "tasks": [{"assigned_to": 0}]}),
        ("patch", f"{FS}/work-plan-items/1/", {}),
        ("patch", f"{FS}/work-plan-items/1/", {"area": None}),
    ],
)
def test_hostile_input_answers_4xx_and_changes_nothing(world, pl_director, method, path, payload):  # noqa: F811
    client = client_for(pl_director)
    before = snapshot()

    if method == "get":
        response = client.get(path, payload or {})
    else:
        response = getattr(client, method)(path, payload, format="json")

    assert 400 <= response.status_code < 500, response.content[:300]
    assert snapshot() == before


def test_a_meeting_member_id_of_another_meeting_is_a_400_on_present(world, pl_worker):  # noqa: F811
    other = world.held.members.first()
    client = client_for(pl_worker)

    response = assert_refused_unchanged(
        lambda: client.post(f"{CP}/meetings/{world.meeting.pk}/attendance/", {"present": [other.pk]}, format="json"),
        400,
    )

    assert "present" in response.json()
