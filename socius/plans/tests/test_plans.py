"""Help plans: creation, goals and actions (validation), the plan and action maps, reviews, permissions, audit."""

import datetime as dt

import pytest

from socius.accounts.models import AuditEvent
from socius.casework.statuses import CaseStatus, ClosureReason
from socius.casework.tests.factories import CaseFactory
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.plans.models import ActionKind, Goal, HelpPlan, PlanAction, PlanEvent, PlanEventKind, Responsible
from socius.plans.services import (
    add_action,
    add_goal,
    change_action_status,
    change_plan_status,
    create_plan,
    review_plan,
)
from socius.plans.statuses import ACTION_TRANSITIONS, PLAN_TRANSITIONS, ActionStatus, PlanStatus
from socius.plans.tests.conftest import DAY
from socius.testing.factories import HouseholdFactory

PLAN = {"title": "Back to work", "valid_from": DAY, "review_on": dt.date(2025, 6, 3)}


def _state(case):
    plans = list(HelpPlan.objects.filter(case=case).values("id", "status", "outcome", "review_on"))
    actions = list(PlanAction.objects.filter(goal__plan__case=case).values("id", "status", "outcome"))
    return plans, actions, Goal.objects.count(), PlanEvent.objects.count(), AuditEvent.objects.count()


def _plan_in(status, case, worker):
    plan = create_plan(worker, case.pk, PLAN)
    add_goal(worker, plan.pk, description="Find a job")
    if status in (PlanStatus.ACTIVE, PlanStatus.COMPLETED):
        change_plan_status(worker, plan.pk, PlanStatus.ACTIVE)
    if status == PlanStatus.COMPLETED:
        change_plan_status(worker, plan.pk, PlanStatus.COMPLETED, outcome="Employed.")
    if status == PlanStatus.CANCELLED:
        change_plan_status(worker, plan.pk, PlanStatus.CANCELLED)
    plan.refresh_from_db()
    assert plan.status == status
    return plan


def _action_in(status, case, worker):
    plan = _plan_in(PlanStatus.ACTIVE, case, worker)
    action = add_action(
        worker,
        plan.goals.get().pk,
        {"kind": ActionKind.SOCIAL_WORK, "description": "Counselling", "responsible": Responsible.WORKER},
    )
    if status == ActionStatus.IN_PROGRESS:
        change_action_status(worker, action.pk, ActionStatus.IN_PROGRESS)
    elif status != ActionStatus.PLANNED:
        change_action_status(worker, action.pk, status)
    action.refresh_from_db()
    assert action.status == status
    return action


# --- creation, goals, actions ----------------------------------------------------------------------


def test_create_plan_writes_draft_event_and_exact_audit(case, pl_worker):
    plan = create_plan(pl_worker, case.pk, PLAN)

    assert (plan.status, plan.title, plan.valid_from, plan.created_by) == (
        PlanStatus.DRAFT,
        "Back to work",
        DAY,
        pl_worker,
    )
    event = PlanEvent.objects.get(case=case)
    assert (event.kind, event.actor, event.data) == (
        PlanEventKind.PLAN_CREATED,
        pl_worker,
        {"plan": plan.pk, "title": "Back to work", "assessment": None},
    )
    audit = AuditEvent.objects.get(object_type="help_plan")
    assert (audit.action, audit.object_id, audit.actor, audit.centre_id) == (
        "create",
        plan.pk,
        pl_worker,
        case.centre_id,
    )
    assert audit.changes == {
        "case": [None, case.pk],
        "title": [None, "Back to work"],
        "status": [None, "draft"],
        "valid_from": [None, "2025-03-03"],
        "review_on": [None, "2025-06-03"],
    }


def test_create_plan_refuses_missing_title_and_bad_dates(case, pl_worker):
    before = _state(case)
    with pytest.raises(ValidationFailed) as exc:
        create_plan(pl_worker, case.pk, {"title": " ", "valid_from": DAY, "review_on": DAY})
    assert set(exc.value.errors) == {"title", "review_on"}
    with pytest.raises(ValidationFailed) as exc:
        create_plan(pl_worker, case.pk, {"title": "x", "valid_from": dt.date(2024, 1, 1)})
    assert set(exc.value.errors) == {"valid_from"}
    assert _state(case) == before


def test_goals_are_numbered_in_order_and_need_a_description(case, pl_worker):
    plan = create_plan(pl_worker, case.pk, PLAN)
    first = add_goal(pl_worker, plan.pk, description="Find a job")
    second = add_goal(pl_worker, plan.pk, description="Pay the rent arrears")
    assert (first.order, second.order) == (1, 2)
    assert AuditEvent.objects.filter(object_type="help_plan", object_id=plan.pk).count() == 3
    before = _state(case)
    with pytest.raises(ValidationFailed) as exc:
        add_goal(pl_worker, plan.pk, description="  ")
    assert set(exc.value.errors) == {"description"}
    with pytest.raises(ValidationFailed):
        add_goal(pl_worker, plan.pk, description="x", order=-1)
    assert _state(case) == before


def test_add_action_with_partner_names_the_partner(case, pl_worker):
    plan = _plan_in(PlanStatus.DRAFT, case, pl_worker)
    goal = plan.goals.get()
    action = add_action(
        pl_worker,
        goal.pk,
        {
            "kind": ActionKind.REFERRAL,
            "description": "Job counselling",
            "responsible": Responsible.PARTNER,
            "partner_name": "PUP Piotrków",
            "due_on": dt.date(2025, 4, 1),
        },
    )
    assert (action.status, action.partner_name, action.due_on) == (
        ActionStatus.PLANNED,
        "PUP Piotrków",
        dt.date(2025, 4, 1),
    )
    assert PlanEvent.objects.filter(kind=PlanEventKind.ACTION_ADDED).get().data == {
        "plan": plan.pk,
        "goal": goal.pk,
        "action": action.pk,
    }
    assert AuditEvent.objects.filter(object_type="help_plan").latest("id").changes == {"actions": [None, action.pk]}


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"kind": "cash", "description": "x", "responsible": "worker"}, {"kind"}),
        ({"kind": "financial", "description": "", "responsible": "worker"}, {"description"}),
        ({"kind": "financial", "description": "x", "responsible": "nobody"}, {"responsible"}),
        ({"kind": "financial", "description": "x", "responsible": "partner"}, {"partner_name"}),
        ({"kind": "financial", "description": "x", "responsible": "client", "partner_name": "PUP"}, {"partner_name"}),
        ({"kind": "financial", "description": "x", "responsible": "client", "due_on": dt.date(2025, 1, 1)}, {"due_on"}),
        ({"kind": "financial", "description": "x", "responsible": "client", "due_on": "2025-04-01"}, {"due_on"}),
    ],
)
def test_add_action_refuses_invalid_input_and_changes_nothing(case, pl_worker, data, fields):
    plan = _plan_in(PlanStatus.DRAFT, case, pl_worker)
    before = _state(case)
    with pytest.raises(ValidationFailed) as exc:
        add_action(pl_worker, plan.goals.get().pk, data)
    assert set(exc.value.errors) == fields
    assert _state(case) == before


@pytest.mark.parametrize("status", [PlanStatus.COMPLETED, PlanStatus.CANCELLED])
def test_closed_plan_takes_no_goals_or_actions(case, pl_worker, status):
    plan = _plan_in(status, case, pl_worker)
    before = _state(case)
    with pytest.raises(Conflict):
        add_goal(pl_worker, plan.pk, description="More")
    with pytest.raises(Conflict):
        add_action(pl_worker, plan.goals.get().pk, {"kind": "financial", "description": "x", "responsible": "worker"})
    assert _state(case) == before


# --- status maps ----------------------------------------------------------------------------------

PLAN_MOVES = [(f, t) for f in PlanStatus.values for t in PlanStatus.values]


@pytest.mark.parametrize(("from_status", "to_status"), PLAN_MOVES)
def test_plan_status_map_allows_exactly_the_declared_moves(case, pl_worker, from_status, to_status):
    plan = _plan_in(from_status, case, pl_worker)
    before = _state(case)
    if to_status in PLAN_TRANSITIONS[from_status]:
        change_plan_status(pl_worker, plan.pk, to_status, outcome="Done.")
        plan.refresh_from_db()
        assert plan.status == to_status
        event = PlanEvent.objects.latest("id")
        assert (event.kind, event.data) == (
            PlanEventKind.PLAN_STATUS_CHANGED,
            {"plan": plan.pk, "from": from_status, "to": to_status},
        )
        assert AuditEvent.objects.latest("id").changes["status"] == [from_status, to_status]
    else:
        with pytest.raises(Conflict) as exc:
            change_plan_status(pl_worker, plan.pk, to_status, outcome="Done.")
        assert exc.value.code == "invalid_transition"
        assert _state(case) == before


def test_plan_map_is_declared_for_every_status():
    assert set(PLAN_TRANSITIONS) == set(PlanStatus.values)
    assert set(ACTION_TRANSITIONS) == set(ActionStatus.values)


def test_completing_a_plan_needs_an_outcome_and_activating_needs_a_goal(case, pl_worker):
    plan = _plan_in(PlanStatus.ACTIVE, case, pl_worker)
    before = _state(case)
    with pytest.raises(ValidationFailed) as exc:
        change_plan_status(pl_worker, plan.pk, PlanStatus.COMPLETED, outcome=" ")
    assert set(exc.value.errors) == {"outcome"}
    empty = create_plan(pl_worker, case.pk, PLAN)
    before = _state(case)
    with pytest.raises(ValidationFailed) as exc:
        change_plan_status(pl_worker, empty.pk, PlanStatus.ACTIVE)
    assert set(exc.value.errors) == {"goals"}
    assert _state(case) == before


def test_unknown_plan_status_is_a_validation_error(case, pl_worker):
    plan = _plan_in(PlanStatus.DRAFT, case, pl_worker)
    with pytest.raises(ValidationFailed):
        change_plan_status(pl_worker, plan.pk, "archived")


ACTION_MOVES = [(f, t) for f in ActionStatus.values for t in ActionStatus.values]


@pytest.mark.parametrize(("from_status", "to_status"), ACTION_MOVES)
def test_action_status_map_allows_exactly_the_declared_moves(case, pl_worker, from_status, to_status):
    action = _action_in(from_status, case, pl_worker)
    before = _state(case)
    if to_status in ACTION_TRANSITIONS[from_status]:
        change_action_status(pl_worker, action.pk, to_status, outcome="Went well.")
        action.refresh_from_db()
        assert (action.status, action.outcome) == (to_status, "Went well.")
        assert AuditEvent.objects.latest("id").changes == {
            f"action:{action.pk}:status": [from_status, to_status],
            f"action:{action.pk}:outcome": [None, "Went well."],
        }
    else:
        with pytest.raises(Conflict) as exc:
            change_action_status(pl_worker, action.pk, to_status)
        assert exc.value.code == "invalid_transition"
        assert _state(case) == before


# --- reviews --------------------------------------------------------------------------------------


def test_review_plan_records_note_and_next_review(case, pl_worker):
    plan = _plan_in(PlanStatus.ACTIVE, case, pl_worker)
    review_plan(pl_worker, plan.pk, dt.date(2025, 6, 3), "On track.", next_review_on=dt.date(2025, 9, 3))
    plan.refresh_from_db()
    assert plan.review_on == dt.date(2025, 9, 3)
    assert PlanEvent.objects.latest("id").data == {
        "plan": plan.pk,
        "on": "2025-06-03",
        "note": "On track.",
        "next_review_on": "2025-09-03",
    }
    assert AuditEvent.objects.latest("id").changes == {
        "reviewed_on": [None, "2025-06-03"],
        "review_on": ["2025-06-03", "2025-09-03"],
    }


def test_review_needs_a_note_and_an_active_plan(case, pl_worker):
    draft = _plan_in(PlanStatus.DRAFT, case, pl_worker)
    plan = _plan_in(PlanStatus.ACTIVE, case, pl_worker)
    before = _state(case)
    with pytest.raises(ValidationFailed) as exc:
        review_plan(pl_worker, plan.pk, dt.date(2025, 6, 3), "")
    assert set(exc.value.errors) == {"note"}
    with pytest.raises(Conflict):
        review_plan(pl_worker, draft.pk, dt.date(2025, 6, 3), "x")
    assert _state(case) == before


# --- permissions ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["pl_worker", "pl_teamlead", "pl_director"], indirect=True)
def test_content_readers_who_do_casework_may_create_plans(case, persona, family_team):
    persona.teams.add(family_team)
    assert create_plan(persona, case.pk, PLAN).case == case


def test_other_worker_of_the_centre_is_forbidden(case, pl_worker2):
    before = _state(case)
    with pytest.raises(Forbidden):
        create_plan(pl_worker2, case.pk, PLAN)
    assert _state(case) == before


def test_other_worker_cannot_touch_an_existing_plan(case, pl_worker, pl_worker2):
    plan = _plan_in(PlanStatus.DRAFT, case, pl_worker)
    before = _state(case)
    with pytest.raises(Forbidden):
        add_goal(pl_worker2, plan.pk, description="x")
    with pytest.raises(Forbidden):
        change_plan_status(pl_worker2, plan.pk, PlanStatus.ACTIVE)
    assert _state(case) == before


def test_other_centre_sees_not_found(case, pl_worker, md_worker):
    plan = _plan_in(PlanStatus.DRAFT, case, pl_worker)
    with pytest.raises(NotFound):
        create_plan(md_worker, case.pk, PLAN)
    with pytest.raises(NotFound):
        add_goal(md_worker, plan.pk, description="x")
    with pytest.raises(NotFound):
        change_plan_status(md_worker, "nonsense", PlanStatus.ACTIVE)


def test_auditor_without_casework_is_forbidden(case, pl_auditor):
    with pytest.raises(Forbidden):
        create_plan(pl_auditor, case.pk, PLAN)


def test_closed_case_is_a_conflict(pl_centre, pl_worker, family_team):
    closed = CaseFactory(
        centre=pl_centre,
        household=HouseholdFactory(centre=pl_centre),
        assigned_worker=pl_worker,
        team=family_team,
        status=CaseStatus.CLOSED,
        closure_reason=ClosureReason.OTHER,
        closed_on=dt.date(2025, 2, 1),
    )
    with pytest.raises(Conflict) as exc:
        create_plan(pl_worker, closed.pk, PLAN)
    assert exc.value.code == "case_closed"
    assert not HelpPlan.objects.exists()
