"""Casework fixtures: fixed statutory lists (independent of the packs' progress), a team and its people."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import translation

from socius.accounts.roles import Role
from socius.casework import statutory
from socius.testing.factories import HouseholdFactory, PersonFactory, TeamFactory, UserFactory

NEW_CODE_FROM = dt.date(2025, 7, 1)


@dataclass(frozen=True)
class Item:
    code: str
    label: str
    sensitive: bool = False


class FakePack:
    """The agreed rulebook interface, with a code that comes into force on NEW_CODE_FROM."""

    def circumstances(self, on: dt.date):
        items = [
            Item("poverty", "Poverty"),
            Item("unemployment", "Unemployment"),
            Item("disability", "Disability", sensitive=True),
            Item("domestic_violence", "Domestic violence", sensitive=True),
            Item("addiction", "Addiction", sensitive=True),
        ]
        if on >= NEW_CODE_FROM:
            items.append(Item("new_circumstance", "New circumstance"))
        return items

    def contact_topics(self):
        return [
            Item("information", "Information"),
            Item("benefits", "Benefits"),
            Item("housing", "Housing"),
            Item("health", "Health", sensitive=True),
        ]

    def contact_outcomes(self):
        return [
            Item("information_given", "Information given"),
            Item("application_taken", "Application taken"),
            Item("referral", "Referral"),
            Item("case_opened", "Case opened"),
        ]


@pytest.fixture(autouse=True)
def statutory_lists(monkeypatch):
    monkeypatch.setattr(statutory, "_jurisdiction", lambda code: FakePack())


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
def other_team(pl_centre):
    return TeamFactory(centre=pl_centre, problem_group="addictions", name="Addictions")


@pytest.fixture
def other_teamlead(pl_centre, other_team):
    user = UserFactory(username="pl_teamlead_addictions", centre=pl_centre, role=Role.TEAM_LEADER)
    user.teams.add(other_team)
    return user


@pytest.fixture
def pl_household(pl_centre):
    return HouseholdFactory(centre=pl_centre)


@pytest.fixture
def pl_person(pl_centre):
    return PersonFactory(centre=pl_centre, first_name="Anna", last_name="Nowak")


@pytest.fixture
def md_person(md_centre):
    return PersonFactory(centre=md_centre, first_name="Ion", last_name="Rusu")
