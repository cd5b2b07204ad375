"""API of consents, the register of processing activities and the breach log: answers, refusals (nothing
changed), scoping and the audit of consents read."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from socius.accounts.models import AuditEvent
from socius.accounts.roles import Role
from socius.privacy.models_registers import DataBreach, ProcessingActivity
from socius.registry.models import Consent
from socius.testing.factories import ConsentFactory, PersonFactory, UserFactory

V1 = "/api/v1"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def person(pl_centre):
    return PersonFactory(centre=pl_centre)


@pytest.fixture
def pl_dpo(pl_centre):
    return UserFactory(centre=pl_centre, role=Role.DATA_PROTECTION_OFFICER)


def test_a_consent_is_recorded_listed_and_withdrawn(pl_worker, person):
    client = api(pl_worker)
    created = client.post(f"{V1}/consents/", {"person": person.pk, "purpose": "photos", "given_on": "2025-03-01",
                                             "method": "written"}, format="json")  # fmt: skip
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["person"], body["purpose"], body["is_live"], body["recorded_by"]) == (
        person.pk, "photos", True, pl_worker.username,
    )  # fmt: skip
    listed = client.get(f"{V1}/consents/", {"person": person.pk, "live": "true"})
    assert [c["id"] for c in listed.json()["results"]] == [body["id"]]
    assert AuditEvent.objects.filter(object_type="consent", action="view", person_id=person.pk).exists()
    withdrawn = client.post(f"{V1}/consents/{body['id']}/withdraw/", {"withdrawn_on": "2025-04-01"}, format="json")
    assert withdrawn.status_code == 200 and withdrawn.json()["is_live"] is False
    again = client.post(f"{V1}/consents/{body['id']}/withdraw/", {"withdrawn_on": "2025-04-01"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "consent_withdrawn"


def test_a_second_live_consent_answers_409_and_bad_input_400_naming_the_field(pl_worker, person):
    ConsentFactory(person=person, purpose="photos")
    client = api(pl_worker)
    before = Consent.objects.count()
    conflict = client.post(f"{V1}/consents/", {"person": person.pk, "purpose": "photos", "given_on": "2025-03-01",
                                              "method": "written"}, format="json")  # fmt: skip
    assert conflict.status_code == 409 and conflict.json()["code"] == "consent_live"
    bad = client.post(f"{V1}/consents/", {"person": person.pk, "purpose": "nope", "given_on": "x"}, format="json")
    assert bad.status_code == 400 and {"purpose", "given_on", "method"} <= set(bad.json())
    assert Consent.objects.count() == before


def test_another_centre_gets_404_and_a_reader_403(md_worker, pl_auditor, person):
    consent = ConsentFactory(person=person)
    assert api(md_worker).get(f"{V1}/consents/{consent.pk}/").status_code == 404
    assert api(md_worker).get(f"{V1}/consents/").json()["results"] == []
    assert api(pl_auditor).get(f"{V1}/consents/{consent.pk}/").status_code == 200
    response = api(pl_auditor).post(f"{V1}/consents/{consent.pk}/withdraw/", {"withdrawn_on": "2025-04-01"},
                                    format="json")  # fmt: skip
    assert response.status_code == 403
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_the_register_and_the_breach_log_through_the_api(pl_dpo, pl_worker, pl_auditor):
    client = api(pl_dpo)
    seeded = client.post(f"{V1}/processing-activities/seed/")
    assert seeded.status_code == 200 and len(seeded.json()) == 5
    assert client.post(f"{V1}/processing-activities/seed/").json() == []
    pk = ProcessingActivity.objects.get(code="staff_and_audit").pk
    patched = client.patch(f"{V1}/processing-activities/{pk}/", {"is_active": False}, format="json")
    assert patched.status_code == 200 and patched.json()["is_active"] is False
    breach = client.post(f"{V1}/data-breaches/", {
        "title": "E-mail to the wrong person", "discovered_at": "2026-03-02T09:00:00Z", "nature": "confidentiality",
        "description": "A decision was sent to a namesake.", "data_categories": "Name, income", "subjects_count": 1,
        "consequences": "Disclosure of income", "measures": "Recipient asked to delete", "risk": "risk",
    }, format="json")  # fmt: skip
    assert breach.status_code == 201, breach.json()
    assert breach.json()["notification_due_at"].startswith("2026-03-05T")
    assert api(pl_auditor).get(f"{V1}/data-breaches/").json()["count"] == 1
    assert api(pl_worker).get(f"{V1}/data-breaches/").status_code == 403
    assert api(pl_auditor).post(f"{V1}/processing-activities/seed/").status_code == 403
    assert DataBreach.objects.count() == 1
