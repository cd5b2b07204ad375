"""Draft answers: checked per field type and limit, partial allowed, unknown fields named, nothing saved on error."""

import datetime as dt

import pytest

from socius.accounts.models import AuditEvent
from socius.assessments.models import Assessment, AssessmentEvent, AssessmentStatus
from socius.assessments.services import save_draft
from socius.assessments.tests.conftest import start_pl
from socius.common.errors import Conflict, ValidationFailed


@pytest.fixture
def draft(pl_worker, pl_case):
    """A draft with no answers yet (these tests are about merging; pre-filling is in test_prefill)."""
    assessment = start_pl(pl_worker, pl_case)
    Assessment.objects.filter(pk=assessment.pk).update(answers={}, diagnosis="", conclusions="")
    assessment.refresh_from_db()
    return assessment


def test_partial_draft_is_saved_in_storage_form(pl_worker, draft):
    save_draft(
        pl_worker,
        draft.pk,
        {
            "I_A": {"household_size": "3", "interview_date": dt.date(2025, 4, 16)},
            "I_C": {"dwelling_type": "flat", "amenities": ["toilet", "running_water"], "rooms": " 2 "},
            "I_D": {"monthly_income": "1234,50", "debts": False},
        },
    )
    draft.refresh_from_db()
    assert draft.answers == {
        "I_A": {"household_size": 3, "interview_date": "2025-04-16"},
        "I_C": {"dwelling_type": "flat", "amenities": ["running_water", "toilet"], "rooms": 2},
        "I_D": {"monthly_income": "1234.50", "debts": False},
    }
    save_draft(pl_worker, draft.pk, {"I_D": {"monthly_income": "1E+3"}})
    draft.refresh_from_db()
    assert draft.answers["I_D"]["monthly_income"] == "1000"
    assert draft.status == AssessmentStatus.DRAFT

    # A later save merges; an empty value removes the answer.
    save_draft(pl_worker, draft.pk, {"I_D": {"monthly_income": None}, "I_H": {"needs_expectations": " Opał "}})
    draft.refresh_from_db()
    assert draft.answers["I_D"] == {"debts": False}
    assert draft.answers["I_H"] == {"needs_expectations": "Opał"}


@pytest.mark.parametrize(
    ("answers", "key", "message"),
    [
        ({"I_A": {"household_size": "three"}}, "answers.I_A.household_size", "Enter a whole number."),
        ({"I_A": {"household_size": True}}, "answers.I_A.household_size", "Enter a whole number."),
        ({"I_A": {"household_size": "--5"}}, "answers.I_A.household_size", "Enter a whole number."),
        ({"I_A": {"household_size": "2.5"}}, "answers.I_A.household_size", "Enter a whole number."),
        ({"I_D": {"monthly_income": "NaN"}}, "answers.I_D.monthly_income", "Enter a number."),
        ({"I_A": {"household_size": 0}}, "answers.I_A.household_size", "Enter a value of at least 1."),
        ({"I_A": {"household_size": 31}}, "answers.I_A.household_size", "Enter a value of at most 30."),
        ({"I_D": {"monthly_income": "abc"}}, "answers.I_D.monthly_income", "Enter a number."),
        ({"I_D": {"monthly_income": 12.5}}, "answers.I_D.monthly_income", "Enter a number."),
        ({"I_D": {"monthly_income": "-1"}}, "answers.I_D.monthly_income", "Enter a value of at least 0."),
        ({"I_A": {"interview_date": "16.04.2025"}}, "answers.I_A.interview_date", "Enter a date."),
        (
            {"I_A": {"interview_date": "2021-01-01"}},
            "answers.I_A.interview_date",
            "Enter a value of at least 2021-11-11.",
        ),
        ({"I_D": {"debts": "yes"}}, "answers.I_D.debts", "Choose yes or no."),
        ({"I_C": {"dwelling_type": "castle"}}, "answers.I_C.dwelling_type", "Choose one of the options."),
        ({"I_C": {"amenities": ["pool"]}}, "answers.I_C.amenities", "Choose from the options."),
        ({"I_C": {"amenities": "toilet"}}, "answers.I_C.amenities", "Choose from the options."),
        ({"I_A": {"applicant_name": 5}}, "answers.I_A.applicant_name", "Enter text."),
        (
            {"I_A": {"applicant_name": "x" * 201}},
            "answers.I_A.applicant_name",
            "Enter at most 200 characters (it has 201).",
        ),
        ({"I_A": {"shoe_size": 42}}, "answers.I_A.shoe_size", "Unknown field “shoe_size” in section “I_A”."),
        ({"I_Z": {"x": 1}}, "answers.I_Z", "Unknown section “I_Z” in rws-2021."),
    ],
)
def test_bad_answers_are_refused_naming_the_field_and_nothing_is_saved(pl_worker, draft, answers, key, message):
    save_draft(pl_worker, draft.pk, {"I_H": {"needs_expectations": "Opał"}})
    before = (AssessmentEvent.objects.count(), AuditEvent.objects.count())
    # A good answer in the same call is not saved either.
    answers = {**answers, "I_J": {"help_plan": "Plan"}} if "I_J" not in answers else answers

    with pytest.raises(ValidationFailed) as caught:
        save_draft(pl_worker, draft.pk, answers)

    assert caught.value.errors == {key: [message]}
    draft.refresh_from_db()
    assert draft.answers == {"I_H": {"needs_expectations": "Opał"}}
    assert (AssessmentEvent.objects.count(), AuditEvent.objects.count()) == before


def test_saving_nothing_new_writes_no_event(pl_worker, draft):
    save_draft(pl_worker, draft.pk, {"I_H": {"needs_expectations": "Opał"}})
    before = (AssessmentEvent.objects.count(), AuditEvent.objects.count())
    save_draft(pl_worker, draft.pk, {"I_H": {"needs_expectations": "Opał"}})
    assert (AssessmentEvent.objects.count(), AuditEvent.objects.count()) == before


def test_diagnosis_and_conclusions_are_kept_with_the_draft(pl_worker, draft):
    save_draft(pl_worker, draft.pk, {}, diagnosis=" Ubóstwo ", conclusions="Zasiłek celowy")
    draft.refresh_from_db()
    assert (draft.diagnosis, draft.conclusions) == ("Ubóstwo", "Zasiłek celowy")


def test_a_completed_assessment_is_not_edited(pl_worker, pl_case):
    from socius.assessments.tests.conftest import completed_pl

    done = completed_pl(pl_worker, pl_case)
    with pytest.raises(Conflict, match=r"Only a draft can be edited\."):
        save_draft(pl_worker, done.pk, {"I_H": {"needs_expectations": "Inne"}})
