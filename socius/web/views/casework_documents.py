"""UI views: documents on the case page (attach, download, remove).

The section "documents" is drawn by `case_page`; attaching and removing go through `CASE_PAGE.run_action`.
A download is read through `open_document_for` (the case's content check, audited) and streamed here:
files are never reachable under MEDIA_URL.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from socius.accounts.roles import VIEW_CASES, WORK_CASES
from socius.casework import services
from socius.casework.downloads import document_response
from socius.casework.models_documents import CaseDocument
from socius.casework.selectors_documents import open_document_for
from socius.common.errors import NotFound
from socius.web.access import requires
from socius.web.forms_documents import DocumentForm
from socius.web.views._helpers import domain_404
from socius.web.views.case_page import CASE_PAGE, workable_case

DOCUMENTS = "documents"


@requires(WORK_CASES)
@require_POST
@domain_404
def document_attach(request, pk):
    actor = request.user
    workable_case(actor, pk)
    return CASE_PAGE.run_action(
        request,
        pk,
        DOCUMENTS,
        form=DocumentForm(request.POST, request.FILES, auto_id="document_%s"),
        write=lambda data: services.attach_document(actor, pk, data["file"], kind=data["kind"], title=data["title"]),
        key="document",
        done=_("The document is attached."),
        failed=_("The document was not attached."),
    )


@requires(VIEW_CASES)
@require_GET
@domain_404
def document_download(request, pk):
    return document_response(open_document_for(request.user, pk))


@requires(WORK_CASES)
@require_POST
@domain_404
def document_remove(request, pk):
    actor = request.user
    case_id = CaseDocument.objects.filter(pk=pk, is_deleted=False).values_list("case_id", flat=True).first()
    if case_id is None:
        raise NotFound()
    case_id = workable_case(actor, case_id).pk
    return CASE_PAGE.run_action(
        request,
        case_id,
        DOCUMENTS,
        form=None,
        write=lambda _data: services.remove_document(actor, pk),
        done=_("The document is removed."),
        failed=_("The document was not removed."),
    )
