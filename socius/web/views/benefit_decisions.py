"""UI views of benefit decisions: the approver's queue, the decision with its approval and its changes
(suspend, resume, revoke, end, amend — each a new decision proposed for approval), and the decision PDF.

Reads go through the benefits selectors and write a VIEW audit event naming the persons shown; each write
calls one benefits service and answers the decision page again (the reason at the top, 400 or 409) or a
redirect.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socius.accounts.audit import record_list_view
from socius.accounts.roles import PROPOSE_DECISIONS, VIEW_CASES
from socius.benefits import selectors, services
from socius.benefits.income_change import report_income_change_and_propose
from socius.benefits.models import Decision
from socius.benefits.statuses import STATES_BEFORE, DecisionKind, DecisionStatus, PaymentMethod
from socius.common.errors import Conflict, ValidationFailed
from socius.registry.models import Person
from socius.rulebook import get_jurisdiction
from socius.rulebook.engine.decision_document import decision_texts
from socius.web.access import requires
from socius.web.exports import ExportColumn, export_format, export_response
from socius.web.forms_benefit_pages import AmendForm, ChangeForm, ReturnForm
from socius.web.pdf import document_language, pdf_response, render_pdf
from socius.web.views._helpers import add_domain_errors, domain_404
from socius.web.views._sections import reasons_of
from socius.web.views.benefit_gaps import income_change_form, may_report_income_change
from socius.web.views.benefits import _audit, _benefit_label, _definition, decision_outcome
from socius.web.views.documents_pdf import _address

# The decision's moves a worker proposes (action in the URL -> service, form).
CHANGES = {
    "suspend": (DecisionKind.SUSPENSION, services.propose_suspension, ChangeForm),
    "resume": (DecisionKind.RESUMPTION, services.propose_resumption, ChangeForm),
    "revoke": (DecisionKind.REVOCATION, services.propose_revocation, ChangeForm),
    "end": (DecisionKind.ENDING, services.propose_ending, ChangeForm),
    "amend": (DecisionKind.AMENDMENT, services.propose_amendment, AmendForm),
}
CHANGE_TITLES = {
    "suspend": gettext_lazy("Propose a suspension"),
    "resume": gettext_lazy("Propose a resumption"),
    "revoke": gettext_lazy("Propose a revocation"),
    "end": gettext_lazy("Propose an ending"),
    "amend": gettext_lazy("Propose an amendment"),
}


# --- the approver's queue ------------------------------------------------------------------------------


QUEUE_EXPORT_COLUMNS = (
    ExportColumn(gettext_lazy("Client"), lambda d: d.applicant.full_name),
    ExportColumn(gettext_lazy("Case"), lambda d: d.case.reference if d.case_id else ""),
    ExportColumn(gettext_lazy("Benefit"), lambda d: d.benefit_label),
    ExportColumn(gettext_lazy("Kind"), lambda d: d.get_kind_display()),
    ExportColumn(gettext_lazy("Amount"), lambda d: d.amount),
    ExportColumn(gettext_lazy("Currency"), lambda d: d.currency),
    ExportColumn(gettext_lazy("From month"), lambda d: d.period_from),
    ExportColumn(gettext_lazy("To month"), lambda d: d.period_to),
    ExportColumn(gettext_lazy("Proposed by"), lambda d: d.proposed_by.get_full_name() or d.proposed_by.username),
    ExportColumn(gettext_lazy("Proposed at"), lambda d: d.proposed_at),
)


@requires(VIEW_CASES)
@domain_404
def queue(request):
    """Proposals waiting for approval in the centre (those the user reads): approve, or return with a
    comment; one's own are listed but not approvable, with the reason."""
    actor = request.user
    language = get_language()
    may_approve = selectors.can_approve_decisions(actor)
    waiting = list(
        selectors.decisions_readable_by(actor).filter(status=DecisionStatus.PROPOSED).order_by("proposed_at", "id")
    )
    for decision in waiting:
        decision.benefit_label = _benefit_label(decision.benefit, language)
        decision.is_own = decision.proposed_by_id == actor.pk
        decision.may_approve = may_approve and not decision.is_own
    if export_format(request):
        return export_response(
            request,
            waiting,
            columns=QUEUE_EXPORT_COLUMNS,
            object_type="benefit_decision",
            persons_of=lambda d: [d.applicant_id, *(d.member_ids or [])],
            name="proposals",
        )
    record_list_view(
        actor,
        object_type="benefit_decision",
        person_ids=[p for d in waiting for p in [d.applicant_id, *(d.member_ids or [])]],
    )
    return render(
        request,
        "web/benefits_queue.html",
        {"waiting": waiting, "may_approve": may_approve, "return_form": ReturnForm(auto_id=False)},
    )


# --- the decision ---------------------------------------------------------------------------------------


def _decision_context(request, decision: Decision, **extra) -> dict:
    actor = request.user
    language = get_language()
    linked = list(
        Decision.objects.filter(changes_id=decision.pk, centre_id=decision.centre_id).order_by("proposed_at", "id")
    )
    may_work = actor.can(PROPOSE_DECISIONS)
    grant_state = decision.state
    changes = []
    period_change = None
    if (
        decision.status == DecisionStatus.APPROVED
        and may_work
        and decision.kind in (DecisionKind.GRANT, DecisionKind.AMENDMENT)
    ):
        found = services.period_change_of(decision)
        if found is not None and not linked_change_waiting(linked):
            month, later = found
            period_change = {"month": month, "amount": later.amount, "eligible": later.eligible}
        for action, (kind, _service, form_class) in CHANGES.items():
            if grant_state in STATES_BEFORE[kind]:
                initial = {"from_month": period_change["month"]} if action == "amend" and period_change else None
                form = extra.pop(f"form_{action}", None) or form_class(auto_id=f"{action}_%s", initial=initial)
                changes.append({"action": action, "title": CHANGE_TITLES[action], "form": form})
    is_own = decision.proposed_by_id == actor.pk
    return {
        "decision": decision,
        "outcome": decision_outcome(decision, language),
        "benefit_label": _benefit_label(decision.benefit, language),
        "linked": linked,
        "changed": decision.changes,
        "changes": changes,
        "period_change": period_change,
        "may_approve": decision.status == DecisionStatus.PROPOSED
        and selectors.can_approve_decisions(actor)
        and not is_own,
        "is_own": is_own,
        "return_form": extra.pop("return_form", None) or ReturnForm(auto_id="return_%s"),
        "pdf_languages": _pdf_languages(decision),
        "income_form": (extra.pop("income_form", None) or income_change_form(decision))
        if may_report_income_change(actor, decision)
        else None,
        **extra,
    }


def linked_change_waiting(linked) -> bool:
    return any(d.status == DecisionStatus.PROPOSED for d in linked)


def _pdf_languages(decision: Decision) -> list[str]:
    """The centre's language first, then the other interface languages (the client's may be any)."""
    own = get_jurisdiction(decision.centre.jurisdiction).default_language
    return [own, *(code for code, _name in settings.LANGUAGES if code != own)]


@requires(VIEW_CASES)
@domain_404
def decision_detail(request, pk):
    decision = selectors.get_decision_for(request.user, pk)
    _audit(request, decision, "benefit_decision")
    return render(request, "web/benefits_decision.html", _decision_context(request, decision))


def _after(request, decision_pk, write, done: str, failed: str, form=None, form_key: str = ""):
    """Validate, call one service, then go back to the decision page; refused: the page with the reason."""
    status, reasons = 400, []
    if form is None or form.is_valid():
        try:
            result = write(
                form.service_data() if hasattr(form, "service_data") else (form.cleaned_data if form else {})
            )
        except Conflict as exc:
            status, reasons = 409, [exc.message]
        except ValidationFailed as exc:
            if form is not None:
                add_domain_errors(form, exc)
            reasons = reasons_of(form, exc)
        else:
            messages.success(request, done)
            target = result.pk if isinstance(result, Decision) else decision_pk
            return redirect("web:benefit_decision", target)
    else:
        reasons = reasons_of(form)
    decision = selectors.get_decision_for(request.user, decision_pk)
    _audit(request, decision, "benefit_decision")
    extra = {"refusal": failed, "reasons": reasons}
    if form_key and form is not None:
        extra[form_key] = form
    return render(request, "web/benefits_decision.html", _decision_context(request, decision, **extra), status=status)


@requires(VIEW_CASES)
@require_POST
@domain_404
def decision_approve(request, pk):
    return _after(
        request,
        pk,
        lambda _data: services.approve_decision(request.user, pk),
        _("The decision was approved."),
        _("The decision was not approved."),
    )


@requires(VIEW_CASES)
@require_POST
@domain_404
def decision_return(request, pk):
    form = ReturnForm(request.POST, auto_id="return_%s")
    return _after(
        request,
        pk,
        lambda data: services.return_decision(request.user, pk, data["comment"]),
        _("The proposal was returned to its author."),
        _("The proposal was not returned."),
        form,
        "return_form",
    )


@requires(PROPOSE_DECISIONS)
@require_POST
@domain_404
def decision_change(request, pk, action):
    if action not in CHANGES:
        raise Http404
    _kind, service, form_class = CHANGES[action]
    form = form_class(request.POST, auto_id=f"{action}_%s")
    return _after(
        request,
        pk,
        lambda data: service(request.user, pk, data),
        _("The proposal was submitted for approval."),
        _("The proposal was not submitted."),
        form,
        f"form_{action}",
    )


@requires(PROPOSE_DECISIONS)
@require_POST
@domain_404
def decision_income_change(request, pk):
    """A change in the household's income reported on this grant: the incomes declared and the amendment
    proposed (benefits.income_change); lands on the proposal."""
    decision = selectors.get_decision_for(request.user, pk)
    form = income_change_form(decision, request.POST)
    return _after(
        request,
        pk,
        lambda data: report_income_change_and_propose(request.user, pk, data)[1],
        _("The change of income is recorded and the amendment proposed for approval."),
        _("The change of income was not recorded."),
        form,
        "income_form",
    )


# --- the decision PDF -----------------------------------------------------------------------------------


@requires(VIEW_CASES)
@domain_404
def decision_pdf(request, pk):
    """The administrative decision as a PDF in the centre's language (or `?lang=`, the client's)."""
    decision = selectors.get_decision_for(request.user, pk)
    _audit(request, decision, "benefit_decision")
    centre = decision.centre
    pack = get_jurisdiction(centre.jurisdiction)
    language = document_language(request, centre.jurisdiction)
    with translation.override(language):
        outcome = decision_outcome(decision, language)
        texts = decision_texts(pack.data_dir) if pack.data_dir else {}
        body = texts["appeal_body"].text_in(language) if "appeal_body" in texts else ""
        fixed = {part: text.text_in(language, centre=centre.name, appeal_body=body) for part, text in texts.items()}
        persons = {p.pk: p for p in _persons(decision)}
        household = decision.household
        parties = [
            {
                "name": person.full_name,
                "national_id": person.national_id,
                "birth_date": person.birth_date,
                "address": _address(person, household),
            }
            for person in ([persons[decision.applicant_id]] if decision.applicant_id in persons else [])
        ]
        members = [persons[i] for i in (decision.member_ids or []) if i in persons and i != decision.applicant_id]
        context = {
            "decision": decision,
            "centre": centre,
            "issued_on": decision.decided_on or timezone.localdate(),
            "national_id_name": pack.national_id_name,
            "parties": parties,
            "members": members,
            "outcome": outcome,
            "benefit_label": _benefit_label(decision.benefit, language),
            "legal_basis": _definition(decision.benefit).legal_basis if _definition(decision.benefit) else "",
            "texts": fixed,
            "appeal_basis": texts["appeal"].legal_basis if "appeal" in texts else "",
            "procedure_basis": texts["procedure"].legal_basis if "procedure" in texts else "",
            "kind_label": DecisionKind(decision.kind).label,
            "payment_label": PaymentMethod(decision.payment_method).label if decision.payment_method else "",
            "draft": decision.status != DecisionStatus.APPROVED,
            # The stored justification is in the centre's language; another language gets the calculation too.
            "show_calculation": not decision.justification or language != pack.default_language,
        }
    content = render_pdf("web/pdf/decision.html", context, language=language, base_url=request.build_absolute_uri("/"))
    return pdf_response(content, f"decision-{decision.reference or decision.pk}")


def _persons(decision: Decision):
    ids = {decision.applicant_id, *(decision.member_ids or [])}
    return Person.objects.filter(pk__in=ids).select_related("territory")
