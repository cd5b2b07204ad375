"""Family fixtures (shared by the family support, child protection, Blue Card, API and web tests): a PL family
case held by pl_worker in pl_teamlead's team, on a household of a mother and her son (a minor), an outsider,
a second assistant, an assistant of another PL centre and an MD assistant; `enrolment` is that family with
pl_assistant (requested, approved with the mother's consent); `fill_caseload` gives an assistant n families.

Personas (root conftest): pl_worker, pl_worker2, pl_assistant, pl_teamlead, pl_director, pl_auditor, pl_finance,
pl_admin, md_worker, md_director, lt_worker; here also pl_assistant2, other_assistant, other_worker, md_assistant,
lt_assistant.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from socius.accounts.roles import Role
from socius.casework.tests.factories import CaseFactory
from socius.family.models import FamilyEnrolment
from socius.family.statuses import EnrolmentRoute, EnrolmentStatus
from socius.testing.factories import (
    CentreFactory,
    HouseholdFactory,
    MembershipFactory,
    PersonFactory,
    TeamFactory,
    TerritoryFactory,
    UserFactory,
)

DAY = dt.date(2025, 3, 3)
REQUESTED_ON = dt.date(2025, 2, 3)
STARTED_ON = dt.date(2025, 2, 10)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _persona(centre, role, username):
    return UserFactory(username=username, centre=centre, role=role, first_name=username.title(), last_name="Test")


@pytest.fixture
def pl_assistant2(pl_centre):
    return _persona(pl_centre, Role.FAMILY_ASSISTANT, "pl_assistant2")


@pytest.fixture
def other_centre(db):
    root = TerritoryFactory(jurisdiction="PL", level="municipality", name="Rokiciny")
    return CentreFactory(code="pl-other", name="GOPS Rokiciny", jurisdiction="PL", territory=root)


@pytest.fixture
def other_assistant(other_centre):
    """A family assistant of another PL centre."""
    return _persona(other_centre, Role.FAMILY_ASSISTANT, "other_assistant")


@pytest.fixture
def other_worker(other_centre):
    return _persona(other_centre, Role.SOCIAL_WORKER, "other_worker")


@pytest.fixture
def other_director(other_centre):
    return _persona(other_centre, Role.DIRECTOR, "other_director")


@pytest.fixture
def md_assistant(md_centre):
    return _persona(md_centre, Role.FAMILY_ASSISTANT, "md_assistant")


@pytest.fixture
def lt_assistant(lt_centre):
    return _persona(lt_centre, Role.FAMILY_ASSISTANT, "lt_assistant")


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
    person = PersonFactory(centre=pl_centre, first_name="Anna", last_name="Nowak", birth_date=dt.date(1990, 5, 1))
    MembershipFactory(household=household, person=person, relationship="head", valid_from=dt.date(2020, 1, 1))
    return person


@pytest.fixture
def son(pl_centre, household):
    """The child of the family: a minor (born 2015)."""
    person = PersonFactory(
        centre=pl_centre, first_name="Jan", last_name="Nowak", birth_date=dt.date(2015, 9, 1), sex="M"
    )
    MembershipFactory(household=household, person=person, relationship="child", valid_from=dt.date(2020, 1, 1))
    return person


@pytest.fixture
def child(son):
    return son


@pytest.fixture
def outsider(pl_centre):
    return PersonFactory(centre=pl_centre, first_name="Ewa", last_name="Obca", birth_date=dt.date(1985, 1, 1))


@pytest.fixture
def case(pl_centre, pl_worker, family_team, household, mother, son):
    return CaseFactory(
        centre=pl_centre,
        household=household,
        assigned_worker=pl_worker,
        team=family_team,
        opened_on=dt.date(2025, 1, 10),
    )


@pytest.fixture
def md_case(md_centre, md_worker):
    household = HouseholdFactory(centre=md_centre)
    mother = PersonFactory(centre=md_centre, first_name="Maria", last_name="Rusu", birth_date=dt.date(1988, 2, 2))
    kid = PersonFactory(centre=md_centre, first_name="Ion", last_name="Rusu", birth_date=dt.date(2016, 3, 3), sex="M")
    MembershipFactory(household=household, person=mother, relationship="head", valid_from=dt.date(2020, 1, 1))
    MembershipFactory(household=household, person=kid, relationship="child", valid_from=dt.date(2020, 1, 1))
    team = TeamFactory(centre=md_centre, problem_group="family", name="Familie")
    team.members.add(md_worker)
    return CaseFactory(centre=md_centre, household=household, assigned_worker=md_worker, team=team)


@pytest.fixture
def enrolment(case, pl_worker, pl_director, pl_assistant, mother):
    """The Nowak family with pl_assistant: requested by pl_worker, approved by pl_director with the
    mother's written consent (work started on STARTED_ON)."""
    from socius.family.support import ConsentInput, approve_enrolment, request_enrolment

    requested = request_enrolment(
        pl_worker, case=case, reason="Trudności opiekuńczo-wychowawcze", requested_on=REQUESTED_ON
    )
    return approve_enrolment(
        pl_director,
        requested,
        assistant=pl_assistant,
        decided_on=STARTED_ON,
        consent=ConsentInput(person=mother, given_on=STARTED_ON, method="written"),
    )


@pytest.fixture
def fill_caseload(pl_centre, pl_worker, family_team):
    """fill_caseload(assistant, n, started_on=...): n more ACTIVE families for the assistant, written straight
    to the tables (not through the services) so a cap test starts from a known load."""

    def fill(assistant, n, *, started_on=dt.date(2014, 1, 2), status=EnrolmentStatus.ACTIVE):
        made = []
        for _ in range(n):
            home = HouseholdFactory(centre=assistant.centre)
            MembershipFactory(household=home, person=PersonFactory(centre=assistant.centre), relationship="head")
            their_case = CaseFactory(
                centre=assistant.centre, household=home, assigned_worker=pl_worker, team=family_team
            )
            made.append(
                FamilyEnrolment.objects.create(
                    centre=assistant.centre,
                    case=their_case,
                    household=home,
                    assistant=assistant,
                    route=EnrolmentRoute.STATUTORY,
                    status=status,
                    requested_by=pl_worker,
                    requested_on=started_on,
                    started_on=started_on,
                    legal_basis="art. 11 ust. 1a",
                    **(
                        {"closed_on": started_on, "outcome": "goals_achieved"}
                        if status in (EnrolmentStatus.MONITORING, EnrolmentStatus.CLOSED)
                        else {}
                    ),
                )
            )
        return made

    return fill
