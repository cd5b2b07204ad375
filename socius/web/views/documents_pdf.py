"""Printable PDF documents: the environmental interview, the help plan, the social contract, the referral letter.

Access is exactly that of the page each document comes from (the same audited selectors); the document is
drawn in the language of the centre's jurisdiction unless `?lang=` names one of the site's languages.
"""

from __future__ import annotations

from socius.accounts.roles import VIEW_CASES
from socius.assessments.answers import instrument_for
from socius.assessments.selectors import get_assessment_for
from socius.casework.models_referrals import Referral
from socius.casework.selectors import get_case_content_for
from socius.casework.selectors_referrals import referral_case_id_for
from socius.plans.models import ContractVariant
from socius.plans.selectors_read import get_contract_for, get_plan_for
from socius.registry.selectors import current_memberships
from socius.web.access import requires
from socius.web.forms_assessments import AnswersForm
from socius.web.pdf import document_language, pdf_response, render_pdf
from socius.web.views._helpers import domain_404

# The parts of the Polish regulation's form each variant prints (Dz.U. 2010 nr 218 poz. 1439).
CONTRACT_PARTS = {ContractVariant.PL_IA_IIA: "I A / II A", ContractVariant.PL_IB_IIB: "I B / II B"}


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
    content = render_pdf(
        "web/assessments_print.html", context, language=language, base_url=request.build_absolute_uri("/")
    )
    return pdf_response(content, f"interview-{case.reference}-{assessment.pk}")


@requires(VIEW_CASES)
@domain_404
def plan_pdf(request, pk):
    plan = get_plan_for(request.user, pk)  # audited: a case VIEW
    case = plan.case
    members = (
        list(current_memberships().filter(household_id=case.household_id).select_related("person"))
        if case.household_id
        else []
    )
    context = {"plan": plan, "case": case, "goals": list(plan.goals.all()), "members": members}
    language = document_language(request, case.centre.jurisdiction)
    content = render_pdf("web/pdf/plan.html", context, language=language, base_url=request.build_absolute_uri("/"))
    return pdf_response(content, f"help-plan-{case.reference}-{plan.pk}")


@requires(VIEW_CASES)
@domain_404
def contract_pdf(request, pk):
    contract = get_contract_for(request.user, pk)
    case = contract.case
    context = {
        "contract": contract,
        "case": case,
        "parts": CONTRACT_PARTS.get(contract.variant, ""),
        "clients": list(contract.clients.all()),
        "obligations": list(contract.obligations.all()),
    }
    language = document_language(request, case.centre.jurisdiction)
    content = render_pdf("web/pdf/contract.html", context, language=language, base_url=request.build_absolute_uri("/"))
    return pdf_response(content, f"contract-{case.reference}-{contract.pk}")


@requires(VIEW_CASES)
@domain_404
def referral_pdf(request, pk):
    case = get_case_content_for(request.user, referral_case_id_for(request.user, pk))  # audited: a case VIEW
    referral = Referral.objects.select_related("partner").get(pk=pk, case_id=case.pk)
    context = {"referral": referral, "case": case, "partner": referral.partner}
    language = document_language(request, case.centre.jurisdiction)
    content = render_pdf("web/pdf/referral.html", context, language=language, base_url=request.build_absolute_uri("/"))
    return pdf_response(content, f"referral-{case.reference}-{referral.pk}")
