"""Case page: documents (attach with type and size checks, list, download only for content readers,
audited, remove softly); never reachable through a media URL."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from socius.accounts.models import AuditEvent
from socius.casework.models import CaseEvent, CaseEventKind
from socius.casework.models_documents import CaseDocument
from socius.casework.services import attach_document
from socius.casework.tests.factories import CaseFactory
from socius.testing.factories import TeamFactory

OPEN_ALL = {"open": "all"}  # the case page with every section drawn (they load lazily otherwise)

PDF = b"%PDF-1.4\nsecret content of the decision\n%%EOF\n"
EXE = b"MZ\x90\x00" + b"\x00" * 64


@pytest.fixture
def family_team(pl_centre, pl_worker, pl_worker2, pl_teamlead):
    team = TeamFactory(centre=pl_centre, problem_group="family", name="Family")
    team.members.add(pl_worker, pl_worker2, pl_teamlead)
    return team


@pytest.fixture
def case(pl_centre, pl_worker, family_team):
    return CaseFactory(centre=pl_centre, assigned_worker=pl_worker, team=family_team)


@pytest.fixture
def document(case, pl_worker):
    return attach_document(
        pl_worker, case.pk, SimpleUploadedFile("Zaświadczenie Nowak.pdf", PDF), kind="scan", title="Certificate"
    )


def login(client, user):
    client.force_login(user)
    return client


def test_case_page_lists_documents_with_upload_form(client, pl_worker, case, document):
    html = login(client, pl_worker).get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL).content.decode()
    assert 'id="h-documents"' in html and 'enctype="multipart/form-data"' in html
    assert reverse("web:case_document_attach", args=[case.pk]) in html
    assert reverse("web:case_document_download", args=[document.pk]) in html
    assert reverse("web:case_document_remove", args=[document.pk]) in html
    assert "Certificate" in html and "Scan" in html and "bytes" in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_size_is_shown_in_the_users_language(client, pl_worker, case):
    attach_document(pl_worker, case.pk, SimpleUploadedFile("big.pdf", PDF + b"0" * 2000), kind="pdf", title="Big")
    pl_worker.language = "pl"
    pl_worker.save(update_fields=["language"])
    html = login(client, pl_worker).get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL).content.decode()
    assert "2,0\xa0KB" in html or "2,0 KB" in html  # Polish decimal comma


def test_case_page_query_count_does_not_grow_with_documents(
    client, pl_worker, case, document, django_assert_max_num_queries
):
    login(client, pl_worker)
    client.get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL)
    for i in range(5):
        attach_document(pl_worker, case.pk, SimpleUploadedFile(f"d{i}.pdf", PDF), kind="pdf", title=f"D{i}")
    # +2: the audit event's place in its centre's hash chain (decision 0020)
    with django_assert_max_num_queries(42) as captured:
        client.get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL)
    few = len(captured.captured_queries)
    for i in range(5):
        attach_document(pl_worker, case.pk, SimpleUploadedFile(f"e{i}.pdf", PDF), kind="pdf", title=f"E{i}")
    with django_assert_max_num_queries(few):
        client.get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL)


def test_attach_through_the_page(client, pl_worker, case):
    response = login(client, pl_worker).post(
        reverse("web:case_document_attach", args=[case.pk]),
        {"file": SimpleUploadedFile("skan.pdf", PDF), "kind": "scan", "title": "Scan of ID"},
    )
    assert response.status_code == 302
    document = CaseDocument.objects.get(case=case)
    assert document.title == "Scan of ID" and document.original_name == "skan.pdf"


def test_a_pdf_that_is_an_exe_is_refused_with_the_files_name(client, pl_worker, case):
    response = login(client, pl_worker).post(
        reverse("web:case_document_attach", args=[case.pk]),
        {"file": SimpleUploadedFile("invoice.pdf", EXE, content_type="application/pdf"), "kind": "pdf"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="document_file-errors"' in html and "invoice.pdf" in html
    assert "named as a PDF, but its content is not a PDF" in html and "attach a PDF" not in html
    assert not CaseDocument.objects.exists()


def test_too_large_is_refused(client, pl_worker, case, settings):
    settings.SOCIUS_DOCUMENT_MAX_BYTES = 10
    response = login(client, pl_worker).post(
        reverse("web:case_document_attach", args=[case.pk]), {"file": SimpleUploadedFile("a.pdf", PDF), "kind": "pdf"}
    )
    assert response.status_code == 400 and "too large" in response.content.decode()
    assert not CaseDocument.objects.exists()


def test_other_centre_gets_404_everywhere(client, md_worker, case, document):
    login(client, md_worker)
    assert client.get(reverse("web:case_document_download", args=[document.pk])).status_code == 404
    assert client.post(reverse("web:case_document_remove", args=[document.pk])).status_code == 404
    response = client.post(
        reverse("web:case_document_attach", args=[case.pk]), {"file": SimpleUploadedFile("a.pdf", PDF), "kind": "pdf"}
    )
    assert response.status_code == 404
    assert CaseDocument.objects.count() == 1


def test_colleague_without_content_gets_403_and_no_bytes(client, pl_worker2, pl_finance, case, document):
    for user in (pl_worker2, pl_finance):
        response = login(client, user).get(reverse("web:case_document_download", args=[document.pk]))
        assert response.status_code == 403
        assert b"secret content" not in b"".join(getattr(response, "streaming_content", [response.content]))
    assert not AuditEvent.objects.filter(object_type="case_document", action="view").exists()
    # The case page shows no documents section to them either.
    html = client.get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL).content.decode()
    assert 'id="h-documents"' not in html and "Certificate" not in html


def test_download_streams_the_file_as_an_attachment_and_is_audited(client, pl_teamlead, document):
    response = login(client, pl_teamlead).get(reverse("web:case_document_download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Za%C5%9Bwiadczenie%20Nowak.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    audit = AuditEvent.objects.filter(object_type="case_document", action="view").get()
    assert (audit.actor, audit.object_id) == (pl_teamlead, document.pk)


def test_remove_hides_the_document_and_keeps_the_row(client, pl_worker, case, document):
    login(client, pl_worker)
    response = client.post(reverse("web:case_document_remove", args=[document.pk]))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.is_deleted
    html = client.get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL).content.decode()
    assert reverse("web:case_document_download", args=[document.pk]) not in html
    assert "Document removed" in html  # on the timeline
    assert client.get(reverse("web:case_document_download", args=[document.pk])).status_code == 404
    assert CaseEvent.objects.filter(case=case, kind=CaseEventKind.DOCUMENT_REMOVED).count() == 1


def test_remove_needs_a_post_and_casework(client, pl_worker, pl_auditor, document):
    login(client, pl_worker)
    assert client.get(reverse("web:case_document_remove", args=[document.pk])).status_code == 405
    login(client, pl_auditor)
    assert client.post(reverse("web:case_document_remove", args=[document.pk])).status_code == 403
    document.refresh_from_db()
    assert not document.is_deleted


def test_no_media_url_serves_documents(client, pl_worker, document):
    login(client, pl_worker)
    assert not settings.MEDIA_URL or settings.MEDIA_URL == "/"
    for prefix in ("/media/", "/static/", "/"):
        response = client.get(prefix + document.file.name)
        assert response.status_code == 404


def test_forms_carry_a_working_csrf_token(pl_worker, case, document):
    client = Client(enforce_csrf_checks=True)
    client.force_login(pl_worker)
    html = client.get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL).content.decode()
    marker = 'name="csrfmiddlewaretoken" value="'
    token = html.split(marker, 1)[1].split('"', 1)[0]
    assert len(token) > 20
    response = client.post(reverse("web:case_document_remove", args=[document.pk]), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
