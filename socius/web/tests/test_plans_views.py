"""UI: help plans and social contracts — the case page's sections and flag banner, the plan page (goals,
actions, status buttons from the map, review), the contract page (obligations, moves, breach and refusal
with reasons and consequence, fulfil, terminate, clearing a flag); 400/403/404/409 and query bounds."""

import datetime as dt

import pytest
from django.urls import reverse

from socius.casework.tests.factories import CaseFactory
from socius.plans.models import CaseFlag, Goal, HelpPlan, Obligation, PlanAction, PlanEvent, SocialContract
from socius.plans.services import (
    add_action,
    add_goal,
    add_obligation,
    change_plan_status,
    create_plan,
    draft_contract,
    record_breach,
    sign_contract,
)
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory, TeamFactory

OPEN_ALL = {"open": "all"}  # the case page with every section drawn (they load lazily otherwise)

DAY = dt.date(2025, 3, 3)


@pytest.fixture
def family_team(pl_centre, pl_worker, pl_worker2, pl_teamlead):
    team = TeamFactory(centre=pl_centre, problem_group="family", name="Family")
    team.members.add(pl_worker, pl_worker2, pl_teamlead)
    return team


@pytest.fixture
def mother(pl_centre):
    return PersonFactory(centre=pl_centre, first_name="Anna", last_name="Nowak")


@pytest.fixture
def case(pl_centre, pl_worker, family_team, mother):
    household = HouseholdFactory(centre=pl_centre)
    MembershipFactory(household=household, person=mother, valid_from=dt.date(2020, 1, 1))
    return CaseFactory(centre=pl_centre, household=household, assigned_worker=pl_worker, team=family_team)


@pytest.fixture
def plan(case, pl_worker):
    plan = create_plan(pl_worker, case.pk, {"title": "Back to work", "valid_from": DAY})
    goal = add_goal(pl_worker, plan.pk, description="A job")
    add_action(pl_worker, goal.pk, {"kind": "social_work", "description": "Write a CV", "responsible": "client"})
    return plan


@pytest.fixture
def contract(case, pl_worker, mother):
    contract = draft_contract(
        pl_worker, case.pk, {"variant": "IA_IIA", "clients": [mother.pk], "valid_from": DAY,
                             "valid_until": dt.date(2025, 9, 3), "causes": "Long unemployment"}
    )  # fmt: skip
    add_obligation(pl_worker, contract.pk, party="client", description="Attend the job club")
    return contract


def login(client, user):
    client.force_login(user)
    return client


def state():
    return (
        sorted(HelpPlan.objects.values_list("pk", "status", "review_on")),
        sorted(PlanAction.objects.values_list("pk", "status")),
        sorted(SocialContract.objects.values_list("pk", "status")),
        Goal.objects.count(),
        Obligation.objects.filter(is_done=True).count(),
        sorted(CaseFlag.objects.values_list("pk", "cleared_on")),
        PlanEvent.objects.count(),
    )


def test_case_page_sections_and_forms(client, pl_worker, case, plan, contract):
    html = login(client, pl_worker).get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL).content.decode()
    assert 'id="h-help-plans"' in html and 'id="h-social-contracts"' in html
    assert reverse("web:plan_detail", args=[plan.pk]) in html
    assert reverse("web:contract_detail", args=[contract.pk]) in html
    assert reverse("web:case_plan_create", args=[case.pk]) in html
    assert reverse("web:case_contract_create", args=[case.pk]) in html
    assert 'id="plan-flags"' not in html


def test_create_plan_and_contract_from_the_case_page(client, pl_worker, case, mother):
    login(client, pl_worker)
    response = client.post(
        reverse("web:case_plan_create", args=[case.pk]), {"title": "Housing", "valid_from": "2025-03-03"}
    )
    plan = HelpPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("web:plan_detail", args=[plan.pk])
    response = client.post(
        reverse("web:case_contract_create", args=[case.pk]),
        {"variant": "IB_IIB", "clients": [mother.pk], "valid_from": "2025-03-03", "valid_until": "2025-09-03",
         "causes": "Debt"},
    )  # fmt: skip
    contract = SocialContract.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("web:contract_detail", args=[contract.pk])
    assert contract.worker == pl_worker and list(contract.clients.all()) == [mother]


def test_bad_input_on_the_case_page_is_400_and_writes_nothing(client, pl_worker, case, mother):
    login(client, pl_worker)
    before = state()
    response = client.post(reverse("web:case_plan_create", args=[case.pk]), {"title": "", "valid_from": ""})
    assert response.status_code == 400 and 'id="h-help-plans"' in response.content.decode()
    assert response.context["new_plan_form"].errors.keys() >= {"title", "valid_from"}
    response = client.post(
        reverse("web:case_contract_create", args=[case.pk]),
        {"variant": "IA_IIA", "clients": [mother.pk], "valid_from": "2025-03-03", "valid_until": "2025-03-01"},
    )
    assert response.status_code == 400 and "valid_until" in response.context["new_contract_form"].errors
    assert state() == before


def test_plan_page_goal_action_statuses_review(client, pl_worker, plan):
    login(client, pl_worker)
    url = reverse("web:plan_detail", args=[plan.pk])
    html = client.get(url).content.decode()
    assert "Write a CV" in html and reverse("web:plan_goal_add", args=[plan.pk]) in html
    goal = plan.goals.get()
    action = PlanAction.objects.get()
    assert 'name="status" value="in_progress"' in html  # the action's moves from the map
    assert "Put the plan into effect" in html and "Cancel the plan" in html  # the plan's moves, as verbs
    response = client.post(reverse("web:plan_goal_add", args=[plan.pk]), {"description": "Housing"})
    assert response.status_code == 302 and plan.goals.count() == 2
    response = client.post(
        reverse("web:plan_action_add", args=[plan.pk]),
        {"goal": goal.pk, "kind": "referral", "description": "To the NGO", "responsible": "partner",
         "partner_name": "Caritas", "due_on": "2025-04-01"},
    )  # fmt: skip
    assert response.status_code == 302 and PlanAction.objects.count() == 2
    assert client.post(reverse("web:plan_status", args=[plan.pk]), {"status": "active"}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == "active"
    assert client.post(reverse("web:plan_action_status", args=[action.pk]), {"status": "done"}).status_code == 302
    action.refresh_from_db()
    assert action.status == "done"
    html = client.get(url).content.decode()
    assert reverse("web:plan_review", args=[plan.pk]) in html
    response = client.post(
        reverse("web:plan_review", args=[plan.pk]),
        {"on": "2025-04-01", "note": "Going well", "next_review_on": "2025-06-01"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.review_on == dt.date(2025, 6, 1)
    response = client.post(reverse("web:plan_status", args=[plan.pk]), {"status": "completed", "outcome": ""})
    assert response.status_code == 400 and "outcome" in response.context["outcome_form"].errors
    response = client.post(reverse("web:plan_status", args=[plan.pk]), {"status": "completed", "outcome": "Done"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "completed"


def test_plan_invalid_moves_are_409(client, pl_worker, plan):
    login(client, pl_worker)
    action = PlanAction.objects.get()
    client.post(reverse("web:plan_action_status", args=[action.pk]), {"status": "dropped"})
    before = state()
    assert (
        client.post(reverse("web:plan_status", args=[plan.pk]), {"status": "completed", "outcome": "x"}).status_code
        == 409
    )
    response = client.post(reverse("web:plan_action_status", args=[action.pk]), {"status": "done"})
    assert response.status_code == 409
    response = client.post(reverse("web:plan_review", args=[plan.pk]), {"on": "2025-04-01", "note": "x"})
    assert response.status_code == 409  # only an active plan is reviewed
    assert state() == before


def test_contract_page_sign_tick_start_fulfil(client, pl_worker, contract):
    login(client, pl_worker)
    url = reverse("web:contract_detail", args=[contract.pk])
    html = client.get(url).content.decode()
    assert "Long unemployment" in html and "Attend the job club" in html
    assert reverse("web:contract_sign", args=[contract.pk]) in html
    assert reverse("web:contract_refuse", args=[contract.pk]) in html
    assert reverse("web:contract_breach", args=[contract.pk]) not in html  # not allowed from a draft
    response = client.post(
        reverse("web:contract_obligation_add", args=[contract.pk]),
        {"party": "centre", "description": "Pay for the course", "due_on": "2025-05-01"},
    )
    assert response.status_code == 302 and contract.obligations.count() == 2
    assert client.post(reverse("web:contract_sign", args=[contract.pk]), {"signed_on": "2025-03-04"}).status_code == 302
    assert client.post(reverse("web:contract_start", args=[contract.pk]), {"on": "2025-03-05"}).status_code == 302
    obligation = contract.obligations.first()
    assert client.post(reverse("web:obligation_done", args=[obligation.pk]), {"is_done": "1"}).status_code == 302
    obligation.refresh_from_db()
    assert obligation.is_done
    response = client.post(reverse("web:contract_fulfil", args=[contract.pk]), {"evaluation": "", "on": "2025-04-01"})
    assert response.status_code == 400 and "evaluation" in response.context["fulfil_form"].errors
    response = client.post(
        reverse("web:contract_fulfil", args=[contract.pk]), {"evaluation": "Good", "on": "2025-04-01"}
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == "fulfilled"


def test_breach_needs_reasons_and_consequence_then_shows_the_flag(client, pl_worker, case, contract):
    login(client, pl_worker)
    sign_contract(pl_worker, contract.pk, DAY)
    before = state()
    response = client.post(reverse("web:contract_breach", args=[contract.pk]), {"on": "2025-04-01", "reasons": ""})
    assert response.status_code == 400
    assert response.context["breach_form"].errors.keys() >= {"reasons", "consequence"}
    assert state() == before
    response = client.post(
        reverse("web:contract_breach", args=[contract.pk]),
        {"on": "2025-04-01", "reasons": "Skipped the job club", "consequence": "suspend_cash_aid"},
    )
    assert response.status_code == 302
    flag = CaseFlag.objects.get()
    assert (flag.kind, flag.consequence) == ("contract_breached", "suspend_cash_aid")
    html = client.get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL).content.decode()
    assert 'id="plan-flags"' in html and f'id="plan-flag-{flag.pk}"' in html
    # Every move is now refused with 409, nothing changed.
    before = state()
    for name, data in (("contract_terminate", {"reasons": "x"}), ("contract_start", {})):
        assert client.post(reverse(f"web:{name}", args=[contract.pk]), data).status_code == 409
    assert state() == before
    # Clearing needs a reason.
    assert client.post(reverse("web:case_flag_clear", args=[flag.pk]), {"reason": ""}).status_code == 400
    assert (
        client.post(reverse("web:case_flag_clear", args=[flag.pk]), {"reason": "Cooperates again"}).status_code == 302
    )
    assert 'id="plan-flags"' not in client.get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL).content.decode()
    assert client.post(reverse("web:case_flag_clear", args=[flag.pk]), {"reason": "again"}).status_code == 409


def test_refusal_and_terminate(client, pl_worker, case, contract, mother):
    login(client, pl_worker)
    response = client.post(
        reverse("web:contract_refuse", args=[contract.pk]),
        {"on": "2025-03-10", "reasons": "Would not sign", "consequence": "refuse_cash_aid"},
    )
    assert response.status_code == 302 and CaseFlag.objects.get().kind == "contract_refused"
    other = draft_contract(
        pl_worker, case.pk, {"variant": "IA_IIA", "clients": [mother.pk], "valid_from": DAY,
                             "valid_until": dt.date(2025, 9, 3)}
    )  # fmt: skip
    add_obligation(pl_worker, other.pk, party="client", description="x")
    sign_contract(pl_worker, other.pk, DAY)
    assert client.post(reverse("web:contract_terminate", args=[other.pk]), {"reasons": ""}).status_code == 400
    response = client.post(reverse("web:contract_terminate", args=[other.pk]), {"reasons": "Moved", "on": "2025-03-10"})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.status == "terminated"


def test_permissions(client, pl_worker2, md_worker, pl_auditor, plan, contract, case):
    action = PlanAction.objects.get()
    before = state()
    login(client, pl_worker2)
    assert client.get(reverse("web:plan_detail", args=[plan.pk])).status_code == 403
    assert client.get(reverse("web:contract_detail", args=[contract.pk])).status_code == 403
    assert client.post(reverse("web:plan_goal_add", args=[plan.pk]), {"description": "x"}).status_code == 403
    assert client.post(reverse("web:plan_action_status", args=[action.pk]), {"status": "done"}).status_code == 403
    assert client.post(reverse("web:contract_sign", args=[contract.pk]), {"signed_on": "2025-03-04"}).status_code == 403
    assert client.post(reverse("web:case_plan_create", args=[case.pk]), {"title": "x"}).status_code == 403
    html = client.get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL).content.decode()
    assert 'id="h-help-plans"' not in html
    client.logout()
    login(client, md_worker)
    assert client.get(reverse("web:plan_detail", args=[plan.pk])).status_code == 404
    assert client.get(reverse("web:contract_detail", args=[contract.pk])).status_code == 404
    assert client.post(reverse("web:contract_refuse", args=[contract.pk]), {"reasons": "x"}).status_code == 404
    assert client.post(reverse("web:plan_action_status", args=[action.pk]), {"status": "done"}).status_code == 404
    assert client.get(reverse("web:plan_detail", args=[999999])).status_code == 404
    client.logout()
    login(client, pl_auditor)
    assert client.post(reverse("web:plan_goal_add", args=[plan.pk]), {"description": "x"}).status_code == 403
    assert state() == before


def test_closed_plan_shows_no_buttons(client, pl_worker, plan):
    change_plan_status(pl_worker, plan.pk, "cancelled")
    html = login(client, pl_worker).get(reverse("web:plan_detail", args=[plan.pk])).content.decode()
    assert reverse("web:plan_status", args=[plan.pk]) not in html
    assert reverse("web:plan_goal_add", args=[plan.pk]) not in html


def test_query_counts_are_bounded(client, pl_worker, case, mother, django_assert_max_num_queries):
    for n in range(3):
        plan = create_plan(pl_worker, case.pk, {"title": f"P{n}", "valid_from": DAY})
        goal = add_goal(pl_worker, plan.pk, description="g")
        add_action(pl_worker, goal.pk, {"kind": "service", "description": "a", "responsible": "worker"})
        contract = draft_contract(
            pl_worker, case.pk, {"variant": "IA_IIA", "clients": [mother.pk], "valid_from": DAY,
                                 "valid_until": dt.date(2025, 9, 3)}
        )  # fmt: skip
        add_obligation(pl_worker, contract.pk, party="client", description="o")
    sign_contract(pl_worker, contract.pk, DAY)
    record_breach(pl_worker, contract.pk, reasons="r", consequence="none", on=DAY)
    login(client, pl_worker)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("web:plan_detail", args=[plan.pk])).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("web:contract_detail", args=[contract.pk])).status_code == 200


def test_the_plan_form_offers_the_completed_interviews_and_the_plan_shows_their_diagnosis(client, pl_worker, case):
    from socius.assessments.models import Assessment

    def interview(completed_on, diagnosis):
        return Assessment.objects.create(
            case=case, instrument_code="pl-rws", instrument_version="2021", kind="initial", status="completed",
            need_identified_on=DAY, completed_on=completed_on, diagnosis=diagnosis, conclusions="Budget counselling",
        )  # fmt: skip

    interview(DAY, "Older diagnosis")
    latest = interview(DAY + dt.timedelta(days=7), "Debt and long unemployment")
    login(client, pl_worker)
    page = client.get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL).content.decode()
    assert f'<option value="{latest.pk}" selected>' in page

    response = client.post(
        reverse("web:case_plan_create", args=[case.pk]),
        {"title": "Housing", "valid_from": "2025-03-10", "assessment": latest.pk},
        follow=True,
    )

    assert HelpPlan.objects.get().assessment == latest
    html = response.content.decode()
    assert 'id="h-basis"' in html and "Debt and long unemployment" in html and "Budget counselling" in html
    assert reverse("web:assessment_detail", args=[latest.pk]) in html
