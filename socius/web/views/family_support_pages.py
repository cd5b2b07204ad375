"""UI views of the family assistant programme around the family page (issue 10): the assistant's desk, the
loads of assistants (team leaders, the director), the list of enrolments, a request from a case, a direct
enrolment (court order, statutory case), the head's decision, and the monthly timesheet.

Reads go through socius.family.selectors_support, writes through socius.family.support; a refusal (the
caseload cap, a consent missing) is shown at the top of the form with the reason, and nothing is written.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socius.accounts.audit import record_list_view, record_view
from socius.accounts.models import User
from socius.accounts.roles import APPROVE_ENROLMENTS, VIEW_ASSISTANT_LOADS, WORK_FAMILY_SUPPORT
from socius.casework.models import Case
from socius.casework.selectors import get_case_content_for
from socius.common.errors import Conflict, ValidationFailed
from socius.family import permissions
from socius.family import selectors_support as selectors
from socius.family import support as services
from socius.family.models import FamilyEnrolment
from socius.family.statuses import ActivityPlace, EnrolmentStatus
from socius.payments.models import Fund
from socius.registry.models import Person
from socius.registry.selectors import attach_household_heads, current_memberships
from socius.web.access import requires
from socius.web.exports import ExportColumn, export_format, export_response, list_params
from socius.web.forms_family_support import (
    CasePickForm,
    DecideForm,
    EnrolForm,
    EnrolmentFilterForm,
    EnrolmentRequestForm,
    TimesheetForm,
)
from socius.web.views._helpers import add_domain_errors, domain_404, paginate
from socius.web.views._sections import reasons_of
from socius.web.views.family_support import visible_enrolment
from socius.web.views.family_support_home import desk_context


def _members_of_household(household_id) -> list[Person]:
    if not household_id:
        return Person.objects.none()
    return Person.objects.filter(
        pk__in=current_memberships().filter(household_id=household_id).values("person_id")
    ).order_by("last_name", "first_name", "id")


def _family_household(case: Case):
    """The household the family is: the case's, else the case person's current one."""
    if case.household_id:
        return case.household
    if case.person_id:
        membership = current_memberships().filter(person_id=case.person_id).select_related("household").first()
        return membership.household if membership else None
    return None


def _write(form, write, *, failed: str):
    """Validate, call one service; on refusal put the reasons on the form. (result, refusal reasons, status)"""
    if not form.is_valid():
        return None, reasons_of(form), 400
    try:
        return write(form.cleaned_data), [], 200
    except Conflict as exc:
        form.add_error(None, exc.message)
        return None, [str(exc.message)], 409
    except ValidationFailed as exc:
        add_domain_errors(form, exc)
        return None, reasons_of(form, exc), 400


def _consent(data):
    if not data.get("consent_person"):
        return None
    return services.ConsentInput(
        person=data["consent_person"], given_on=data["consent_given_on"], method=data["consent_method"]
    )


# --- the assistant's desk and the loads ------------------------------------------------------------------


@requires(WORK_FAMILY_SUPPORT)
def family_desk(request):
    actor = request.user
    context = desk_context(actor, timezone.localdate())
    context["may_see_loads"] = permissions.can_view_assistant_loads(actor)
    return render(request, "web/family_desk.html", context)


@requires(VIEW_ASSISTANT_LOADS)
def family_loads(request):
    loads = [
        {
            "assistant": row.assistant,
            "active": row.active,
            "monitoring": row.monitoring,
            "requested_waiting": row.requested_waiting,
            "cap": row.cap,
            "cap_value": row.cap.value,
            "at_cap": row.is_at_cap,
        }
        for row in selectors.assistant_loads(request.user, timezone.localdate())
    ]
    return render(request, "web/family_loads.html", {"loads": loads})


# --- the list, a request, a direct enrolment, the decision --------------------------------------------------


ENROLMENT_EXPORT_COLUMNS = (
    ExportColumn(gettext_lazy("Family"), lambda e: e.household.display_name),
    ExportColumn(gettext_lazy("Case"), lambda e: e.case.reference if e.case_id else ""),
    ExportColumn(gettext_lazy("Route"), lambda e: e.get_route_display()),
    ExportColumn(gettext_lazy("Status"), lambda e: e.get_status_display()),
    ExportColumn(
        gettext_lazy("Family assistant"),
        lambda e: (e.assistant.get_full_name() or e.assistant.username) if e.assistant_id else "",
    ),
    ExportColumn(gettext_lazy("Requested on"), lambda e: e.requested_on),
)


@requires(WORK_FAMILY_SUPPORT)
def family_enrolments(request):
    actor = request.user
    form = EnrolmentFilterForm(list_params(request) or None, centre_id=actor.centre_id, auto_id="filter_%s")
    filters = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "status": data["status"] or None,
            "assistant_id": data["assistant"].pk if data["assistant"] else None,
            "q": data["q"].strip() or None,
        }
    if export_format(request):
        return export_response(
            request,
            selectors.list_enrolments_for(actor, **filters),
            columns=ENROLMENT_EXPORT_COLUMNS,
            object_type="family_enrolment",
            persons_of=lambda e: [getattr(e.household, "head_member", None) and e.household.head_member.pk],
            name="family-enrolments",
            query=filters.get("q") or "",
            prepare=lambda chunk: attach_household_heads([e.household for e in chunk]),
        )
    rows = paginate(request, selectors.list_enrolments_for(actor, **filters))
    enrolments = list(rows)
    households = [e.household for e in enrolments]
    attach_household_heads(households)
    record_list_view(
        actor,
        object_type="family_enrolment",
        person_ids=[h.head_member.pk for h in households if getattr(h, "head_member", None)],
        query=(filters.get("q") or ""),
    )
    return render(request, "web/family_enrolments.html", {"form": form, "page": rows, "enrolments": enrolments})


@requires(WORK_FAMILY_SUPPORT)
@domain_404
def family_enrolment_request(request, pk):
    """A request for an assistant, from the case page (the head of the centre decides)."""
    actor = request.user
    case = get_case_content_for(actor, pk)  # audited; Forbidden -> 403, NotFound -> 404
    if not permissions.can_request_enrolment(actor, case):
        raise PermissionDenied
    household = _family_household(case)
    reasons, status = [], 200
    if request.method == "POST":
        form = EnrolmentRequestForm(request.POST, auto_id="request_%s")
        enrolment, reasons, status = _write(
            form,
            lambda d: services.request_enrolment(
                actor, case=case, reason=d["reason"], requested_on=d["requested_on"], household=household
            ),
            failed=_("The request was not sent."),
        )
        if enrolment is not None:
            messages.success(request, _("The request is sent to the head of the centre."))
            return redirect(reverse("web:family_enrolment", args=[enrolment.pk]))
    else:
        form = EnrolmentRequestForm(initial={"requested_on": timezone.localdate()}, auto_id="request_%s")
    open_enrolment = FamilyEnrolment.objects.filter(
        household=household, status__in=[EnrolmentStatus.REQUESTED, EnrolmentStatus.ACTIVE, EnrolmentStatus.MONITORING]
    ).first() if household else None  # fmt: skip
    context = {
        "case": case,
        "household": household,
        "form": form,
        "reasons": reasons,
        "failed": _("The request was not sent."),
        "open_enrolment": open_enrolment,
    }
    return render(request, "web/family_request.html", context, status=status)


@requires(WORK_FAMILY_SUPPORT)
@domain_404
def family_enrol(request):
    """A direct enrolment: first the case (`?case=<id>`, or its reference), then the enrolment with consent."""
    actor = request.user
    case_id = request.POST.get("case") or request.GET.get("case")
    pick = CasePickForm(request.GET if "case_ref" in request.GET else None, auto_id="pick_%s")
    if not case_id and pick.is_bound and pick.is_valid():
        ref = pick.cleaned_data["case_ref"].strip()
        found = Case.objects.filter(centre_id=actor.centre_id, reference__iexact=ref).values_list("pk", flat=True)
        if found:
            return redirect(f"{reverse('web:family_enrol')}?case={found[0]}")
        pick.add_error("case_ref", _("No case of this centre has this reference."))
    if not case_id:
        return render(request, "web/family_enrol.html", {"pick": pick}, status=400 if pick.errors else 200)
    try:
        case_pk = int(case_id)
    except (TypeError, ValueError):
        raise Http404 from None
    case = get_case_content_for(actor, case_pk)
    household = _family_household(case)
    if household is not None:
        attach_household_heads([household])  # the family's name: its head's
    members = _members_of_household(household.pk if household else None)
    reasons, status = [], 200
    if request.method == "POST":
        form = EnrolForm(request.POST, centre_id=actor.centre_id, members=members, auto_id="enrol_%s")

        def write(d):
            return services.enrol_family(
                actor, case=case, route=d["route"], assistant=d["assistant"], started_on=d["started_on"],
                consent=_consent(d), court_name=d["court_name"], court_reference=d["court_reference"],
                court_order_on=d.get("court_order_on"), legal_basis=d["legal_basis"], reason=d["reason"],
                household=household,
            )  # fmt: skip

        enrolment, reasons, status = _write(form, write, failed=_("The family was not enrolled."))
        if enrolment is not None:
            messages.success(request, _("The family is enrolled."))
            return redirect(reverse("web:family_enrolment", args=[enrolment.pk]))
    else:
        initial = {"started_on": timezone.localdate(), "consent_given_on": timezone.localdate()}
        if actor.role == "family_assistant":
            initial["assistant"] = actor.pk
        form = EnrolForm(initial=initial, centre_id=actor.centre_id, members=members, auto_id="enrol_%s")
    context = {
        "case": case,
        "household": household,
        "form": form,
        "reasons": reasons,
        "failed": _("The family was not enrolled."),
    }
    return render(request, "web/family_enrol.html", context, status=status)


@requires(APPROVE_ENROLMENTS)
@domain_404
def family_enrolment_decide(request, pk):
    actor = request.user
    enrolment = visible_enrolment(actor, pk)
    if not permissions.can_decide_enrolment(actor, enrolment):
        raise PermissionDenied
    members = _members_of_household(enrolment.household_id)
    funds = Fund.objects.filter(centre_id=enrolment.centre_id, is_active=True).order_by("name")
    reasons, status = [], 200
    if request.method == "POST":
        form = DecideForm(request.POST, centre_id=actor.centre_id, members=members, funds=funds, auto_id="decide_%s")

        def write(d):
            if d["decision"] == "approve":
                return services.approve_enrolment(
                    actor, enrolment, assistant=d["assistant"], decided_on=d["decided_on"], fund=d.get("fund"),
                    consent=_consent(d),
                )  # fmt: skip
            return services.refuse_enrolment(actor, enrolment, reason=d["refusal_reason"], decided_on=d["decided_on"])

        done, reasons, status = _write(form, write, failed=_("The decision was not recorded."))
        if done is not None:
            messages.success(request, _("The decision is recorded."))
            return redirect(reverse("web:family_enrolment", args=[enrolment.pk]))
    else:
        today = timezone.localdate()
        form = DecideForm(
            initial={"decided_on": today, "consent_given_on": today},
            centre_id=actor.centre_id, members=members, funds=funds, auto_id="decide_%s",
        )  # fmt: skip
    record_view(
        actor,
        object_type="family_enrolment",
        object_id=enrolment.pk,
        centre_id=enrolment.centre_id,
        person_ids=[p.pk for p in members],
    )
    loads = {row.assistant.pk: row for row in selectors.assistant_loads(actor, timezone.localdate())}
    context = {
        "enrolment": enrolment,
        "case": enrolment.case,
        "form": form,
        "reasons": reasons,
        "failed": _("The decision was not recorded."),
        "loads": loads,
        "members": members,
    }
    return render(request, "web/family_decide.html", context, status=status)


# --- the monthly timesheet ------------------------------------------------------------------------------


def timesheet_request(request):
    """(form, month, assistant or None for all, the timesheets) for the page and its PDF."""
    actor = request.user
    may_choose = permissions.can_view_assistant_loads(actor)
    form = TimesheetForm(request.GET or None, centre_id=actor.centre_id, may_choose=may_choose, auto_id="ts_%s")
    month = timezone.localdate().replace(day=1)
    assistant: User | None = actor
    if form.is_bound:
        if not form.is_valid():
            return form, month, None, None
        month = form.cleaned_data["month"] or month
        if may_choose:
            assistant = form.cleaned_data.get("assistant")
    if assistant is None:
        sheets = selectors.timesheets(actor, month)
    else:
        if not permissions.can_view_timesheet(actor, assistant):
            raise Http404
        sheets = [selectors.timesheet(actor, assistant, month)]
    return form, month, assistant, sheets


def timesheet_rows(sheet) -> list:
    """Days with time logged, each with its entries' area names."""
    from socius.web.views.family_support import area_labels

    places = dict(ActivityPlace.choices)
    rows = []
    for day in sheet.rows:
        entries = [
            {
                "enrolment_id": e.enrolment_id,
                "family": e.family_name,
                "place": places.get(e.place, e.place),
                "areas": area_labels(e.areas),
                "minutes": e.minutes,
            }
            for e in day.entries
        ]
        rows.append({"date": day.date, "minutes": day.minutes, "entries": entries})
    return rows


@requires(WORK_FAMILY_SUPPORT)
def family_timesheet(request):
    form, month, assistant, sheets = timesheet_request(request)
    if sheets is None:
        return render(request, "web/family_timesheet.html", {"form": form, "sheets": []}, status=400)
    for sheet in sheets:
        sheet.display_rows = timesheet_rows(sheet) if sheet.has_entries else []
        sheet.hours = sheet.total_minutes / 60
    query = request.GET.urlencode()
    context = {"form": form, "month": month, "assistant": assistant, "sheets": sheets, "query": query}
    return render(request, "web/family_timesheet.html", context)
