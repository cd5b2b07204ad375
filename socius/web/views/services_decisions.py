"""UI views of service decisions (issue 11): the list (filters: service, status, provider, client), a new
decision from a case or a person page (client, service, quantity, the usual week, dates, provider and the
co-payment step: the facts, and the calculation shown in the reader's language before anything is saved), the
decision's page (status moves with their reasons, the co-payment and its history, what was delivered) and its
printable PDF.

Reads go through socius.services.selectors, writes through socius.services.decisions and
socius.services.copayment; a refusal (four eyes, capacity, a move the map does not allow) is shown at the top
of the form with the reason, and nothing is written. Every page that shows a client is audited.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Min, Q, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socius.accounts.audit import record_list_view, record_view
from socius.accounts.roles import APPROVE_DECISIONS, ORDER_SERVICES, VIEW_CASES
from socius.casework.models import Case
from socius.casework.statuses import CaseStatus
from socius.common.errors import NotFound
from socius.common.formatting import format_money
from socius.registry.models import Person
from socius.registry.selectors import get_person_for
from socius.rulebook import CopaymentFacts, UnknownCode, evaluate_copayment, get_jurisdiction
from socius.rulebook.engine.services import trace_in
from socius.services import decisions as services
from socius.services import permissions, selectors
from socius.services.copayment import assess_copayment
from socius.services.models import Delivery, ServiceDecision, WaitingListEntry
from socius.services.statuses import DECISION_TRANSITIONS, DecisionStatus, DeliveryOutcome, WaitingStatus
from socius.web.access import requires
from socius.web.exports import ExportColumn, export_format, export_response, list_params
from socius.web.forms_services import WEEKDAYS, DecisionFilterForm, DecisionForm, ReasonForm, ReassessForm
from socius.web.views._helpers import domain_404, paginate
from socius.web.views.case_page import persons_of_case, workable_case
from socius.web.views.services_common import catalogue_of, labels_of, write

# The moves a page offers, by the status the map allows them from.
MOVES = {
    "issue": DecisionStatus.ISSUED,
    "suspend": DecisionStatus.SUSPENDED,
    "resume": DecisionStatus.ISSUED,
    "end": DecisionStatus.ENDED,
    "cancel": DecisionStatus.CANCELLED,
}


def visible_decision(actor, pk) -> ServiceDecision:
    """The decision if the actor may read it; 404 otherwise (missing, another centre, not a reader)."""
    try:
        return selectors.get_decision_for(actor, pk)
    except (NotFound, ServiceDecision.DoesNotExist):
        raise Http404 from None


def audit_decision_read(actor, decision, *, document: str = "") -> None:
    record_view(
        actor,
        object_type="service_decision",
        object_id=decision.pk,
        centre_id=decision.centre_id,
        person_id=decision.person_id,
        changes={"document": document} if document else None,
    )


def display_value(value, unit: str) -> str:
    """A trace value in the reader's locale: yes/no, money in its currency, a number with its unit."""
    if value is None:
        return "—"
    if isinstance(value, bool) or value in ("true", "false"):
        return _("yes") if value in (True, "true") else _("no")
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if len(unit) == 3 and unit.isalpha() and unit.isupper():
        return format_money(number, unit)
    shown = number_format(number, use_l10n=True, force_grouping=True)
    return f"{shown} {unit}" if unit else shown


def trace_rows(trace) -> list[dict]:
    """A stored or fresh co-payment trace as rows of web/benefits_trace.html (dates parsed)."""
    rows = []
    for step in trace or ():
        row = dict(step)
        valid_from = row.get("valid_from")
        if isinstance(valid_from, str) and valid_from:
            try:
                row["valid_from"] = dt.date.fromisoformat(valid_from[:10])
            except ValueError:
                row["valid_from"] = None
        row.setdefault("confirmed", True)
        if row.get("statutory_label") == row.get("label"):
            row["statutory_label"] = ""
        row["value"] = display_value(row.get("value"), row.get("unit") or "")
        rows.append(row)
    return rows


def copayment_preview(actor, service_code: str, facts: dict | None, day: dt.date):
    """The co-payment the pack's rule gives these facts on the day, in the reader's language (nothing saved)."""
    if not facts or not service_code:
        return None
    try:
        outcome = evaluate_copayment(
            actor.centre.jurisdiction,
            service_code,
            CopaymentFacts(
                income=facts["income"], household_size=facts["household_size"], lives_alone=facts["lives_alone"]
            ),
            day,
        )
    except (UnknownCode, LookupError, ValueError) as exc:
        return {"error": str(exc)}
    data = outcome.as_dict(get_language())
    return {
        "free": outcome.free,
        "share_of_cost_percent": outcome.share_of_cost_percent,
        "income_cap_percent": outcome.income_cap_percent,
        "rule_version": outcome.rule_version,
        "trace": trace_rows(data.get("trace") if isinstance(data, dict) else data),
    }


# --- the list -----------------------------------------------------------------------------------------------

SERVICE_DECISION_EXPORT_COLUMNS = (
    ExportColumn(gettext_lazy("Client"), lambda d: d.person.full_name),
    ExportColumn(gettext_lazy("Service"), lambda d: d.service_label),
    ExportColumn(gettext_lazy("Quantity"), lambda d: d.quantity),
    ExportColumn(gettext_lazy("Unit"), lambda d: f"{d.get_unit_display()} {d.get_per_display()}".strip()),
    ExportColumn(gettext_lazy("From"), lambda d: d.starts_on),
    ExportColumn(gettext_lazy("Until"), lambda d: d.ends_on),
    ExportColumn(gettext_lazy("Provider"), lambda d: d.provider.name if d.provider_id else _("The centre's staff")),
    ExportColumn(gettext_lazy("Status"), lambda d: d.get_status_display()),
    ExportColumn(gettext_lazy("Number"), lambda d: d.number),
)


@requires(VIEW_CASES)
def service_decisions(request):
    actor = request.user
    services_ = catalogue_of(actor)
    form = DecisionFilterForm(
        list_params(request) or None, services=services_, centre_id=actor.centre_id, auto_id="f_%s"
    )
    filters: dict = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "service_code": data["service"] or None,
            "status": data["status"] or None,
            "provider": data["provider"].pk if data["provider"] else None,
            "q": data["q"].strip() or None,
        }
    for name in ("case", "person"):  # from a case or a person page
        value = request.GET.get(name, "")
        if value.isdigit():
            filters[name] = int(value)
    filters = {k: v for k, v in filters.items() if v is not None}
    labels = labels_of(services_)

    def prepare(decisions):
        for decision in decisions:
            decision.service_label = labels.get(decision.service_code, decision.service_code)

    if export_format(request) and not form.errors:
        return export_response(
            request,
            selectors.list_decisions_for(actor, **filters),
            columns=SERVICE_DECISION_EXPORT_COLUMNS,
            object_type="service_decision",
            persons_of=lambda d: [d.person_id],
            name="service-decisions",
            query=filters.get("q", ""),
            prepare=prepare,
        )
    rows = paginate(request, selectors.list_decisions_for(actor, **filters))
    decisions = list(rows)
    prepare(decisions)
    record_list_view(
        actor,
        object_type="service_decision",
        person_ids=[d.person_id for d in decisions],
        query=filters.get("q", ""),
    )
    context = {
        "form": form,
        "page": rows,
        "decisions": decisions,
        "may_order": actor.can(ORDER_SERVICES),
    }
    return render(request, "web/services/decisions.html", context, status=400 if form.errors else 200)


# --- a new decision -----------------------------------------------------------------------------------------


def _origin(actor, request):
    """Where the decision is ordered from: a case (its persons), a person page, or a waiting-list entry."""
    source = request.POST if request.method == "POST" else request.GET
    case = person = entry = None
    if source.get("waiting", "").isdigit():
        entry = WaitingListEntry.objects.filter(
            pk=int(source["waiting"]), centre_id=actor.centre_id, status=WaitingStatus.WAITING
        ).first()
        if entry is None:
            raise Http404
        case = workable_case(actor, entry.case_id) if entry.case_id else None
        person = get_person_for(actor, entry.person_id)
    if source.get("case", "").isdigit() and case is None:
        case = workable_case(actor, int(source["case"]))
    person_key = "person_page" if request.method == "POST" else "person"  # POST "person": the chosen client
    if source.get(person_key, "").isdigit() and person is None:
        person = get_person_for(actor, int(source[person_key]))
    if case is not None:
        persons = persons_of_case(case)
    elif person is not None:
        persons = Person.objects.filter(pk=person.pk)
        case = (
            Case.objects.filter(centre_id=actor.centre_id, person_id=person.pk)
            .exclude(status=CaseStatus.CLOSED)
            .order_by("-id")
            .first()
        )
        if case is not None and not permissions.can_order_services(actor, case):
            case = None
    else:
        persons = None
    return case, person, entry, persons


@requires(ORDER_SERVICES)
@domain_404
def service_decision_new(request):
    actor = request.user
    case, person, entry, persons = _origin(actor, request)
    if persons is None:
        return render(request, "web/services/decision_start.html", {}, status=200)
    if not permissions.can_order_services(actor, case):
        raise PermissionDenied
    services_ = catalogue_of(actor)
    today = timezone.localdate()
    kwargs = {"persons": persons, "services": services_, "centre_id": actor.centre_id, "auto_id": "dec_%s"}
    reasons, status, preview = [], 200, None
    if request.method == "POST":
        form = DecisionForm(request.POST, **kwargs)
        if "preview" in request.POST:
            if form.is_valid():
                preview = copayment_preview(
                    actor, form.cleaned_data["service_code"], form.copayment_facts(), form.cleaned_data["starts_on"]
                )
            else:
                status = 400
        else:

            def save(data):
                payload = form.decision_data() | (form.copayment_facts() or {})
                payload["case"] = case
                payload["waiting_entry"] = entry
                return services.draft_decision(actor, payload)

            decision, reasons, status = write(form, save)
            if decision is not None:
                messages.success(request, _("The decision is drafted. Another person issues it."))
                return redirect(reverse("web:service_decision", args=[decision.pk]))
    else:
        initial = {"starts_on": today, "per": "week"}
        if person is not None:
            initial["person"] = person.pk
        elif persons is not None and persons.count() == 1:
            initial["person"] = persons.first().pk
        if entry is not None:
            initial["service_code"] = entry.service_code
        for name in ("service_code", "quantity"):
            if request.GET.get(name):
                initial[name] = request.GET[name]
        form = DecisionForm(initial=initial, **kwargs)
    context = {
        "form": form,
        "case": case,
        "person": person,
        "entry": entry,
        "reasons": reasons,
        "failed": _("The decision was not saved."),
        "preview": preview,
        "weekdays": WEEKDAYS,
    }
    return render(request, "web/services/decision_new.html", context, status=status)


# --- the decision's page ------------------------------------------------------------------------------------


def deliveries_summary(decision) -> dict:
    """What was delivered under the decision: units delivered, visits missed, first and last day (one query)."""
    return Delivery.objects.filter(decision=decision).aggregate(
        delivered=Sum("units", filter=Q(outcome=DeliveryOutcome.DELIVERED)),
        missed=Count("id", filter=Q(outcome=DeliveryOutcome.MISSED)),
        first=Min("date"),
        last=Max("date"),
    )


def _moves_for(actor, decision) -> list[str]:
    allowed = DECISION_TRANSITIONS.get(decision.status, frozenset())
    moves = []
    for move, target in MOVES.items():
        if target not in allowed:
            continue
        if move == "resume" and decision.status != DecisionStatus.SUSPENDED:
            continue
        if move == "issue" and decision.status != DecisionStatus.DRAFT:
            continue
        if move == "cancel":
            if permissions.can_draft_on(actor, decision):
                moves.append(move)
        elif permissions.can_issue_decision(actor, decision):
            moves.append(move)
    return moves


def decision_context(request, decision, *, forms_: dict | None = None, reasons=(), failed: str = "") -> dict:
    actor = request.user
    forms_ = forms_ or {}
    today = timezone.localdate()
    country = decision.centre.jurisdiction
    services_ = catalogue_of(actor)
    assessments = list(decision.copayments.select_related("computed_by").order_by("-valid_from", "-id"))
    language = get_language()
    for assessment in assessments:  # stored in the pack's wording: read back in the reader's language
        assessment.rows = trace_rows(trace_in(country, assessment.trace, language))
    in_force = next((a for a in assessments if a.valid_from <= today), assessments[-1] if assessments else None)
    moves = _moves_for(actor, decision)
    may_reassess = decision.status in (DecisionStatus.DRAFT, DecisionStatus.ISSUED, DecisionStatus.SUSPENDED) and (
        permissions.can_issue_decision(actor, decision) or permissions.can_draft_on(actor, decision)
    )
    reason_initial = {"on": today}
    return {
        "decision": decision,
        "country": country,
        "currency": get_jurisdiction(country).currency,
        "service_label": labels_of(services_).get(decision.service_code, decision.service_code),
        "pattern": [
            {"day": WEEKDAYS[row.get("weekday", 0)], "start": row.get("start", ""), "units": row.get("units")}
            for row in decision.weekly_pattern or ()
            if isinstance(row, dict) and 0 <= int(row.get("weekday", 0)) <= 6
        ],
        "assessments": assessments,
        "in_force": in_force,
        "moves": moves,
        "may_edit": decision.status == DecisionStatus.DRAFT and permissions.can_draft_on(actor, decision),
        "issue_form": forms_.get("issue") or ReasonForm(initial=reason_initial, auto_id="issue_%s"),
        "suspend_form": forms_.get("suspend") or ReasonForm(initial=reason_initial, auto_id="suspend_%s"),
        "resume_form": forms_.get("resume") or ReasonForm(initial=reason_initial, auto_id="resume_%s"),
        "end_form": forms_.get("end") or ReasonForm(initial=reason_initial, auto_id="end_%s"),
        "cancel_form": forms_.get("cancel") or ReasonForm(initial=reason_initial, auto_id="cancel_%s"),
        "reassess_form": (
            forms_.get("reassess")
            or ReassessForm(
                initial={
                    "valid_from": max(today, decision.starts_on),
                    "income": in_force.income if in_force else None,
                    "household_size": in_force.household_size if in_force else None,
                    "lives_alone": in_force.lives_alone if in_force else False,
                },
                auto_id="reassess_%s",
            )
        )
        if may_reassess
        else None,
        "deliveries": deliveries_summary(decision),
        "reasons": list(reasons),
        "failed": failed,
        "today": today,
    }


@requires(VIEW_CASES)
@domain_404
def service_decision(request, pk):
    actor = request.user
    decision = visible_decision(actor, pk)
    audit_decision_read(actor, decision)
    return render(request, "web/services/decision.html", decision_context(request, decision))


def _decision_move(move: str):
    """A status move of the decision (POST): the reason and the day from its small form."""

    def run(actor, decision, data):
        on, reason = data["on"], data.get("reason", "")
        if move == "issue":
            return services.issue_decision(actor, decision, on=on)
        if move == "suspend":
            return services.suspend_decision(actor, decision, on=on, reason=reason)
        if move == "resume":
            return services.resume_decision(actor, decision, on=on)
        if move == "end":
            return services.end_decision(actor, decision, on=on, reason=reason)
        return services.cancel_draft(actor, decision, reason=reason)

    done = {
        "issue": _("The decision is issued."),
        "suspend": _("The decision is suspended."),
        "resume": _("The decision is in force again."),
        "end": _("The decision is ended."),
        "cancel": _("The draft is cancelled."),
    }

    @require_POST
    @domain_404
    def view(request, pk):
        actor = request.user
        decision = visible_decision(actor, pk)
        form = ReasonForm(request.POST, auto_id=f"{move}_%s")
        if move in ("issue", "resume"):
            form.fields["reason"].required = False
        result, reasons, status = write(form, lambda data: run(actor, decision, data))
        if result is not None or status == 200:
            messages.success(request, done[move])
            return redirect(reverse("web:service_decision", args=[decision.pk]))
        decision = visible_decision(actor, pk)  # as it stands: nothing was written
        audit_decision_read(actor, decision)
        context = decision_context(
            request, decision, forms_={move: form}, reasons=reasons, failed=_("The decision did not change.")
        )
        return render(request, "web/services/decision.html", context, status=status)

    view.__name__ = f"service_decision_{move}"
    return view


service_decision_issue = requires(APPROVE_DECISIONS)(_decision_move("issue"))
service_decision_suspend = requires(APPROVE_DECISIONS)(_decision_move("suspend"))
service_decision_resume = requires(APPROVE_DECISIONS)(_decision_move("resume"))
service_decision_end = requires(APPROVE_DECISIONS)(_decision_move("end"))
service_decision_cancel = requires(ORDER_SERVICES)(_decision_move("cancel"))


@requires(ORDER_SERVICES)
@require_POST
@domain_404
def service_decision_copayment(request, pk):
    """The co-payment computed again from new facts, from a date (a new row of its history)."""
    actor = request.user
    decision = visible_decision(actor, pk)
    form = ReassessForm(request.POST, auto_id="reassess_%s")
    result, reasons, status = write(
        form,
        lambda d: assess_copayment(
            actor,
            decision,
            income=d["income"],
            household_size=d["household_size"],
            lives_alone=bool(d["lives_alone"]),
            valid_from=d["valid_from"],
            on=timezone.localdate(),
        ),
    )
    if result is not None:
        messages.success(request, _("The co-payment is computed again."))
        return redirect(reverse("web:service_decision", args=[decision.pk]) + "#copayment")
    audit_decision_read(actor, decision)
    context = decision_context(
        request, decision, forms_={"reassess": form}, reasons=reasons, failed=_("The co-payment was not saved.")
    )
    return render(request, "web/services/decision.html", context, status=status)


def _initial_of(decision: ServiceDecision) -> dict:
    """The draft as the form's initial values: its fields, the usual week, the co-payment facts given."""
    initial = {name: getattr(decision, name) for name in ("service_code", "quantity", "per", "starts_on", "ends_on")}
    initial |= {
        "person": decision.person_id,
        "provider": decision.provider_id,
        "legal_basis": decision.legal_basis,
        "notes": decision.notes,
    }
    for row in decision.weekly_pattern or ():
        day = row.get("weekday")
        if isinstance(day, int) and 0 <= day <= 6:
            initial[f"day{day}_start"] = row.get("start") or None
            initial[f"day{day}_units"] = row.get("units")
    facts = getattr(decision, "copayment_facts", None) or {}
    initial |= {name: facts.get(name) for name in ("income", "household_size", "lives_alone") if name in facts}
    return initial


@requires(ORDER_SERVICES)
@domain_404
def service_decision_edit(request, pk):
    """A change of a draft (its drafter, or whoever may order services on its case), with the same co-payment
    preview as a new decision."""
    actor = request.user
    decision = visible_decision(actor, pk)
    if decision.status != DecisionStatus.DRAFT or not permissions.can_draft_on(actor, decision):
        raise PermissionDenied
    persons = persons_of_case(decision.case) if decision.case_id else Person.objects.filter(pk=decision.person_id)
    kwargs = {"persons": persons, "services": catalogue_of(actor), "centre_id": actor.centre_id, "auto_id": "dec_%s"}
    reasons, status, preview = [], 200, None
    if request.method == "POST":
        form = DecisionForm(request.POST, **kwargs)
        if "preview" in request.POST:
            if form.is_valid():
                preview = copayment_preview(
                    actor, form.cleaned_data["service_code"], form.copayment_facts(), form.cleaned_data["starts_on"]
                )
            else:
                status = 400
        else:
            saved, reasons, status = write(
                form,
                lambda d: services.update_draft(actor, decision, form.decision_data() | (form.copayment_facts() or {})),
            )
            if saved is not None:
                messages.success(request, _("The draft is saved."))
                return redirect(reverse("web:service_decision", args=[decision.pk]))
    else:
        form = DecisionForm(initial=_initial_of(decision), **kwargs)
    audit_decision_read(actor, decision)
    context = {
        "form": form,
        "decision": decision,
        "case": decision.case,
        "person": None,
        "entry": None,
        "reasons": reasons,
        "failed": _("The decision was not saved."),
        "preview": preview,
    }
    return render(request, "web/services/decision_new.html", context, status=status)
