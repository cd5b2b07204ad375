"""Assessing a service decision's co-payment: stored with the rule version and trace, replaced on the same day,
in force until the next one; who may assess what; refusals write nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from socius.accounts.models import AuditAction, AuditEvent
from socius.accounts.roles import Role
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.rulebook import copayment_due
from socius.services.copayment import OBJECT_TYPE, assess_copayment, copayment_history, copayment_in_force
from socius.services.errors import ServiceNotOffered
from socius.services.models import CopaymentAssessment, ServiceDecision
from socius.services.statuses import DecisionStatus
from socius.testing.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
ON = dt.date(2024, 6, 3)  # PL criterion 776 / 600 zł; the Lipnica Murowana 2023 table


def _decision(centre, drafter, *, service="pl.home_help", status=DecisionStatus.DRAFT, **extra) -> ServiceDecision:
    return ServiceDecision.objects.create(
        centre=centre,
        person=PersonFactory(centre=centre),
        service_code=service,
        unit="hour",
        quantity=Decimal("10"),
        drafted_by=drafter,
        status=status,
        **{"starts_on": dt.date(2024, 6, 1), **extra},
    )


def _assess(actor, decision, **overrides):
    values = {
        "income": Decimal("931.21"),
        "household_size": 1,
        "lives_alone": True,
        "valid_from": dt.date(2024, 6, 1),
        "on": ON,
    }
    values.update(overrides)
    return assess_copayment(actor, decision, **values)


def test_the_drafter_assesses_a_draft_and_the_outcome_and_trace_are_stored(pl_worker):
    decision = _decision(pl_worker.centre, pl_worker)
    assessment = _assess(pl_worker, decision)
    stored = CopaymentAssessment.objects.get()
    assert stored == assessment
    assert (stored.free, stored.share_of_cost_percent, stored.income_cap_percent) == (False, Decimal("10.00"), None)
    assert stored.rule_version == dt.date(2024, 1, 1) and stored.rules_version.startswith("pl-")
    assert stored.computed_by == pl_worker and stored.income == Decimal("931.21")
    codes = [step["code"] for step in stored.trace]
    assert codes[-2:] == ["band", "share_of_cost"]
    assert stored.trace[4]["statutory_label"] == "Kryterium dochodowe (art. 8 ust. 1 u.p.s.)"
    assert stored.trace[4]["value"] == "776.00" and stored.trace[4]["valid_from"] == "2022-01-01"
    # The statements apply the stored fields to a month's cost.
    assert copayment_due(stored, Decimal("300.00"), stored.income, country="PL") == Decimal("30.00")


def test_the_assessment_is_audited_under_the_client(pl_worker):
    decision = _decision(pl_worker.centre, pl_worker)
    assessment = _assess(pl_worker, decision)
    event = AuditEvent.objects.get(object_type=OBJECT_TYPE)
    assert (event.action, event.object_id, event.person_id) == (AuditAction.CREATE, assessment.pk, decision.person_id)
    assert event.changes["decision"] == [None, decision.pk]
    assert event.changes["share_of_cost_percent"] == [None, "10.00"]


def test_a_second_assessment_from_the_same_day_replaces_the_first_and_audits_the_change(pl_worker):
    decision = _decision(pl_worker.centre, pl_worker)
    first = _assess(pl_worker, decision)
    second = _assess(pl_worker, decision, income=Decimal("700.00"))
    assert second.pk == first.pk and CopaymentAssessment.objects.count() == 1
    assert second.free is True and second.share_of_cost_percent == 0
    update = AuditEvent.objects.get(object_type=OBJECT_TYPE, action=AuditAction.UPDATE)
    assert update.changes["income"] == ["931.21", "700.00"]
    assert update.changes["free"] == [False, True]
    assert update.person_id == decision.person_id


def test_the_assessment_in_force_is_the_latest_started_on_or_before_the_day(pl_worker, pl_teamlead):
    decision = _decision(pl_worker.centre, pl_worker, status=DecisionStatus.ISSUED)
    june = _assess(pl_teamlead, decision)
    september = _assess(pl_teamlead, decision, income=Decimal("2000.00"), valid_from=dt.date(2024, 9, 1))
    assert copayment_in_force(decision, dt.date(2024, 5, 31)) is None
    assert copayment_in_force(decision, dt.date(2024, 8, 31)) == june
    assert copayment_in_force(decision.pk, dt.date(2024, 9, 1)) == september
    assert september.share_of_cost_percent == Decimal("25.00")  # 257.7 % of 776 zł, alone: (220, 260] → 25 %
    assert [a.pk for a in copayment_history(decision)] == [september.pk, june.pk]


def test_a_family_member_is_assessed_on_the_per_person_criterion(pl_worker):
    decision = _decision(pl_worker.centre, pl_worker)
    assessment = _assess(pl_worker, decision, income=Decimal("1320.01"), household_size=3, lives_alone=False)
    assert assessment.share_of_cost_percent == Decimal("30.00")
    assert assessment.trace[4]["parameter"] == "social_assistance/income_criterion/per_person"


def test_lt_home_help_stores_the_income_cap(lt_centre):
    worker = UserFactory(centre=lt_centre, role=Role.SOCIAL_WORKER, username="lt_w")
    decision = _decision(lt_centre, worker, service="lt.home_help")
    assessment = _assess(worker, decision, income=Decimal("600.00"))
    assert (assessment.free, assessment.share_of_cost_percent, assessment.income_cap_percent) == (
        False, Decimal("100.00"), Decimal("20.00"),
    )  # fmt: skip
    assert copayment_due(assessment, Decimal("238.80"), assessment.income, country="LT") == Decimal("120.00")


def test_md_canteen_is_free(md_worker):
    decision = _decision(md_worker.centre, md_worker, service="md.social_canteen")
    assessment = _assess(md_worker, decision, income=Decimal("5000"))
    assert assessment.free is True and assessment.rule_version == dt.date(2004, 4, 16)


# Who may ----------------------------------------------------------------------------------------------


def test_an_issued_decision_is_reassessed_only_by_one_who_issues_decisions(pl_worker, pl_director):
    decision = _decision(pl_worker.centre, pl_worker, status=DecisionStatus.ISSUED)
    with pytest.raises(Forbidden):
        _assess(pl_worker, decision)
    assert not CopaymentAssessment.objects.exists()
    assert _assess(pl_director, decision).computed_by == pl_director


@pytest.mark.parametrize("persona", ["pl_finance", "pl_auditor"], indirect=True)
def test_those_who_only_read_services_may_not_assess(persona, pl_worker):
    decision = _decision(pl_worker.centre, pl_worker)
    with pytest.raises(Forbidden):
        _assess(persona, decision)
    assert not CopaymentAssessment.objects.exists()
    assert not AuditEvent.objects.filter(object_type=OBJECT_TYPE).exists()


def test_a_decision_the_actor_may_not_see_is_not_found(pl_worker, pl_worker2, md_director, pl_centre):
    decision = _decision(pl_centre, pl_worker)  # no case: only its drafter and service readers see it
    carer = UserFactory(centre=pl_centre, role=Role.CARER, username="pl_carer")
    for outsider in (pl_worker2, md_director, carer):
        with pytest.raises(NotFound):
            _assess(outsider, decision)
    with pytest.raises(NotFound):
        _assess(pl_worker, 987654)
    with pytest.raises(NotFound):
        _assess(pl_worker, "not a number")
    assert not CopaymentAssessment.objects.exists()


@pytest.mark.parametrize("status", [DecisionStatus.ENDED, DecisionStatus.CANCELLED])
def test_a_closed_decision_refuses_a_new_assessment(status, pl_worker, pl_director):
    decision = _decision(pl_worker.centre, pl_worker, status=status)
    with pytest.raises(Conflict) as refused:
        _assess(pl_director, decision)
    assert refused.value.code == "decision_closed"
    assert not CopaymentAssessment.objects.exists()


# Input ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"income": "a lot"}, "income"),
        ({"income": Decimal("-1")}, "income"),
        ({"income": Decimal("10.005")}, "income"),
        ({"income": 12.5}, "income"),
        ({"income": None}, "income"),
        ({"income": Decimal("NaN")}, "income"),
        ({"household_size": 0}, "household_size"),
        ({"household_size": "2"}, "household_size"),
        ({"household_size": 31, "lives_alone": False}, "household_size"),
        ({"lives_alone": "yes"}, "lives_alone"),
        ({"household_size": 2, "lives_alone": True}, "lives_alone"),
        ({"valid_from": "2024-06-01"}, "valid_from"),
        ({"valid_from": dt.date(2024, 5, 31)}, "valid_from"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(overrides, field, pl_worker):
    decision = _decision(pl_worker.centre, pl_worker)
    with pytest.raises(ValidationFailed) as refused:
        _assess(pl_worker, decision, **overrides)
    assert field in refused.value.errors
    assert not CopaymentAssessment.objects.exists()


def test_a_start_after_the_decision_ends_is_refused(pl_worker):
    decision = _decision(pl_worker.centre, pl_worker, ends_on=dt.date(2024, 12, 31))
    with pytest.raises(ValidationFailed) as refused:
        _assess(pl_worker, decision, valid_from=dt.date(2025, 1, 1))
    assert list(refused.value.errors) == ["valid_from"]


def test_a_day_without_a_rule_in_force_is_refused_on_valid_from(lt_centre):
    worker = UserFactory(centre=lt_centre, role=Role.SOCIAL_WORKER, username="lt_w")
    decision = _decision(lt_centre, worker, service="lt.home_help", starts_on=dt.date(2017, 1, 1))
    with pytest.raises(ValidationFailed) as refused:
        _assess(worker, decision, valid_from=dt.date(2017, 6, 1))
    assert list(refused.value.errors) == ["valid_from"]
    assert not CopaymentAssessment.objects.exists()


def test_a_service_outside_the_packs_catalogue_is_not_offered(pl_worker):
    decision = _decision(pl_worker.centre, pl_worker, service="lt.home_help")
    with pytest.raises(ServiceNotOffered):
        _assess(pl_worker, decision)
    assert not CopaymentAssessment.objects.exists()
