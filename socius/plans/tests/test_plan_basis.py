"""A help plan builds on the interview: § 4 of the 2021 RWŚ regulation makes the worker's diagnosis and
conclusions the basis of the plan. By default a new plan takes the case's latest completed interview."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from socius.accounts.models import AuditEvent
from socius.assessments.models import Assessment, AssessmentStatus
from socius.casework.tests.factories import CaseFactory
from socius.common.errors import ValidationFailed
from socius.plans.models import HelpPlan, PlanEvent
from socius.plans.services import create_plan
from socius.plans.tests.conftest import DAY

PLAN = {"title": "Back to work", "valid_from": DAY}


def interview(case, *, completed_on=None, status=AssessmentStatus.COMPLETED, diagnosis="", conclusions=""):
    return Assessment.objects.create(
        case=case,
        instrument_code="pl-rws",
        instrument_version="2021",
        kind="initial",
        need_identified_on=DAY - dt.timedelta(days=30),
        status=status,
        completed_on=completed_on,
        diagnosis=diagnosis,
        conclusions=conclusions,
    )


@pytest.fixture
def case(case):
    case.opened_on = DAY - dt.timedelta(days=60)
    case.save(update_fields=["opened_on"])
    return case


def test_a_new_plan_builds_on_the_latest_completed_interview(pl_worker, case):
    interview(case, completed_on=DAY - dt.timedelta(days=20), diagnosis="Older")
    latest = interview(case, completed_on=DAY - dt.timedelta(days=5), diagnosis="Debt and unemployment")
    interview(case, status=AssessmentStatus.DRAFT)  # a draft is no basis

    plan = create_plan(pl_worker, case.pk, PLAN)

    assert plan.assessment == latest
    assert PlanEvent.objects.get(kind="plan_created").data["assessment"] == latest.pk
    audit = AuditEvent.objects.get(object_type="help_plan", action="create")
    assert audit.changes["assessment"] == [None, latest.pk]


def test_the_worker_may_choose_another_completed_interview_or_none(pl_worker, case):
    older = interview(case, completed_on=DAY - dt.timedelta(days=20))
    interview(case, completed_on=DAY - dt.timedelta(days=5))

    assert create_plan(pl_worker, case.pk, {**PLAN, "assessment": older.pk}).assessment == older
    assert create_plan(pl_worker, case.pk, {**PLAN, "assessment": None}).assessment is None


def test_a_case_without_a_completed_interview_gets_a_plan_without_basis(pl_worker, case):
    interview(case, status=AssessmentStatus.DRAFT)

    assert create_plan(pl_worker, case.pk, PLAN).assessment is None


@pytest.mark.parametrize("which", ["draft", "other_case", "junk"])
def test_a_draft_or_another_cases_interview_is_a_field_error_and_writes_nothing(
    pl_worker, pl_centre, case, family_team, which
):
    other = CaseFactory(centre=pl_centre, assigned_worker=pl_worker, team=family_team)
    value = {
        "draft": lambda: interview(case, status=AssessmentStatus.DRAFT).pk,
        "other_case": lambda: interview(other, completed_on=DAY).pk,
        "junk": lambda: "x",
    }[which]()
    events = PlanEvent.objects.count()

    with pytest.raises(ValidationFailed) as refused:
        create_plan(pl_worker, case.pk, {**PLAN, "assessment": value})

    assert refused.value.errors["assessment"] == ["Choose a completed interview of this case."]
    assert not HelpPlan.objects.exists() and PlanEvent.objects.count() == events


def test_api_create_defaults_to_the_latest_interview_and_answers_its_diagnosis(pl_worker, case):
    latest = interview(case, completed_on=DAY, diagnosis="Debt", conclusions="Budget counselling")
    client = APIClient()
    client.force_authenticate(pl_worker)
    body = {"case": case.pk, "title": "Plan", "valid_from": DAY.isoformat()}

    default = client.post("/api/v1/help-plans/", body, format="json")
    none = client.post("/api/v1/help-plans/", {**body, "assessment": None}, format="json")
    bad = client.post("/api/v1/help-plans/", {**body, "assessment": 999999}, format="json")

    assert default.status_code == 201, default.content
    assert default.json()["assessment"] == latest.pk
    assert default.json()["basis"] == {
        "assessment": latest.pk,
        "completed_on": DAY.isoformat(),
        "diagnosis": "Debt",
        "conclusions": "Budget counselling",
    }
    assert none.status_code == 201 and none.json()["assessment"] is None and none.json()["basis"] is None
    assert bad.status_code == 400 and "assessment" in bad.json()
