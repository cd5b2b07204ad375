"""Family API permission matrix: every persona × every /family-support/ and /child-protection/ operation.

Anonymous 401; a role without the capability (finance, auditors) 403 before the record is read; a family or a
child the caller may not see (another assistant's family, another centre's) 404; a body naming a record of
another centre 400 on its field. The Nowaks' records are seen and worked by their assistant, the worker who
holds the case, the team leader of the case's team and the director; the director alone decides requests;
team leaders and the director see the assistants' loads and change a family's assistant. Every refusal
leaves the database as it was, audit log included.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from socius.accounts.models import AuditEvent
from socius.family.models import (
    AgendaItem,
    AssistantActivity,
    ChildInDifficulty,
    EnrolmentConsent,
    FamilyAssessment,
    FamilyEnrolment,
    FamilyEvent,
    FollowUpTask,
    Meeting,
    MeetingDecision,
    MeetingMember,
    Placement,
    WorkPlan,
    WorkPlanItem,
)
from socius.family.tests.api_world import CP, FS, V1, world  # noqa: F401  (fixture)

PERSONAS = [
    "anonymous",
    "pl_worker",  # holds the Nowaks' case
    "pl_assistant",  # the Nowaks' family assistant
    "pl_assistant2",  # another family assistant of the centre
    "pl_teamlead",  # leads the case's team
    "pl_director",
    "pl_finance",
    "pl_auditor",
    "md_worker",  # a social worker of another centre
]
NO_CAPABILITY = {"pl_finance", "pl_auditor"}
FAMILY = {"pl_worker", "pl_assistant", "pl_teamlead", "pl_director"}  # see and work the Nowaks
CASE_READERS = {"pl_worker", "pl_teamlead", "pl_director"}  # read a case with no assistant yet
ANSWER_FOR_FAMILY = {"pl_teamlead", "pl_director"}


def rule(allowed, success, *, others=404, md=404, denied=403, **special) -> dict:
    """The answer of each persona: success for the allowed; `others` for the centre's other assistant,
    `md` for the other centre's worker, `denied` for the rest of the capable; 403 without the capability."""
    out = {}
    for persona in PERSONAS:
        if persona == "anonymous":
            out[persona] = 401
        elif persona in NO_CAPABILITY:
            out[persona] = 403
        elif persona in allowed:
            out[persona] = success
        elif persona == "pl_assistant2":
            out[persona] = others
        elif persona == "md_worker":
            out[persona] = md
        else:
            out[persona] = denied
    out.update(special)
    return out


EVERYONE = FAMILY | {"pl_assistant2", "md_worker"}
DIRECTOR_ONLY = {"pl_director"}

OPERATIONS = {
    # family support
    "enrolments-list": rule(EVERYONE, 200),
    "enrolments-read": rule(FAMILY, 200),
    "enrolments-request": rule(CASE_READERS, 201, others=403, md=400),
    "enrolments-approve": rule(DIRECTOR_ONLY, 200, others=403, md=403),
    "enrolments-refuse": rule(DIRECTOR_ONLY, 200, others=403, md=403),
    "enrolments-close": rule(FAMILY, 200),
    "enrolments-end-monitoring": rule(FAMILY, 200),
    "enrolments-resume": rule(FAMILY, 200),
    "enrolments-change-assistant": rule(ANSWER_FOR_FAMILY, 200),
    "consents-list": rule(EVERYONE, 200),
    "consents-read": rule(FAMILY, 200),
    "consents-create": rule(FAMILY, 201),
    "consents-withdraw": rule(FAMILY, 200),
    "plans-list": rule(EVERYONE, 200),
    "plans-read": rule(FAMILY, 200),
    "plans-create": rule(FAMILY, 201),
    "plans-items": rule(FAMILY, 201),
    "plans-agree": rule(FAMILY, 200),
    "items-read": rule(FAMILY, 200),
    "items-update": rule(FAMILY, 200),
    "items-delete": rule(FAMILY, 204),
    "items-status": rule(FAMILY, 200),
    "activities-list": rule(EVERYONE, 200),
    "activities-read": rule(FAMILY, 200),
    "activities-create": rule(FAMILY, 201),
    "assessments-list": rule(EVERYONE, 200),
    "assessments-read": rule(FAMILY, 200),
    "assessments-create": rule(FAMILY, 201),
    "loads-list": rule(ANSWER_FOR_FAMILY, 200, others=403, md=403),
    "timesheets-own": rule(EVERYONE, 200),
    "timesheets-assistant": rule({"pl_assistant", *ANSWER_FOR_FAMILY}, 200, others=403),
    # child protection
    "children-list": rule(EVERYONE, 200),
    "children-read": rule(FAMILY, 200),
    "children-create": rule(CASE_READERS, 201, others=403, md=400, pl_assistant=403),
    "children-care": rule(FAMILY, 200),
    "children-risks": rule(FAMILY, 200),
    "children-close": rule(FAMILY, 200),
    "placements-list": rule(EVERYONE, 200),
    "placements-read": rule(FAMILY, 200),
    "meetings-list": rule(EVERYONE, 200),
    "meetings-read": rule(FAMILY | {"pl_assistant2"}, 200),
    "meetings-create": rule(FAMILY | {"pl_assistant2"}, 201, md=409),
    "meetings-agenda": rule(CASE_READERS, 200, others=403, pl_assistant=403),
    "meetings-members": rule(FAMILY | {"pl_assistant2"}, 200),
    "meetings-attendance": rule(FAMILY | {"pl_assistant2"}, 200),
    "meetings-hold": rule(FAMILY | {"pl_assistant2"}, 200),
    "meetings-cancel": rule(FAMILY | {"pl_assistant2"}, 200),
    "decisions-list": rule(EVERYONE, 200),
    "decisions-read": rule(FAMILY, 200),
    "decisions-create": rule(FAMILY, 201),
    "tasks-list": rule(EVERYONE, 200),
    "tasks-read": rule(FAMILY, 200),
    "tasks-create": rule(FAMILY, 201, others=403, md=400),
    "tasks-done": rule(FAMILY, 200),
    "tasks-cancel": rule(FAMILY, 200),
}

ROUTES = {
    "enrolments-list": ("get", "/family-support/enrolments/"),
    "enrolments-read": ("get", "/family-support/enrolments/{id}/"),
    "enrolments-request": ("post", "/family-support/enrolments/"),
    "enrolments-approve": ("post", "/family-support/enrolments/{id}/approve/"),
    "enrolments-refuse": ("post", "/family-support/enrolments/{id}/refuse/"),
    "enrolments-close": ("post", "/family-support/enrolments/{id}/close/"),
    "enrolments-end-monitoring": ("post", "/family-support/enrolments/{id}/end-monitoring/"),
    "enrolments-resume": ("post", "/family-support/enrolments/{id}/resume/"),
    "enrolments-change-assistant": ("post", "/family-support/enrolments/{id}/change-assistant/"),
    "consents-list": ("get", "/family-support/consents/"),
    "consents-read": ("get", "/family-support/consents/{id}/"),
    "consents-create": ("post", "/family-support/consents/"),
    "consents-withdraw": ("post", "/family-support/consents/{id}/withdraw/"),
    "plans-list": ("get", "/family-support/work-plans/"),
    "plans-read": ("get", "/family-support/work-plans/{id}/"),
    "plans-create": ("post", "/family-support/work-plans/"),
    "plans-items": ("post", "/family-support/work-plans/{id}/items/"),
    "plans-agree": ("post", "/family-support/work-plans/{id}/agree/"),
    "items-read": ("get", "/family-support/work-plan-items/{id}/"),
    "items-update": ("patch", "/family-support/work-plan-items/{id}/"),
    "items-delete": ("delete", "/family-support/work-plan-items/{id}/"),
    "items-status": ("post", "/family-support/work-plan-items/{id}/status/"),
    "activities-list": ("get", "/family-support/activities/"),
    "activities-read": ("get", "/family-support/activities/{id}/"),
    "activities-create": ("post", "/family-support/activities/"),
    "assessments-list": ("get", "/family-support/assessments/"),
    "assessments-read": ("get", "/family-support/assessments/{id}/"),
    "assessments-create": ("post", "/family-support/assessments/"),
    "loads-list": ("get", "/family-support/loads/"),
    "timesheets-own": ("get", "/family-support/timesheets/"),
    "timesheets-assistant": ("get", "/family-support/timesheets/"),
    "children-list": ("get", "/child-protection/children/"),
    "children-read": ("get", "/child-protection/children/{id}/"),
    "children-create": ("post", "/child-protection/children/"),
    "children-care": ("post", "/child-protection/children/{id}/care/"),
    "children-risks": ("post", "/child-protection/children/{id}/risks/"),
    "children-close": ("post", "/child-protection/children/{id}/close/"),
    "placements-list": ("get", "/child-protection/placements/"),
    "placements-read": ("get", "/child-protection/placements/{id}/"),
    "meetings-list": ("get", "/child-protection/meetings/"),
    "meetings-read": ("get", "/child-protection/meetings/{id}/"),
    "meetings-create": ("post", "/child-protection/meetings/"),
    "meetings-agenda": ("post", "/child-protection/meetings/{id}/agenda/"),
    "meetings-members": ("post", "/child-protection/meetings/{id}/members/"),
    "meetings-attendance": ("post", "/child-protection/meetings/{id}/attendance/"),
    "meetings-hold": ("post", "/child-protection/meetings/{id}/hold/"),
    "meetings-cancel": ("post", "/child-protection/meetings/{id}/cancel/"),
    "decisions-list": ("get", "/child-protection/decisions/"),
    "decisions-read": ("get", "/child-protection/decisions/{id}/"),
    "decisions-create": ("post", "/child-protection/decisions/"),
    "tasks-list": ("get", "/child-protection/tasks/"),
    "tasks-read": ("get", "/child-protection/tasks/{id}/"),
    "tasks-create": ("post", "/child-protection/tasks/"),
    "tasks-done": ("post", "/child-protection/tasks/{id}/done/"),
    "tasks-cancel": ("post", "/child-protection/tasks/{id}/cancel/"),
}
PREFIXES = (f"{V1}/family-support/", f"{V1}/child-protection/")


def call(client, operation: str, w, personas: dict):
    e, m = w.enrolment.pk, w.meeting.pk
    j = {"format": "json"}
    requests = {
        "enrolments-list": lambda: client.get(f"{FS}/enrolments/"),
        "enrolments-read": lambda: client.get(f"{FS}/enrolments/{e}/"),
        "enrolments-request": lambda: client.post(
            f"{FS}/enrolments/",
            {"route": "request", "case": w.new_case.pk, "reason": "Parenting", "requested_on": "2025-03-10"},
            **j,
        ),
        "enrolments-approve": lambda: client.post(
            f"{FS}/enrolments/{w.waiting.pk}/approve/",
            {"assistant": personas["pl_assistant2"].pk, "decided_on": "2025-03-12"},
            **j,
        ),
        "enrolments-refuse": lambda: client.post(
            f"{FS}/enrolments/{w.waiting.pk}/refuse/", {"reason": "No need", "decided_on": "2025-03-12"}, **j
        ),
        "enrolments-close": lambda: client.post(
            f"{FS}/enrolments/{e}/close/", {"closed_on": "2025-03-31", "outcome": "goals_achieved"}, **j
        ),
        "enrolments-end-monitoring": lambda: client.post(
            f"{FS}/enrolments/{w.monitored.pk}/end-monitoring/", {"ended_on": "2025-03-31"}, **j
        ),
        "enrolments-resume": lambda: client.post(
            f"{FS}/enrolments/{w.monitored.pk}/resume/", {"on": "2025-03-31", "reason": "Relapse"}, **j
        ),
        "enrolments-change-assistant": lambda: client.post(
            f"{FS}/enrolments/{e}/change-assistant/",
            {"assistant": personas["pl_assistant2"].pk, "on": "2025-03-31", "reason": "Leave"},
            **j,
        ),
        "consents-list": lambda: client.get(f"{FS}/consents/"),
        "consents-read": lambda: client.get(f"{FS}/consents/{w.consent.pk}/"),
        "consents-create": lambda: client.post(
            f"{FS}/consents/",
            {"enrolment": e, "person": w.son.pk, "given_on": "2025-03-05", "method": "oral"},
            **j,
        ),
        "consents-withdraw": lambda: client.post(
            f"{FS}/consents/{w.consent.pk}/withdraw/", {"withdrawn_on": "2025-03-31", "note": "Moved"}, **j
        ),
        "plans-list": lambda: client.get(f"{FS}/work-plans/"),
        "plans-read": lambda: client.get(f"{FS}/work-plans/{w.draft.pk}/"),
        "plans-create": lambda: client.post(f"{FS}/work-plans/", {"enrolment": w.fresh.pk}, **j),
        "plans-items": lambda: client.post(
            f"{FS}/work-plans/{w.draft.pk}/items/",
            {"area": "health", "goal": "Check-ups", "action": "Book the GP", "responsible": "Anna Nowak"},
            **j,
        ),
        "plans-agree": lambda: client.post(
            f"{FS}/work-plans/{w.draft.pk}/agree/",
            {"agreed_on": "2025-03-15", "agreed_with": [w.mother.pk], "social_worker": personas["pl_worker"].pk},
            **j,
        ),
        "items-read": lambda: client.get(f"{FS}/work-plan-items/{w.draft_item.pk}/"),
        "items-update": lambda: client.patch(
            f"{FS}/work-plan-items/{w.draft_item.pk}/", {"goal": "Jan at school every day"}, **j
        ),
        "items-delete": lambda: client.delete(f"{FS}/work-plan-items/{w.draft_item.pk}/"),
        "items-status": lambda: client.post(
            f"{FS}/work-plan-items/{w.agreed_item.pk}/status/", {"status": "done", "on": "2025-03-20"}, **j
        ),
        "activities-list": lambda: client.get(f"{FS}/activities/"),
        "activities-read": lambda: client.get(f"{FS}/activities/{w.activity.pk}/"),
        "activities-create": lambda: client.post(
            f"{FS}/activities/",
            {
                "enrolment": e,
                "on": "2025-03-11",
                "minutes": 60,
                "place": "family_home",
                "areas": ["school"],
                "family_members": [w.son.pk],
            },
            **j,
        ),
        "assessments-list": lambda: client.get(f"{FS}/assessments/"),
        "assessments-read": lambda: client.get(f"{FS}/assessments/{w.assessment.pk}/"),
        "assessments-create": lambda: client.post(
            f"{FS}/assessments/",
            {
                "enrolment": e,
                "assessed_on": "2025-03-20",
                "period_from": "2025-03-10",
                "period_until": "2025-03-20",
                "situation": "Better.",
                "recommendation": "Continue.",
            },
            **j,
        ),
        "loads-list": lambda: client.get(f"{FS}/loads/"),
        "timesheets-own": lambda: client.get(f"{FS}/timesheets/", {"month": "2025-03"}),
        "timesheets-assistant": lambda: client.get(
            f"{FS}/timesheets/", {"month": "2025-03", "assistant": personas["pl_assistant"].pk}
        ),
        "children-list": lambda: client.get(f"{CP}/children/"),
        "children-read": lambda: client.get(f"{CP}/children/{w.child.pk}/"),
        "children-create": lambda: client.post(
            f"{CP}/children/",
            {
                "case": w.new_case.pk,
                "child": w.new_son.pk,
                "risks": ["neglect"],
                "identified_on": "2025-03-10",
                "form_of_care": "own_family",
            },
            **j,
        ),
        "children-care": lambda: client.post(
            f"{CP}/children/{w.child.pk}/care/",
            {"form": "extended_family", "valid_from": "2025-03-15", "carer": "Grandmother"},
            **j,
        ),
        "children-risks": lambda: client.post(
            f"{CP}/children/{w.child.pk}/risks/", {"risks": ["neglect", "violence"], "on": "2025-03-15"}, **j
        ),
        "children-close": lambda: client.post(
            f"{CP}/children/{w.child.pk}/close/", {"closed_on": "2025-03-31", "note": "Safe now"}, **j
        ),
        "placements-list": lambda: client.get(f"{CP}/placements/"),
        "placements-read": lambda: client.get(f"{CP}/placements/{w.placement.pk}/"),
        "meetings-list": lambda: client.get(f"{CP}/meetings/"),
        "meetings-read": lambda: client.get(f"{CP}/meetings/{m}/"),
        "meetings-create": lambda: client.post(
            f"{CP}/meetings/",
            {"body": "pl_interdisciplinary_team", "scheduled_at": "2025-05-06T10:00:00+02:00", "place": "Room 2"},
            **j,
        ),
        "meetings-agenda": lambda: client.post(
            f"{CP}/meetings/{m}/agenda/", {"case": w.new_case.pk, "summary": "Housing"}, **j
        ),
        "meetings-members": lambda: client.post(
            f"{CP}/meetings/{m}/members/",
            {"members": [{"user": personas["pl_worker"].pk}, {"name": "Dr Ewa Zając", "role": "doctor"}]},
            **j,
        ),
        "meetings-attendance": lambda: client.post(
            f"{CP}/meetings/{m}/attendance/", {"present": [w.worker_member.pk]}, **j
        ),
        "meetings-hold": lambda: client.post(
            f"{CP}/meetings/{m}/hold/", {"held_on": "2025-04-02", "minutes": "Agreed."}, **j
        ),
        "meetings-cancel": lambda: client.post(f"{CP}/meetings/{m}/cancel/", {"reason": "No quorum"}, **j),
        "decisions-list": lambda: client.get(f"{CP}/decisions/"),
        "decisions-read": lambda: client.get(f"{CP}/decisions/{w.decision.pk}/"),
        "decisions-create": lambda: client.post(
            f"{CP}/decisions/",
            {
                "agenda_item": w.item.pk,
                "text": "Stays at home, with support.",
                "tasks": [{"assigned_to": personas["pl_worker"].pk, "description": "Visit", "due_on": "2025-04-20"}],
            },
            **j,
        ),
        "tasks-list": lambda: client.get(f"{CP}/tasks/"),
        "tasks-read": lambda: client.get(f"{CP}/tasks/{w.task.pk}/"),
        "tasks-create": lambda: client.post(
            f"{CP}/tasks/",
            {
                "case": w.case.pk,
                "assigned_to": personas["pl_worker"].pk,
                "description": "Ask the school",
                "due_on": "2025-04-10",
            },
            **j,
        ),
        "tasks-done": lambda: client.post(
            f"{CP}/tasks/{w.task.pk}/done/", {"done_on": "2025-03-18", "outcome": "Called"}, **j
        ),
        "tasks-cancel": lambda: client.post(f"{CP}/tasks/{w.task.pk}/cancel/", {"reason": "Not needed"}, **j),
    }
    return requests[operation]()


def snapshot() -> tuple:
    return (
        list(FamilyEnrolment.objects.order_by("id").values_list("id", "status", "assistant_id", "closed_on")),
        list(EnrolmentConsent.objects.order_by("id").values_list("id", "withdrawn_on")),
        list(WorkPlan.objects.order_by("id").values_list("id", "status", "agreed_on")),
        list(WorkPlanItem.objects.order_by("id").values_list("id", "goal", "status")),
        list(AssistantActivity.objects.order_by("id").values_list("id")),
        list(FamilyAssessment.objects.order_by("id").values_list("id")),
        list(ChildInDifficulty.objects.order_by("id").values_list("id", "risks", "status")),
        list(Placement.objects.order_by("id").values_list("id", "form", "valid_until")),
        list(Meeting.objects.order_by("id").values_list("id", "status", "minutes")),
        list(MeetingMember.objects.order_by("id").values_list("id", "is_present")),
        list(AgendaItem.objects.order_by("id").values_list("id")),
        list(MeetingDecision.objects.order_by("id").values_list("id")),
        list(FollowUpTask.objects.order_by("id").values_list("id", "status")),
        FamilyEvent.objects.count(),
    )


def test_the_matrix_covers_every_family_operation_of_the_schema(db):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    documented = {
        (method, path.removeprefix(V1))
        for path, operations in schema["paths"].items()
        if path.startswith(PREFIXES)
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    }

    assert documented == set(ROUTES.values())
    assert set(ROUTES) == set(OPERATIONS)


@pytest.fixture
def personas(
    request, pl_worker, pl_assistant, pl_assistant2, pl_teamlead, pl_director, pl_finance, pl_auditor, md_worker
):
    return {
        "pl_worker": pl_worker,
        "pl_assistant": pl_assistant,
        "pl_assistant2": pl_assistant2,
        "pl_teamlead": pl_teamlead,
        "pl_director": pl_director,
        "pl_finance": pl_finance,
        "pl_auditor": pl_auditor,
        "md_worker": md_worker,
    }


@pytest.mark.parametrize("operation", list(OPERATIONS))
@pytest.mark.parametrize("persona_name", PERSONAS)
def test_each_persona_gets_exactly_its_answer_and_refusals_change_nothing(world, personas, persona_name, operation):  # noqa: F811
    client = APIClient()
    if persona_name != "anonymous":
        client.force_authenticate(personas[persona_name])
    before = snapshot()
    events = AuditEvent.objects.count()

    response = call(client, operation, world, personas)

    assert response.status_code == OPERATIONS[operation][persona_name], getattr(response, "content", b"")[:500]
    if response.status_code >= 400:
        assert snapshot() == before
        assert AuditEvent.objects.count() == events
    elif response.request["REQUEST_METHOD"] != "GET":
        assert snapshot() != before  # a write that answers success wrote something
