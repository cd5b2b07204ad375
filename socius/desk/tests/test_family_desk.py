"""The family's four desk sections (decision 0015): the assistant's plan actions and assessments due, the
follow-up tasks assigned to the reader, the reviews of decisions on the reader's children; each only for its
own reader, on the home page and in the desk API, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from socius.desk.selectors import worker_desk_items
from socius.desk.sources import desk_sections
from socius.family.models import (
    AgendaItem,
    FamilyAssessment,
    FollowUpTask,
    MeetingDecision,
    WorkPlan,
    WorkPlanItem,
)
from socius.family.statuses import (
    EnrolmentStatus,
    PlanItemStatus,
    TaskStatus,
    WorkPlanStatus,
)
from socius.family.tests.timeline_data import aware, family_rows
from socius.family.timeline import optional_url
from socius.plans.tests.conftest import DAY

FAMILY_SECTIONS = ("family_plan_items", "family_assessments", "follow_up_tasks", "child_reviews")


@pytest.fixture
def rows(case, pl_worker, pl_assistant, son):
    """The enrolment started 150 days before DAY, never assessed: its 6-month assessment is due 3 Aug 2025."""
    return family_rows(case, pl_worker, day=DAY, child_person=son, assistant=pl_assistant)


def test_the_sections_are_declared_after_the_others_in_their_order():
    codes = [s.code for s in desk_sections()]
    assert codes[-4:] == list(FAMILY_SECTIONS)
    assert [s.order for s in desk_sections()][-4:] == [80, 85, 90, 95]


def test_the_assistant_sees_the_plan_actions_due_of_their_families(rows, pl_assistant, pl_worker, pl_worker2):
    later = WorkPlanItem.objects.create(
        plan=rows.plan, area="school", goal="Enrol at school", action="Visit", responsible="Mother",
        due_on=DAY + dt.timedelta(days=8),
    )  # fmt: skip
    done = WorkPlanItem.objects.create(
        plan=rows.plan, area="health", goal="Check-up", action="Visit", responsible="Mother",
        due_on=DAY - dt.timedelta(days=3), status=PlanItemStatus.DONE, done_on=DAY,
    )  # fmt: skip
    draft = WorkPlan.objects.create(enrolment=rows.enrolment, version=2, created_by=pl_assistant)
    WorkPlanItem.objects.create(
        plan=draft, area="housing", goal="Flat", action="Apply", responsible="Mother", due_on=DAY
    )

    due = worker_desk_items(pl_assistant, DAY)["family_plan_items"]

    assert due == [rows.item]  # not the one due in 8 days, not a done one, not a draft's
    assert later not in due and done not in due
    assert worker_desk_items(pl_assistant, DAY + dt.timedelta(days=1))["family_plan_items"] == [rows.item, later]
    # The case's worker and others are no family assistants: their desks have no such section.
    assert worker_desk_items(pl_worker, DAY)["family_plan_items"] is None
    assert worker_desk_items(pl_worker2, DAY)["family_plan_items"] is None


def test_a_closed_family_or_a_superseded_plan_has_no_actions_due(rows, pl_assistant):
    WorkPlan.objects.filter(pk=rows.plan.pk).update(status=WorkPlanStatus.SUPERSEDED)
    assert worker_desk_items(pl_assistant, DAY)["family_plan_items"] == []
    WorkPlan.objects.filter(pk=rows.plan.pk).update(status=WorkPlanStatus.AGREED)
    type(rows.enrolment).objects.filter(pk=rows.enrolment.pk).update(
        status=EnrolmentStatus.CLOSED, closed_on=DAY, outcome="goals_achieved"
    )
    assert worker_desk_items(pl_assistant, DAY)["family_plan_items"] == []


def test_an_assessment_is_due_every_interval_of_the_pack_from_the_last_one(rows, pl_assistant, pl_worker):
    started = rows.enrolment.started_on  # 2024-10-04: six months later is 2025-04-04
    assert worker_desk_items(pl_assistant, dt.date(2025, 3, 20))["family_assessments"] == []
    due = worker_desk_items(pl_assistant, dt.date(2025, 3, 21))["family_assessments"]
    assert [(r.enrolment, r.due_on, r.last_assessed_on) for r in due] == [(rows.enrolment, dt.date(2025, 4, 4), None)]

    FamilyAssessment.objects.create(
        enrolment=rows.enrolment, assessed_on=dt.date(2025, 3, 25), period_from=started,
        period_until=dt.date(2025, 3, 25), situation="Better", recommendation="Continue", author=pl_assistant,
    )  # fmt: skip
    FamilyAssessment.objects.create(  # an opinion for the court is not the periodic assessment
        enrolment=rows.enrolment, assessed_on=dt.date(2025, 9, 1), period_from=started,
        period_until=dt.date(2025, 9, 1), situation="Court", recommendation="Stay", author=pl_assistant,
        is_court_opinion=True, court_name="Sąd Rejonowy",
    )  # fmt: skip
    assert worker_desk_items(pl_assistant, dt.date(2025, 9, 10))["family_assessments"] == []
    overdue = worker_desk_items(pl_assistant, dt.date(2025, 10, 1))["family_assessments"]
    assert [(r.due_on, r.last_assessed_on) for r in overdue] == [(dt.date(2025, 9, 25), dt.date(2025, 3, 25))]
    assert worker_desk_items(pl_worker, dt.date(2025, 10, 1))["family_assessments"] is None


def test_follow_up_tasks_are_on_their_assignees_desk_while_open(rows, pl_worker, pl_worker2, pl_assistant, case):
    later = FollowUpTask.objects.create(
        centre=case.centre, case=case, assigned_to=pl_worker, description="Call the school",
        due_on=DAY + dt.timedelta(days=15), created_by=pl_worker,
    )  # fmt: skip
    FollowUpTask.objects.create(
        centre=case.centre, case=case, assigned_to=pl_worker, description="Done already", due_on=DAY,
        status=TaskStatus.DONE, done_on=DAY, created_by=pl_worker,
    )  # fmt: skip
    FollowUpTask.objects.create(
        centre=case.centre, case=case, assigned_to=pl_worker2, description="Someone else's", due_on=DAY,
        created_by=pl_worker,
    )  # fmt: skip

    assert worker_desk_items(pl_worker, DAY)["follow_up_tasks"] == [rows.task]
    assert worker_desk_items(pl_worker, DAY + dt.timedelta(days=1))["follow_up_tasks"] == [rows.task, later]
    assert [t.description for t in worker_desk_items(pl_worker2, DAY)["follow_up_tasks"]] == ["Someone else's"]
    assert worker_desk_items(pl_assistant, DAY)["follow_up_tasks"] == []


def test_a_childs_review_is_due_on_the_responsible_workers_desk_until_a_later_decision(
    rows, pl_worker, pl_worker2, pl_assistant
):
    assert worker_desk_items(pl_worker, DAY - dt.timedelta(days=12))["child_reviews"] == []
    assert worker_desk_items(pl_worker, DAY)["child_reviews"] == [rows.decision]  # review in 3 days
    assert worker_desk_items(pl_worker2, DAY)["child_reviews"] == []
    assert worker_desk_items(pl_assistant, DAY)["child_reviews"] == []

    item = AgendaItem.objects.create(
        meeting=rows.meeting, case=rows.agenda.case, child=None, summary="The family", proposed_by=pl_worker
    )
    meeting2 = type(rows.meeting).objects.create(
        centre=rows.meeting.centre, body=rows.meeting.body, scheduled_at=aware(DAY + dt.timedelta(days=2))
    )
    review = AgendaItem.objects.create(
        meeting=meeting2, case=item.case, child=rows.child, summary="Review", proposed_by=pl_worker
    )
    MeetingDecision.objects.create(
        item=review, text="Keep foster care", review_on=DAY + dt.timedelta(days=90), decided_by=pl_worker,
        decided_at=aware(DAY + dt.timedelta(days=2)),
    )  # fmt: skip
    assert worker_desk_items(pl_worker, DAY + dt.timedelta(days=5))["child_reviews"] == []


def test_nothing_is_due_for_a_closed_case_or_a_closed_child(rows, pl_worker, pl_assistant, case):
    type(rows.child).objects.filter(pk=rows.child.pk).update(status="closed", closed_on=DAY)
    assert worker_desk_items(pl_worker, DAY)["child_reviews"] == []
    type(case).objects.filter(pk=case.pk).update(status="closed", closed_on=DAY, closure_reason="goals_achieved")
    desk = worker_desk_items(pl_worker, DAY)
    assert desk["follow_up_tasks"] == [] and worker_desk_items(pl_assistant, DAY)["family_plan_items"] == []


def test_the_family_sections_cost_one_query_each_however_much_is_due(rows, pl_worker, pl_assistant, case):
    def count(actor):
        with CaptureQueriesContext(connection) as queries:
            worker_desk_items(actor, DAY + dt.timedelta(days=40))
        return len(queries)

    count(pl_worker), count(pl_assistant)  # warm the caches (the pack, the session of each)
    before = count(pl_worker), count(pl_assistant)
    for i in range(10):
        WorkPlanItem.objects.create(
            plan=rows.plan, area="school", goal=f"Goal {i}", action="Act", responsible="Mother", due_on=DAY
        )
        FollowUpTask.objects.create(
            centre=case.centre, case=case, assigned_to=pl_worker, description=f"Task {i}", due_on=DAY,
            created_by=pl_worker,
        )  # fmt: skip
    assert (count(pl_worker), count(pl_assistant)) == before


def test_the_desk_api_has_the_family_sections_with_their_rows(client, rows, pl_worker, pl_assistant, case):
    client.force_login(pl_assistant)
    data = client.get("/api/v1/desk/").json()
    assert set(FAMILY_SECTIONS) <= set(data)
    assert data["family_plan_items"] == [
        {
            "case_id": case.pk,
            "case_reference": case.reference,
            "client_name": "Anna Nowak (household)",
            "due_on": rows.item.due_on.isoformat(),
            "overdue": rows.item.due_on < data_day(data),
            "title": "Monthly budget: Draw it up together",
        }
    ]
    client.force_login(pl_worker)
    data = client.get("/api/v1/desk/").json()
    assert [r["title"] for r in data["follow_up_tasks"]] == ["Visit the foster family"]
    assert data["family_plan_items"] == [] and data["family_assessments"] == []  # no such section: no rows


def data_day(data) -> dt.date:
    return dt.date.fromisoformat(data["day"])


def test_the_home_page_shows_the_family_sections(client, rows, pl_worker, pl_assistant, son):
    client.force_login(pl_assistant)
    html = client.get(reverse("web:home")).content.decode()
    assert "Family work plan actions due" in html and "Monthly budget" in html
    assert "Family assessments due" in html
    client.force_login(pl_worker)
    html = client.get(reverse("web:home")).content.decode()
    assert "Follow-up tasks" in html and "Visit the foster family" in html
    assert "Family work plan actions due" not in html and "Family assessments due" not in html  # no assistant
    assert "Children&#x27;s reviews due" in html or "Children's reviews due" in html


def test_optional_url_is_empty_for_a_page_not_there_and_the_url_for_one_that_is(case):
    assert optional_url("web:no_such_page", 1) == ""
    assert optional_url("web:case_detail", case.pk) == f"/cases/{case.pk}/"


def test_who_does_no_child_protection_work_has_no_such_sections_and_pays_no_query(pl_auditor, pl_finance):
    for actor in (pl_auditor, pl_finance):
        desk_rows = {s.code: s.read(actor, DAY) for s in desk_sections() if s.code in FAMILY_SECTIONS}
        assert desk_rows == dict.fromkeys(FAMILY_SECTIONS)
    with CaptureQueriesContext(connection) as queries:
        for section in desk_sections():
            if section.code in FAMILY_SECTIONS:
                section.read(pl_finance, DAY)
    assert len(queries) == 0
