"""Database guards: a case has one subject, closure fields match the status, the timeline is append-only."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from socius.casework.models import AppendOnlyError, CaseEvent
from socius.casework.tests.factories import CaseFactory
from socius.testing.factories import HouseholdFactory, PersonFactory


def test_a_case_has_a_household_or_a_person_not_both_nor_neither(pl_centre):
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFactory(
            centre=pl_centre, household=HouseholdFactory(centre=pl_centre), person=PersonFactory(centre=pl_centre)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFactory(centre=pl_centre, household=None, person=None)


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "closed"},
        {"status": "closed", "closed_on": dt.date(2025, 2, 1)},
        {"status": "active", "closure_reason": "died"},
        {"status": "active", "closed_on": dt.date(2025, 2, 1)},
        {"status": "closed", "closure_reason": "died", "closed_on": dt.date(2024, 1, 1)},  # before opened_on
    ],
)
def test_closure_fields_must_match_the_status(pl_centre, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFactory(centre=pl_centre, **fields)


def test_reference_numbers_are_unique_per_centre(pl_centre, md_centre):
    CaseFactory(centre=pl_centre, year=2025, number=1)
    CaseFactory(centre=md_centre, year=2025, number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFactory(centre=pl_centre, year=2025, number=1)


def test_timeline_rows_cannot_be_changed_or_deleted(pl_centre):
    event = CaseEvent.objects.get(case=CaseFactory(centre=pl_centre))
    event.data = {"tampered": True}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert CaseEvent.objects.get(pk=event.pk).data != {"tampered": True}
