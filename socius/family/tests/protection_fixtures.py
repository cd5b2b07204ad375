"""Fixtures of the child-protection tests (imported by name into each test module): a PL family case held by
pl_worker with a mother, a son (a minor) and a grown-up daughter; an MD case with a child; helpers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from socius.accounts.roles import Role
from socius.casework.tests.factories import CaseFactory
from socius.family import protection as svc
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory, TeamFactory, UserFactory

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
    person = PersonFactory(centre=pl_centre, first_name="Anna", last_name="Nowak", birth_date=dt.date(1988, 5, 1))
    MembershipFactory(household=household, person=person, relationship="head", valid_from=dt.date(2020, 1, 1))
    return person


@pytest.fixture
def son(pl_centre, household):
    person = PersonFactory(centre=pl_centre, first_name="Jan", last_name="Nowak", birth_date=dt.date(2015, 6, 1))
    MembershipFactory(household=household, person=person, relationship="child", valid_from=dt.date(2020, 1, 1))
    return person


@pytest.fixture
def daughter(pl_centre, household):
    """Turns 18 on 2025-03-03 (DAY): a minor the day before, no longer on DAY."""
    person = PersonFactory(centre=pl_centre, first_name="Ola", last_name="Nowak", birth_date=dt.date(2007, 3, 3))
    MembershipFactory(household=household, person=person, relationship="child", valid_from=dt.date(2020, 1, 1))
    return person


@pytest.fixture
def neighbour_child(pl_centre):
    return PersonFactory(centre=pl_centre, first_name="Piotr", last_name="Obcy", birth_date=dt.date(2016, 1, 1))


@pytest.fixture
def case(pl_centre, pl_worker, family_team, household, mother, son):
    return CaseFactory(centre=pl_centre, household=household, assigned_worker=pl_worker, team=family_team)


@pytest.fixture
def other_case(pl_centre, pl_worker2, family_team):
    """A case of pl_worker2's: pl_worker does not read it."""
    household = HouseholdFactory(centre=pl_centre)
    child = PersonFactory(centre=pl_centre, first_name="Ewa", last_name="Kowal", birth_date=dt.date(2014, 2, 2))
    MembershipFactory(household=household, person=child, relationship="head", valid_from=dt.date(2020, 1, 1))
    case = CaseFactory(centre=pl_centre, household=household, assigned_worker=pl_worker2, team=family_team)
    case.test_child = child
    return case


@pytest.fixture
def pl_worker3(pl_centre):
    """A social worker of the centre outside the family team: reads none of its cases."""
    return UserFactory(username="pl_worker3", centre=pl_centre, role=Role.SOCIAL_WORKER)


@pytest.fixture
def md_case(md_centre, md_worker):
    team = TeamFactory(centre=md_centre, problem_group="family", name="Familie")
    team.members.add(md_worker)
    household = HouseholdFactory(centre=md_centre)
    child = PersonFactory(centre=md_centre, first_name="Ion", last_name="Rusu", birth_date=dt.date(2013, 9, 9))
    MembershipFactory(household=household, person=child, relationship="child", valid_from=dt.date(2020, 1, 1))
    case = CaseFactory(centre=md_centre, household=household, assigned_worker=md_worker, team=team)
    case.test_child = child
    return case


def record(actor, case, child, **overrides):
    """record_child with sensible defaults."""
    values = {
        "case": case,
        "child": child,
        "responsible_worker": actor,
        "risks": ["neglect"],
        "identified_on": DAY,
        "form_of_care": "own_family",
        "care_from": dt.date(2015, 6, 1),
    }
    values.update(overrides)
    return svc.record_child(actor, **values)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@pytest.fixture
def child_record(pl_worker, case, son):
    return record(pl_worker, case, son)


@pytest.fixture
def meeting(pl_worker, pl_worker2, pl_teamlead):
    """A PL interdisciplinary team meeting with three voting staff members and one advisory guest."""
    return svc.schedule_meeting(
        pl_worker,
        body="pl_interdisciplinary_team",
        scheduled_at=at(dt.date(2025, 3, 10)),
        place="Sala 1",
        chair=pl_teamlead,
        members=[
            svc.MemberInput(user=pl_worker, role="pracownik socjalny"),
            svc.MemberInput(user=pl_worker2, role="pracownik socjalny"),
            svc.MemberInput(user=pl_teamlead, role="przewodniczący"),
            svc.MemberInput(name="Jan Policjant", role="policja", is_voting=False),
        ],
    )
