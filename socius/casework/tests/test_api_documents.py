"""API: /api/v1/case-documents/ — multipart create (type and size checked), list by case, metadata,
download (audited, 403 without content with no bytes, 404 outside the centre), DELETE as soft removal."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from socius.accounts.models import AuditEvent
from socius.casework.models_documents import CaseDocument
from socius.casework.services import attach_document
from socius.casework.tests.factories import CaseFactory
from socius.testing.factories import consenting_member

URL = "/api/v1/case-documents/"
PDF = b"%PDF-1.4\nsecret bytes\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def case(pl_centre, pl_worker, family_team):
    return CaseFactory(centre=pl_centre, assigned_worker=pl_worker, team=family_team)


@pytest.fixture
def document(case, pl_worker):
    return attach_document(pl_worker, case.pk, SimpleUploadedFile("letter.pdf", PDF), kind="letter", title="Letter")


def test_multipart_create_returns_metadata(case, pl_worker):
    consenting_member(case.household, "photos")  # a photo needs a household member's consent (decision 0024)
    response = api(pl_worker).post(
        URL,
        {"case": case.pk, "kind": "photo", "title": "Kitchen", "file": SimpleUploadedFile("k.png", PNG)},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["case"] == case.pk and body["kind"] == "photo" and body["title"] == "Kitchen"
    assert body["content_type"] == "image/png" and body["size"] == len(PNG) and body["original_name"] == "k.png"
    assert "file" not in body  # no storage path or URL leaks out
    assert CaseDocument.objects.get().uploaded_by == pl_worker


def test_create_refuses_a_disguised_file_with_a_field_message(case, pl_worker):
    response = api(pl_worker).post(
        URL,
        {"case": case.pk, "kind": "pdf", "file": SimpleUploadedFile("x.pdf", b"<html></html>", "application/pdf")},
        format="multipart",
    )
    assert response.status_code == 400 and "x.pdf" in response.json()["file"][0]
    assert not CaseDocument.objects.exists()


def test_create_refuses_missing_file_and_bad_kind(case, pl_worker):
    response = api(pl_worker).post(URL, {"case": case.pk, "kind": "passport"}, format="multipart")
    assert response.status_code == 400 and set(response.json()) == {"file", "kind"}


def test_create_too_large_is_400(case, pl_worker, settings):
    settings.SOCIUS_DOCUMENT_MAX_BYTES = 8
    response = api(pl_worker).post(
        URL, {"case": case.pk, "kind": "pdf", "file": SimpleUploadedFile("a.pdf", PDF)}, format="multipart"
    )
    assert response.status_code == 400 and "file" in response.json()


def test_create_permissions(case, pl_worker2, pl_auditor, md_worker):
    data = {"case": case.pk, "kind": "pdf"}
    for user, code in ((pl_worker2, 403), (pl_auditor, 403), (md_worker, 404)):
        response = api(user).post(URL, {**data, "file": SimpleUploadedFile("a.pdf", PDF)}, format="multipart")
        assert response.status_code == code
    assert not CaseDocument.objects.exists()


def test_list_by_case_and_read(case, pl_worker, pl_worker2, md_worker, document, django_assert_max_num_queries):
    client = api(pl_worker)
    with django_assert_max_num_queries(10):
        response = client.get(URL, {"case": case.pk})
    assert response.status_code == 200 and [d["id"] for d in response.json()["results"]] == [document.pk]
    assert client.get(URL).json()["count"] == 1
    assert client.get(f"{URL}{document.pk}/").json()["title"] == "Letter"
    assert api(pl_worker2).get(URL).json()["count"] == 0
    assert api(pl_worker2).get(URL, {"case": case.pk}).status_code == 403
    assert api(pl_worker2).get(f"{URL}{document.pk}/").status_code == 403
    assert api(md_worker).get(f"{URL}{document.pk}/").status_code == 404
    assert api(md_worker).get(URL, {"case": case.pk}).status_code == 404


def test_download_is_audited_and_guarded(pl_teamlead, pl_worker2, md_worker, document):
    response = api(pl_teamlead).get(f"{URL}{document.pk}/download/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;") and "letter.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff" and "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(object_type="case_document", action="view", actor=pl_teamlead).count() == 1

    denied = api(pl_worker2).get(f"{URL}{document.pk}/download/")
    assert denied.status_code == 403 and b"secret bytes" not in denied.content
    assert api(md_worker).get(f"{URL}{document.pk}/download/").status_code == 404
    assert AuditEvent.objects.filter(object_type="case_document", action="view").count() == 1


def test_delete_is_soft(pl_worker, pl_worker2, document):
    assert api(pl_worker2).delete(f"{URL}{document.pk}/").status_code == 403
    assert api(pl_worker).delete(f"{URL}{document.pk}/").status_code == 204
    document.refresh_from_db()
    assert document.is_deleted and CaseDocument.objects.filter(pk=document.pk).exists()
    assert api(pl_worker).get(f"{URL}{document.pk}/").status_code == 404
    assert api(pl_worker).get(f"{URL}{document.pk}/download/").status_code == 404
    assert api(pl_worker).delete(f"{URL}{document.pk}/").status_code == 404


def test_no_put_or_patch(pl_worker, document):
    assert api(pl_worker).patch(f"{URL}{document.pk}/", {"title": "x"}, format="multipart").status_code == 405
