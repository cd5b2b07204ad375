"""Plans fixtures: a PL family case held by pl_worker, with two household members and an outsider."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from socius.casework.tests.factories import CaseFactory
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory, TeamFactory

DAY = dt.date(2025, 3, 3)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def family_team(pl_centre, pl_worker, pl_worker2, pl_teamlead):
    team = TeamFactory(centre=pl_centre, problem_group="family", name="Family")
    team.members.add(pl_worker, pl_worker2, pl_teamlead)
    return team


@pytest.fixture
def household(pl_centre):
    return HouseholdFactory(centre=pl_centre)


@pytest.fixture
def mother(pl_centre, household):
    person = PersonFactory(centre=pl_centre, first_name="Anna", last_name="Nowak")
    MembershipFactory(household=household, person=person, relationship="head", valid_from=dt.date(2020, 1, 1))
    return person


@pytest.fixture
def son(pl_centre, household):
    person = PersonFactory(centre=pl_centre, first_name="Jan", last_name="Nowak")
    MembershipFactory(household=household, person=person, relationship="child", valid_from=dt.date(2020, 1, 1))
    return person


@pytest.fixture
def outsider(pl_centre):
    return PersonFactory(centre=pl_centre, first_name="Ewa", last_name="Obca")


@pytest.fixture
def case(pl_centre, pl_worker, family_team, household, mother, son):
    return CaseFactory(centre=pl_centre, household=household, assigned_worker=pl_worker, team=family_team)
