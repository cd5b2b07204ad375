"""UI views: documents on the case page (attach, download, remove).

The section is drawn by `web/cases_documents_section.html` through the `case_documents` template tag,
so the case page needs no extra context. A download is read through `open_document_for` (the case's
content check, audited) and streamed here: files are never reachable under MEDIA_URL.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from socius.accounts.roles import VIEW_CASES, WORK_CASES
from socius.casework import services
from socius.casework.downloads import document_response
from socius.casework.models_documents import CaseDocument
from socius.casework.selectors_documents import open_document_for
from socius.common.errors import Conflict, NotFound, ValidationFailed
from socius.web.access import requires
from socius.web.forms_documents import DocumentForm
from socius.web.views._helpers import add_domain_errors, domain_404
from socius.web.views.casework_visits import workable_case

FORM_KEY = "document"


def _rerender(request, pk, form, status: int):
    from socius.web.views.casework import render_case_page  # the case page owns the layout

    return render_case_page(request, pk, forms_={FORM_KEY: form} if form is not None else {}, status=status)


@requires(WORK_CASES)
@require_POST
@domain_404
def document_attach(request, pk):
    actor = request.user
    workable_case(actor, pk)
    form = DocumentForm(request.POST, request.FILES, auto_id="document_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.attach_document(actor, pk, data["file"], kind=data["kind"], title=data["title"])
        except Conflict as exc:
            messages.error(request, str(exc.message))
            return _rerender(request, pk, None, 409)
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("The document is attached."))
            return redirect("web:case_detail", pk=pk)
    messages.error(request, _("The document was not attached."))
    return _rerender(request, pk, form, 400)


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
    try:
        services.remove_document(actor, pk)
    except Conflict as exc:
        messages.error(request, str(exc.message))
        return _rerender(request, case_id, None, 409)
    messages.success(request, _("The document is removed."))
    return redirect("web:case_detail", pk=case_id)
