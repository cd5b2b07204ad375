"""A person's consents: recorded once per purpose, withdrawn (dated, never deleted), history kept, audited,
scoped to the centre; who may write them."""

from __future__ import annotations

import datetime as dt

import pytest

from socius.accounts.models import AuditEvent
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.registry.models import Consent
from socius.registry.selectors_consents import consents_of_person, persons_with_valid_consent, valid_consent
from socius.registry.services_consents import ensure_consent, record_consent, withdraw_consent
from socius.testing.factories import PersonFactory

GIVEN = dt.date(2025, 3, 1)
LATER = dt.date(2025, 6, 1)


@pytest.fixture
def person(pl_centre):
    return PersonFactory(centre=pl_centre, first_name="Anna", last_name="Nowak")


def _state():
    return (list(Consent.objects.values_list("id", "withdrawn_on")), AuditEvent.objects.count())


def test_a_consent_is_recorded_with_who_when_and_how_and_audited_under_the_person(pl_worker, person):
    consent = record_consent(pl_worker, person, purpose="photos", given_on=GIVEN, method="written", note="Signed form")
    assert (consent.person_id, consent.centre_id, consent.purpose, consent.given_on, consent.method) == (
        person.pk, person.centre_id, "photos", GIVEN, "written",
    )  # fmt: skip
    assert consent.recorded_by == pl_worker and consent.withdrawn_on is None
    event = AuditEvent.objects.get(object_type="consent", object_id=consent.pk)
    assert (event.action, event.person_id) == ("create", person.pk)
    assert event.changes["purpose"] == [None, "photos"] and event.changes["given_on"] == [None, "2025-03-01"]


def test_a_second_live_consent_for_the_same_purpose_is_refused_and_nothing_changes(pl_worker, person):
    record_consent(pl_worker, person, purpose="photos", given_on=GIVEN, method="written")
    before = _state()
    with pytest.raises(Conflict) as refused:
        record_consent(pl_worker, person, purpose="photos", given_on=LATER, method="oral")
    assert refused.value.code == "consent_live"
    assert _state() == before


def test_bad_input_names_every_field(pl_worker, person):
    before = _state()
    with pytest.raises(ValidationFailed) as refused:
        record_consent(pl_worker, person, purpose="telepathy", given_on="yesterday", method="smoke", note=5)
    assert set(refused.value.errors) == {"purpose", "given_on", "method", "note"}
    with pytest.raises(ValidationFailed) as refused:
        record_consent(pl_worker, person, purpose="photos", given_on=dt.date(2999, 1, 1), method="oral")
    assert list(refused.value.errors) == ["given_on"]
    assert _state() == before


def test_withdrawal_dates_the_row_and_a_new_consent_is_a_new_row(pl_worker, person):
    first = record_consent(pl_worker, person, purpose="photos", given_on=GIVEN, method="written")
    withdrawn = withdraw_consent(pl_worker, first, withdrawn_on=LATER, note="No longer")
    assert (withdrawn.withdrawn_on, withdrawn.withdrawn_by, withdrawn.withdrawal_note) == (
        LATER,
        pl_worker,
        "No longer",
    )
    event = AuditEvent.objects.filter(object_type="consent", object_id=first.pk, action="update").get()
    assert event.changes == {"withdrawn_on": [None, "2025-06-01"], "withdrawal_note": ["", "No longer"]}
    again = record_consent(pl_worker, person, purpose="photos", given_on=dt.date(2025, 7, 1), method="oral")
    assert [c.pk for c in consents_of_person(pl_worker, person.pk)] == [again.pk, first.pk]  # the history


def test_withdrawing_twice_or_before_it_was_given_is_refused(pl_worker, person):
    consent = record_consent(pl_worker, person, purpose="photos", given_on=GIVEN, method="written")
    with pytest.raises(ValidationFailed) as refused:
        withdraw_consent(pl_worker, consent, withdrawn_on=GIVEN - dt.timedelta(days=1))
    assert list(refused.value.errors) == ["withdrawn_on"]
    withdraw_consent(pl_worker, consent, withdrawn_on=LATER)
    before = _state()
    with pytest.raises(Conflict) as refused:
        withdraw_consent(pl_worker, consent, withdrawn_on=LATER)
    assert refused.value.code == "consent_withdrawn"
    assert _state() == before


def test_a_consent_is_valid_from_the_day_given_until_the_day_withdrawn(pl_worker, person):
    consent = record_consent(pl_worker, person, purpose="photos", given_on=GIVEN, method="written")
    withdraw_consent(pl_worker, consent, withdrawn_on=LATER)
    assert valid_consent(person.pk, "photos", GIVEN - dt.timedelta(days=1)) is None
    assert valid_consent(person.pk, "photos", GIVEN) == consent
    assert valid_consent(person.pk, "photos", LATER - dt.timedelta(days=1)) == consent
    assert valid_consent(person.pk, "photos", LATER) is None
    assert persons_with_valid_consent([person.pk], "photos", GIVEN) == {person.pk}
    assert persons_with_valid_consent([person.pk], "outreach_attendance", GIVEN) == set()


def test_another_centres_person_or_consent_is_not_found(pl_worker, md_worker, person):
    consent = record_consent(pl_worker, person, purpose="photos", given_on=GIVEN, method="written")
    before = _state()
    with pytest.raises(NotFound):
        record_consent(md_worker, person, purpose="data_sharing", given_on=GIVEN, method="written")
    with pytest.raises(NotFound):
        withdraw_consent(md_worker, consent, withdrawn_on=LATER)
    with pytest.raises(NotFound):
        ensure_consent(md_worker, person.pk, purpose="photos", given_on=GIVEN, method="oral")
    assert _state() == before


def test_roles_that_do_not_edit_the_registry_may_not_record_or_withdraw(pl_auditor, pl_finance, pl_worker, person):
    consent = record_consent(pl_worker, person, purpose="photos", given_on=GIVEN, method="written")
    before = _state()
    for actor in (pl_auditor, pl_finance):
        with pytest.raises(Forbidden):
            record_consent(actor, person, purpose="data_sharing", given_on=GIVEN, method="written")
        with pytest.raises(Forbidden):
            withdraw_consent(actor, consent, withdrawn_on=LATER)
    assert _state() == before


def test_ensure_consent_reuses_the_live_consent(pl_worker, person):
    consent = record_consent(pl_worker, person, purpose="outreach_attendance", given_on=GIVEN, method="written")
    again = ensure_consent(pl_worker, person.pk, purpose="outreach_attendance", given_on=LATER, method="oral")
    assert again == consent and Consent.objects.count() == 1
