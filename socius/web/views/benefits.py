"""UI views of benefits: a household's benefits, the application with its income table, the proposal with its
trace, the approver's queue, the decision with its actions, and the decision PDF.

Reads go through the benefits selectors (scope: the centre, and the cases one reads) and each response that
shows persons writes a VIEW audit event naming them; writes call one benefits service each and answer with
the page again (messages beside the fields, the reason at the top, 400 or 409) or a redirect.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socius.accounts.audit import record_list_view, record_view
from socius.accounts.roles import PROPOSE_DECISIONS, VIEW_CASES
from socius.benefits import selectors, services
from socius.benefits.models import Application, Decision
from socius.benefits.statuses import (
    STATES_BEFORE,
    ApplicationStatus,
    DecisionKind,
    DecisionStatus,
    PaymentMethod,
)
from socius.casework.selectors import cases_in_scope
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.registry.models import Person
from socius.registry.selectors import current_memberships
from socius.rulebook import get_jurisdiction
from socius.rulebook.engine.benefits import BenefitError, UnknownBenefit, evaluate
from socius.rulebook.engine.data import PackDataError
from socius.rulebook.engine.decision_document import decision_texts
from socius.rulebook.engine.jurisdiction import benefit_definition
from socius.rulebook.engine.parameters import ParameterError
from socius.web.access import requires
from socius.web.benefits_display import outcome_view, view_of
from socius.web.forms_benefit_pages import (
    INCOME_FIELDS,
    MAX_INCOME_ROWS,
    AmendForm,
    ApplicationForm,
    ChangeForm,
    IncomeFormSet,
    ProposalForm,
    ReturnForm,
)
from socius.web.pdf import document_language, pdf_response, render_pdf
from socius.web.views._helpers import add_domain_errors, domain_404
from socius.web.views._sections import reasons_of
from socius.web.views.benefits_calculator import posted_rows
from socius.web.views.documents_pdf import _address

INCOMES = "incomes"
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


def _definition(code: str):
    try:
        return benefit_definition(code)
    except UnknownBenefit:
        return None


def _benefit_label(code: str, language: str) -> str:
    definition = _definition(code)
    return definition.label_in(language) if definition else code


def _audit(request, record, object_type: str, also=()) -> None:
    """A VIEW event naming every person the response shows: the party, the counted members (declared
    incomes' persons), and `also` (the household's members a form offers)."""
    persons = list(dict.fromkeys([*selectors.persons_shown_by([record])[record.pk], *also]))
    record_view(
        request.user,
        object_type=object_type,
        object_id=record.pk,
        centre_id=record.centre_id,
        person_id=record.applicant_id,
        person_ids=persons,
    )


def decision_outcome(decision: Decision, language: str):
    """A stored decision's outcome and trace, labelled again from the pack in the reader's language."""
    return view_of(
        {
            "benefit": decision.benefit,
            "period": decision.period_from.strftime("%Y-%m"),
            "version": decision.formula_version.isoformat() if decision.formula_version else None,
            "rules_version": decision.rules_version,
            "eligible": bool(decision.eligible),
            "amount": str(decision.amount),
            "minimum": None if decision.minimum is None else str(decision.minimum),
            "maximum": None if decision.maximum is None else str(decision.maximum),
            "currency": decision.currency,
            "reasons": [{"code": code} for code in decision.reasons or ()],
            "trace": decision.trace or [],
        },
        _definition(decision.benefit),
        language,
    )


# --- a household's benefits ----------------------------------------------------------------------------


@requires(VIEW_CASES)
@domain_404
def household_benefits(request, pk):
    """Applications, decisions and their history for a household: a section of the household page (htmx)
    or a page of its own."""
    actor = request.user
    language = get_language()
    applications = list(selectors.applications_readable_by(actor).filter(household_id=pk))
    decisions = list(selectors.decisions_readable_by(actor).filter(household_id=pk).select_related("changes"))
    readable = {d.pk for d in decisions}
    events = [
        e for e in selectors.decision_events_for_household(pk).select_related("actor") if e.decision_id in readable
    ]
    for item in (*applications, *decisions):
        item.benefit_label = _benefit_label(item.benefit, language)
    record_list_view(
        actor,
        object_type="benefit_decision",
        person_ids=[
            p for r in (*applications, *decisions) for p in [r.applicant_id, *(getattr(r, "member_ids", None) or [])]
        ],
    )
    context = {
        "household_id": pk,
        "applications": applications,
        "decisions": decisions,
        "events": list(reversed(events))[:50],
        "cases": list(cases_in_scope(actor).filter(household_id=pk, closed_on__isnull=True).order_by("-opened_on")[:5])
        if actor.can(PROPOSE_DECISIONS)
        else [],
    }
    template = "web/benefits_household_section.html" if request.htmx else "web/benefits_household.html"
    return render(request, template, context)


# --- the application ------------------------------------------------------------------------------------


def _case_persons(case):
    """Who may apply: the case's person, else the household's current members (the head first)."""
    if case.person_id:
        return [case.person]
    rows = current_memberships().filter(household_id=case.household_id).select_related("person")
    return [
        row.person for row in sorted(rows, key=lambda r: (r.relationship != "head", r.person.birth_date or dt.date.max))
    ]


def _workable_case(request, pk):
    case = cases_in_scope(request.user).filter(pk=pk).select_related("person", "household", "centre").first()
    if case is None:
        raise NotFound()
    return case


@requires(PROPOSE_DECISIONS)
@domain_404
def application_new(request, pk):
    """A new application on a case: first the benefit, then its form (dates, applicant, the benefit's
    inputs, the documents received)."""
    case = _workable_case(request, pk)
    jurisdiction = get_jurisdiction(request.user.centre.jurisdiction)
    language = get_language()
    code = request.POST.get("benefit") or request.GET.get("benefit") or ""
    definition = next((d for d in jurisdiction.benefits() if d.code == code), None)
    context = {"case": case, "benefits": [(d.code, d.label_in(language)) for d in jurisdiction.benefits()]}
    if definition is None:
        return render(request, "web/benefits_application_new.html", context)
    persons = _case_persons(case)
    kwargs = {"definition": definition, "currency": jurisdiction.currency, "persons": persons, "auto_id": "app_%s"}
    status = 200
    if request.method == "POST":
        form = ApplicationForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                application = services.file_application(request.user, case.pk, form.service_data())
            except ValidationFailed as exc:
                add_domain_errors(form, exc)
            except Conflict as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The application was filed. Now declare the household's incomes."))
                return redirect(reverse("web:benefit_application", args=[application.pk]) + "#incomes")
        status = 400
        context["refusal"] = _("The application was not filed.")
    else:
        form = ApplicationForm(
            initial={"applied_on": timezone.localdate(), "applicant": persons[0].pk if persons else None}, **kwargs
        )
    context.update(form=form, definition=definition, benefit_label=definition.label_in(language))
    return render(request, "web/benefits_application_new.html", context, status=status)


def _application_persons(application: Application):
    day = selectors.composition_day(application, application.period_from)
    return [person for person, _relationship in selectors.members_on(application, day)]


def _income_formset(application: Application, persons, data=None, rows=None):
    if data is not None:
        return IncomeFormSet(data, prefix=INCOMES, persons=persons)
    if rows is None:
        rows = [
            {
                "person": row.person_id,
                "month": row.month,
                "kind": row.kind,
                "amount": row.amount,
                "deductions": row.deductions,
                "one_off": row.one_off,
            }
            for row in application.incomes.order_by("person_id", "month", "id")
        ]
        if not rows:  # one empty row per member, in the month before the first month (PL art. 8 ust. 3)
            month = selectors.month_start(application.period_from) - dt.timedelta(days=1)
            rows = [{"person": p.pk, "month": month.replace(day=1), "kind": "employment"} for p in persons]
    return IncomeFormSet(prefix=INCOMES, initial=rows, persons=persons)


def _application_context(request, application: Application, incomes, **extra) -> dict:
    language = get_language()
    definition = _definition(application.benefit)
    documents = services.documents_for(application.benefit)
    jurisdiction = get_jurisdiction(application.centre.jurisdiction)
    inputs = []
    if definition is not None:
        for code, item in definition.inputs.items():
            if code == "need":
                value = application.need_amount
            elif code == "purpose":
                value = (
                    item.options[application.purpose].label_in(language)
                    if application.purpose in item.options
                    else application.purpose
                )
            elif item.kind in ("amount", "number"):
                value = (application.amounts or {}).get(code)
            else:
                value = code in (application.flags or []) or any(
                    f.startswith(f"{code}:") for f in application.flags or []
                )
            inputs.append((item.label_in(language), item.kind, value))
    return {
        "application": application,
        "benefit_label": definition.label_in(language) if definition else application.benefit,
        "legal_basis": definition.legal_basis if definition else "",
        "inputs": inputs,
        "currency": jurisdiction.currency,
        "documents": [
            (d.label_in(language), d.required, (application.documents or {}).get(d.code, False)) for d in documents
        ],
        "incomes": incomes,
        "editable": application.status in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)
        and request.user.can(PROPOSE_DECISIONS),
        "decisions": list(application.decisions.order_by("-proposed_at")) if hasattr(application, "decisions") else [],
        "max_rows": MAX_INCOME_ROWS,
        **extra,
    }


@requires(VIEW_CASES)
@domain_404
def application_detail(request, pk):
    """The application: its request, documents and income table; the income table is saved here, and rows
    are added and removed (`action=add`, `action=remove-<n>`) without JavaScript, or swapped by htmx."""
    application = selectors.get_application_for(request.user, pk)
    persons = _application_persons(application)
    _audit(request, application, "benefit_application", [p.pk for p in persons])
    status, extra = 200, {}
    if request.method == "POST":
        if not request.user.can(PROPOSE_DECISIONS):
            raise Forbidden()
        action = request.POST.get("action", "save")
        if action == "save":
            incomes = _income_formset(application, persons, data=request.POST)
            if incomes.is_valid():
                try:
                    services.declare_incomes(request.user, application.pk, incomes.service_rows())
                except ValidationFailed as exc:
                    extra["refusal"] = _("The incomes were not saved.")
                    extra["reasons"] = [str(m) for ms in exc.errors.values() for m in ms]
                    status = 400
                except Conflict as exc:
                    extra["refusal"], extra["reasons"], status = _("The incomes were not saved."), [exc.message], 409
                else:
                    if request.htmx:  # the section again, with the notice at its top
                        application = selectors.get_application_for(request.user, pk)
                        context = _application_context(
                            request,
                            application,
                            _income_formset(application, persons),
                            notice=_("The incomes were saved."),
                        )
                        return render(request, "web/benefits_incomes.html", context)
                    messages.success(request, _("The incomes were saved."))
                    return redirect(reverse("web:benefit_application", args=[application.pk]) + "#incomes")
            else:
                extra["refusal"] = _("The incomes were not saved.")
                status = 400
        else:
            rows = posted_rows(request.POST, list(INCOME_FIELDS), prefix=INCOMES, limit=MAX_INCOME_ROWS)
            if action == "add" and len(rows) < MAX_INCOME_ROWS:
                last = rows[-1] if rows else {}
                rows.append({"person": last.get("person", ""), "month": last.get("month", ""), "kind": "employment"})
                extra["focus"] = "new-row"
            elif action.startswith("remove-") and action.removeprefix("remove-").isdigit():
                index = int(action.removeprefix("remove-"))
                if index < len(rows):
                    del rows[index]
            incomes = _income_formset(application, persons, rows=rows)
            if extra.get("focus") and incomes.forms:
                incomes.forms[-1].fields["person"].widget.attrs["autofocus"] = True
    else:
        incomes = _income_formset(application, persons)
    context = _application_context(request, application, incomes, **extra)
    template = "web/benefits_incomes.html" if request.htmx else "web/benefits_application.html"
    return render(request, template, context, status=status)


@requires(PROPOSE_DECISIONS)
@domain_404
def application_proposal(request, pk):
    """The proposal before it is submitted: the outcome computed now from the registry and the incomes,
    with its trace; submitting stores it (facts, law and trace) for the approver."""
    application = selectors.get_application_for(request.user, pk)
    facts, member_ids = selectors.facts_for_application(application)
    _audit(request, application, "benefit_application", member_ids)
    language = get_language()
    definition = _definition(application.benefit)
    context = {"application": application, "benefit_label": definition.label_in(language) if definition else ""}
    status = 200
    stop = None
    try:
        services.check_interview(application.case, application.centre.jurisdiction, timezone.localdate())
    except Conflict as exc:
        stop = exc.message
    try:
        outcome = evaluate(application.benefit, facts)
    except (BenefitError, PackDataError, ParameterError) as exc:  # the rules cannot be applied: say why
        outcome, stop = None, stop or str(exc)
    if application.status not in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED):
        stop = stop or _("This application already has a proposal or a decision.")
    if request.method == "POST" and stop is None:
        form = ProposalForm(request.POST, auto_id="proposal_%s")
        if form.is_valid():
            try:
                decision = services.propose_decision(request.user, application.pk, form.service_data())
            except ValidationFailed as exc:
                add_domain_errors(form, exc)
                status = 400
            except Conflict as exc:
                stop, status = exc.message, 409
            else:
                messages.success(request, _("The proposal was submitted for approval."))
                return redirect("web:benefit_decision", decision.pk)
        else:
            status = 400
        if status == 400:
            context["refusal"], context["reasons"] = _("The proposal was not submitted."), reasons_of(form)
    else:
        initial = {"payment_method": PaymentMethod.BANK_TRANSFER}
        if outcome is not None:
            initial["amount"] = outcome.amount
        form = ProposalForm(initial=initial, auto_id="proposal_%s")
    context.update(
        form=form,
        stop=stop,
        outcome=outcome_view(outcome, definition, language) if outcome is not None else None,
        has_range=outcome is not None and (outcome.minimum is not None or outcome.maximum is not None),
    )
    return render(request, "web/benefits_proposal.html", context, status=status)


# --- the approver's queue ------------------------------------------------------------------------------


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
    if (
        decision.status == DecisionStatus.APPROVED
        and may_work
        and decision.kind in (DecisionKind.GRANT, DecisionKind.AMENDMENT)
    ):
        for action, (kind, _service, form_class) in CHANGES.items():
            if grant_state in STATES_BEFORE[kind]:
                form = extra.pop(f"form_{action}", None) or form_class(auto_id=f"{action}_%s")
                changes.append({"action": action, "title": CHANGE_TITLES[action], "form": form})
    is_own = decision.proposed_by_id == actor.pk
    return {
        "decision": decision,
        "outcome": decision_outcome(decision, language),
        "benefit_label": _benefit_label(decision.benefit, language),
        "linked": linked,
        "changed": decision.changes,
        "changes": changes,
        "may_approve": decision.status == DecisionStatus.PROPOSED
        and selectors.can_approve_decisions(actor)
        and not is_own,
        "is_own": is_own,
        "return_form": extra.pop("return_form", None) or ReturnForm(auto_id="return_%s"),
        "pdf_languages": _pdf_languages(decision),
        **extra,
    }


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
