"""Family support reads: who sees which enrolment, when the next assessment is due (the dated interval), the
assistant's desk, the family's page, the loads and the timesheets, each in a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest

from socius.accounts.models import AuditEvent
from socius.common.errors import Forbidden
from socius.family.models import AssistantActivity, FamilyEnrolment
from socius.family.rules import ParamInfo, add_months, assessment_interval_months
from socius.family.selectors_support import (
    assistant_desk,
    assistant_loads,
    family_page,
    get_enrolment_for,
    list_enrolments_for,
    next_assessment_due,
    timesheet,
    timesheets,
)
from socius.family.support import (
    add_plan_item,
    agree_work_plan,
    close_work,
    draft_work_plan,
    log_activity,
    record_assessment,
    request_enrolment,
)
from socius.family.tests.conftest import REQUESTED_ON, STARTED_ON

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 3, 20)
MARCH = dt.date(2025, 3, 1)


def bulk_activities(enrolment, n, *, start=dt.date(2025, 3, 1), minutes=30, areas=("health",)):
    AssistantActivity.objects.bulk_create(
        AssistantActivity(
            centre_id=enrolment.centre_id,
            enrolment=enrolment,
            assistant_id=enrolment.assistant_id,
            on=start + dt.timedelta(days=i % 28),
            minutes=minutes,
            place="family_home",
            areas=list(areas),
        )
        for i in range(n)
    )


# --- visibility --------------------------------------------------------------------------------------------------


def test_who_sees_the_enrolment(
    enrolment, pl_worker, pl_assistant, pl_director, pl_teamlead, pl_worker2, pl_assistant2, pl_auditor, other_assistant
):
    for actor in (pl_worker, pl_assistant, pl_director, pl_teamlead):
        assert get_enrolment_for(actor, enrolment.pk) == enrolment
        assert list(list_enrolments_for(actor)) == [enrolment]
    for actor in (pl_worker2, pl_assistant2, pl_auditor, other_assistant):
        with pytest.raises(FamilyEnrolment.DoesNotExist):
            get_enrolment_for(actor, enrolment.pk)
        assert list(list_enrolments_for(actor)) == []
    with pytest.raises(FamilyEnrolment.DoesNotExist):
        get_enrolment_for(pl_director, "1 OR 1=1")


def test_the_assistant_sees_their_family_even_without_a_share(enrolment, pl_assistant, case):
    case.shares.all().delete()
    assert get_enrolment_for(pl_assistant, enrolment.pk) == enrolment


def test_list_filters_and_search(enrolment, pl_director, pl_assistant, pl_assistant2, case, household):
    assert list(list_enrolments_for(pl_director, status="active")) == [enrolment]
    assert list(list_enrolments_for(pl_director, status="requested")) == []
    assert list(list_enrolments_for(pl_director, assistant_id=pl_assistant.pk)) == [enrolment]
    assert list(list_enrolments_for(pl_director, assistant_id=pl_assistant2.pk)) == []
    assert list(list_enrolments_for(pl_director, household_id=household.pk, case_id=case.pk)) == [enrolment]
    assert list(list_enrolments_for(pl_director, assistant_id="x")) == []
    assert list(list_enrolments_for(pl_director, q="nowak")) == [enrolment]
    assert list(list_enrolments_for(pl_director, q="Anna Nowak")) == [enrolment]
    assert list(list_enrolments_for(pl_director, q=case.reference)) == [enrolment]
    assert list(list_enrolments_for(pl_director, q="Kowalski")) == []


# --- assessments due -------------------------------------------------------------------------------------------


def test_next_assessment_follows_the_dated_interval(enrolment, pl_assistant, pl_centre):
    interval = assessment_interval_months(pl_centre, STARTED_ON).value
    assert interval == 6
    assert next_assessment_due(enrolment, on=DAY) == add_months(STARTED_ON, 6) == dt.date(2025, 8, 10)
    record_assessment(
        pl_assistant,
        enrolment,
        assessed_on=dt.date(2025, 7, 1),
        period_from=STARTED_ON,
        period_until=dt.date(2025, 6, 30),
        situation="x",
        recommendation="y",
    )
    found = get_enrolment_for(pl_assistant, enrolment.pk)
    assert next_assessment_due(found, on=dt.date(2025, 7, 2)) == dt.date(2026, 1, 1)
    # an assessment made after the day asked does not count yet
    assert next_assessment_due(found, on=dt.date(2025, 6, 1)) == dt.date(2025, 8, 10)
    assert next_assessment_due(FamilyEnrolment.objects.get(pk=enrolment.pk), on=dt.date(2025, 7, 2)) == dt.date(
        2026, 1, 1
    )


def test_next_assessment_uses_the_interval_in_force(enrolment, monkeypatch):
    from socius.family import selectors_support

    def interval(centre, on):
        return ParamInfo(3 if on >= dt.date(2025, 1, 1) else 6, "basis", "test", dt.date(2025, 1, 1))

    monkeypatch.setattr(selectors_support, "assessment_interval_months", interval)
    assert next_assessment_due(enrolment, on=DAY) == dt.date(2025, 5, 10)


def test_court_opinions_do_not_count_as_assessments(enrolment, pl_assistant):
    record_assessment(
        pl_assistant,
        enrolment,
        assessed_on=dt.date(2025, 3, 1),
        period_from=STARTED_ON,
        period_until=dt.date(2025, 3, 1),
        situation="x",
        recommendation="y",
        is_court_opinion=True,
        court_name="SR",
    )
    assert next_assessment_due(get_enrolment_for(pl_assistant, enrolment.pk), on=DAY) == dt.date(2025, 8, 10)


def test_no_assessment_due_for_requests_or_closed_work(case, pl_worker, pl_director):
    requested = request_enrolment(pl_worker, case=case, reason="x", requested_on=REQUESTED_ON)
    assert next_assessment_due(requested, on=DAY) is None


# --- the assistant's desk ----------------------------------------------------------------------------------------


def test_desk_lists_families_actions_assessments_and_time(
    enrolment, pl_assistant, pl_worker, mother, fill_caseload, django_assert_max_num_queries
):
    plan = draft_work_plan(pl_assistant, enrolment)
    soon = add_plan_item(
        pl_assistant, plan, area="budgeting", goal="Budżet", action="a", responsible="Matka", due_on=DAY
    )
    add_plan_item(
        pl_assistant, plan, area="health", goal="Później", action="a", responsible="Matka", due_on=dt.date(2025, 9, 1)
    )
    agree_work_plan(pl_assistant, plan, agreed_on=dt.date(2025, 3, 3), agreed_with=[mother], social_worker=pl_worker)
    log_activity(pl_assistant, enrolment, on=dt.date(2025, 2, 27), minutes=45, place="family_home", areas=["health"])
    log_activity(pl_assistant, enrolment, on=dt.date(2025, 3, 5), minutes=60, place="family_home", areas=["health"])
    others = fill_caseload(pl_assistant, 3, started_on=dt.date(2024, 9, 1))  # assessments overdue (due 2025-03-01)
    bulk_activities(others[0], 50)
    with django_assert_max_num_queries(10):
        desk = assistant_desk(pl_assistant, DAY)
    assert [f.enrolment.pk for f in desk.families] == [enrolment.pk] + [e.pk for e in others]
    nowak = desk.families[0]
    assert (nowak.household_name, nowak.status, nowak.minutes_this_month) == ("Anna Nowak", "active", 60)
    assert nowak.last_activity_on == dt.date(2025, 3, 5) and nowak.next_assessment_due == dt.date(2025, 8, 10)
    assert desk.families[1].minutes_this_month == 1500
    assert [i.pk for i in desk.actions_due] == [soon.pk]
    assert desk.actions_due[0].family_name == "Anna Nowak"
    assert [f.enrolment.pk for f in desk.assessments_due] == [e.pk for e in others]
    assert (desk.minutes_this_month, desk.load, desk.cap.value) == (1560, 4, 15)
    assert AuditEvent.objects.filter(object_type="family_desk", action="view").count() == 1


def test_desk_query_count_does_not_grow_with_families_or_activities(
    enrolment, pl_assistant, fill_caseload, django_assert_max_num_queries
):
    fill_caseload(pl_assistant, 1)  # two families: the audit row names several persons from here on
    with django_assert_max_num_queries(10) as few:
        assistant_desk(pl_assistant, DAY)
    for other in fill_caseload(pl_assistant, 8, started_on=dt.date(2024, 9, 1)):
        bulk_activities(other, 40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        desk = assistant_desk(pl_assistant, DAY)
    assert len(desk.families) == 10


def test_desk_is_for_those_doing_family_work(pl_auditor, pl_finance):
    for actor in (pl_auditor, pl_finance):
        with pytest.raises(Forbidden):
            assistant_desk(actor, DAY)


# --- the family's page -------------------------------------------------------------------------------------------


def test_family_page_in_a_fixed_number_of_queries(
    enrolment, pl_assistant, pl_worker, mother, son, django_assert_max_num_queries
):
    plan = draft_work_plan(pl_assistant, enrolment)
    add_plan_item(pl_assistant, plan, area="budgeting", goal="Budżet", action="a", responsible="Matka")
    agree_work_plan(pl_assistant, plan, agreed_on=dt.date(2025, 3, 3), agreed_with=[mother], social_worker=pl_worker)
    draft = draft_work_plan(pl_assistant, enrolment)
    log_activity(
        pl_assistant, enrolment, on=DAY, minutes=60, place="family_home", areas=["health"], family_members=[son]
    )
    with django_assert_max_num_queries(20) as first:
        page = family_page(pl_assistant, enrolment.pk, DAY)
    bulk_activities(enrolment, 200)
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = family_page(pl_assistant, enrolment.pk, DAY)
    assert [m.person_id for m in page.members] == [mother.pk, son.pk]
    assert page.household_name.startswith("Anna Nowak")
    assert page.agreed_plan == plan and [i.goal for i in page.agreed_items] == ["Budżet"]
    assert page.draft == draft and [p.version for p in page.plan_versions] == [2, 1]
    assert len(page.activities) == 20 and page.activity_count == 201
    assert [c.person_id for c in page.live_consents] == [mother.pk]
    assert page.next_assessment_due == dt.date(2025, 8, 10) and page.can_work
    viewed = AuditEvent.objects.filter(object_type="family_enrolment", object_id=enrolment.pk, action="view")
    assert viewed.count() == 2


def test_family_page_hidden_from_others(enrolment, pl_assistant2, other_assistant):
    for actor in (pl_assistant2, other_assistant):
        with pytest.raises(FamilyEnrolment.DoesNotExist):
            family_page(actor, enrolment.pk, DAY)


# --- loads ---------------------------------------------------------------------------------------------------


def test_loads_per_assistant_against_the_cap(
    enrolment, pl_teamlead, pl_director, pl_assistant, pl_assistant2, case, fill_caseload, django_assert_max_num_queries
):
    fill_caseload(pl_assistant2, 15)
    fill_caseload(pl_assistant2, 2, status="monitoring")
    close_work(pl_assistant, enrolment, closed_on=DAY, outcome="goals_achieved")
    with django_assert_max_num_queries(2):  # the loads (and the actor's centre for the cap, unless cached)
        loads = assistant_loads(pl_teamlead, DAY)
    by_name = {load.assistant.username: load for load in loads}
    assert (by_name["pl_assistant"].active, by_name["pl_assistant"].monitoring) == (0, 1)
    assert (by_name["pl_assistant2"].active, by_name["pl_assistant2"].monitoring) == (15, 2)
    assert by_name["pl_assistant2"].is_at_cap and not by_name["pl_assistant"].is_at_cap
    assert {load.cap.value for load in loads} == {15}
    assert assistant_loads(pl_director, dt.date(2014, 6, 1))[0].cap.value == 20


def test_loads_count_the_requests_waiting(case, pl_worker, pl_director, pl_assistant):
    request_enrolment(pl_worker, case=case, reason="x", requested_on=REQUESTED_ON)
    assert [load.requested_waiting for load in assistant_loads(pl_director, DAY)] == [1]


def test_loads_are_for_team_leaders_and_the_director(pl_worker, pl_assistant, pl_auditor):
    for actor in (pl_worker, pl_assistant, pl_auditor):
        with pytest.raises(Forbidden):
            assistant_loads(actor, DAY)


# --- timesheets -----------------------------------------------------------------------------------------------


def test_timesheet_totals_per_day_area_and_family(enrolment, pl_assistant, fill_caseload):
    other = fill_caseload(pl_assistant, 1)[0]
    log_activity(pl_assistant, enrolment, on=dt.date(2025, 3, 3), minutes=90, place="family_home", areas=["health"])
    log_activity(
        pl_assistant, enrolment, on=dt.date(2025, 3, 3), minutes=61, place="school", areas=["school", "leisure"]
    )
    log_activity(pl_assistant, other, on=dt.date(2025, 3, 4), minutes=30, place="office", areas=["budgeting"])
    log_activity(pl_assistant, enrolment, on=dt.date(2025, 4, 1), minutes=500, place="office", areas=["budgeting"])
    log_activity(pl_assistant, enrolment, on=dt.date(2025, 2, 28), minutes=500, place="office", areas=["budgeting"])
    sheet = timesheet(pl_assistant, pl_assistant, dt.date(2025, 3, 17))
    assert sheet.month == MARCH and sheet.total_minutes == 181
    assert [(row.date, row.minutes, len(row.entries)) for row in sheet.rows] == [
        (dt.date(2025, 3, 3), 151, 2),
        (dt.date(2025, 3, 4), 30, 1),
    ]
    assert sheet.rows[0].entries[1].areas == ["school", "leisure"]
    assert sheet.rows[0].entries[0].family_name == "Anna Nowak"
    assert sheet.minutes_per_area == {"budgeting": 30, "health": 90, "leisure": 30, "school": 31}
    assert sum(sheet.minutes_per_area.values()) == sheet.total_minutes
    names = [name for _e, name, _m in sheet.minutes_per_family]
    assert names == sorted(names) and "Anna Nowak" in names
    assert {e: m for e, _n, m in sheet.minutes_per_family} == {enrolment.pk: 151, other.pk: 30}


def test_timesheet_of_another_assistant_only_for_leaders(
    enrolment, pl_assistant, pl_assistant2, pl_teamlead, other_assistant
):
    assert timesheet(pl_teamlead, pl_assistant, MARCH).assistant == pl_assistant
    with pytest.raises(Forbidden):
        timesheet(pl_assistant2, pl_assistant, MARCH)
    with pytest.raises(Forbidden):
        timesheet(other_assistant, pl_assistant, MARCH)
    with pytest.raises(Forbidden):
        timesheet(pl_teamlead, other_assistant, MARCH)


def test_timesheets_for_all_assistants_are_set_based(
    enrolment, pl_director, pl_assistant, pl_assistant2, pl_centre, fill_caseload, django_assert_max_num_queries
):
    from socius.testing.factories import UserFactory

    for other in fill_caseload(pl_assistant2, 3):
        bulk_activities(other, 20, minutes=16, areas=("school", "health"))
    bulk_activities(enrolment, 10, minutes=60)
    # +2: the audit event's place in its centre's hash chain (decision 0020)
    with django_assert_max_num_queries(10) as first:
        sheets = timesheets(pl_director, MARCH)
    assert [s.assistant.username for s in sheets] == ["pl_assistant", "pl_assistant2"]
    assert [s.total_minutes for s in sheets] == [600, 960]
    assert sheets[1].minutes_per_area == {"health": 480, "school": 480}
    for n in range(20):
        UserFactory(centre=pl_centre, role="family_assistant", username=f"extra{n}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert len(timesheets(pl_director, MARCH)) == 22


def test_timesheets_are_for_team_leaders_and_the_director(pl_assistant, pl_worker):
    for actor in (pl_assistant, pl_worker):
        with pytest.raises(Forbidden):
            timesheets(actor, MARCH)


def test_family_page_reads_only_the_parts_asked(
    enrolment, pl_assistant, pl_worker, mother, son, django_assert_max_num_queries
):
    plan = draft_work_plan(pl_assistant, enrolment)
    add_plan_item(pl_assistant, plan, area="budgeting", goal="Budżet", action="a", responsible="Matka")
    log_activity(pl_assistant, enrolment, on=DAY, minutes=60, place="family_home", areas=["health"])
    with django_assert_max_num_queries(20) as everything:
        family_page(pl_assistant, enrolment.pk, DAY)
    with django_assert_max_num_queries(len(everything.captured_queries) - 6) as bare:
        page = family_page(pl_assistant, enrolment.pk, DAY, parts=())
    assert [m.person_id for m in page.members] == [mother.pk, son.pk] and page.consents
    assert (page.plan_versions, page.draft, page.activities, page.activity_count, page.assessments) == (
        [],
        None,
        [],
        0,
        [],
    )
    with django_assert_max_num_queries(len(bare.captured_queries) + 4):
        page = family_page(pl_assistant, enrolment.pk, DAY, parts=["activities", "unknown"])
    assert page.activity_count == 1 and page.plan_versions == []
    viewed = AuditEvent.objects.filter(object_type="family_enrolment", object_id=enrolment.pk, action="view")
    assert viewed.count() == 3  # each read is audited, whatever it shows
    with pytest.raises(FamilyEnrolment.DoesNotExist):
        family_page(pl_worker, "x", DAY, parts=())
