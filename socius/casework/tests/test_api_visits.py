"""API: /api/v1/home-visits/ and /api/v1/social-work/ — list by case, create, read, the visit's action
endpoints (409 on moves the map refuses), permissions (403 without content, 404 outside the centre)."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from socius.accounts.models import AuditEvent
from socius.casework.models import CaseEvent, HomeVisit, SocialWorkActivity
from socius.casework.services import plan_visit, record_activity
from socius.casework.tests.factories import CaseFactory
from socius.testing.factories import MembershipFactory, PersonFactory

VISITS = "/api/v1/home-visits/"
WORK = "/api/v1/social-work/"
DAY = dt.date(2025, 3, 3)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def state():
    return (
        sorted(HomeVisit.objects.values_list("pk", "status", "done_on", "outcome")),
        SocialWorkActivity.objects.count(),
        CaseEvent.objects.count(),
        AuditEvent.objects.filter(action__in=["create", "update"]).count(),
    )


@pytest.fixture
def case(pl_centre, pl_worker, family_team, pl_household):
    return CaseFactory(centre=pl_centre, household=pl_household, assigned_worker=pl_worker, team=family_team)


@pytest.fixture
def member(pl_centre, pl_household):
    person = PersonFactory(centre=pl_centre)
    MembershipFactory(household=pl_household, person=person, valid_from=dt.date(2020, 1, 1))
    return person


def test_plan_list_read_done_with_next(case, pl_worker):
    client = api(pl_worker)
    response = client.post(VISITS, {"case": case.pk, "planned_on": "2025-03-03", "purpose": "Look"}, format="json")
    assert response.status_code == 201, response.data
    body = response.data
    assert (body["status"], body["visitors"], body["done_on"], body["next_visit"]) == (
        "planned",
        [pl_worker.pk],
        None,
        None,
    )
    pk = body["id"]
    listed = client.get(VISITS, {"case": case.pk})
    assert listed.status_code == 200 and [v["id"] for v in listed.data["results"]] == [pk]
    assert client.get(f"{VISITS}{pk}/").data["purpose"] == "Look"

    response = client.post(
        f"{VISITS}{pk}/done/",
        {"outcome": "Fine", "done_on": "2025-03-03", "next_visit_on": "2025-04-01"},
        format="json",
    )
    assert response.status_code == 200, response.data
    assert response.data["status"] == "done" and response.data["next_visit"]
    assert HomeVisit.objects.get(pk=response.data["next_visit"]).planned_on == dt.date(2025, 4, 1)


def test_invalid_moves_are_409_and_change_nothing(case, pl_worker):
    visit = plan_visit(pl_worker, case.pk, {"planned_on": DAY})
    client = api(pl_worker)
    assert client.post(f"{VISITS}{visit.pk}/cancel/", {"reason": "Away"}, format="json").status_code == 200
    before = state()
    for path, data in ((f"{VISITS}{visit.pk}/cancel/", {}), (f"{VISITS}{visit.pk}/done/", {"outcome": "x"})):
        response = client.post(path, data, format="json")
        assert response.status_code == 409 and response.data["code"] == "invalid_transition"
    assert state() == before


def test_done_without_outcome_is_400(case, pl_worker):
    visit = plan_visit(pl_worker, case.pk, {"planned_on": DAY})
    before = state()
    response = api(pl_worker).post(f"{VISITS}{visit.pk}/done/", {"outcome": ""}, format="json")
    assert response.status_code == 400 and "outcome" in response.data
    assert state() == before


def test_no_put_or_patch(case, pl_worker):
    visit = plan_visit(pl_worker, case.pk, {"planned_on": DAY})
    client = api(pl_worker)
    assert client.patch(f"{VISITS}{visit.pk}/", {"status": "done"}, format="json").status_code == 405
    assert client.put(f"{VISITS}{visit.pk}/", {"status": "done"}, format="json").status_code == 405


def test_permissions(case, pl_worker, pl_worker2, md_worker, pl_director):
    visit = plan_visit(pl_worker, case.pk, {"planned_on": DAY})
    before = state()
    other = api(pl_worker2)
    assert other.get(f"{VISITS}{visit.pk}/").status_code == 403
    assert other.get(VISITS, {"case": case.pk}).status_code == 403
    assert other.get(VISITS).data["results"] == []  # nothing readable
    assert other.post(VISITS, {"case": case.pk, "planned_on": "2025-03-03"}, format="json").status_code == 403
    assert other.post(f"{VISITS}{visit.pk}/cancel/", {}, format="json").status_code == 403
    foreign = api(md_worker)
    assert foreign.get(f"{VISITS}{visit.pk}/").status_code == 404
    assert foreign.get(VISITS, {"case": case.pk}).status_code == 404
    assert foreign.post(f"{VISITS}{visit.pk}/done/", {"outcome": "x"}, format="json").status_code == 404
    assert state() == before
    assert [v["id"] for v in api(pl_director).get(VISITS).data["results"]] == [visit.pk]


def test_shared_colleague_lists_the_visits(case, pl_worker, pl_worker2):
    from socius.casework.services import share_case

    visit = plan_visit(pl_worker, case.pk, {"planned_on": DAY})
    share_case(pl_worker, case.pk, pl_worker2.pk)
    assert [v["id"] for v in api(pl_worker2).get(VISITS).data["results"]] == [visit.pk]


def test_closed_case_is_409(case, pl_worker):
    case.status, case.closure_reason, case.closed_on = "closed", "other", DAY
    case.save()
    response = api(pl_worker).post(VISITS, {"case": case.pk, "planned_on": "2025-03-03"}, format="json")
    assert response.status_code == 409 and response.data["code"] == "case_closed"
    response = api(pl_worker).post(
        WORK, {"case": case.pk, "type": "advocacy", "performed_on": "2025-03-03", "duration_minutes": 5}, format="json"
    )
    assert response.status_code == 409


def test_social_work_create_list_read(case, pl_worker, member):
    client = api(pl_worker)
    response = client.post(
        WORK,
        {
            "case": case.pk,
            "type": "guidance",
            "performed_on": "2025-03-03",
            "duration_minutes": 20,
            "participants": [member.pk],
            "notes": "n",
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    assert (response.data["participants"], response.data["performed_by"]) == ([member.pk], pl_worker.pk)
    pk = response.data["id"]
    assert [a["id"] for a in client.get(WORK, {"case": case.pk}).data["results"]] == [pk]
    assert client.get(f"{WORK}{pk}/").data["type"] == "guidance"


@pytest.mark.parametrize("minutes", [0, 601])
def test_social_work_duration_bounds_are_400(case, pl_worker, minutes):
    response = api(pl_worker).post(
        WORK,
        {"case": case.pk, "type": "guidance", "performed_on": "2025-03-03", "duration_minutes": minutes},
        format="json",
    )
    assert response.status_code == 400 and "duration_minutes" in response.data
    assert not SocialWorkActivity.objects.exists()


def test_social_work_permissions(case, pl_worker, pl_worker2, md_worker):
    activity = record_activity(pl_worker, case.pk, {"type": "advocacy", "performed_on": DAY, "duration_minutes": 10})
    assert api(pl_worker2).get(f"{WORK}{activity.pk}/").status_code == 403
    assert api(md_worker).get(f"{WORK}{activity.pk}/").status_code == 404
    assert api(pl_worker2).get(WORK).data["results"] == []


def test_caseload_api_has_visits_this_month(case, pl_worker, pl_teamlead):
    from socius.casework.services import record_visit_done

    visit = plan_visit(pl_worker, case.pk, {"planned_on": DAY})
    record_visit_done(pl_worker, visit.pk, {"outcome": "ok"})  # today
    rows = {r["worker"]: r for r in api(pl_teamlead).get("/api/v1/caseload/").data}
    assert rows[pl_worker.pk]["visits_this_month"] == 1


def test_lists_follow_the_content_rule_for_team_leaders(case, pl_worker, pl_teamlead, other_teamlead):
    visit = plan_visit(pl_worker, case.pk, {"planned_on": DAY})
    activity = record_activity(pl_worker, case.pk, {"type": "advocacy", "performed_on": DAY, "duration_minutes": 10})
    assert [v["id"] for v in api(pl_teamlead).get(VISITS).data["results"]] == [visit.pk]
    assert [a["id"] for a in api(pl_teamlead).get(WORK).data["results"]] == [activity.pk]
    assert api(other_teamlead).get(VISITS).data["results"] == []
    assert api(other_teamlead).get(WORK).data["results"] == []


def test_list_query_count_does_not_grow(case, pl_worker, django_assert_max_num_queries):
    for i in range(5):
        plan_visit(pl_worker, case.pk, {"planned_on": DAY + dt.timedelta(days=i)})
    client = api(pl_worker)
    # + the audit of the cases on the page: the cases, their persons, their events and persons' rows
    with django_assert_max_num_queries(10):
        response = client.get(VISITS)
    assert len(response.data["results"]) == 5
    view = AuditEvent.objects.get(action="view", object_type="case")
    assert view.object_id == case.pk


def test_a_visit_made_is_created_done_in_one_request(case, pl_worker):
    response = api(pl_worker).post(
        VISITS,
        {"case": case.pk, "status": "done", "done_on": "2025-03-03", "done_time": "10:15", "outcome": "Seen."},
        format="json",
    )
    assert response.status_code == 201, response.data
    body = response.data
    assert (body["status"], body["planned_on"], body["done_on"], body["done_time"], body["outcome"]) == (
        "done",
        "2025-03-03",
        "2025-03-03",
        "10:15",
        "Seen.",
    )
    assert list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True)).count("visit_planned") == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "cancelled", "planned_on": "2025-03-03"}, "status"),
        ({"status": "done", "done_on": "2025-03-03", "outcome": ""}, "outcome"),
        ({"planned_on": None}, "planned_on"),
        ({"planned_on": "2025-03-03", "planned_time": "25:00"}, "planned_time"),
    ],
)
def test_bad_visits_are_400_and_write_nothing(case, pl_worker, body, field):
    before = state()
    response = api(pl_worker).post(VISITS, {"case": case.pk, **body}, format="json")
    assert response.status_code == 400 and field in str(response.data), response.data
    assert state() == before
