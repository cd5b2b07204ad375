"""API: /api/v1/help-plans/ and /api/v1/social-contracts/ — list by case, create, read with goals and
actions, action endpoints (409 on moves the maps refuse, nothing changed), 400 with field messages,
permissions (403 without content, 404 outside the centre), bounded queries."""

import pytest
from rest_framework.test import APIClient

from socius.accounts.models import AuditEvent
from socius.plans.models import CaseFlag, Goal, HelpPlan, Obligation, PlanAction, PlanEvent, SocialContract
from socius.plans.services import add_action, add_goal, add_obligation, create_plan, draft_contract, sign_contract
from socius.plans.tests.conftest import DAY

PLANS = "/api/v1/help-plans/"
CONTRACTS = "/api/v1/social-contracts/"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def state():
    return (
        sorted(HelpPlan.objects.values_list("pk", "status", "review_on", "outcome")),
        sorted(PlanAction.objects.values_list("pk", "status")),
        sorted(SocialContract.objects.values_list("pk", "status", "end_reasons", "consequence")),
        Goal.objects.count(),
        Obligation.objects.filter(is_done=True).count(),
        CaseFlag.objects.count(),
        PlanEvent.objects.count(),
        AuditEvent.objects.filter(action__in=["create", "update"]).count(),
    )


@pytest.fixture
def plan(case, pl_worker):
    plan = create_plan(pl_worker, case.pk, {"title": "Back to work", "valid_from": DAY})
    goal = add_goal(pl_worker, plan.pk, description="A job")
    add_action(pl_worker, goal.pk, {"kind": "social_work", "description": "CV", "responsible": "client"})
    return plan


@pytest.fixture
def contract(case, pl_worker, mother):
    contract = draft_contract(
        pl_worker,
        case.pk,
        {"variant": "IA_IIA", "clients": [mother.pk], "valid_from": DAY, "valid_until": DAY.replace(month=9)},
    )
    add_obligation(pl_worker, contract.pk, party="client", description="Attend the job club")
    return contract


def test_plan_create_read_goal_action_and_moves(case, pl_worker):
    client = api(pl_worker)
    response = client.post(PLANS, {"case": case.pk, "title": "Plan", "valid_from": "2025-03-03"}, format="json")
    assert response.status_code == 201, response.data
    pk = response.data["id"]
    assert response.data["status"] == "draft" and response.data["goals"] == []
    goal = client.post(f"{PLANS}{pk}/goals/", {"description": "Housing"}, format="json")
    assert goal.status_code == 201, goal.data
    action = client.post(
        f"{PLANS}{pk}/actions/",
        {"goal": goal.data["id"], "kind": "referral", "description": "To the NGO", "responsible": "partner",
         "partner_name": "Caritas", "due_on": "2025-04-01"},
        format="json",
    )  # fmt: skip
    assert action.status_code == 201, action.data
    assert client.post(f"{PLANS}{pk}/activate/", {}, format="json").data["status"] == "active"
    moved = client.post(f"{PLANS}{pk}/action-status/", {"action": action.data["id"], "status": "done"}, format="json")
    assert moved.status_code == 200 and moved.data["status"] == "done"
    review = client.post(
        f"{PLANS}{pk}/review/",
        {"on": "2025-04-01", "note": "Going well", "next_review_on": "2025-06-01"},
        format="json",
    )
    assert review.status_code == 200 and review.data["review_on"] == "2025-06-01"
    read = client.get(f"{PLANS}{pk}/")
    assert [a["partner_name"] for g in read.data["goals"] for a in g["actions"]] == ["Caritas"]
    assert [p["id"] for p in client.get(PLANS, {"case": case.pk}).data["results"]] == [pk]
    done = client.post(f"{PLANS}{pk}/complete/", {"outcome": "Housed"}, format="json")
    assert done.status_code == 200 and done.data["status"] == "completed"


def test_plan_invalid_moves_are_409_and_change_nothing(plan, pl_worker):
    client = api(pl_worker)
    action = PlanAction.objects.get(goal__plan=plan)
    assert client.post(f"{PLANS}{plan.pk}/action-status/", {"action": action.pk, "status": "done"}).status_code == 200
    before = state()
    for path, data in (
        (f"{PLANS}{plan.pk}/complete/", {"outcome": "x"}),  # a draft is not completed
        (f"{PLANS}{plan.pk}/action-status/", {"action": action.pk, "status": "in_progress"}),  # done is final
    ):
        response = client.post(path, data, format="json")
        assert response.status_code == 409 and response.data["code"] == "invalid_transition", response.data
    assert state() == before


def test_plan_bad_input_is_400_and_writes_nothing(plan, case, pl_worker):
    client = api(pl_worker)
    goal = plan.goals.get()
    before = state()
    assert "title" in client.post(PLANS, {"case": case.pk, "title": "", "valid_from": "2025-03-03"}).data
    bad = client.post(
        f"{PLANS}{plan.pk}/actions/", {"goal": goal.pk, "kind": "service", "description": "x", "responsible": "partner"}
    )
    assert bad.status_code == 400 and "partner_name" in bad.data
    assert client.post(f"{PLANS}{plan.pk}/goals/", {"description": " "}).status_code == 400
    assert client.post(f"{PLANS}{plan.pk}/activate/", {}).status_code == 200
    review = client.post(f"{PLANS}{plan.pk}/review/", {"on": "2025-04-01", "note": ""})
    assert review.status_code == 400 and "note" in review.data
    assert client.post(f"{PLANS}{plan.pk}/complete/", {"outcome": ""}).status_code == 400
    plan.refresh_from_db()
    assert plan.status == "active"
    assert state()[3:5] == before[3:5]


def test_goal_or_action_of_another_plan_is_404(plan, case, pl_worker):
    other = create_plan(pl_worker, case.pk, {"title": "Other", "valid_from": DAY})
    goal = plan.goals.get()
    action = PlanAction.objects.get(goal=goal)
    client = api(pl_worker)
    before = state()
    response = client.post(
        f"{PLANS}{other.pk}/actions/", {"goal": goal.pk, "kind": "service", "description": "x", "responsible": "client"}
    )
    assert response.status_code == 404
    assert client.post(f"{PLANS}{other.pk}/action-status/", {"action": action.pk, "status": "done"}).status_code == 404
    assert state() == before


def test_plan_permissions(plan, case, pl_worker2, md_worker, pl_director):
    before = state()
    other = api(pl_worker2)
    assert other.get(f"{PLANS}{plan.pk}/").status_code == 403
    assert other.get(PLANS, {"case": case.pk}).status_code == 403
    assert other.get(PLANS).data["results"] == []
    assert other.post(f"{PLANS}{plan.pk}/goals/", {"description": "x"}).status_code == 403
    assert other.post(PLANS, {"case": case.pk, "title": "x", "valid_from": "2025-03-03"}).status_code == 403
    foreign = api(md_worker)
    assert foreign.get(f"{PLANS}{plan.pk}/").status_code == 404
    assert foreign.post(f"{PLANS}{plan.pk}/activate/", {}).status_code == 404
    assert state() == before
    assert [p["id"] for p in api(pl_director).get(PLANS).data["results"]] == [plan.pk]
    assert api(pl_director).patch(f"{PLANS}{plan.pk}/", {"status": "active"}).status_code == 405


def test_contract_draft_sign_start_fulfil(case, pl_worker, mother):
    client = api(pl_worker)
    response = client.post(
        CONTRACTS,
        {"case": case.pk, "variant": "IA_IIA", "clients": [mother.pk], "causes": "Debt",
         "valid_from": "2025-03-03", "valid_until": "2025-09-03"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.data
    pk = response.data["id"]
    assert response.data["clients"] == [mother.pk] and response.data["status"] == "draft"
    ob = client.post(f"{CONTRACTS}{pk}/obligations/", {"party": "client", "description": "Job club"}, format="json")
    assert ob.status_code == 201, ob.data
    assert client.post(f"{CONTRACTS}{pk}/sign/", {"signed_on": "2025-03-04"}).data["status"] == "signed"
    assert client.post(f"{CONTRACTS}{pk}/start/", {"on": "2025-03-05"}).data["status"] == "in_progress"
    tick = client.post(f"{CONTRACTS}{pk}/obligation-done/", {"obligation": ob.data["id"]}, format="json")
    assert tick.status_code == 200 and tick.data["is_done"] is True
    done = client.post(f"{CONTRACTS}{pk}/fulfil/", {"evaluation": "All done", "on": "2025-04-01"})
    assert done.status_code == 200 and done.data["status"] == "fulfilled"
    assert [c["id"] for c in client.get(CONTRACTS, {"case": case.pk}).data["results"]] == [pk]


def test_breach_raises_a_flag_and_then_every_move_is_409(contract, pl_worker):
    client = api(pl_worker)
    sign_contract(pl_worker, contract.pk, DAY)
    bad = client.post(f"{CONTRACTS}{contract.pk}/breach/", {"on": "2025-04-01", "reasons": "", "consequence": "none"})
    assert bad.status_code == 400 and "reasons" in bad.data
    assert not CaseFlag.objects.exists()
    response = client.post(
        f"{CONTRACTS}{contract.pk}/breach/",
        {"on": "2025-04-01", "reasons": "Skipped the job club", "consequence": "suspend_cash_aid"},
    )
    assert response.status_code == 200 and response.data["status"] == "breached", response.data
    flag = CaseFlag.objects.get()
    assert (flag.kind, flag.consequence) == ("contract_breached", "suspend_cash_aid")
    before = state()
    for path, data in (
        ("sign/", {"signed_on": "2025-03-03"}),
        ("start/", {}),
        ("fulfil/", {"evaluation": "x"}),
        ("terminate/", {"reasons": "x"}),
        ("refuse/", {"on": "2025-04-01", "reasons": "x", "consequence": "none"}),
    ):
        response = client.post(f"{CONTRACTS}{contract.pk}/{path}", data)
        assert response.status_code == 409 and response.data["code"] == "invalid_transition", (path, response.data)
    assert state() == before


def test_refusal_and_terminate(case, contract, pl_worker, mother):
    client = api(pl_worker)
    response = client.post(
        f"{CONTRACTS}{contract.pk}/refuse/", {"on": "2025-03-10", "reasons": "Would not sign", "consequence": "none"}
    )
    assert response.status_code == 200 and response.data["status"] == "refused"
    assert CaseFlag.objects.get().kind == "contract_refused"
    other = draft_contract(
        pl_worker,
        case.pk,
        {"variant": "IB_IIB", "clients": [mother.pk], "valid_from": DAY, "valid_until": DAY.replace(month=9)},
    )
    add_obligation(pl_worker, other.pk, party="client", description="x")
    sign_contract(pl_worker, other.pk, DAY)
    assert client.post(f"{CONTRACTS}{other.pk}/terminate/", {"reasons": ""}).status_code == 400
    done = client.post(f"{CONTRACTS}{other.pk}/terminate/", {"reasons": "Moved away", "on": "2025-03-10"})
    assert done.status_code == 200 and done.data["status"] == "terminated"


def test_contract_bad_input_is_400(case, pl_worker, outsider):
    before = state()
    response = api(pl_worker).post(
        CONTRACTS,
        {"case": case.pk, "variant": "general", "clients": [outsider.pk], "valid_from": "2025-03-03",
         "valid_until": "2025-03-01"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert {"variant", "clients", "valid_until"} <= set(response.data)
    assert state() == before


def test_contract_permissions(contract, case, pl_worker2, md_worker):
    before = state()
    other = api(pl_worker2)
    assert other.get(f"{CONTRACTS}{contract.pk}/").status_code == 403
    assert other.get(CONTRACTS, {"case": case.pk}).status_code == 403
    assert other.get(CONTRACTS).data["results"] == []
    assert other.post(f"{CONTRACTS}{contract.pk}/sign/", {"signed_on": "2025-03-03"}).status_code == 403
    foreign = api(md_worker)
    assert foreign.get(f"{CONTRACTS}{contract.pk}/").status_code == 404
    assert foreign.get(CONTRACTS, {"case": case.pk}).status_code == 404
    assert foreign.post(f"{CONTRACTS}{contract.pk}/refuse/", {"on": "2025-03-10", "reasons": "x",
                                                             "consequence": "none"}).status_code == 404  # fmt: skip
    assert api(md_worker).post(f"{CONTRACTS}abc/sign/", {}).status_code == 404
    assert state() == before


def test_list_query_counts_do_not_grow(case, pl_worker, mother, django_assert_max_num_queries):
    for n in range(4):
        plan = create_plan(pl_worker, case.pk, {"title": f"P{n}", "valid_from": DAY})
        goal = add_goal(pl_worker, plan.pk, description="g")
        add_action(pl_worker, goal.pk, {"kind": "service", "description": "a", "responsible": "worker"})
        contract = draft_contract(
            pl_worker, case.pk, {"variant": "IA_IIA", "clients": [mother.pk], "valid_from": DAY,
                                 "valid_until": DAY.replace(month=9)}
        )  # fmt: skip
        add_obligation(pl_worker, contract.pk, party="client", description="o")
    client = api(pl_worker)
    with django_assert_max_num_queries(12):
        assert len(client.get(PLANS).data["results"]) == 4
    with django_assert_max_num_queries(12):
        assert len(client.get(CONTRACTS, {"case": case.pk}).data["results"]) == 4
