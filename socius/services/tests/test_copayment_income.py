"""Suggesting the co-payment's income facts from the client's latest benefit application: the last declared
month, net of deductions, per person in the household; audited under the persons whose incomes it shows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from socius.accounts.models import AuditAction, AuditEvent
from socius.accounts.roles import Role
from socius.benefits.models import Application, IncomeDeclaration
from socius.casework.tests.factories import CaseFactory
from socius.common.errors import NotFound
from socius.services.copayment import IncomeSuggestion, suggest_income
from socius.services.models import ServiceDecision
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
ON = dt.date(2024, 6, 3)


@pytest.fixture
def family(pl_centre, pl_worker):
    household = HouseholdFactory(centre=pl_centre)
    client, spouse, child = (PersonFactory(centre=pl_centre) for _ in range(3))
    for person, relationship in ((client, "head"), (spouse, "spouse"), (child, "child")):
        MembershipFactory(household=household, person=person, relationship=relationship)
    case = CaseFactory(centre=pl_centre, household=household, assigned_worker=pl_worker)
    return case, household, client, spouse


def _application(case, household, applicant, worker, applied_on=dt.date(2024, 5, 20)) -> Application:
    return Application.objects.create(
        centre_id=case.centre_id, case=case, household=household, applicant=applicant,
        benefit="pl.periodic_allowance", applied_on=applied_on, period_from=applied_on.replace(day=1),
        created_by=worker,
    )  # fmt: skip


def _income(application, person, month, amount, deductions="0"):
    IncomeDeclaration.objects.create(
        application=application, person=person, month=month, kind="employment",
        amount=Decimal(amount), deductions=Decimal(deductions),
    )  # fmt: skip


def _decision(case, client, household, drafter) -> ServiceDecision:
    return ServiceDecision.objects.create(
        centre_id=case.centre_id, case=case, person=client, household=household, service_code="pl.home_help",
        unit="hour", quantity=Decimal("10"), starts_on=dt.date(2024, 6, 1), drafted_by=drafter,
    )  # fmt: skip


def test_the_last_declared_month_net_of_deductions_is_divided_by_the_household(family, pl_worker):
    case, household, client, spouse = family
    application = _application(case, household, client, pl_worker)
    _income(application, client, dt.date(2024, 4, 1), "9000.00")  # an older month is not counted
    _income(application, client, dt.date(2024, 5, 1), "1500.00", deductions="100.00")
    _income(application, spouse, dt.date(2024, 5, 1), "401.00")
    decision = _decision(case, client, household, pl_worker)

    suggestion = suggest_income(pl_worker, decision, ON)

    assert suggestion == IncomeSuggestion(
        income=Decimal("600.33"), household_size=3, lives_alone=False, month=dt.date(2024, 5, 1),
        application_id=application.pk,
    )  # fmt: skip
    event = AuditEvent.objects.get(object_type="benefit_application", action=AuditAction.VIEW)
    assert event.object_id == application.pk and event.person_id == client.pk
    assert set(event.further_persons.values_list("person_id", flat=True)) == {spouse.pk}


def test_no_application_with_incomes_suggests_nothing_and_audits_nothing(family, pl_worker):
    case, household, client, _spouse = family
    _application(case, household, client, pl_worker)  # no incomes declared
    later = _application(case, household, client, pl_worker, applied_on=dt.date(2024, 7, 1))
    _income(later, client, dt.date(2024, 6, 1), "100.00")  # applied after the day asked
    decision = _decision(case, client, household, pl_worker)
    assert suggest_income(pl_worker, decision, ON) is None
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW).exists()


def test_one_who_does_not_read_the_decision_gets_not_found(family, pl_worker, pl_centre, md_director):
    case, household, client, _spouse = family
    decision = _decision(case, client, household, pl_worker)
    carer = UserFactory(centre=pl_centre, role=Role.CARER, username="pl_carer")
    for outsider in (carer, md_director):
        with pytest.raises(NotFound):
            suggest_income(outsider, decision, ON)
    with pytest.raises(NotFound):
        suggest_income(pl_worker, "x", ON)
