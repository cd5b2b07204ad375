"""Outreach fixtures: the Šalčininkai district of `lt_centre` with three elderships (Jašiūnai with two villages,
Turgeliai, Butrimonys), a territory of another district (outside the centre's area), a planned meeting in
Jašiūnai, a held one in Turgeliai and a resident of Jašiūnai village.

Import the module and bind the fixtures you use: `event = outreach_fixtures.planned_event`.
"""

from __future__ import annotations

import datetime as dt

import pytest

from socius.accounts.roles import Role
from socius.community.models import OutreachEvent
from socius.testing.factories import PersonFactory, TerritoryFactory, UserFactory

ON = dt.date(2026, 5, 12)


@pytest.fixture
def tree(lt_centre):
    root = lt_centre.territory
    jasiunai = TerritoryFactory(jurisdiction="LT", level="eldership", name="Jašiūnų seniūnija", parent=root)
    turgeliai = TerritoryFactory(jurisdiction="LT", level="eldership", name="Turgelių seniūnija", parent=root)
    butrimonys = TerritoryFactory(jurisdiction="LT", level="eldership", name="Butrimonių seniūnija", parent=root)
    village = TerritoryFactory(jurisdiction="LT", level="village", name="Jašiūnai", parent=jasiunai)
    village2 = TerritoryFactory(jurisdiction="LT", level="village", name="Rudaminka", parent=jasiunai)
    other_root = TerritoryFactory(jurisdiction="LT", level="district", name="Vilniaus r. sav.")
    outside = TerritoryFactory(jurisdiction="LT", level="eldership", name="Nemėžio seniūnija", parent=other_root)
    return {
        "root": root,
        "jasiunai": jasiunai,
        "turgeliai": turgeliai,
        "butrimonys": butrimonys,
        "village": village,
        "village2": village2,
        "outside": outside,
    }


def _user(centre, role, username):
    return UserFactory(username=username, centre=centre, role=role, first_name=username.title(), last_name="Test")


@pytest.fixture
def lt_director(lt_centre):
    return _user(lt_centre, Role.DIRECTOR, "lt_director")


@pytest.fixture
def lt_auditor(lt_centre):
    return _user(lt_centre, Role.AUDITOR, "lt_auditor")


@pytest.fixture
def lt_finance(lt_centre):
    return _user(lt_centre, Role.FINANCE_OFFICER, "lt_finance")


@pytest.fixture
def lt_carer(lt_centre):
    return _user(lt_centre, Role.CARER, "lt_carer")


@pytest.fixture
def lt_worker2(lt_centre):
    return _user(lt_centre, Role.SOCIAL_WORKER, "lt_worker2")


@pytest.fixture
def resident(lt_centre, tree):
    return PersonFactory(centre=lt_centre, first_name="Janina", last_name="Sakalauskienė", territory=tree["village"])


@pytest.fixture
def planned_event(lt_centre, lt_worker, tree):
    event = OutreachEvent.objects.create(
        centre=lt_centre, territory=tree["jasiunai"], kind="information_meeting", date=ON, place="Seniūnijos salė"
    )
    event.staff.set([lt_worker])
    return event


@pytest.fixture
def held_event(lt_centre, lt_worker, tree):
    return OutreachEvent.objects.create(
        centre=lt_centre, territory=tree["turgeliai"], kind="preventive_session", date=ON - dt.timedelta(days=30),
        status="held", headcount=14,
    )  # fmt: skip


@pytest.fixture
def recipient(lt_centre, lt_worker, planned_event, tree):
    from socius.community.models import PotentialRecipient

    return PotentialRecipient.objects.create(
        centre=lt_centre, event=planned_event, description="Senyvo amžiaus vyras, gyvena vienas",
        need="Pagalba į namus", territory=tree["village"], found_by=lt_worker, found_on=ON,
    )  # fmt: skip


@pytest.fixture
def partner(lt_centre):
    from socius.casework.models_referrals import Partner

    return Partner.objects.create(centre=lt_centre, name="Šalčininkų rajono PSPC", kind="health_service")
