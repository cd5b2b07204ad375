"""Shared set-up of the Blue Card tests: a PL family where one person is affected and one suspected."""

from __future__ import annotations

import datetime as dt

import pytest

from socius.family.bluecards import start_blue_card
from socius.family.statuses import BlueCardInitiator
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory, TerritoryFactory

DAY = dt.date(2026, 3, 2)  # a Monday


@pytest.fixture
def family(pl_centre):
    town = TerritoryFactory(jurisdiction="PL", level="locality", name="Wierzbica")
    victim_home = HouseholdFactory(centre=pl_centre, street_address="ul. Różana 7", territory=town)
    suspect_home = HouseholdFactory(centre=pl_centre, street_address="ul. Kolejowa 99", territory=town)
    victim = PersonFactory(
        centre=pl_centre,
        first_name="Agnieszka",
        last_name="Zawadzka",
        national_id="85010112345",
        sex="F",
        street_address="ul. Różana 7",
    )
    child = PersonFactory(centre=pl_centre, first_name="Ola", last_name="Zawadzka", national_id="15210154321")
    suspect = PersonFactory(centre=pl_centre, first_name="Marek", last_name="Wrona", national_id="80020267890", sex="M")
    MembershipFactory(household=victim_home, person=victim)
    MembershipFactory(household=victim_home, person=child, relationship="child")
    MembershipFactory(household=suspect_home, person=suspect)
    return {"victim": victim, "child": child, "suspect": suspect, "victim_home": victim_home}


@pytest.fixture
def card(pl_worker, family):
    return start_blue_card(
        pl_worker,
        initiator=BlueCardInitiator.SOCIAL_ASSISTANCE,
        started_on=DAY,
        received_on=DAY,
        victims=[family["victim"].pk, family["child"].pk],
        suspects=[family["suspect"].pk],
        answers={"IV": "przemoc psychiczna"},
    )
