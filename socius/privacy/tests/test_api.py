"""The subject-access API: record (201, 400 naming the field), the director's approval (409 on self-approval and on
a second approval, nothing changed), the download of the ZIP (audited), refusal, delivery, the list and its audit,
and the permission matrix (worker, director, finance, another centre)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from socius.accounts.models import AuditAction, AuditEvent, AuditEventPerson
from socius.privacy.models import SubjectAccessRequest
from socius.privacy.statuses import SarStatus
from socius.testing.factories import PersonFactory

URL = "/api/v1/subject-access/"
pytestmark = pytest.mark.django_db


def api(user, language="en"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    return client


@pytest.fixture
def person(pl_centre):
    return PersonFactory(centre=pl_centre, first_name="Jan", last_name="Kowalski")


def _body(person, **kwargs):
    return {
        "person": person.pk,
        "received_on": timezone.localdate().isoformat(),
        "requester": "person",
        "channel": "in_person",
        **kwargs,
    }


def _state():
    return sorted(SubjectAccessRequest.objects.values_list("pk", "status", "approved_by", "export_state"))


def test_a_worker_records_a_request(pl_worker, person):
    response = api(pl_worker).post(URL, _body(person, language="ru"), format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["person"], body["status"], body["language"], body["download_url"]) == (
        person.pk,
        "requested",
        "ru",
        None,
    )
    assert body["received_by"]["username"] == "pl_worker"


def test_bad_input_answers_400_naming_the_field_and_writes_nothing(pl_worker, person):
    response = api(pl_worker).post(URL, _body(person, requester="neighbour", received_on="soon"), format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"requester", "received_on"}
    response = api(pl_worker).post(URL, _body(person, requester="representative"), format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"representative_name"}
    assert SubjectAccessRequest.objects.count() == 0


def test_another_centres_person_is_404(md_worker, person):
    response = api(md_worker).post(URL, _body(person), format="json")
    assert response.status_code == 404
    assert SubjectAccessRequest.objects.count() == 0


def test_the_director_approves_and_downloads_the_zip(
    pl_worker, pl_director, person, django_capture_on_commit_callbacks
):
    sar_id = api(pl_worker).post(URL, _body(person), format="json").json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        response = api(pl_director).post(f"{URL}{sar_id}/approve/", {}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["approved_by"]["username"]) == ("approved", "pl_director")
    shown = api(pl_director).get(f"{URL}{sar_id}/").json()
    assert shown["export_state"] == "ready"
    assert shown["download_url"].endswith(f"{URL}{sar_id}/download/")
    download = api(pl_director).get(f"{URL}{sar_id}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    content = b"".join(download.streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
    assert "manifest.json" in names and "Kowalski-Jan-subject-access.pdf" in names
    assert any(n.endswith("registry.Person.json") for n in names)
    exports = AuditEvent.objects.filter(object_type="subject_access_request", action=AuditAction.EXPORT)
    assert sorted(exports.values_list("person_id", "changes__sha256__1")) == [
        (person.pk, shown["export_sha256"]),
        (person.pk, shown["export_sha256"]),
    ]


def test_409s_self_approval_and_second_approval_with_nothing_changed(
    pl_worker, pl_director, person, django_capture_on_commit_callbacks
):
    own = api(pl_director).post(URL, _body(person), format="json").json()["id"]
    before = _state()
    response = api(pl_director).post(f"{URL}{own}/approve/", {}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "self_approval")
    assert _state() == before
    other = api(pl_worker).post(URL, _body(person), format="json").json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        assert api(pl_director).post(f"{URL}{other}/approve/", {}, format="json").status_code == 200
    before = _state()
    response = api(pl_director).post(f"{URL}{other}/approve/", {}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "invalid_transition")
    response = api(pl_director).post(f"{URL}{other}/refuse/", {"reason": "No"}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "invalid_transition")
    assert _state() == before


def test_refusal_needs_a_reason_and_download_is_then_409(pl_worker, pl_director, person):
    sar_id = api(pl_worker).post(URL, _body(person), format="json").json()["id"]
    response = api(pl_director).post(f"{URL}{sar_id}/refuse/", {}, format="json")
    assert (response.status_code, set(response.json())) == (400, {"reason"})
    response = api(pl_director).post(f"{URL}{sar_id}/refuse/", {"reason": "Art. 12(5): unfounded"}, format="json")
    assert (response.status_code, response.json()["status"], response.json()["refusal_reason"]) == (
        200,
        "refused",
        "Art. 12(5): unfounded",
    )
    response = api(pl_director).get(f"{URL}{sar_id}/download/")
    assert (response.status_code, response.json()["code"]) == (409, "export_not_ready")


def test_delivery_by_the_recorder(pl_worker, pl_director, person, django_capture_on_commit_callbacks):
    sar_id = api(pl_worker).post(URL, _body(person), format="json").json()["id"]
    response = api(pl_worker).post(f"{URL}{sar_id}/deliver/", {}, format="json")
    assert response.status_code == 409
    with django_capture_on_commit_callbacks(execute=True):
        api(pl_director).post(f"{URL}{sar_id}/approve/", {}, format="json")
    response = api(pl_worker).post(f"{URL}{sar_id}/deliver/", {}, format="json")
    assert (response.status_code, response.json()["status"]) == (200, SarStatus.DELIVERED)


def test_permission_matrix(pl_worker, pl_worker2, pl_director, pl_finance, md_director, person):
    sar_id = api(pl_worker).post(URL, _body(person), format="json").json()["id"]
    assert api(pl_finance).get(URL).status_code == 403
    assert api(pl_finance).post(URL, _body(person), format="json").status_code == 403
    assert api(pl_worker).post(f"{URL}{sar_id}/approve/", {}, format="json").status_code == 403
    assert api(pl_worker2).get(f"{URL}{sar_id}/").status_code == 404
    assert api(md_director).get(f"{URL}{sar_id}/").status_code == 404
    assert api(md_director).post(f"{URL}{sar_id}/approve/", {}, format="json").status_code == 404
    assert api(pl_worker2).get(URL).json()["results"] == []
    assert SubjectAccessRequest.objects.get().status == SarStatus.REQUESTED


def test_the_list_filters_by_status_and_is_audited_under_the_persons_shown(pl_worker, pl_director, person, pl_centre):
    other = PersonFactory(centre=pl_centre)
    first = api(pl_worker).post(URL, _body(person), format="json").json()["id"]
    second = api(pl_worker).post(URL, _body(other), format="json").json()["id"]
    api(pl_director).post(f"{URL}{second}/refuse/", {"reason": "Duplicate"}, format="json")
    AuditEvent.objects.all().delete()
    response = api(pl_director).get(URL, {"status": "requested"})
    assert [r["id"] for r in response.json()["results"]] == [first]
    [event] = AuditEvent.objects.all()
    assert (event.action, event.object_type, event.person_id) == (AuditAction.VIEW, "subject_access_request", person.pk)
    response = api(pl_director).get(URL)
    assert {r["id"] for r in response.json()["results"]} == {first, second}
    listed = AuditEvent.objects.order_by("-id").first()
    shown = set(AuditEventPerson.objects.filter(event=listed).values_list("person_id", flat=True))
    assert (listed.person_id, shown) == (None, {person.pk, other.pk})
