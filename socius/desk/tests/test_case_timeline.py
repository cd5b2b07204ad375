"""One case's whole timeline: merged from casework, assessments and plans, newest first, paged, filtered,
described in words, audited, and read in a fixed number of queries."""

import datetime as dt

import pytest
from django.utils import timezone

from socius.accounts.models import AuditEvent
from socius.assessments import services as assessment_services
from socius.assessments.models import AssessmentEvent, AssessmentEventKind
from socius.casework import services as casework_services
from socius.casework.models import CaseEvent, CaseEventKind
from socius.common.errors import Forbidden, NotFound
from socius.desk.case_timeline import Group, case_timeline, case_timeline_for
from socius.plans import services as plan_services
from socius.plans.models import PlanEvent, PlanEventKind
from socius.plans.tests.conftest import DAY
from socius.testing.factories import CentreFactory, UserFactory


def _at(day, hour=10, minute=0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def case(case):
    """The conftest case, opened well before DAY so that services accept the dates below."""
    case.opened_on = DAY - dt.timedelta(days=30)
    case.save(update_fields=["opened_on"])
    CaseEvent.objects.filter(case=case, kind=CaseEventKind.OPENED).update(at=_at(case.opened_on, 8))
    return case


def _events_of_three_tables(case, worker):
    """One row in each table, at distinct times (CaseEvent 'opened' comes from the factory)."""
    CaseEvent.objects.create(case=case, kind=CaseEventKind.NOTE, at=_at(DAY, 9), actor=worker, data={"note": "Call"})
    assessment = assessment_services.start_assessment(worker, case.pk, kind="initial", need_identified_on=DAY)
    AssessmentEvent.objects.filter(assessment=assessment).update(at=_at(DAY, 11))
    PlanEvent.objects.create(case=case, kind=PlanEventKind.PLAN_CREATED, at=_at(DAY, 10), data={"title": "Work"})


def test_entries_of_the_three_tables_are_merged_newest_first(pl_worker, case):
    _events_of_three_tables(case, pl_worker)

    page = case_timeline_for(pl_worker, case.pk)

    assert [(e.source, e.kind) for e in page.entries][:3] == [
        ("assessment", AssessmentEventKind.STARTED),
        ("plan", PlanEventKind.PLAN_CREATED),
        ("case", CaseEventKind.NOTE),
    ]
    assert page.entries[-1].kind == CaseEventKind.OPENED
    assert page.total == 4
    assert [e.group for e in page.entries[:3]] == [Group.ASSESSMENT, Group.PLAN, Group.CASE]


def test_entries_are_described_in_words_with_the_actor(pl_worker, case):
    _events_of_three_tables(case, pl_worker)

    entries = {e.kind: e for e in case_timeline_for(pl_worker, case.pk).entries}

    started = entries[AssessmentEventKind.STARTED]
    assert started.label == "Assessment started"
    assert started.actor_name == (pl_worker.get_full_name() or pl_worker.username)
    assert started.lines[0] == "Initial assessment"
    assert started.lines[1].startswith("Due on ")
    assert entries[PlanEventKind.PLAN_CREATED].lines == ["Work"]
    assert entries[CaseEventKind.NOTE].lines == ["Note: Call"]


def test_a_contract_breach_shows_the_move_the_consequence_and_its_legal_basis(pl_worker, case, mother):
    contract = plan_services.draft_contract(
        pl_worker,
        case.pk,
        {
            "variant": "IA_IIA",
            "clients": [mother.pk],
            "causes": "Debt",
            "strengths": "Motivated",
            "limitations": "",
            "goals": "Job",
            "valid_from": DAY - dt.timedelta(days=10),
            "valid_until": DAY + dt.timedelta(days=90),
        },
    )
    plan_services.add_obligation(pl_worker, contract.pk, party="client", description="Attend the job club")
    plan_services.sign_contract(pl_worker, contract.pk, DAY - dt.timedelta(days=9))
    plan_services.start_contract(pl_worker, contract.pk, on=DAY - dt.timedelta(days=9))
    plan_services.record_breach(
        pl_worker,
        contract.pk,
        reasons="Stopped attending",
        consequence="suspend_cash_aid",
        on=DAY - dt.timedelta(days=1),
    )

    page = case_timeline_for(pl_worker, case.pk, groups={Group.CONTRACT})

    assert [e.kind for e in page.entries] == [
        PlanEventKind.CONTRACT_BREACHED,
        PlanEventKind.CONTRACT_STARTED,
        PlanEventKind.CONTRACT_SIGNED,
        PlanEventKind.OBLIGATION_ADDED,
        PlanEventKind.CONTRACT_DRAFTED,
    ]
    breach = page.entries[0]
    assert breach.lines[0] == "In progress → Breached"
    assert "Consequence: Suspend cash aid" in breach.lines
    assert any(line.startswith("Legal basis: ") and "art. 11" in line for line in breach.lines)
    assert page.entries[-1].lines == ["Social contract (variant IA and IIA)"]


def test_visits_and_social_work_come_from_the_case_events_the_services_write(pl_worker, case):
    visit = casework_services.plan_visit(pl_worker, case.pk, {"planned_on": DAY, "purpose": "Interview"})
    casework_services.record_visit_done(pl_worker, visit.pk, {"done_on": DAY, "outcome": "Seen"})
    casework_services.record_activity(
        pl_worker, case.pk, {"type": "counselling", "performed_on": DAY, "duration_minutes": 45}
    )

    visits = case_timeline_for(pl_worker, case.pk, groups={Group.VISIT}).entries
    activities = case_timeline_for(pl_worker, case.pk, groups={Group.ACTIVITY}).entries

    assert [e.kind for e in visits] == [CaseEventKind.VISIT_DONE, CaseEventKind.VISIT_PLANNED]
    assert visits[0].lines == [f"Done on {DAY:%d/%m/%Y}"]
    assert [e.kind for e in activities] == [CaseEventKind.ACTIVITY_RECORDED]
    assert activities[0].lines == [f"Counselling, {DAY:%d/%m/%Y}, 45 min"]


def test_filtering_by_group_keeps_only_those_entries(pl_worker, case):
    _events_of_three_tables(case, pl_worker)

    assert {e.source for e in case_timeline_for(pl_worker, case.pk, groups={Group.PLAN}).entries} == {"plan"}
    both = case_timeline_for(pl_worker, case.pk, groups={Group.PLAN, Group.ASSESSMENT}).entries
    assert [e.source for e in both] == ["assessment", "plan"]
    # Unknown groups are ignored; nothing known asked for means everything.
    assert case_timeline_for(pl_worker, case.pk, groups={"nonsense"}).total == 4


def test_pages_follow_one_another_without_gaps_or_repeats(pl_worker, case):
    for i in range(7):
        CaseEvent.objects.create(case=case, kind=CaseEventKind.NOTE, at=_at(DAY, 9, i), data={"note": str(i)})
        PlanEvent.objects.create(case=case, kind=PlanEventKind.GOAL_ADDED, at=_at(DAY, 9, i), data={})
    keys = []
    for number in (1, 2, 3, 4):
        page = case_timeline(case, page=number, per_page=4)
        keys += [e.key for e in page.entries]

    assert len(keys) == 15 == len(set(keys))  # 14 + the opening event
    assert page.page.number == 4 and not page.page.has_next()
    # Out-of-range and junk page numbers give the nearest valid page.
    assert case_timeline(case, page=99, per_page=4).page.number == 4
    assert case_timeline(case, page="x", per_page=4).page.number == 1


def test_reading_the_timeline_is_audited_once(pl_worker, case):
    before = AuditEvent.objects.filter(action="view", object_type="case", object_id=str(case.pk)).count()

    case_timeline_for(pl_worker, case.pk)

    after = AuditEvent.objects.filter(action="view", object_type="case", object_id=str(case.pk)).count()
    assert after == before + 1


def test_a_colleague_without_content_access_is_refused_and_nothing_is_audited(pl_worker2, case):
    views = AuditEvent.objects.filter(action="view").count()

    with pytest.raises(Forbidden):
        case_timeline_for(pl_worker2, case.pk)

    assert AuditEvent.objects.filter(action="view").count() == views


def test_another_centres_worker_gets_not_found(case):
    stranger = UserFactory(centre=CentreFactory(code="pl-other", jurisdiction="PL"), role="social_worker")

    with pytest.raises(NotFound):
        case_timeline_for(stranger, case.pk)


def test_a_page_costs_the_same_few_queries_however_long_the_history(
    pl_worker, pl_worker2, case, django_assert_num_queries
):
    def add(n):
        for i in range(n):
            CaseEvent.objects.create(
                case=case, kind=CaseEventKind.REASSIGNED, actor=pl_worker, data={"from": pl_worker.pk, "to": i}
            )
            PlanEvent.objects.create(case=case, kind=PlanEventKind.GOAL_ADDED, actor=pl_worker2, data={})

    add(3)
    with django_assert_num_queries(3):  # count, page, users named
        small = case_timeline(case, per_page=50)
    add(60)
    with django_assert_num_queries(3):
        large = case_timeline(case, per_page=50)

    assert small.total == 7 and large.total == 127
    assert len(large.entries) == 50


def test_a_visit_with_its_time_is_described_with_that_time(pl_worker, case):
    visit = casework_services.plan_visit(
        pl_worker, case.pk, {"planned_on": DAY, "planned_time": dt.time(9, 0), "purpose": "Interview"}
    )
    casework_services.record_visit_done(
        pl_worker, visit.pk, {"done_on": DAY, "done_time": dt.time(14, 5), "outcome": "Seen"}
    )
    visits = case_timeline_for(pl_worker, case.pk, groups={Group.VISIT}).entries
    assert [e.lines for e in visits] == [
        [f"Done on {DAY:%d/%m/%Y} at 14:05"],
        [f"Planned for {DAY:%d/%m/%Y} at 09:00"],
    ]
