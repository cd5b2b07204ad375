"""Home visits: planning, recording as done (with the next visit), cancelling; the map of moves,
permissions, closed cases, timeline and audit; the worker's desk and the caseload's visit counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from socius.accounts.models import AuditEvent
from socius.accounts.roles import Role
from socius.casework.models import CaseEvent, CaseEventKind, HomeVisit, VisitStatus
from socius.casework.models_visits import VISIT_TRANSITIONS
from socius.casework.selectors import caseload_by_worker, visits_for_case, worker_desk
from socius.casework.services import cancel_visit, plan_visit, record_done_visit, record_visit_done
from socius.casework.statuses import CaseStatus, ClosureReason
from socius.casework.tests.factories import CaseFactory
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.testing.factories import HouseholdFactory, UserFactory

DAY = dt.date(2025, 3, 3)


@pytest.fixture
def case(pl_centre, pl_worker, family_team):
    household = HouseholdFactory(centre=pl_centre, street_address="ul. Lipowa 7")
    return CaseFactory(centre=pl_centre, household=household, assigned_worker=pl_worker, team=family_team)


def _state(case):
    visits = list(HomeVisit.objects.filter(case=case).values("id", "status", "done_on", "outcome", "next_visit"))
    events = list(CaseEvent.objects.filter(case=case).values_list("id", "kind"))
    return visits, events, AuditEvent.objects.count()


def _visit_in(status, case, worker):
    visit = plan_visit(worker, case.pk, {"planned_on": DAY})
    if status == VisitStatus.DONE:
        record_visit_done(worker, visit.pk, {"outcome": "Seen.", "done_on": DAY})
    elif status == VisitStatus.CANCELLED:
        cancel_visit(worker, visit.pk)
    visit.refresh_from_db()
    return visit


# --- planning -------------------------------------------------------------------------------------


def test_plan_visit_defaults_place_and_visitor_and_writes_event_and_audit(case, pl_worker):
    visit = plan_visit(pl_worker, case.pk, {"planned_on": DAY, "purpose": "First visit"})

    assert visit.status == VisitStatus.PLANNED and visit.done_on is None
    assert visit.place.startswith("ul. Lipowa 7")
    assert list(visit.visitors.all()) == [pl_worker]
    event = CaseEvent.objects.filter(case=case).latest("id")
    assert (event.kind, event.actor, event.data) == (
        CaseEventKind.VISIT_PLANNED,
        pl_worker,
        {"visit": visit.pk, "planned_on": "2025-03-03", "visitors": [pl_worker.pk]},
    )
    audit = AuditEvent.objects.latest("id")
    assert (audit.action, audit.object_type, audit.object_id, audit.actor) == (
        "create",
        "home_visit",
        visit.pk,
        pl_worker,
    )
    assert audit.changes == {
        "case": [None, case.pk],
        "planned_on": [None, "2025-03-03"],
        "status": [None, "planned"],
        "visitors": [None, [pl_worker.pk]],
    }


def test_plan_visit_with_several_visitors_and_own_place(case, pl_worker, pl_worker2):
    visit = plan_visit(
        pl_worker, case.pk, {"planned_on": DAY, "visitors": [pl_worker2.pk, pl_worker.pk], "place": "Hospital"}
    )
    assert visit.place == "Hospital"
    assert set(visit.visitors.values_list("pk", flat=True)) == {pl_worker.pk, pl_worker2.pk}


@pytest.mark.parametrize(
    "data, field",
    [
        ({}, "planned_on"),
        ({"planned_on": "2025-03-03"}, "planned_on"),
        ({"planned_on": dt.date(2024, 12, 31)}, "planned_on"),
        ({"planned_on": DAY, "visitors": [999999]}, "visitors"),
    ],
)
def test_plan_visit_refuses_bad_input_and_writes_nothing(case, pl_worker, data, field):
    before = _state(case)
    with pytest.raises(ValidationFailed) as exc:
        plan_visit(pl_worker, case.pk, data)
    assert field in exc.value.errors
    assert _state(case) == before


def test_visitor_must_do_casework_in_the_same_centre(case, pl_worker, pl_finance, md_worker):
    for other in (pl_finance, md_worker):
        with pytest.raises(ValidationFailed) as exc:
            plan_visit(pl_worker, case.pk, {"planned_on": DAY, "visitors": [other.pk]})
        assert "visitors" in exc.value.errors


# --- permissions and closed cases -----------------------------------------------------------------


def test_worker_who_may_not_see_the_content_is_forbidden(case, pl_worker, pl_worker2):
    visit = plan_visit(pl_worker, case.pk, {"planned_on": DAY})
    before = _state(case)
    with pytest.raises(Forbidden):
        plan_visit(pl_worker2, case.pk, {"planned_on": DAY})
    with pytest.raises(Forbidden):
        record_visit_done(pl_worker2, visit.pk, {"outcome": "x", "done_on": DAY})
    with pytest.raises(Forbidden):
        cancel_visit(pl_worker2, visit.pk)
    assert _state(case) == before


def test_content_reader_without_casework_is_forbidden(case, pl_centre, pl_worker):
    auditor = UserFactory(centre=pl_centre, role=Role.AUDITOR)
    with pytest.raises((Forbidden, NotFound)):
        plan_visit(auditor, case.pk, {"planned_on": DAY})
    assert not HomeVisit.objects.exists()


@pytest.mark.parametrize("who", ["pl_teamlead", "pl_director"])
def test_team_leader_and_director_may_plan(case, who, request):
    actor = request.getfixturevalue(who)
    assert plan_visit(actor, case.pk, {"planned_on": DAY}).pk


def test_other_centre_sees_not_found(case, pl_worker, md_worker):
    visit = plan_visit(pl_worker, case.pk, {"planned_on": DAY})
    with pytest.raises(NotFound):
        plan_visit(md_worker, case.pk, {"planned_on": DAY})
    with pytest.raises(NotFound):
        record_visit_done(md_worker, visit.pk, {"outcome": "x", "done_on": DAY})
    with pytest.raises(NotFound):
        cancel_visit(md_worker, visit.pk)
    with pytest.raises(NotFound):
        cancel_visit(pl_worker, "nope")


def test_closed_case_refuses_visits(case, pl_worker):
    visit = plan_visit(pl_worker, case.pk, {"planned_on": DAY})
    case.status, case.closure_reason, case.closed_on = CaseStatus.CLOSED, ClosureReason.GOALS_ACHIEVED, DAY
    case.save()
    before = _state(case)
    for call in (
        lambda: plan_visit(pl_worker, case.pk, {"planned_on": DAY}),
        lambda: record_visit_done(pl_worker, visit.pk, {"outcome": "x", "done_on": DAY}),
        lambda: cancel_visit(pl_worker, visit.pk),
    ):
        with pytest.raises(Conflict) as exc:
            call()
        assert exc.value.code == "case_closed"
    assert _state(case) == before


# --- moves ----------------------------------------------------------------------------------------

PAIRS = [(a, b) for a in VisitStatus.values for b in (VisitStatus.DONE, VisitStatus.CANCELLED)]


@pytest.mark.parametrize("from_status, to_status", PAIRS)
def test_each_move_follows_the_map(case, pl_worker, from_status, to_status):
    visit = _visit_in(from_status, case, pl_worker)
    before = _state(case)
    move = (
        (lambda: record_visit_done(pl_worker, visit.pk, {"outcome": "Talked.", "done_on": DAY}))
        if to_status == VisitStatus.DONE
        else (lambda: cancel_visit(pl_worker, visit.pk, reason="Family away"))
    )
    if to_status in VISIT_TRANSITIONS[from_status]:
        move()
        visit.refresh_from_db()
        assert visit.status == to_status
        kind = CaseEventKind.VISIT_DONE if to_status == VisitStatus.DONE else CaseEventKind.VISIT_CANCELLED
        assert CaseEvent.objects.filter(case=case).latest("id").kind == kind
        assert AuditEvent.objects.count() == before[2] + 1
    else:
        with pytest.raises(Conflict) as exc:
            move()
        assert exc.value.code == "invalid_transition"
        assert _state(case) == before


def test_done_writes_event_and_audit_exactly(case, pl_worker):
    visit = plan_visit(pl_worker, case.pk, {"planned_on": DAY})
    record_visit_done(pl_worker, visit.pk, {"outcome": "Kitchen unheated.", "done_on": DAY})
    visit.refresh_from_db()
    assert (visit.status, visit.done_on, visit.outcome, visit.next_visit) == ("done", DAY, "Kitchen unheated.", None)
    event = CaseEvent.objects.filter(case=case).latest("id")
    assert (event.kind, event.data) == (CaseEventKind.VISIT_DONE, {"visit": visit.pk, "done_on": "2025-03-03"})
    audit = AuditEvent.objects.latest("id")
    assert (audit.action, audit.object_type, audit.object_id) == ("update", "home_visit", visit.pk)
    assert audit.changes == {"status": ["planned", "done"], "done_on": [None, "2025-03-03"]}


def test_done_with_next_visit_plans_it(case, pl_worker, pl_worker2):
    visit = plan_visit(pl_worker, case.pk, {"planned_on": DAY, "visitors": [pl_worker.pk, pl_worker2.pk]})
    events_before = CaseEvent.objects.filter(case=case).count()
    record_visit_done(pl_worker, visit.pk, {"outcome": "OK", "done_on": DAY, "next_visit_on": dt.date(2025, 4, 1)})
    visit.refresh_from_db()
    nxt = visit.next_visit
    assert (nxt.status, nxt.planned_on, nxt.place) == ("planned", dt.date(2025, 4, 1), visit.place)
    assert set(nxt.visitors.values_list("pk", flat=True)) == {pl_worker.pk, pl_worker2.pk}
    kinds = list(CaseEvent.objects.filter(case=case).order_by("id").values_list("kind", flat=True))[events_before:]
    assert kinds == [CaseEventKind.VISIT_DONE, CaseEventKind.VISIT_PLANNED]


@pytest.mark.parametrize(
    "data, field",
    [
        ({"done_on": DAY}, "outcome"),
        ({"done_on": DAY, "outcome": "   "}, "outcome"),
        ({"done_on": dt.date(2099, 1, 1), "outcome": "x"}, "done_on"),
        ({"done_on": dt.date(2024, 1, 1), "outcome": "x"}, "done_on"),
        ({"done_on": DAY, "outcome": "x", "next_visit_on": DAY}, "next_visit_on"),
        ({"done_on": DAY, "outcome": "x", "next_visit_on": "soon"}, "next_visit_on"),
    ],
)
def test_done_refuses_bad_input_and_changes_nothing(case, pl_worker, data, field):
    visit = plan_visit(pl_worker, case.pk, {"planned_on": DAY})
    before = _state(case)
    with pytest.raises(ValidationFailed) as exc:
        record_visit_done(pl_worker, visit.pk, data)
    assert field in exc.value.errors
    assert _state(case) == before


def test_cancel_keeps_reason(case, pl_worker):
    visit = plan_visit(pl_worker, case.pk, {"planned_on": DAY})
    cancel_visit(pl_worker, visit.pk, reason="Nobody home")
    visit.refresh_from_db()
    assert (visit.status, visit.cancel_reason) == ("cancelled", "Nobody home")
    event = CaseEvent.objects.filter(case=case).latest("id")
    assert event.data == {"visit": visit.pk, "reason": "Nobody home"}
    assert AuditEvent.objects.latest("id").changes == {"status": ["planned", "cancelled"]}


def test_visits_for_case_two_queries(case, pl_worker, django_assert_num_queries):
    for i in range(3):
        plan_visit(pl_worker, case.pk, {"planned_on": DAY + dt.timedelta(days=i)})
    with django_assert_num_queries(2):
        rows = [(v.planned_on, [u.pk for u in v.visitors.all()]) for v in visits_for_case(case)]
    assert [r[0] for r in rows] == [DAY + dt.timedelta(days=2), DAY + dt.timedelta(days=1), DAY]


# --- worker's desk --------------------------------------------------------------------------------


def test_worker_desk_lists_overdue_and_this_week_of_own_open_cases(pl_centre, pl_worker, pl_worker2, family_team):
    today = dt.date(2025, 3, 5)  # a Wednesday; the week runs 3..9 March
    mine = CaseFactory(centre=pl_centre, assigned_worker=pl_worker, team=family_team)
    theirs = CaseFactory(centre=pl_centre, assigned_worker=pl_worker2, team=family_team)
    closed_later = CaseFactory(centre=pl_centre, assigned_worker=pl_worker, team=family_team)

    overdue = plan_visit(pl_worker, mine.pk, {"planned_on": dt.date(2025, 2, 20)})
    monday = plan_visit(pl_worker, mine.pk, {"planned_on": dt.date(2025, 3, 3)})
    today_v = plan_visit(pl_worker, mine.pk, {"planned_on": today})
    sunday = plan_visit(pl_worker, mine.pk, {"planned_on": dt.date(2025, 3, 9)})
    plan_visit(pl_worker, mine.pk, {"planned_on": dt.date(2025, 3, 10)})  # next week
    done = plan_visit(pl_worker, mine.pk, {"planned_on": dt.date(2025, 3, 4)})
    record_visit_done(pl_worker, done.pk, {"outcome": "x", "done_on": dt.date(2025, 3, 4)})
    cancelled = plan_visit(pl_worker, mine.pk, {"planned_on": dt.date(2025, 3, 6)})
    cancel_visit(pl_worker, cancelled.pk)
    plan_visit(pl_worker2, theirs.pk, {"planned_on": today, "visitors": [pl_worker.pk]})  # not my case
    plan_visit(pl_worker, closed_later.pk, {"planned_on": today})
    closed_later.status, closed_later.closure_reason, closed_later.closed_on = "closed", "other", today
    closed_later.save()

    with CaptureQueriesContext(connection) as queries:
        desk = worker_desk(pl_worker, on=today)
        _ = [list(v.visitors.all()) and v.case.reference for v in desk.overdue + desk.this_week]
    assert len(queries) <= 2
    assert (desk.week_start, desk.week_end) == (dt.date(2025, 3, 3), dt.date(2025, 3, 9))
    assert [v.pk for v in desk.overdue] == [overdue.pk, monday.pk]
    assert [v.pk for v in desk.this_week] == [today_v.pk, sunday.pk]


def test_worker_desk_query_count_does_not_grow(pl_centre, pl_worker, family_team, django_assert_max_num_queries):
    today = dt.date(2025, 3, 5)
    for _i in range(6):
        c = CaseFactory(centre=pl_centre, assigned_worker=pl_worker, team=family_team)
        plan_visit(pl_worker, c.pk, {"planned_on": today})
    with django_assert_max_num_queries(2):
        desk = worker_desk(pl_worker, on=today)
        for v in desk.this_week:
            _ = (v.case.reference, v.case.household, [u.pk for u in v.visitors.all()])
    assert len(desk.this_week) == 6


def test_caseload_counts_visits_done_this_month(case, pl_worker, pl_worker2, pl_teamlead, django_assert_num_queries):
    v1 = plan_visit(pl_worker, case.pk, {"planned_on": DAY, "visitors": [pl_worker.pk, pl_worker2.pk]})
    record_visit_done(pl_worker, v1.pk, {"outcome": "x", "done_on": dt.date(2025, 3, 4)})
    v2 = plan_visit(pl_worker, case.pk, {"planned_on": DAY})
    record_visit_done(pl_worker, v2.pk, {"outcome": "x", "done_on": dt.date(2025, 3, 10)})
    v3 = plan_visit(pl_worker, case.pk, {"planned_on": dt.date(2025, 2, 1)})
    record_visit_done(pl_worker, v3.pk, {"outcome": "x", "done_on": dt.date(2025, 2, 28)})  # last month
    plan_visit(pl_worker, case.pk, {"planned_on": DAY})  # only planned
    pl_teamlead.refresh_from_db()
    with django_assert_num_queries(5):  # teams, workers, cases by status, visits done and planned by visitor
        rows = {r.worker.username: r for r in caseload_by_worker(pl_teamlead, on=dt.date(2025, 3, 20))}
    assert rows["pl_worker"].visits_this_month == 2
    assert rows["pl_worker2"].visits_this_month == 1
    assert rows["pl_teamlead"].visits_this_month == 0
    assert rows["pl_worker"].open_cases == 1


# --- a visit made, recorded in one step; times ------------------------------------------------------


def test_a_visit_made_is_recorded_done_in_one_step_with_its_time(case, pl_worker):
    visit = record_done_visit(
        pl_worker, case.pk, {"done_on": DAY, "done_time": dt.time(10, 15), "outcome": "Seen.", "purpose": "Check"}
    )
    visit.refresh_from_db()
    assert (visit.status, visit.planned_on, visit.done_on, visit.done_time, visit.outcome) == (
        VisitStatus.DONE,
        DAY,
        DAY,
        dt.time(10, 15),
        "Seen.",
    )
    assert visit.place == "ul. Lipowa 7" and list(visit.visitors.all()) == [pl_worker]
    events = list(CaseEvent.objects.filter(case=case, kind__startswith="visit").values_list("kind", "data"))
    assert events == [(CaseEventKind.VISIT_DONE, {"visit": visit.pk, "done_on": DAY.isoformat(), "done_time": "10:15"})]
    audit = AuditEvent.objects.get(object_type="home_visit", object_id=visit.pk)
    assert audit.action == "create"
    assert audit.changes["status"] == [None, "done"] and audit.changes["done_time"] == [None, "10:15"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"done_on": DAY, "outcome": ""}, "outcome"),
        ({"done_on": DAY + dt.timedelta(days=3650), "outcome": "x"}, "done_on"),
        ({"done_on": DAY, "done_time": "10", "outcome": "x"}, "done_time"),
        ({"done_on": DAY, "outcome": "x", "next_visit_on": DAY}, "next_visit_on"),
    ],
)
def test_a_visit_made_with_bad_input_is_refused_and_nothing_is_written(case, pl_worker, data, field):
    before = _state(case)
    with pytest.raises(ValidationFailed) as refused:
        record_done_visit(pl_worker, case.pk, data)
    assert list(refused.value.errors) == [field]
    assert _state(case) == before


def test_a_visit_made_later_today_than_now_is_refused(case, pl_worker):
    from django.utils import timezone

    now = timezone.localtime()
    if now.hour >= 23:
        pytest.skip("no later time today")
    with pytest.raises(ValidationFailed) as refused:
        record_done_visit(pl_worker, case.pk, {"done_time": dt.time(23, 59), "outcome": "x"})
    assert refused.value.errors == {"done_time": ["The time cannot be in the future."]}


def test_a_visit_made_on_a_closed_case_is_a_conflict(case, pl_worker):
    from socius.casework.services import change_case_status

    change_case_status(pl_worker, case.pk, CaseStatus.CLOSED, reason=ClosureReason.GOALS_ACHIEVED)
    before = _state(case)
    with pytest.raises(Conflict):
        record_done_visit(pl_worker, case.pk, {"outcome": "x"})
    assert _state(case) == before


def test_planned_and_done_times_are_kept_and_on_the_events(case, pl_worker):
    visit = plan_visit(pl_worker, case.pk, {"planned_on": DAY, "planned_time": dt.time(9, 0)})
    record_visit_done(pl_worker, visit.pk, {"done_on": DAY, "done_time": dt.time(9, 40), "outcome": "Seen."})
    visit.refresh_from_db()
    assert (visit.planned_time, visit.done_time) == (dt.time(9, 0), dt.time(9, 40))
    data = dict(CaseEvent.objects.filter(case=case, kind__startswith="visit").values_list("kind", "data"))
    assert data[CaseEventKind.VISIT_PLANNED]["planned_time"] == "09:00"
    assert data[CaseEventKind.VISIT_DONE]["done_time"] == "09:40"
