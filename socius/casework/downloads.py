"""How a case document leaves the server: as an attachment, never sniffed, never cached."""

from __future__ import annotations

from django.http import FileResponse

from socius.casework.models_documents import CaseDocument


def document_response(document: CaseDocument) -> FileResponse:
    """Pass only a document from `open_document_for` (the case's content check, audited)."""
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name or f"document-{document.pk}",
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
