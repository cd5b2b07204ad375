"""Family API: every answer showing a family's or a child's data is audited under those persons (so the auditor's
?person= finds it); collections list only what the caller may see and filters narrow them; an agenda item on a
case the caller may not read shows only whose case it is."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from socius.accounts.audit import persons_of_events
from socius.accounts.models import AuditEvent
from socius.family.tests.api_world import CP, FS, world  # noqa: F401  (fixture)


def client_for(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def views_since(before: int, object_type: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(pk__gt=before, action="view", object_type=object_type).order_by("pk"))


def last_id() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def named(events) -> set[int]:
    persons = persons_of_events(events)
    return {p for e in events for p in persons[e.pk]}


@pytest.mark.parametrize(
    ("path", "object_type"),
    [
        ("/family-support/enrolments/", "family_enrolment"),
        ("/family-support/enrolments/{enrolment}/", "family_enrolment"),
        ("/family-support/work-plans/", "family_work_plan"),
        ("/family-support/work-plans/{draft}/", "family_work_plan"),
        ("/family-support/work-plan-items/{draft_item}/", "family_work_plan"),
        ("/family-support/activities/", "family_activity"),
        ("/family-support/activities/{activity}/", "family_activity"),
        ("/family-support/assessments/", "family_assessment"),
        ("/family-support/assessments/{assessment}/", "family_assessment"),
    ],
)
def test_reading_a_familys_records_is_audited_under_its_members(world, pl_assistant, path, object_type):  # noqa: F811
    before = last_id()
    url = "/api/v1" + path.format(
        **{k: getattr(world[k], "pk", None) for k in ("enrolment", "draft", "draft_item", "activity", "assessment")}
    )

    response = client_for(pl_assistant).get(url)

    assert response.status_code == 200
    events = views_since(before, object_type)
    assert len(events) == 1
    assert {world.mother.pk, world.son.pk} <= named(events)


def test_a_consent_read_is_audited_under_the_person_who_consented(world, pl_worker):  # noqa: F811
    before = last_id()

    assert client_for(pl_worker).get(f"{FS}/consents/{world.consent.pk}/").status_code == 200

    events = views_since(before, "family_consent")
    assert [e.person_id for e in events] == [world.mother.pk]


def test_a_list_names_only_the_families_on_its_page(world, pl_director):  # noqa: F811
    before = last_id()

    response = client_for(pl_director).get(f"{FS}/enrolments/", {"status": "requested"})

    assert [e["id"] for e in response.json()["results"]] == [world.waiting.pk]
    assert named(views_since(before, "family_enrolment")) == {world.waiting_mother.pk, *_members_of(world.waiting)}


def _members_of(enrolment) -> set[int]:
    from socius.registry.models import Membership

    return set(Membership.objects.filter(household_id=enrolment.household_id).values_list("person_id", flat=True))


def test_an_empty_page_writes_no_audit_event(world, pl_assistant2):  # noqa: F811
    before = last_id()

    response = client_for(pl_assistant2).get(f"{FS}/enrolments/")

    assert response.json()["count"] == 0
    assert views_since(before, "family_enrolment") == []


@pytest.mark.parametrize(
    ("path", "object_type"),
    [
        ("/child-protection/children/", "child_in_difficulty"),
        ("/child-protection/children/{child}/", "child_in_difficulty"),
        ("/child-protection/placements/", "placement"),
        ("/child-protection/placements/{placement}/", "placement"),
    ],
)
def test_reading_a_child_is_audited_under_the_child_once(world, pl_worker, path, object_type):  # noqa: F811
    before = last_id()
    url = "/api/v1" + path.format(child=world.child.pk, placement=world.placement.pk)

    assert client_for(pl_worker).get(url).status_code == 200

    events = views_since(before, object_type)
    assert len(events) == 1
    assert named(events) == {world.son.pk}


def test_decisions_and_tasks_are_audited_under_the_cases_persons(world, pl_teamlead):  # noqa: F811
    client = client_for(pl_teamlead)
    for path, object_type in [
        (f"{CP}/decisions/{world.decision.pk}/", "meeting_decision"),
        (f"{CP}/decisions/", "meeting_decision"),
        (f"{CP}/tasks/{world.task.pk}/", "follow_up_task"),
        (f"{CP}/tasks/", "follow_up_task"),
    ]:
        before = last_id()
        assert client.get(path).status_code == 200
        assert {world.mother.pk, world.son.pk} <= named(views_since(before, object_type)), path


def test_a_meeting_is_audited_under_the_persons_of_the_items_shown(world, pl_worker):  # noqa: F811
    before = last_id()

    response = client_for(pl_worker).get(f"{CP}/meetings/{world.meeting.pk}/")

    assert response.json()["agenda"][0]["summary"] == "Neglect at home"
    events = views_since(before, "meeting")
    assert len(events) == 1
    assert {world.mother.pk, world.son.pk} <= named(events)


def test_an_agenda_item_on_a_case_the_caller_may_not_read_shows_only_its_worker(world, pl_assistant2, pl_worker):  # noqa: F811
    before = last_id()

    response = client_for(pl_assistant2).get(f"{CP}/meetings/{world.meeting.pk}/")

    assert response.status_code == 200
    (item,) = response.json()["agenda"]
    assert item["visible"] is False
    assert item["summary"] == "" and item["child_name"] == "" and item["case"] is None and item["decision"] is None
    assert item["worker_name"] == (pl_worker.get_full_name() or pl_worker.username)
    assert "Nowak" not in response.content.decode()
    assert views_since(before, "meeting") == []  # nobody's data was shown


def test_the_meeting_list_shows_no_persons_and_writes_no_audit_event(world, pl_assistant2):  # noqa: F811
    before = last_id()

    response = client_for(pl_assistant2).get(f"{CP}/meetings/")

    assert response.json()["count"] == 2
    assert AuditEvent.objects.filter(pk__gt=before).count() == 0


# --- what each caller sees -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "enrolments", "children", "tasks"),
    [
        ("pl_worker", 4, 1, 1),  # holds the four families' cases
        ("pl_assistant", 3, 1, 1),  # the Nowaks', the monitored and the fresh family (case shared)
        ("pl_assistant2", 0, 0, 0),
        ("pl_teamlead", 4, 1, 1),
        ("pl_director", 4, 1, 1),
        ("md_worker", 0, 0, 0),
    ],
)
def test_collections_hold_only_what_the_caller_may_see(request, world, persona, enrolments, children, tasks):  # noqa: F811
    client = client_for(request.getfixturevalue(persona))

    assert client.get(f"{FS}/enrolments/").json()["count"] == enrolments
    assert client.get(f"{CP}/children/").json()["count"] == children
    assert client.get(f"{CP}/tasks/").json()["count"] == tasks


def test_filters_narrow_the_list(world, pl_director, pl_assistant):  # noqa: F811
    client = client_for(pl_director)

    def ids(path, **params):
        return {row["id"] for row in client.get(path, params).json()["results"]}

    assert ids(f"{FS}/enrolments/", status="monitoring") == {world.monitored.pk}
    assert ids(f"{FS}/enrolments/", assistant=pl_assistant.pk) == {
        world.enrolment.pk,
        world.monitored.pk,
        world.fresh.pk,
    }
    assert ids(f"{FS}/enrolments/", case=world.waiting_case.pk) == {world.waiting.pk}
    assert ids(f"{FS}/enrolments/", q="Nowak") == {world.enrolment.pk}
    assert ids(f"{FS}/consents/", enrolment=world.monitored.pk) == {world.monitored.consents.get().pk}
    assert ids(f"{FS}/activities/", date_from="2025-03-05") == set()
    assert ids(f"{CP}/children/", risk="violence") == set()
    assert ids(f"{CP}/children/", risk="neglect") == {world.child.pk}
    assert ids(f"{CP}/decisions/", meeting=world.meeting.pk) == set()
    assert ids(f"{CP}/tasks/", status="done") == set()
    assert ids(f"{CP}/tasks/", status="all") == {world.task.pk}


def test_loads_and_timesheets(world, pl_teamlead, pl_assistant, pl_assistant2):  # noqa: F811
    loads = client_for(pl_teamlead).get(f"{FS}/loads/").json()
    by_assistant = {row["assistant"]: row for row in loads}
    assert by_assistant[pl_assistant.pk]["active"] == 2
    assert by_assistant[pl_assistant.pk]["monitoring"] == 1
    assert by_assistant[pl_assistant.pk]["requested_waiting"] == 1
    assert by_assistant[pl_assistant.pk]["cap"] == 15
    assert by_assistant[pl_assistant2.pk]["active"] == 0

    (own,) = client_for(pl_assistant).get(f"{FS}/timesheets/", {"month": "2025-03"}).json()
    assert own["assistant"] == pl_assistant.pk and own["month"] == "2025-03"
    assert own["total_minutes"] == 90
    assert own["rows"][0]["entries"][0]["enrolment"] == world.enrolment.pk
    assert own["minutes_per_family"] == [
        {"enrolment": world.enrolment.pk, "family_name": own["rows"][0]["entries"][0]["family_name"], "minutes": 90}
    ]
    every = client_for(pl_teamlead).get(f"{FS}/timesheets/", {"month": "2025-03"}).json()
    assert {sheet["assistant"] for sheet in every} == {pl_assistant.pk, pl_assistant2.pk}


def test_a_timesheet_without_a_month_is_this_months(world, pl_assistant):  # noqa: F811
    from django.utils import timezone

    (own,) = client_for(pl_assistant).get(f"{FS}/timesheets/").json()
    assert own["assistant"] == pl_assistant.pk
    assert own["month"] == f"{timezone.localdate():%Y-%m}"
