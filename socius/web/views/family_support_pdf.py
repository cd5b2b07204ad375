"""Printable PDFs of the family assistant programme (issue 10): the periodic assessment of the family (for the
centre, PL art. 15 ust. 1 pkt 13 ustawy o wspieraniu rodziny) or the assistant's opinion for a court (art. 15
ust. 1 pkt 14), and the assistant's monthly timesheet.

Access is that of the page each document comes from: the family page's reader (an audited read of the
family's members) and the timesheet's reader. Drawn in the centre's language unless `?lang=` names another.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from socius.accounts.audit import record_view
from socius.accounts.roles import VIEW_CASES, WORK_FAMILY_SUPPORT
from socius.family.models import FamilyAssessment
from socius.family.statuses import WorkArea
from socius.registry.models import Person
from socius.registry.selectors import current_memberships
from socius.rulebook import get_jurisdiction
from socius.web.access import requires
from socius.web.pdf import document_language, pdf_response, render_pdf
from socius.web.views._helpers import domain_404
from socius.web.views.documents_pdf import _parties
from socius.web.views.family_support import visible_enrolment
from socius.web.views.family_support_pages import timesheet_request, timesheet_rows


@requires(VIEW_CASES)
@domain_404
def family_assessment_pdf(request, pk):
    actor = request.user
    try:
        assessment = FamilyAssessment.objects.select_related("author").get(pk=pk)
    except FamilyAssessment.DoesNotExist:
        raise Http404 from None
    enrolment = visible_enrolment(actor, assessment.enrolment_id)
    case = enrolment.case
    members = list(
        Person.objects.filter(
            pk__in=current_memberships().filter(household_id=enrolment.household_id).values("person_id")
        ).order_by("last_name", "first_name", "id")
    )
    record_view(
        actor,
        object_type="family_assessment",
        object_id=assessment.pk,
        centre_id=enrolment.centre_id,
        person_ids=[p.pk for p in members],
    )
    labels = dict(WorkArea.choices)
    progress = [(labels.get(code, code), text) for code, text in (assessment.progress or {}).items() if text]
    context = {
        "assessment": assessment,
        "enrolment": enrolment,
        "case": case,
        "assistant": enrolment.assistant,
        "progress": progress,
        "centre": enrolment.centre,
        "issued_on": timezone.localdate(),
        "national_id_name": get_jurisdiction(enrolment.centre.jurisdiction).national_id_name,
        "parties": _parties(case, members),
    }
    language = document_language(request, enrolment.centre.jurisdiction)
    content = render_pdf(
        "web/family_assessment_pdf.html", context, language=language, base_url=request.build_absolute_uri("/")
    )
    stem = "court-opinion" if assessment.is_court_opinion else "family-assessment"
    return pdf_response(content, f"{stem}-{case.reference}-{assessment.pk}")


@requires(WORK_FAMILY_SUPPORT)
def family_timesheet_pdf(request):
    actor = request.user
    form, month, _assistant, sheets = timesheet_request(request)
    if sheets is None:
        return render(request, "web/family_timesheet.html", {"form": form, "sheets": []}, status=400)
    for sheet in sheets:
        sheet.display_rows = timesheet_rows(sheet)
        sheet.hours = sheet.total_minutes / 60
        sheet.area_rows = [
            (dict(WorkArea.choices).get(code, code), minutes) for code, minutes in sheet.minutes_per_area.items()
        ]
    centre = actor.centre
    context = {"sheets": sheets, "month": month, "centre": centre, "issued_on": timezone.localdate()}
    language = document_language(request, centre.jurisdiction)
    content = render_pdf(
        "web/family_timesheet_pdf.html", context, language=language, base_url=request.build_absolute_uri("/")
    )
    return pdf_response(content, f"timesheet-{month:%Y-%m}")
