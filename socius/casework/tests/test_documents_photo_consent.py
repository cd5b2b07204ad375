"""A photo on a case needs the photo consent of the case's person or of a member of its household (decision
0024); other documents need none."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from socius.accounts.models import AuditEvent
from socius.casework.models_documents import CaseDocument
from socius.casework.services import attach_document
from socius.casework.tests.factories import CaseFactory
from socius.common.errors import Conflict
from socius.registry.services_consents import withdraw_consent
from socius.testing.factories import ConsentFactory, PersonFactory, consenting_member

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _photo():
    return SimpleUploadedFile("kitchen.png", PNG, "image/png")


@pytest.fixture
def case(pl_centre, pl_worker):
    return CaseFactory(centre=pl_centre, assigned_worker=pl_worker)


def _state():
    return (CaseDocument.objects.count(), AuditEvent.objects.count())


def test_a_photo_without_consent_is_refused_naming_the_consent_and_nothing_is_stored(case, pl_worker):
    before = _state()
    with pytest.raises(Conflict) as refused:
        attach_document(pl_worker, case.pk, _photo(), kind="photo", title="Kitchen")
    assert refused.value.code == "consent_required" and "Photos" in str(refused.value.message)
    assert _state() == before


def test_a_household_members_photo_consent_allows_it(case, pl_worker):
    consenting_member(case.household, "photos")
    assert attach_document(pl_worker, case.pk, _photo(), kind="photo", title="Kitchen").kind == "photo"


def test_a_withdrawn_consent_no_longer_allows_it(case, pl_worker):
    import datetime as dt

    consent = consenting_member(case.household, "photos")
    withdraw_consent(pl_worker, consent, withdrawn_on=dt.date(2021, 1, 1))
    with pytest.raises(Conflict):
        attach_document(pl_worker, case.pk, _photo(), kind="photo", title="Kitchen")


def test_a_person_cases_photo_needs_that_persons_consent(pl_centre, pl_worker):
    person = PersonFactory(centre=pl_centre)
    case = CaseFactory(centre=pl_centre, assigned_worker=pl_worker, household=None, person=person)
    with pytest.raises(Conflict):
        attach_document(pl_worker, case.pk, _photo(), kind="photo", title="Room")
    ConsentFactory(person=person, purpose="photos")
    assert attach_document(pl_worker, case.pk, _photo(), kind="photo", title="Room").case_id == case.pk


def test_a_scan_needs_no_consent(case, pl_worker):
    assert attach_document(pl_worker, case.pk, _photo(), kind="scan", title="Certificate").kind == "scan"
