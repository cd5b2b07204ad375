"""The family assistant programme needs a family member's consent to take part (decision 0024): given with the
approval, or recorded in the registry and valid on the day; a court order needs none. The family's consent and the
registry's are one: recorded and withdrawn together."""

from __future__ import annotations

import datetime as dt

import pytest

from socius.accounts.models import AuditEvent
from socius.common.errors import Conflict
from socius.family.models import EnrolmentConsent, FamilyEnrolment
from socius.family.support import ConsentInput, approve_enrolment, enrol_family, request_enrolment, withdraw_consent
from socius.family.tests.conftest import REQUESTED_ON, STARTED_ON
from socius.registry.models import Consent
from socius.registry.services_consents import record_consent
from socius.registry.services_consents import withdraw_consent as withdraw_registry_consent


def _state():
    return (
        list(FamilyEnrolment.objects.values_list("id", "status", "assistant_id")),
        EnrolmentConsent.objects.count(),
        Consent.objects.count(),
        AuditEvent.objects.filter(action__in=["create", "update"]).count(),
    )


@pytest.fixture
def requested(case, pl_worker):
    return request_enrolment(pl_worker, case=case, reason="Trudności", requested_on=REQUESTED_ON)


def test_approval_without_any_consent_is_refused_naming_the_missing_consent(requested, pl_director, pl_assistant):
    before = _state()
    with pytest.raises(Conflict) as refused:
        approve_enrolment(pl_director, requested, assistant=pl_assistant, decided_on=STARTED_ON)
    assert refused.value.code == "consent_required"
    assert "Taking part in the family assistant programme" in str(refused.value.message)
    assert _state() == before


def test_a_consent_recorded_on_a_family_members_page_lets_the_approval_through(
    requested, pl_director, pl_assistant, pl_worker, mother
):
    record_consent(pl_worker, mother, purpose="family_assistance", given_on=REQUESTED_ON, method="written")
    approved = approve_enrolment(pl_director, requested, assistant=pl_assistant, decided_on=STARTED_ON)
    assert approved.status == "active"


def test_a_consent_withdrawn_before_the_day_does_not_count(requested, pl_director, pl_assistant, pl_worker, mother):
    consent = record_consent(pl_worker, mother, purpose="family_assistance", given_on=REQUESTED_ON, method="written")
    withdraw_registry_consent(pl_worker, consent, withdrawn_on=STARTED_ON - dt.timedelta(days=1))
    before = _state()
    with pytest.raises(Conflict):
        approve_enrolment(pl_director, requested, assistant=pl_assistant, decided_on=STARTED_ON)
    assert _state() == before


def test_an_outsiders_consent_does_not_count(requested, pl_director, pl_assistant, pl_worker, outsider):
    record_consent(pl_worker, outsider, purpose="family_assistance", given_on=REQUESTED_ON, method="written")
    with pytest.raises(Conflict):
        approve_enrolment(pl_director, requested, assistant=pl_assistant, decided_on=STARTED_ON)


def test_a_statutory_enrolment_needs_it_and_a_court_order_does_not(case, pl_worker, pl_assistant):
    before = _state()
    with pytest.raises(Conflict) as refused:
        enrol_family(pl_worker, case=case, route="statutory", assistant=pl_assistant, started_on=STARTED_ON,
                     legal_basis="art. 11 ust. 1a")  # fmt: skip
    assert refused.value.code == "consent_required"
    assert _state() == before
    ordered = enrol_family(pl_worker, case=case, route="court_order", assistant=pl_assistant, started_on=STARTED_ON,
                           court_name="Sąd Rejonowy")  # fmt: skip
    assert ordered.status == "active" and not Consent.objects.exists()


def test_the_consent_given_with_the_approval_is_also_the_persons_in_the_registry(
    requested, pl_director, pl_assistant, mother
):
    approved = approve_enrolment(
        pl_director, requested, assistant=pl_assistant, decided_on=STARTED_ON,
        consent=ConsentInput(person=mother, given_on=STARTED_ON, method="written"),
    )  # fmt: skip
    registry = Consent.objects.get()
    assert (registry.person_id, registry.purpose, registry.given_on, registry.method) == (
        mother.pk, "family_assistance", STARTED_ON, "written",
    )  # fmt: skip
    assert registry.source == f"family_enrolment:{approved.pk}"


def test_withdrawing_on_the_family_page_withdraws_the_registry_consent(enrolment, pl_assistant, mother):
    family_consent = EnrolmentConsent.objects.get(enrolment=enrolment)
    day = STARTED_ON + dt.timedelta(days=5)
    withdraw_consent(pl_assistant, family_consent, withdrawn_on=day, note="Rezygnacja")
    registry = Consent.objects.get(person=mother, purpose="family_assistance")
    assert (registry.withdrawn_on, registry.withdrawn_by, registry.withdrawal_note) == (day, pl_assistant, "Rezygnacja")
