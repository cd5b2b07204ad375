"""A new interview starts from the registry and from the case's previous completed interview; the
diagnosis and conclusions a help plan shows follow the form's fields that play those roles."""

import datetime as dt

import pytest

from socius.assessments.models import Assessment, AssessmentEvent
from socius.assessments.services import complete_assessment, save_draft, start_assessment
from socius.assessments.tests.conftest import PL_INITIAL_ANSWERS, completed_pl, start_pl
from socius.casework.tests.factories import CaseFactory
from socius.common.errors import ValidationFailed
from socius.registry.models import Relationship
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory, TerritoryFactory

D = dt.date


@pytest.fixture
def family(pl_centre):
    place = TerritoryFactory(name="Moszczenica")
    household = HouseholdFactory(centre=pl_centre, street_address="ul. Lipowa 7", territory=place)
    anna = PersonFactory(centre=pl_centre, first_name="Anna", last_name="Nowak", birth_date=D(1985, 3, 4))
    jan = PersonFactory(centre=pl_centre, first_name="Jan", last_name="Nowak", birth_date=D(2012, 6, 1))
    gone = PersonFactory(centre=pl_centre, first_name="Piotr", last_name="Nowak")
    MembershipFactory(household=household, person=jan, relationship=Relationship.CHILD, valid_from=D(2012, 6, 1))
    MembershipFactory(household=household, person=anna, relationship=Relationship.HEAD, valid_from=D(2015, 1, 1))
    MembershipFactory(
        household=household,
        person=gone,
        relationship=Relationship.SPOUSE,
        valid_from=D(2015, 1, 1),
        valid_until=D(2024, 1, 1),
    )
    return household


@pytest.fixture
def household_case(pl_centre, pl_worker, family_team, family):
    return CaseFactory(centre=pl_centre, household=family, assigned_worker=pl_worker, team=family_team)


def test_a_household_interview_starts_with_the_registrys_family(pl_worker, household_case):
    assessment = start_pl(pl_worker, household_case)
    assert assessment.answers == {
        "I_A": {
            "applicant_name": "Anna Nowak",
            "address": "ul. Lipowa 7, Moszczenica",
            "household_size": 2,  # the spouse who moved out is not counted
            "family_members": "Anna Nowak, Head of household, 04/03/1985\nJan Nowak, Child, 01/06/2012",
        }
    }
    assert Assessment.objects.get(pk=assessment.pk).answers == assessment.answers
    started = AssessmentEvent.objects.get(assessment=assessment, kind="started")
    assert started.data["prefilled"] == [
        "I_A.address",
        "I_A.applicant_name",
        "I_A.family_members",
        "I_A.household_size",
    ]
    assert started.data["previous"] is None


def test_a_persons_interview_takes_their_own_address_when_in_no_household(pl_centre, pl_worker, family_team):
    person = PersonFactory(centre=pl_centre, first_name="Ewa", last_name="Lis", street_address="Polna 1")
    case = CaseFactory(centre=pl_centre, person=person, household=None, assigned_worker=pl_worker, team=family_team)
    assert start_pl(pl_worker, case).answers == {
        "I_A": {"applicant_name": "Ewa Lis", "address": "Polna 1", "household_size": 1, "family_members": "Ewa Lis"}
    }


def test_an_update_continues_the_previous_completed_interview(pl_worker, household_case):
    previous = completed_pl(pl_worker, household_case)
    save_draft(pl_worker, start_pl(pl_worker, household_case).pk, {})  # a draft in between is not a basis
    Assessment.objects.filter(pk=previous.pk).update(
        answers={
            **PL_INITIAL_ANSWERS,
            "I_D": {"monthly_income": "1878.91", "debts": True},
            "I_Q": {"gone": "a section no longer in the form"},
            "I_C": {"shoe_size": 44, "rooms": 999},  # unknown field, and a value the form no longer accepts
        }
    )
    update = start_pl(pl_worker, household_case, kind="update", need_identified_on=D(2025, 10, 1))
    answers = update.answers
    # Copied from the previous interview, where the field still exists and the value still fits...
    assert answers["I_D"] == {"monthly_income": "1878.91", "debts": True}
    assert answers["I_H"] == PL_INITIAL_ANSWERS["I_H"] and answers["I_J"] == PL_INITIAL_ANSWERS["I_J"]
    assert answers["I_I"] == PL_INITIAL_ANSWERS["I_I"]
    assert "I_Q" not in answers and "I_C" not in answers
    # ...but not its dates, and the registry's current facts win over what was written then.
    assert "interview_date" not in answers["I_A"]
    assert answers["I_A"]["household_size"] == 2 and answers["I_A"]["address"] == "ul. Lipowa 7, Moszczenica"
    assert (update.diagnosis, update.conclusions) == ("Ubóstwo, bezrobocie.", "Zasiłek celowy.")
    started = AssessmentEvent.objects.get(assessment=update, kind="started")
    assert started.data["previous"] == previous.pk


def test_a_moldovan_interview_is_prefilled_through_its_own_roles(md_worker, md_case):
    head = PersonFactory(centre=md_case.centre, first_name="Ion", last_name="Rusu")
    MembershipFactory(household=md_case.household, person=head)
    assessment = start_assessment(md_worker, md_case.pk, kind="initial", need_identified_on=D(2025, 4, 14))
    assert assessment.answers["family"]["beneficiary_name"] == "Ion Rusu"
    assert assessment.answers["family"]["household_size"] == 1


# --- the diagnosis and conclusions follow the form ------------------------------------------------------


def test_the_forms_diagnosis_and_conclusions_become_the_interviews_texts(pl_worker, household_case):
    assessment = start_pl(pl_worker, household_case)
    save_draft(pl_worker, assessment.pk, {"I_I": {"diagnosis": " Ubóstwo ", "worker_conclusions": "Praca socjalna"}})
    assessment.refresh_from_db()
    assert (assessment.diagnosis, assessment.conclusions) == ("Ubóstwo", "Praca socjalna")
    # An explicit text still wins (the API may send both).
    save_draft(pl_worker, assessment.pk, {"I_I": {"diagnosis": "Bezrobocie"}}, diagnosis="Inaczej")
    assessment.refresh_from_db()
    assert assessment.diagnosis == "Inaczej"


def test_completing_fills_texts_left_empty_by_an_older_draft(pl_worker, household_case):
    assessment = start_pl(pl_worker, household_case)
    save_draft(pl_worker, assessment.pk, PL_INITIAL_ANSWERS)
    Assessment.objects.filter(pk=assessment.pk).update(diagnosis="", conclusions="")  # saved before the fix
    complete_assessment(pl_worker, assessment.pk, on=D(2025, 4, 16))
    assessment.refresh_from_db()
    assert (assessment.diagnosis, assessment.conclusions) == ("Ubóstwo, bezrobocie.", "Zasiłek celowy.")


def test_a_refused_draft_changes_no_text(pl_worker, household_case):
    assessment = start_pl(pl_worker, household_case)
    save_draft(pl_worker, assessment.pk, {"I_I": {"diagnosis": "Ubóstwo"}})
    with pytest.raises(ValidationFailed):
        save_draft(pl_worker, assessment.pk, {"I_I": {"diagnosis": "Inna"}, "I_A": {"household_size": "x"}})
    assessment.refresh_from_db()
    assert assessment.diagnosis == "Ubóstwo" and assessment.answers["I_I"] == {"diagnosis": "Ubóstwo"}
