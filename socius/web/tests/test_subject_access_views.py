"""Subject-access pages: the request form from the person page, the director's queue, approval (the export then
downloadable), refusal, delivery; who sees which button; every page audited under the person."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from socius.accounts.models import AuditAction, AuditEvent
from socius.accounts.roles import Role
from socius.privacy import services
from socius.privacy.models import SubjectAccessRequest
from socius.privacy.statuses import SarStatus
from socius.testing.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(pl_centre):
    return PersonFactory(centre=pl_centre, first_name="Ewa", last_name="Lis")


def _as(client, user):
    client.force_login(user)
    return client


def _request(worker, person):
    return services.record_subject_access_request(
        worker, person.pk, received_on=timezone.localdate(), requester="person", channel="letter"
    )


def test_the_person_page_offers_the_request_to_those_who_record_them(client, pl_worker, pl_finance, person):
    link = reverse("web:subject_access_new", args=[person.pk])
    assert link in _as(client, pl_worker).get(reverse("web:person_detail", args=[person.pk])).content.decode()
    assert link not in _as(client, pl_finance).get(reverse("web:person_detail", args=[person.pk])).content.decode()


def test_a_worker_records_a_request_from_the_form(client, pl_worker, person):
    url = reverse("web:subject_access_new", args=[person.pk])
    page = _as(client, pl_worker).get(url)
    assert page.status_code == 200 and 'name="received_on"' in page.content.decode()
    response = client.post(
        url,
        {
            "received_on": timezone.localdate().strftime("%d.%m.%Y"),
            "requester": "representative",
            "representative_name": "Adam Lis, guardian",
            "channel": "letter",
            "language": "pl",
        },
    )
    sar = SubjectAccessRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse("web:subject_access_detail", args=[sar.pk])
    assert (sar.person, sar.received_by, sar.representative_name) == (person, pl_worker, "Adam Lis, guardian")


def test_a_future_date_is_shown_beside_its_field_and_nothing_is_written(client, pl_worker, person):
    future = timezone.localdate() + dt.timedelta(days=3)
    response = _as(client, pl_worker).post(
        reverse("web:subject_access_new", args=[person.pk]),
        {"received_on": future.strftime("%d.%m.%Y"), "requester": "person", "channel": "letter", "language": "pl"},
    )
    assert response.status_code == 200
    assert "id_received_on-errors" in response.content.decode()
    assert response.context["form"].errors["received_on"]
    assert SubjectAccessRequest.objects.count() == 0


def test_the_director_approves_from_the_queue_and_downloads_the_export(
    client, pl_worker, pl_director, person, django_capture_on_commit_callbacks
):
    sar = _request(pl_worker, person)
    queue = _as(client, pl_director).get(reverse("web:subject_access_list"))
    assert reverse("web:subject_access_detail", args=[sar.pk]) in queue.content.decode()
    detail = client.get(reverse("web:subject_access_detail", args=[sar.pk]))
    assert reverse("web:subject_access_approve", args=[sar.pk]) in detail.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("web:subject_access_approve", args=[sar.pk]))
    assert response.status_code == 302
    sar.refresh_from_db()
    assert (sar.status, sar.export_state) == (SarStatus.APPROVED, "ready")
    detail = client.get(reverse("web:subject_access_detail", args=[sar.pk])).content.decode()
    assert reverse("web:subject_access_download", args=[sar.pk]) in detail
    download = client.get(reverse("web:subject_access_download", args=[sar.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as archive:
        assert "Lis-Ewa-subject-access.pdf" in archive.namelist()
    assert (
        AuditEvent.objects.filter(
            object_type="subject_access_request", action=AuditAction.EXPORT, actor=pl_director, person_id=person.pk
        ).count()
        == 2
    )  # produced, downloaded
    assert client.get(reverse("web:subject_access_list")).context["page_obj"].object_list == []


def test_the_recorder_cannot_approve_and_is_told_why(client, pl_director, person):
    sar = _request(pl_director, person)
    detail = _as(client, pl_director).get(reverse("web:subject_access_detail", args=[sar.pk])).content.decode()
    assert reverse("web:subject_access_approve", args=[sar.pk]) not in detail
    client.post(reverse("web:subject_access_approve", args=[sar.pk]))
    sar.refresh_from_db()
    assert sar.status == SarStatus.REQUESTED


def test_the_director_refuses_with_a_reason(client, pl_worker, pl_director, person):
    sar = _request(pl_worker, person)
    _as(client, pl_director).post(reverse("web:subject_access_refuse", args=[sar.pk]), {"reason": ""})
    sar.refresh_from_db()
    assert sar.status == SarStatus.REQUESTED
    client.post(reverse("web:subject_access_refuse", args=[sar.pk]), {"reason": "Identity not confirmed"})
    sar.refresh_from_db()
    assert (sar.status, sar.refusal_reason) == (SarStatus.REFUSED, "Identity not confirmed")


def test_the_dpo_reads_the_request_but_does_not_download_it(
    client, pl_centre, pl_worker, pl_director, person, django_capture_on_commit_callbacks
):
    dpo = UserFactory(username="pl_dpo", centre=pl_centre, role=Role.DATA_PROTECTION_OFFICER)
    sar = _request(pl_worker, person)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_subject_access_request(pl_director, sar.pk)
    detail = _as(client, dpo).get(reverse("web:subject_access_detail", args=[sar.pk]))
    assert detail.status_code == 200
    assert reverse("web:subject_access_download", args=[sar.pk]) not in detail.content.decode()
    assert client.get(reverse("web:subject_access_download", args=[sar.pk])).status_code == 403
    viewed = AuditEvent.objects.filter(object_type="subject_access_request", action=AuditAction.VIEW, actor=dpo)
    assert list(viewed.values_list("object_id", "person_id")) == [(sar.pk, person.pk)]


def test_another_worker_and_another_centre_do_not_find_the_request(client, pl_worker, pl_worker2, md_director, person):
    sar = _request(pl_worker, person)
    assert _as(client, pl_worker2).get(reverse("web:subject_access_detail", args=[sar.pk])).status_code == 404
    assert _as(client, md_director).get(reverse("web:subject_access_detail", args=[sar.pk])).status_code == 404
    assert client.post(reverse("web:subject_access_approve", args=[sar.pk])).status_code == 404
    sar.refresh_from_db()
    assert sar.status == SarStatus.REQUESTED


def test_delivery_is_recorded_from_the_request_page(
    client, pl_worker, pl_director, person, django_capture_on_commit_callbacks
):
    sar = _request(pl_worker, person)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_subject_access_request(pl_director, sar.pk)
    detail = _as(client, pl_worker).get(reverse("web:subject_access_detail", args=[sar.pk])).content.decode()
    assert reverse("web:subject_access_deliver", args=[sar.pk]) in detail
    client.post(reverse("web:subject_access_deliver", args=[sar.pk]))
    sar.refresh_from_db()
    assert (sar.status, sar.delivered_by) == (SarStatus.DELIVERED, pl_worker)
