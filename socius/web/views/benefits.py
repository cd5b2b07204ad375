"""UI views of benefits: a household's benefits, the application with its income table, and the proposal with
its trace (the decisions' pages are in benefit_decisions).

Reads go through the benefits selectors (scope: the centre, and the cases one reads) and each response that
shows persons writes a VIEW audit event naming them; writes call one benefits service each and answer with
the page again (messages beside the fields, the reason at the top, 400 or 409) or a redirect.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from socius.accounts.audit import record_list_view, record_view
from socius.accounts.roles import PROPOSE_DECISIONS, VIEW_CASES
from socius.benefits import selectors, services
from socius.benefits.models import Application, Decision
from socius.benefits.statuses import (
    ApplicationStatus,
    PaymentMethod,
)
from socius.casework.selectors import cases_in_scope
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.registry.selectors import current_memberships
from socius.rulebook import get_jurisdiction
from socius.rulebook.engine.benefits import BenefitError, UnknownBenefit, evaluate
from socius.rulebook.engine.data import PackDataError
from socius.rulebook.engine.jurisdiction import benefit_definition
from socius.rulebook.engine.parameters import ParameterError
from socius.web.access import requires
from socius.web.benefits_display import outcome_view, view_of
from socius.web.forms_benefit_pages import (
    INCOME_FIELDS,
    MAX_INCOME_ROWS,
    ApplicationForm,
    IncomeFormSet,
    ProposalForm,
)
from socius.web.views._helpers import add_domain_errors, domain_404
from socius.web.views._sections import reasons_of
from socius.web.views.benefits_calculator import posted_rows

INCOMES = "incomes"


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
