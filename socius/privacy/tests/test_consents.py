"""Withdrawing a consent on the person's page or through the API (privacy.consents): for the family assistant
programme, the family's own consent goes too, and the work closes as when the family's page records it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from socius.casework.tests.factories import CaseFactory
from socius.family.models import EnrolmentConsent
from socius.family.support import ConsentInput, approve_enrolment, request_enrolment
from socius.privacy.consents import withdraw_person_consent
from socius.registry.models import Consent
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory, TeamFactory

STARTED_ON = dt.date(2025, 2, 10)


@pytest.fixture
def family(pl_centre, pl_worker, pl_director, pl_assistant):
    home = HouseholdFactory(centre=pl_centre)
    mother = PersonFactory(centre=pl_centre, first_name="Anna", last_name="Nowak")
    MembershipFactory(household=home, person=mother, relationship="head", valid_from=dt.date(2020, 1, 1))
    team = TeamFactory(centre=pl_centre, problem_group="family", name="Family")
    team.members.add(pl_worker)
    case = CaseFactory(
        centre=pl_centre, household=home, assigned_worker=pl_worker, team=team, opened_on=dt.date(2025, 1, 10)
    )
    requested = request_enrolment(pl_worker, case=case, reason="Trudności", requested_on=dt.date(2025, 2, 3))
    enrolment = approve_enrolment(
        pl_director,
        requested,
        assistant=pl_assistant,
        decided_on=STARTED_ON,
        consent=ConsentInput(person=mother, given_on=STARTED_ON, method="written"),
    )
    return enrolment, mother


def test_withdrawing_on_the_persons_page_ends_the_familys_consent_and_the_work(family, pl_director):
    enrolment, mother = family
    registry = Consent.objects.get(person=mother, purpose="family_assistance")
    day = STARTED_ON + dt.timedelta(days=5)
    with translation.override("en"):
        withdraw_person_consent(pl_director, registry, withdrawn_on=day, note="Rezygnacja")
    registry.refresh_from_db()
    assert registry.withdrawn_on == day
    assert EnrolmentConsent.objects.get(enrolment=enrolment).withdrawn_on == day
    enrolment.refresh_from_db()
    assert enrolment.outcome == "consent_withdrawn" and enrolment.status in ("monitoring", "closed")


def test_other_purposes_leave_the_family_alone(family, pl_worker):
    enrolment, mother = family
    photos = Consent.objects.create(
        centre=mother.centre, person=mother, purpose="photos", given_on=STARTED_ON, method="oral", recorded_by=pl_worker
    )
    withdraw_person_consent(pl_worker, photos, withdrawn_on=STARTED_ON + dt.timedelta(days=1))
    assert EnrolmentConsent.objects.get(enrolment=enrolment).withdrawn_on is None
    enrolment.refresh_from_db()
    assert enrolment.status == "active"
