"""The printable service decision (issue 11): who receives what, how much, from when, delivered by whom, and the
co-payment in force with its calculation; in the centre's language unless `?lang=` names another. Printing is
audited as a view of the decision (`document`: decision_pdf)."""

from __future__ import annotations

from django.utils import timezone, translation

from socius.accounts.roles import VIEW_CASES
from socius.rulebook import get_jurisdiction
from socius.web.access import requires
from socius.web.pdf import document_language, pdf_response, render_pdf
from socius.web.views._helpers import domain_404
from socius.web.views.documents_pdf import _address
from socius.web.views.services_common import service_label
from socius.web.views.services_decisions import audit_decision_read, decision_context, visible_decision


@requires(VIEW_CASES)
@domain_404
def service_decision_pdf(request, pk):
    actor = request.user
    decision = visible_decision(actor, pk)
    audit_decision_read(actor, decision, document="decision_pdf")
    centre = decision.centre
    language = document_language(request, centre.jurisdiction)
    person = decision.person
    with translation.override(language):  # the trace's steps and values in the document's language
        context = decision_context(request, decision)
    context |= {
        "centre": centre,
        "issued_on": decision.issued_on or timezone.localdate(),
        "draft": not decision.number,
        "service_label": service_label(centre, decision.service_code, language),
        "national_id_name": get_jurisdiction(centre.jurisdiction).national_id_name,
        "parties": [
            {
                "name": person.full_name,
                "national_id": person.national_id,
                "birth_date": person.birth_date,
                "address": _address(person, decision.household),
            }
        ],
    }
    content = render_pdf(
        "web/services/decision_pdf.html", context, language=language, base_url=request.build_absolute_uri("/")
    )
    return pdf_response(content, f"service-decision-{decision.number or decision.pk}")
