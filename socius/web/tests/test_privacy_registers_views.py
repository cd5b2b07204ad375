"""The consents section of the person's page, the data protection pages (register, breach log) and the DPO's
home: what each role sees and may do, the audit of what shows a person's data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from socius.accounts.models import AuditEvent
from socius.accounts.roles import Role
from socius.privacy.models_registers import DataBreach, ProcessingActivity
from socius.registry.models import Consent
from socius.testing.factories import ConsentFactory, PersonFactory, UserFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def person(pl_centre):
    return PersonFactory(centre=pl_centre, first_name="Anna", last_name="Nowak")


@pytest.fixture
def pl_dpo(pl_centre):
    return UserFactory(centre=pl_centre, role=Role.DATA_PROTECTION_OFFICER, username="pl_dpo")


def test_the_person_page_loads_the_consents_section_when_revealed(client, pl_worker, person):
    client.force_login(pl_worker)
    page = client.get(reverse("web:person_detail", args=[person.pk])).content.decode()
    assert reverse("web:person_consents_section", args=[person.pk]) in page
    assert reverse("web:person_consents", args=[person.pk]) in page


def test_the_section_lists_the_history_and_is_audited_under_the_person(client, pl_worker, person):
    ConsentFactory(person=person, purpose="photos", given_on=dt.date(2024, 1, 2), withdrawn_on=dt.date(2024, 5, 1))
    ConsentFactory(person=person, purpose="photos", given_on=dt.date(2024, 6, 2))
    client.force_login(pl_worker)
    response = client.get(reverse("web:person_consents_section", args=[person.pk]), **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("consent-") >= 2 and "Record a consent" in body
    event = AuditEvent.objects.filter(object_type="consent", action="view").get()
    assert event.person_id == person.pk


def test_a_worker_records_and_withdraws_a_consent_from_the_section(client, pl_worker, person):
    client.force_login(pl_worker)
    url = reverse("web:person_consent_new", args=[person.pk])
    response = client.post(url, {"purpose": "photos", "given_on": "2025-03-01", "method": "written"}, **HTMX)
    assert response.status_code == 200 and "The consent is recorded." in response.content.decode()
    consent = Consent.objects.get()
    assert (consent.person_id, consent.purpose, consent.recorded_by) == (person.pk, "photos", pl_worker)
    response = client.post(reverse("web:person_consent_withdraw", args=[consent.pk]),
                           {"withdrawn_on": "2025-04-01", "note": "No longer"}, **HTMX)  # fmt: skip
    assert response.status_code == 200
    consent.refresh_from_db()
    assert consent.withdrawn_on == dt.date(2025, 4, 1)


def test_a_second_live_consent_is_refused_in_the_section_with_409(client, pl_worker, person):
    ConsentFactory(person=person, purpose="photos")
    client.force_login(pl_worker)
    response = client.post(reverse("web:person_consent_new", args=[person.pk]),
                           {"purpose": "photos", "given_on": "2025-03-01", "method": "written"}, **HTMX)  # fmt: skip
    assert response.status_code == 409 and "withdraw it first" in response.content.decode()
    assert Consent.objects.count() == 1


def test_without_javascript_a_refusal_draws_the_consents_page(client, pl_worker, person):
    client.force_login(pl_worker)
    response = client.post(reverse("web:person_consent_new", args=[person.pk]), {"purpose": "x"})
    assert response.status_code == 400 and "Consents of Anna Nowak" in response.content.decode()
    assert not Consent.objects.exists()


def test_an_auditor_reads_but_may_not_record_and_another_centre_gets_404(client, pl_auditor, md_worker, person):
    client.force_login(pl_auditor)
    body = client.get(reverse("web:person_consents", args=[person.pk])).content.decode()
    assert "Record a consent" not in body
    assert client.post(reverse("web:person_consent_new", args=[person.pk]), {}).status_code == 403
    client.force_login(md_worker)
    assert client.get(reverse("web:person_consents", args=[person.pk])).status_code == 404
    consent = ConsentFactory(person=person)
    response = client.post(reverse("web:person_consent_withdraw", args=[consent.pk]), {"withdrawn_on": "2025-04-01"})
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_the_dpos_home_is_the_privacy_page_and_the_menu_offers_it(client, pl_dpo, pl_worker):
    client.force_login(pl_dpo)
    body = client.get(reverse("web:home")).content.decode()
    assert "Register of processing activities" in body and reverse("web:privacy_home") in body
    client.force_login(pl_worker)
    assert reverse("web:privacy_home") not in client.get(reverse("web:home")).content.decode()
    assert client.get(reverse("web:privacy_home")).status_code == 403


def test_the_dpo_seeds_edits_prints_and_exports_the_register(client, pl_dpo):
    client.force_login(pl_dpo)
    assert client.post(reverse("web:processing_register_seed")).status_code == 302
    assert ProcessingActivity.objects.count() == 5
    activity = ProcessingActivity.objects.get(code="social_assistance")
    page = client.get(reverse("web:processing_register")).content.decode()
    assert "Udzielanie pomocy społecznej" in page
    edit = reverse("web:processing_activity_edit", args=[activity.pk])
    assert client.get(edit).status_code == 200
    data = {f: getattr(activity, f) for f in activity.EDITABLE_FIELDS}
    data.update(retention="5 lat", is_active="on")
    assert client.post(edit, data).status_code == 302
    activity.refresh_from_db()
    assert activity.retention == "5 lat"
    assert client.post(edit, {**data, "name": ""}).status_code == 400
    csv = client.get(reverse("web:processing_register") + "?export=csv")
    assert csv.status_code == 200 and "Udzielanie pomocy społecznej" in csv.content.decode("utf-8-sig")
    pdf = client.get(reverse("web:processing_register_pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    exports = AuditEvent.objects.filter(object_type="processing_activity", action="export")
    assert sorted(e.changes["format"][1] for e in exports) == ["csv", "pdf"]


def test_the_dpo_records_a_breach_and_completes_its_notification(client, pl_dpo, pl_auditor):
    client.force_login(pl_dpo)
    discovered = timezone.localtime() - dt.timedelta(hours=100)
    data = {
        "title": "Lost laptop", "discovered_at": discovered.strftime("%Y-%m-%d %H:%M"), "nature": "confidentiality",
        "description": "Stolen", "data_categories": "Names", "subjects_count": "120", "consequences": "Disclosure",
        "measures": "Encrypted disk", "risk": "risk",
    }  # fmt: skip
    response = client.post(reverse("web:breach_new"), data)
    assert response.status_code == 302
    breach = DataBreach.objects.get()
    assert breach.notification_due_at == breach.discovered_at + dt.timedelta(hours=72)
    body = client.get(reverse("web:breach_log")).content.decode()
    assert "Lost laptop" in body and "overdue" in body
    late = (discovered + dt.timedelta(hours=90)).strftime("%Y-%m-%d %H:%M")
    edit = reverse("web:breach_edit", args=[breach.pk])
    assert client.post(edit, {**data, "notified_at": late}).status_code == 400
    breach.refresh_from_db()
    assert breach.notified_at is None
    assert client.post(edit, {**data, "notified_at": late, "delay_reason": "Weekend"}).status_code == 302
    breach.refresh_from_db()
    assert breach.notified_in_time is False
    client.force_login(pl_auditor)
    assert client.get(reverse("web:breach_detail", args=[breach.pk])).status_code == 200
    assert client.get(edit).status_code == 403
