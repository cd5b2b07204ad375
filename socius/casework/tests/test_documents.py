"""Case documents: type checked by content, size limit, soft removal, permissions, timeline and audit."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from socius.accounts.models import AuditEvent
from socius.casework.models import CaseEvent, CaseEventKind
from socius.casework.models_documents import CaseDocument
from socius.casework.selectors_documents import documents_readable_by, get_document_for, open_document_for
from socius.casework.services import attach_document, change_case_status, remove_document
from socius.casework.services.documents import sniff_content_type
from socius.casework.statuses import CaseStatus, ClosureReason
from socius.casework.tests.factories import CaseFactory
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.testing.factories import consenting_member

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
TIFF_LE = b"II*\x00" + b"\x00" * 16
TIFF_BE = b"MM\x00*" + b"\x00" * 16
EXE = b"MZ\x90\x00\x03" + b"\x00" * 64
HTML = b"<html><script>alert(1)</script></html>"


def upload(content=PDF, name="Decyzja Nowak.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def case(pl_centre, pl_worker, family_team):
    return CaseFactory(centre=pl_centre, assigned_worker=pl_worker, team=family_team)


def _state(case):
    return (
        list(CaseDocument.objects.filter(case=case).values_list("id", "is_deleted")),
        CaseEvent.objects.filter(case=case).count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (PDF, "application/pdf"),
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (TIFF_LE, "image/tiff"),
        (TIFF_BE, "image/tiff"),
        (EXE, None),
        (HTML, None),
        (b"", None),
    ],
)
def test_sniff_content_type_reads_magic_bytes(head, expected):
    assert sniff_content_type(head) == expected


def test_attach_stores_under_an_anonymous_name_with_event_and_audit(case, pl_worker):
    document = attach_document(pl_worker, case.pk, upload(), kind="pdf", title=" Decision ")

    assert (document.title, document.kind, document.original_name) == ("Decision", "pdf", "Decyzja Nowak.pdf")
    assert (document.content_type, document.size) == ("application/pdf", len(PDF))
    assert len(document.sha256) == 64 and document.uploaded_by == pl_worker
    name = document.file.name
    assert name.startswith(f"documents/{case.centre_id}/") and name.endswith(".pdf")
    assert "Nowak" not in name and "Decyzja" not in name and case.reference not in name
    with document.file.open("rb") as fh:
        assert fh.read() == PDF
    event = CaseEvent.objects.filter(case=case).latest("id")
    assert (event.kind, event.actor, event.data) == (
        CaseEventKind.DOCUMENT_ATTACHED,
        pl_worker,
        {"document": document.pk, "title": "Decision", "kind": "pdf"},
    )
    audit = AuditEvent.objects.latest("id")
    assert (audit.action, audit.object_type, audit.object_id) == ("create", "case_document", document.pk)
    assert audit.changes["content_type"] == [None, "application/pdf"]


def test_title_defaults_to_the_file_name(case, pl_worker):
    consenting_member(case.household, "photos")  # a photo needs a household member's consent (decision 0024)
    document = attach_document(
        pl_worker, case.pk, upload(PNG, "photo of flat.png", "image/png"), kind="photo", title=""
    )
    assert document.title == "photo of flat" and document.file.name.endswith(".png")


@pytest.mark.parametrize(
    ("content", "name", "header"),
    [
        (EXE, "decision.pdf", "application/pdf"),  # an executable renamed .pdf
        (HTML, "scan.pdf", "application/pdf"),  # HTML that would run in a browser
        (HTML, "scan.png", "image/png"),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_written(case, pl_worker, content, name, header):
    before = _state(case)
    with pytest.raises(ValidationFailed) as exc:
        attach_document(pl_worker, case.pk, upload(content, name, header), kind="pdf", title="x")
    assert name in str(exc.value.errors["file"][0])
    assert _state(case) == before


def test_too_large_a_file_is_refused(case, pl_worker, settings):
    settings.SOCIUS_DOCUMENT_MAX_BYTES = 1024
    before = _state(case)
    with pytest.raises(ValidationFailed) as exc:
        attach_document(pl_worker, case.pk, upload(PDF + b"0" * 1024), kind="pdf", title="big")
    assert "too large" in str(exc.value.errors["file"][0])
    assert _state(case) == before


def test_a_type_left_out_of_the_settings_is_refused(case, pl_worker, settings):
    settings.SOCIUS_DOCUMENT_TYPES = ["application/pdf"]
    with pytest.raises(ValidationFailed) as exc:
        attach_document(pl_worker, case.pk, upload(PNG, "a.png", "image/png"), kind="photo", title="x")
    assert set(exc.value.errors) == {"file"}


def test_empty_file_bad_kind_and_long_title_are_field_errors(case, pl_worker):
    with pytest.raises(ValidationFailed) as exc:
        attach_document(pl_worker, case.pk, upload(b"", "empty.pdf"), kind="passport", title="x" * 201)
    assert set(exc.value.errors) == {"file", "kind", "title"}
    assert not CaseDocument.objects.exists()


def test_other_centre_is_not_found_and_colleague_without_content_forbidden(case, md_worker, pl_worker2):
    with pytest.raises(NotFound):
        attach_document(md_worker, case.pk, upload(), kind="pdf", title="x")
    with pytest.raises(Forbidden):
        attach_document(pl_worker2, case.pk, upload(), kind="pdf", title="x")
    assert not CaseDocument.objects.exists()


def test_closed_case_refuses_attach_and_remove(case, pl_worker):
    document = attach_document(pl_worker, case.pk, upload(), kind="pdf", title="x")
    change_case_status(pl_worker, case.pk, CaseStatus.CLOSED, reason=ClosureReason.values[0])
    before = _state(case)
    with pytest.raises(Conflict):
        attach_document(pl_worker, case.pk, upload(), kind="pdf", title="y")
    with pytest.raises(Conflict):
        remove_document(pl_worker, document.pk)
    assert _state(case) == before


def test_remove_is_soft_audited_and_hides_the_document(case, pl_worker):
    document = attach_document(pl_worker, case.pk, upload(), kind="pdf", title="x")
    remove_document(pl_worker, document.pk)

    document.refresh_from_db()
    assert document.is_deleted and document.deleted_by == pl_worker and document.deleted_at
    assert document.file.storage.exists(document.file.name)  # kept for the audit trail
    assert CaseEvent.objects.filter(case=case).latest("id").kind == CaseEventKind.DOCUMENT_REMOVED
    audit = AuditEvent.objects.latest("id")
    assert (audit.action, audit.object_type, audit.object_id) == ("delete", "case_document", document.pk)
    assert list(documents_readable_by(pl_worker, case=case.pk)) == []
    assert list(documents_readable_by(pl_worker)) == []
    with pytest.raises(NotFound):
        get_document_for(pl_worker, document.pk)
    with pytest.raises(NotFound):
        remove_document(pl_worker, document.pk)


def test_reading_is_for_those_who_see_the_content_and_download_is_audited(
    case, pl_worker, pl_worker2, pl_teamlead, pl_director, pl_auditor, md_worker
):
    document = attach_document(pl_worker, case.pk, upload(), kind="pdf", title="x")
    for reader in (pl_worker, pl_teamlead, pl_director):
        assert get_document_for(reader, document.pk) == document
        assert [d.pk for d in documents_readable_by(reader)] == [document.pk]
    for outsider in (pl_worker2, pl_auditor):
        with pytest.raises(Forbidden):
            get_document_for(outsider, document.pk)
        assert list(documents_readable_by(outsider)) == []
    with pytest.raises(NotFound):
        get_document_for(md_worker, document.pk)

    before = AuditEvent.objects.filter(object_type="case_document", action="view").count()
    open_document_for(pl_director, document.pk)
    assert (
        AuditEvent.objects.filter(object_type="case_document", action="view", actor=pl_director).count() == before + 1
    )
    assert AuditEvent.objects.filter(object_type="case", action="view", actor=pl_director).exists()


def test_content_file_without_a_name_gets_a_title_error(case, pl_worker):
    with pytest.raises(ValidationFailed) as exc:
        attach_document(pl_worker, case.pk, ContentFile(PDF), kind="pdf", title="")
    assert set(exc.value.errors) == {"title"}
