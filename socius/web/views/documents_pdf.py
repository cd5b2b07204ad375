"""Printable PDF documents: the environmental interview, the help plan, the social contract, the referral letter.

Access is exactly that of the page each document comes from (the same audited selectors); the document is
drawn in the language of the centre's jurisdiction unless `?lang=` names one of the site's languages. Every
document carries the centre's letterhead, the place and date of issue, and the clients' identifiers and address.
"""

from __future__ import annotations

from django.utils import timezone

from socius.accounts.roles import VIEW_CASES
from socius.assessments.answers import instrument_for
from socius.assessments.selectors import get_assessment_for
from socius.casework.models_referrals import Referral
from socius.casework.selectors import get_case_content_for
from socius.casework.selectors_referrals import referral_case_id_for
from socius.plans.models import Consequence, ContractVariant
from socius.plans.rules import consequences_for
from socius.plans.selectors_read import get_contract_for, get_plan_for
from socius.registry.models import Person
from socius.registry.selectors import current_memberships
from socius.rulebook import get_jurisdiction
from socius.web.access import requires
from socius.web.forms_assessments import AnswersForm
from socius.web.pdf import document_language, pdf_response, render_pdf
from socius.web.views._helpers import domain_404

# The parts of the Polish regulation's form each variant prints (Dz.U. 2010 nr 218 poz. 1439).
CONTRACT_PARTS = {ContractVariant.PL_IA_IIA: "I A / II A", ContractVariant.PL_IB_IIB: "I B / II B"}


def _address(person: Person, household=None) -> str:
    """The person's own address, else their household's: street, locality."""
    for holder in (person, household):
        if holder is not None and (holder.street_address or holder.territory_id):
            locality = holder.territory.name if holder.territory_id else ""
            return ", ".join(part for part in (holder.street_address, locality) if part)
    return ""


def _parties(case, persons: list[Person] | None = None) -> list[dict]:
    """Whom the document concerns: the given persons, else the case's person, else the household's members."""
    household = case.household
    if persons is None:
        if case.person_id:
            persons = [case.person]
        elif case.household_id:
            memberships = current_memberships().filter(household_id=case.household_id).select_related("person")
            persons = [m.person for m in memberships]
        else:
            persons = []
    ids = [p.pk for p in persons]
    loaded = Person.objects.select_related("territory").in_bulk(ids)
    return [
        {
            "name": loaded[pk].full_name,
            "national_id": loaded[pk].national_id,
            "birth_date": loaded[pk].birth_date,
            "address": _address(loaded[pk], household),
        }
        for pk in ids
    ]


def _document_context(case, persons: list[Person] | None = None) -> dict:
    """What every document prints besides its own content: letterhead, place and date of issue, clients."""
    return {
        "centre": case.centre,
        "issued_on": timezone.localdate(),
        "national_id_name": get_jurisdiction(case.centre.jurisdiction).national_id_name,
        "parties": _parties(case, persons),
    }


@requires(VIEW_CASES)
@domain_404
def assessment_pdf(request, pk):
    assessment = get_assessment_for(request.user, pk)
    case = assessment.case
    language = document_language(request, case.centre.jurisdiction)
    # In the document's language; in the centre's language that is the statutory text.
    instrument = instrument_for(
        case.centre.jurisdiction, assessment.instrument_code, assessment.instrument_version, language=language
    )
    form = AnswersForm(instrument=instrument, kind=assessment.kind, answers=assessment.answers)
    context = {"assessment": assessment, "case": case, "instrument": instrument, "form": form}
    context.update(_document_context(case))
    content = render_pdf(
        "web/assessments_print.html", context, language=language, base_url=request.build_absolute_uri("/")
    )
    return pdf_response(content, f"interview-{case.reference}-{assessment.pk}")


@requires(VIEW_CASES)
@domain_404
def plan_pdf(request, pk):
    plan = get_plan_for(request.user, pk)  # audited: a case VIEW
    case = plan.case
    context = {"plan": plan, "case": case, "goals": list(plan.goals.all()), **_document_context(case)}
    language = document_language(request, case.centre.jurisdiction)
    content = render_pdf("web/pdf/plan.html", context, language=language, base_url=request.build_absolute_uri("/"))
    return pdf_response(content, f"help-plan-{case.reference}-{plan.pk}")


@requires(VIEW_CASES)
@domain_404
def contract_pdf(request, pk):
    contract = get_contract_for(request.user, pk)
    case = contract.case
    clients = list(contract.clients.all())
    # The consequence as the app names it, lazily: translated when the document is drawn, in its language. The
    # legal basis comes from the jurisdiction's pack.
    consequence_label = Consequence(contract.consequence).label if contract.consequence else ""
    context = {
        "contract": contract,
        "case": case,
        "parts": CONTRACT_PARTS.get(contract.variant, ""),
        "clients": clients,
        "obligations": list(contract.obligations.all()),
        "consequence_label": consequence_label,
        "consequence_basis": consequences_for(case.centre.jurisdiction).get(contract.consequence, "")
        if contract.consequence
        else "",
        **_document_context(case, clients),
    }
    language = document_language(request, case.centre.jurisdiction)
    content = render_pdf("web/pdf/contract.html", context, language=language, base_url=request.build_absolute_uri("/"))
    return pdf_response(content, f"contract-{case.reference}-{contract.pk}")


@requires(VIEW_CASES)
@domain_404
def referral_pdf(request, pk):
    case = get_case_content_for(request.user, referral_case_id_for(request.user, pk))  # audited: a case VIEW
    referral = Referral.objects.select_related("partner").get(pk=pk, case_id=case.pk)
    context = {"referral": referral, "case": case, "partner": referral.partner, **_document_context(case)}
    language = document_language(request, case.centre.jurisdiction)
    content = render_pdf("web/pdf/referral.html", context, language=language, base_url=request.build_absolute_uri("/"))
    return pdf_response(content, f"referral-{case.reference}-{referral.pk}")
