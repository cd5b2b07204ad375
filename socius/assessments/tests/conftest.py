"""Assessment fixtures: a PL family team and a case for each country."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from socius.accounts.roles import Role
from socius.assessments.services import complete_assessment, save_draft, start_assessment
from socius.casework.tests.factories import CaseFactory
from socius.testing.factories import PersonFactory, TeamFactory, UserFactory

D = dt.date

PL_INITIAL_ANSWERS = {
    "I_A": {
        "applicant_name": "Anna Nowak",
        "address": "ul. Lipowa 7, Moszczenica",
        "interview_date": "2025-04-16",
        "household_size": 3,
        "family_members": "Anna Nowak (wnioskodawczyni), Jan Nowak (syn), Ewa Nowak (córka)",
    },
    "I_H": {"needs_expectations": "Pomoc w opłaceniu opału."},
    "I_I": {"diagnosis": "Ubóstwo, bezrobocie.", "worker_conclusions": "Zasiłek celowy."},
    "I_J": {"help_plan": "Zasiłek celowy na opał; praca socjalna."},
}


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
def pl_case(pl_centre, pl_worker, family_team):
    person = PersonFactory(centre=pl_centre, first_name="Anna", last_name="Nowak")
    return CaseFactory(centre=pl_centre, person=person, household=None, assigned_worker=pl_worker, team=family_team)


@pytest.fixture
def md_case(md_centre, md_worker):
    team = TeamFactory(centre=md_centre)
    return CaseFactory(centre=md_centre, assigned_worker=md_worker, team=team)


@pytest.fixture
def lt_case(lt_centre, lt_worker):
    team = TeamFactory(centre=lt_centre)
    return CaseFactory(centre=lt_centre, assigned_worker=lt_worker, team=team)


@pytest.fixture
def pl_teamlead_other_team(pl_centre):
    return UserFactory(username="pl_tl_other", centre=pl_centre, role=Role.TEAM_LEADER)


def start_pl(worker, case, **kwargs):
    options = {"kind": "initial", "need_identified_on": D(2025, 4, 14), "urgent": False, "permanent_help": False}
    options.update(kwargs)
    return start_assessment(worker, case.pk, **options)


COMPLETED_ON = D(2025, 4, 16)


def completed_pl(worker, case, on=COMPLETED_ON, **kwargs):
    assessment = start_pl(worker, case, **kwargs)
    save_draft(worker, assessment.pk, PL_INITIAL_ANSWERS)
    return complete_assessment(worker, assessment.pk, on=on)
