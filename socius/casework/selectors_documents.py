"""Reads for case documents: content of the case, so only through `get_case_content_for` (audited)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from socius.accounts.models import User
from socius.accounts.permissions import require
from socius.casework.models import Case
from socius.casework.models_documents import CaseDocument
from socius.casework.permissions import can_view_cases
from socius.casework.selectors import audit_case_read, get_case_content_for, readable_case_ids
from socius.common.errors import NotFound


def documents_for_case(case: Case) -> QuerySet[CaseDocument]:
    """The case's documents not removed, newest first, with who uploaded them (one query).

    Content: pass only a case from `get_case_content_for`."""
    return (
        CaseDocument.objects.filter(case_id=case.pk, is_deleted=False)
        .select_related("uploaded_by")
        .order_by("-uploaded_at", "-id")
    )


def documents_readable_by(actor: User, case=None) -> QuerySet[CaseDocument]:
    """Documents on cases whose content the actor may read; with `case`, that case's (audited; NotFound
    outside the centre, Forbidden without its content)."""
    require(actor, can_view_cases)
    if case is not None:
        return documents_for_case(get_case_content_for(actor, case.pk if hasattr(case, "pk") else case))
    readable = readable_case_ids(actor)
    return (
        CaseDocument.objects.filter(case_id__in=readable, is_deleted=False)
        .select_related("uploaded_by")
        .order_by("-uploaded_at", "-id")
    )


def get_document_for(actor: User, document_id) -> CaseDocument:
    """One document: NotFound outside the centre or when removed, Forbidden without the case's content.
    Reading the case's content is audited."""
    require(actor, can_view_cases)
    try:
        pk = int(document_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    case_id = (
        CaseDocument.objects.filter(pk=pk, case__centre_id=actor.centre_id, is_deleted=False)
        .values_list("case_id", flat=True)
        .first()
    )
    if case_id is None:
        raise NotFound()
    get_case_content_for(actor, case_id)
    return CaseDocument.objects.select_related("case", "uploaded_by").get(pk=pk)


def open_document_for(actor: User, document_id) -> CaseDocument:
    """A document about to be downloaded: as `get_document_for`, and the download itself is audited."""
    document = get_document_for(actor, document_id)
    audit_case_read(actor, document.case, object_type="case_document", object_id=document.pk)
    return document


def max_document_bytes() -> int:
    return int(settings.SOCIUS_DOCUMENT_MAX_BYTES)
