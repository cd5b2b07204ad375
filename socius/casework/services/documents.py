"""Documents of a case: attach (type checked by the file's content, size limited) and remove (soft)."""

from __future__ import annotations

import hashlib
import os

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socius.accounts.audit import record_event
from socius.accounts.models import AuditAction, User
from socius.casework.models import CaseEvent, CaseEventKind
from socius.casework.models_documents import CaseDocument, DocumentKind
from socius.casework.selectors import persons_concerned
from socius.casework.services._case_content import locked_workable_case
from socius.common.errors import Conflict, NotFound, ValidationFailed
from socius.registry.models import ConsentPurpose
from socius.registry.selectors import current_memberships
from socius.registry.selectors_consents import persons_with_valid_consent

TITLE_MAX = 200

# Magic bytes at the start of each accepted type.
_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)


# What a file's name claims it is (the accepted kinds), to say what its content is not.
_CLAIMED_TYPES = {".pdf": "PDF", ".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".tif": "TIFF", ".tiff": "TIFF"}


def sniff_content_type(head: bytes) -> str | None:
    """The type the file's first bytes say it is, or None when none of the accepted ones."""
    for magic, content_type in _SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def max_bytes() -> int:
    return int(settings.SOCIUS_DOCUMENT_MAX_BYTES)


def _read_head(uploaded_file, n: int = 16) -> bytes:
    uploaded_file.seek(0)
    head = uploaded_file.read(n)
    uploaded_file.seek(0)
    return head


def _sha256(uploaded_file) -> str:
    """Read in chunks: a temporary upload on disk is never loaded whole."""
    digest = hashlib.sha256()
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest()


def check_document_file(uploaded_file, errors: dict) -> str | None:
    """The sniffed content type of an acceptable file; otherwise a message on `errors["file"]`."""
    if uploaded_file is None:
        errors["file"] = [_("Choose a file.")]
        return None
    name = os.path.basename(getattr(uploaded_file, "name", "") or "") or "—"
    size = getattr(uploaded_file, "size", None) or 0
    if size <= 0:
        errors["file"] = [_("The file “%(name)s” is empty.") % {"name": name}]
        return None
    if size > max_bytes():
        errors["file"] = [
            _("The file “%(name)s” is too large: at most %(max)s MB.")
            % {"name": name, "max": round(max_bytes() / (1024 * 1024), 1)}
        ]
        return None
    content_type = sniff_content_type(_read_head(uploaded_file))
    if content_type is None or content_type not in settings.SOCIUS_DOCUMENT_TYPES:
        claimed = _CLAIMED_TYPES.get(os.path.splitext(name)[1].lower())
        if claimed:
            # Named like an accepted file, but its content is not one: asking for "a PDF" would puzzle.
            errors["file"] = [
                _(
                    "The file “%(name)s” is named as a %(type)s, but its content is not a %(type)s: it may be "
                    "damaged, or another kind of file renamed. Save or scan it again and attach that copy."
                )
                % {"name": name, "type": claimed}
            ]
        else:
            errors["file"] = [
                _("The file “%(name)s” is not an accepted type: attach a PDF, JPEG, PNG or TIFF.") % {"name": name}
            ]
        return None
    return content_type


def _require_photo_consent(case) -> None:
    """A photo on a case shows the client or their home: it is taken only with the consent of the case's person or
    of a member of its household (decision 0024; a scanned paper is a scan, not a photo)."""
    day = timezone.localdate()
    if case.person_id:
        persons = [case.person_id]
    else:
        persons = list(current_memberships().filter(household_id=case.household_id).values_list("person_id", flat=True))
    if not persons_with_valid_consent(persons, ConsentPurpose.PHOTOS, day):
        raise Conflict(
            _("Missing consent: “%(purpose)s”. Record it on the person's page before attaching a photo.")
            % {"purpose": ConsentPurpose.PHOTOS.label},
            code="consent_required",
        )


def attach_document(actor: User, case_id, uploaded_file, *, kind: str, title: str) -> CaseDocument:
    """Attach a file to an open case the actor works on. Nothing is stored when the input is refused."""
    with transaction.atomic():
        case = locked_workable_case(actor, case_id)
        errors: dict[str, list] = {}
        if kind not in DocumentKind.values:
            errors["kind"] = [_("Choose the type of document.")]
        title = (title or "").strip()
        original_name = os.path.basename(getattr(uploaded_file, "name", "") or "")[:255]
        if not title:
            title = os.path.splitext(original_name)[0].strip()
        if not title:
            errors["title"] = [_("Enter a title.")]
        elif len(title) > TITLE_MAX:
            errors["title"] = [_("At most %(max)s characters.") % {"max": TITLE_MAX}]
        content_type = check_document_file(uploaded_file, errors)
        if errors:
            raise ValidationFailed(errors)
        if kind == DocumentKind.PHOTO:
            _require_photo_consent(case)

        document = CaseDocument(
            case=case,
            kind=kind,
            title=title,
            original_name=original_name,
            content_type=content_type,
            size=uploaded_file.size,
            sha256=_sha256(uploaded_file),
            uploaded_by=actor,
            uploaded_at=timezone.now(),
        )
        # The stored name comes from `document_path`, never from the uploaded name.
        document.file.save(original_name or "document", uploaded_file, save=False)
        try:
            document.save()
            CaseEvent.objects.create(
                case=case,
                actor=actor,
                kind=CaseEventKind.DOCUMENT_ATTACHED,
                data={"document": document.pk, "title": title, "kind": kind},
            )
            record_event(
                actor,
                AuditAction.CREATE,
                object_type="case_document",
                object_id=document.pk,
                centre_id=case.centre_id,
                person_id=case.person_id,
                person_ids=persons_concerned(case),
                changes={
                    "case": [None, case.pk],
                    "kind": [None, kind],
                    "title": [None, title],
                    "content_type": [None, content_type],
                    "size": [None, document.size],
                    "sha256": [None, document.sha256],
                },
            )
        except Exception:
            document.file.delete(save=False)  # no orphan file when the rows are rolled back
            raise
    return document


def remove_document(actor: User, document_id) -> CaseDocument:
    """Remove a document from its case (soft: hidden everywhere, kept with who removed it and when)."""
    try:
        pk = int(document_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    with transaction.atomic():
        case_id = (
            CaseDocument.objects.filter(pk=pk, case__centre_id=actor.centre_id, is_deleted=False)
            .values_list("case_id", flat=True)
            .first()
        )
        if case_id is None:
            raise NotFound()
        case = locked_workable_case(actor, case_id)
        document = CaseDocument.objects.select_for_update().get(pk=pk)
        if document.is_deleted:
            raise NotFound()
        document.is_deleted = True
        document.deleted_at = timezone.now()
        document.deleted_by = actor
        document.save(update_fields=["is_deleted", "deleted_at", "deleted_by"])
        CaseEvent.objects.create(
            case=case,
            actor=actor,
            kind=CaseEventKind.DOCUMENT_REMOVED,
            data={"document": document.pk, "title": document.title},
        )
        record_event(
            actor,
            AuditAction.DELETE,
            object_type="case_document",
            object_id=document.pk,
            centre_id=case.centre_id,
            person_id=case.person_id,
            person_ids=persons_concerned(case),
            changes={"is_deleted": [False, True]},
        )
    return document
