"""The case page's timeline (merged, filtered, paged), its capped visit and social work sections, the same
number of queries however long the case's history, and GET /api/v1/cases/{id}/timeline/."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from socius.accounts.models import AuditEvent
from socius.assessments.models import Assessment, AssessmentEvent, AssessmentEventKind
from socius.casework.models import CaseEvent, CaseEventKind, HomeVisit, SocialWorkActivity, VisitStatus
from socius.casework.tests.factories import CaseFactory
from socius.plans.models import PlanEvent, PlanEventKind
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory, TeamFactory

DAY = dt.date(2025, 3, 3)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def case(pl_centre, pl_worker, pl_worker2):
    team = TeamFactory(centre=pl_centre, problem_group="family", name="Family")
    team.members.add(pl_worker, pl_worker2)
    household = HouseholdFactory(centre=pl_centre)
    person = PersonFactory(centre=pl_centre, first_name="Anna", last_name="Nowak")
    MembershipFactory(household=household, person=person, valid_from=dt.date(2020, 1, 1))
    case = CaseFactory(
        centre=pl_centre, household=household, assigned_worker=pl_worker, team=team, opened_on=DAY - dt.timedelta(400)
    )
    CaseEvent.objects.filter(case=case).update(at=_at(case.opened_on))
    return case


def _at(day, hour=9, minute=0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def history(case, worker, n):
    """n done visits, n activities, n assessment and n plan events, each with its case event, on n days."""
    assessment = Assessment.objects.filter(case=case).first() or Assessment.objects.create(
        case=case, instrument_code="pl-rws", instrument_version="2021", kind="initial", need_identified_on=DAY
    )
    start = CaseEvent.objects.filter(case=case).count()
    for i in range(start, start + n):
        day = DAY - dt.timedelta(days=300 - i)
        visit = HomeVisit.objects.create(case=case, planned_on=day, done_on=day, status=VisitStatus.DONE)
        visit.visitors.add(worker)
        CaseEvent.objects.create(
            case=case, kind=CaseEventKind.VISIT_DONE, at=_at(day, 10), actor=worker, data={"done_on": day.isoformat()}
        )
        SocialWorkActivity.objects.create(
            case=case, type="counselling", performed_on=day, duration_minutes=30, performed_by=worker
        )
        CaseEvent.objects.create(
            case=case,
            kind=CaseEventKind.ACTIVITY_RECORDED,
            at=_at(day, 11),
            actor=worker,
            data={"type": "counselling", "performed_on": day.isoformat(), "duration_minutes": 30},
        )
        AssessmentEvent.objects.create(
            assessment=assessment, case=case, kind=AssessmentEventKind.DRAFT_SAVED, at=_at(day, 12), actor=worker
        )
        PlanEvent.objects.create(case=case, kind=PlanEventKind.GOAL_ADDED, at=_at(day, 13), actor=worker, data={})


def page(client, case, **params):
    response = client.get(reverse("web:case_detail", args=[case.pk]), {"open": "all", **params})
    assert response.status_code == 200
    return response.content.decode()


def test_the_case_timeline_merges_interviews_plans_and_contracts_with_case_events(client, pl_worker, case):
    history(case, pl_worker, 1)
    PlanEvent.objects.create(
        case=case,
        kind=PlanEventKind.CONTRACT_BREACHED,
        at=_at(DAY, 15),
        actor=pl_worker,
        data={"from": "in_progress", "to": "breached", "consequence": "suspend_cash_aid"},
    )
    client.force_login(pl_worker)

    html = page(client, case)

    timeline = html[html.index('id="timeline"') :]
    for label in ("Social contract breached", "Plan goal added", "Assessment draft saved", "Home visit done"):
        assert label in timeline
    assert "In progress → Breached" in timeline and "Consequence: Suspend cash aid" in timeline
    # Newest first: the breach (15:00 on DAY) comes before the goal of an earlier day.
    assert timeline.index("Social contract breached") < timeline.index("Plan goal added")
    assert "6 entries, newest first." in timeline


def test_the_timeline_filters_by_kind_of_record(client, pl_worker, case):
    history(case, pl_worker, 2)
    client.force_login(pl_worker)

    timeline = page(client, case, group="plan").split('id="timeline"')[1]

    assert "Plan goal added" in timeline
    assert "Home visit done" not in timeline and "Assessment draft saved" not in timeline
    assert 'value="plan" checked' in timeline
    assert "2 entries, newest first." in timeline


def test_a_long_timeline_is_paged_and_keeps_its_filter(client, pl_worker, case):
    history(case, pl_worker, 15)  # 60 entries, with the opening event 61
    client.force_login(pl_worker)

    first = page(client, case).split('id="timeline"')[1]
    assert first.count('class="timeline-item') == 50
    assert "?tpage=2#timeline" in first and "Page 1 of 2" in first
    second = page(client, case, tpage=2).split('id="timeline"')[1]
    assert second.count('class="timeline-item') == 11
    assert "Case opened" in second and "Newer" in second
    filtered = page(client, case, group="visit", tpage=1).split('id="timeline"')[1]
    assert filtered.count('class="timeline-item') == 15 and "tpage=2" not in filtered


def test_visit_and_social_work_sections_show_the_latest_rows_and_every_planned_visit(client, pl_worker, case):
    history(case, pl_worker, 14)
    old_planned = HomeVisit.objects.create(case=case, planned_on=DAY - dt.timedelta(days=390))
    client.force_login(pl_worker)

    html = page(client, case)
    visits = html[html.index('id="visits"') : html.index('id="social-work"')]
    assert visits.count('<tr id="visit-') == 11  # the 10 latest done and the old planned one
    assert f'id="visit-{old_planned.pk}"' in visits
    assert "?all=visits#visits" in visits
    activities = html[html.index('id="social-work"') :]
    assert activities.split("</table>")[0].count('<tr id="activity-') == 10
    assert "?all=activities#social-work" in activities

    everything = page(client, case, all="visits")
    visits = everything[everything.index('id="visits"') : everything.index('id="social-work"')]
    assert visits.count('<tr id="visit-') == 15 and "?all=visits" not in visits


def test_the_case_page_costs_the_same_queries_however_long_the_history(client, pl_worker, case):
    client.force_login(pl_worker)
    history(case, pl_worker, 3)
    page(client, case)
    with CaptureQueriesContext(connection) as short:
        page(client, case)
    history(case, pl_worker, 40)
    with CaptureQueriesContext(connection) as long:
        page(client, case)

    assert len(long) == len(short)
    assert len(short) <= 60


def test_a_colleague_sees_no_timeline(client, pl_worker2, case):
    history(case, pl_worker2, 1)
    client.force_login(pl_worker2)

    html = page(client, case)

    assert 'id="content-restricted"' in html and 'id="timeline"' not in html


# --- API ------------------------------------------------------------------------------------------


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_timeline_merges_filters_and_pages(pl_worker, case):
    history(case, pl_worker, 3)
    url = f"/api/v1/cases/{case.pk}/timeline/"
    views = AuditEvent.objects.filter(action="view", object_type="case").count()

    body = api(pl_worker).get(url, {"page_size": 5}).json()

    assert body["count"] == 13 and len(body["results"]) == 5 and body["next"]
    assert [e["source"] for e in body["results"][:4]] == ["plan", "assessment", "case", "case"]
    assert body["results"][0]["label"] == "Plan goal added"
    assert body["results"][2]["lines"] == [f"Counselling, {DAY - dt.timedelta(days=297):%d/%m/%Y}, 30 min"]
    assert AuditEvent.objects.filter(action="view", object_type="case").count() == views + 1

    only = api(pl_worker).get(url, {"group": ["assessment", "visit"]}).json()
    assert {e["group"] for e in only["results"]} == {"assessment", "visit"} and only["count"] == 6


def test_api_timeline_names_a_bad_filter_and_writes_nothing(pl_worker, case):
    views = AuditEvent.objects.filter(action="view").count()

    response = api(pl_worker).get(f"/api/v1/cases/{case.pk}/timeline/", {"group": "gossip"})

    assert response.status_code == 400
    assert "group" in response.json()
    assert AuditEvent.objects.filter(action="view").count() == views


def test_api_timeline_refuses_a_colleague_and_hides_another_centre(pl_worker2, md_worker, case):
    assert api(pl_worker2).get(f"/api/v1/cases/{case.pk}/timeline/").status_code == 403
    assert api(md_worker).get(f"/api/v1/cases/{case.pk}/timeline/").status_code == 404
    assert api(pl_worker2).get("/api/v1/cases/abc/timeline/").status_code == 404
