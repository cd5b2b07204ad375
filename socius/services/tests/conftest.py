"""Services fixtures: a PL client (an elderly woman living alone) on a case held by pl_worker in pl_teamlead's
team, the centre's offer of home help (30 h a week of its own staff, PLN 32.50 an hour), a provider with 10 h a
week of specialist care, a carer with a login; helpers to draft and issue decisions.

Personas (root conftest): pl_worker, pl_worker2, pl_assistant, pl_teamlead, pl_director, pl_auditor, pl_finance,
pl_admin, md_worker, md_director, lt_worker; here also pl_carer, other_worker (another PL centre)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from socius.accounts.roles import Role
from socius.casework.tests.factories import CaseFactory
from socius.services.models import Provider, ProviderCapacity, ServiceDecision, ServiceOffer, ServiceWorker
from socius.services.statuses import DecisionStatus
from socius.testing.factories import (
    CentreFactory,
    HouseholdFactory,
    MembershipFactory,
    PersonFactory,
    TeamFactory,
    TerritoryFactory,
    UserFactory,
)

DAY = dt.date(2025, 3, 3)  # a Monday
HOME_HELP = "pl.home_help"
SPECIALIST = "pl.specialist_care"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def pl_carer(pl_centre):
    return UserFactory(username="pl_carer", centre=pl_centre, role=Role.CARER)


@pytest.fixture
def other_centre(db):
    root = TerritoryFactory(jurisdiction="PL", level="municipality", name="Rokiciny")
    return CentreFactory(code="pl-other", name="GOPS Rokiciny", jurisdiction="PL", territory=root)


@pytest.fixture
def other_worker(other_centre):
    return UserFactory(username="other_worker", centre=other_centre, role=Role.SOCIAL_WORKER)


@pytest.fixture
def other_director(other_centre):
    return UserFactory(username="other_director", centre=other_centre, role=Role.DIRECTOR)


@pytest.fixture
def team(pl_centre, pl_worker, pl_teamlead):
    team = TeamFactory(centre=pl_centre, problem_group="elderly", name="Elderly")
    team.members.add(pl_worker, pl_teamlead)
    return team


@pytest.fixture
def client_person(pl_centre):
    person = PersonFactory(centre=pl_centre, first_name="Halina", last_name="Kowalczyk", birth_date=dt.date(1938, 4, 2))
    household = HouseholdFactory(centre=pl_centre)
    MembershipFactory(household=household, person=person, relationship="head", valid_from=dt.date(2000, 1, 1))
    return person


@pytest.fixture
def case(pl_centre, client_person, pl_worker, team):
    return CaseFactory(centre=pl_centre, household=None, person=client_person, assigned_worker=pl_worker, team=team)


@pytest.fixture
def offer(pl_centre, pl_director):
    return ServiceOffer.objects.create(
        centre=pl_centre,
        service_code=HOME_HELP,
        valid_from=dt.date(2025, 1, 1),
        unit_cost=Decimal("32.50"),
        capacity_per_week=Decimal("30"),
        cost_source="Uchwała Rady Gminy",
        created_by=pl_director,
    )


@pytest.fixture
def specialist_offer(pl_centre):
    return ServiceOffer.objects.create(
        centre=pl_centre, service_code=SPECIALIST, valid_from=dt.date(2025, 1, 1), unit_cost=Decimal("45.00")
    )


@pytest.fixture
def provider(pl_centre):
    provider = Provider.objects.create(centre=pl_centre, name="Caritas", contract_reference="U/1/2025")
    ProviderCapacity.objects.create(provider=provider, service_code=SPECIALIST, units_per_week=Decimal("10"))
    return provider


@pytest.fixture
def carer_worker(pl_centre, pl_carer):
    return ServiceWorker.objects.create(
        centre=pl_centre, user=pl_carer, name="Jolanta Carer", weekly_hours=Decimal("40"), service_codes=[HOME_HELP]
    )


def decision_data(person, case=None, /, **overrides) -> dict:
    data = {
        "person": person.pk,
        "case": case.pk if case is not None else None,
        "service_code": HOME_HELP,
        "quantity": Decimal("10"),
        "per": "week",
        "weekly_pattern": [
            {"weekday": 0, "start": "09:00", "units": "2"},
            {"weekday": 2, "start": "09:00", "units": "4"},
            {"weekday": 4, "start": "09:00", "units": "4"},
        ],
        "starts_on": DAY,
        "ends_on": None,
        "legal_basis": "art. 50 u.p.s.",
    }
    data.update(overrides)
    return data


def make_decision(centre, person, drafter, *, status=DecisionStatus.ISSUED, case=None, **fields) -> ServiceDecision:
    """A decision written straight to the table (for reads and counts)."""
    values = {
        "service_code": HOME_HELP,
        "unit": "hour",
        "quantity": Decimal("10"),
        "per": "week",
        "starts_on": DAY,
        "status": status,
    }
    values.update(fields)
    return ServiceDecision.objects.create(centre=centre, person=person, case=case, drafted_by=drafter, **values)
