"""UI of weekly rosters, the carer's day and the canteen's day sheet (issue 11, decision 0016).

The week is a table of carers × days; each visit is a link to a small form to move or cancel it (no dragging:
the keyboard and a screen reader reach every visit). A refused move (the carer's hours, another visit at the
same time, the client's decision) is shown at the top of the form with the reason, and nothing is written.
The carer's day is made for a phone: big buttons, one visit per card, delivered or missed with a reason. Reads
go through socius.services.selectors_rosters, writes through rosters and deliveries.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_POST

from socius.accounts.roles import MANAGE_SERVICES, RECORD_DELIVERIES, VIEW_SERVICES
from socius.common.errors import Conflict, ValidationFailed
from socius.services import deliveries, rosters
from socius.services import selectors_rosters as selectors
from socius.services.models import Roster, ServiceWorker
from socius.services.permissions import can_manage_services
from socius.services.statuses import MissedReason, RosterStatus, VisitStatus
from socius.web.access import requires
from socius.web.views._helpers import add_domain_errors, domain_404


def service_label(code: str, request) -> str:
    """The catalogue's name of a service in the reader's language (the code while the catalogue is absent)."""
    try:
        from socius.rulebook import service_definition

        definition = service_definition(request.user.centre.jurisdiction, code)
        return definition.label_in(getattr(request, "LANGUAGE_CODE", "en"))
    except Exception:  # no catalogue yet, or an unknown code: show the code
        return code


def _day(value, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except (TypeError, ValueError):
        return default


# --- the week -------------------------------------------------------------------------------------------


@requires(VIEW_SERVICES)
@domain_404
def roster_week(request):
    """The week's roster (?week=YYYY-MM-DD, any day of it; this week by default)."""
    today = timezone.localdate()
    week = rosters.week_of(_day(request.GET.get("week"), today))
    roster = Roster.objects.filter(centre_id=request.user.centre_id, week_start=week).first()
    grid = selectors.roster_grid(request.user, roster) if roster else None
    labels: dict[str, str] = {}

    def label(code):
        if code not in labels:
            labels[code] = service_label(code, request)
        return labels[code]

    if grid:
        for row in grid.rows:
            for visits in row.days:
                for v in visits:
                    v.service_label = label(v.decision.service_code)
        for s in grid.short:
            s.service_label = label(s.decision.service_code)
    return render(
        request,
        "web/services/roster_week.html",
        {
            "week": week,
            "days": [week + dt.timedelta(days=i) for i in range(7)],
            "previous": week - dt.timedelta(days=7),
            "next": week + dt.timedelta(days=7),
            "roster": roster,
            "grid": grid,
            "may_manage": can_manage_services(request.user),
            "unplaced": request.session.pop("roster_unplaced", None),
        },
    )


def _week_url(week: dt.date) -> str:
    return f"{reverse('web:roster_week')}?week={week.isoformat()}"


@requires(MANAGE_SERVICES)
@require_POST
@domain_404
def roster_generate(request):
    week = rosters.week_of(_day(request.POST.get("week"), timezone.localdate()))
    try:
        result = rosters.generate_roster(request.user, request.user.centre, week, on=timezone.localdate())
    except (Conflict, ValidationFailed) as exc:
        messages.error(request, _message(exc))
        return redirect(_week_url(week))
    messages.success(
        request,
        ngettext("%(n)s visit planned.", "%(n)s visits planned.", len(result.visits)) % {"n": len(result.visits)}
        if result.visits
        else _("No visit to plan."),
    )
    if result.unplaced:
        request.session["roster_unplaced"] = [
            {"person": str(u.decision.person), "date": u.date.isoformat(), "units": str(u.units), "reason": u.reason}
            for u in result.unplaced
        ]
    return redirect(_week_url(week))


def _message(exc) -> str:
    if isinstance(exc, ValidationFailed):
        return " ".join(str(m) for msgs in exc.errors.values() for m in msgs)
    return str(exc.message)


def _roster_move(request, pk, move, done: str):
    roster = selectors.get_roster_for(request.user, pk)
    try:
        move(request.user, roster)
        messages.success(request, done)
    except Conflict as exc:
        messages.error(request, _message(exc))
    return redirect(_week_url(roster.week_start))


@requires(MANAGE_SERVICES)
@require_POST
@domain_404
def roster_publish(request, pk):
    return _roster_move(request, pk, rosters.publish_roster, _("The roster is published: carers see their visits."))


@requires(MANAGE_SERVICES)
@require_POST
@domain_404
def roster_reopen(request, pk):
    return _roster_move(request, pk, rosters.reopen_roster, _("The roster is open for changes again."))


class VisitMoveForm(forms.Form):
    worker = forms.ModelChoiceField(label=gettext_lazy("Carer"), queryset=ServiceWorker.objects.none())
    date = forms.DateField(label=gettext_lazy("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    starts_at = forms.TimeField(
        label=gettext_lazy("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    units = forms.DecimalField(
        label=pgettext_lazy("service quantity", "Units"), min_value=0, max_digits=5, decimal_places=2
    )

    def __init__(self, *args, decision, **kwargs):
        super().__init__(*args, **kwargs)
        workers = ServiceWorker.objects.filter(centre_id=decision.centre_id, is_active=True).order_by("name", "pk")
        fit = [
            w.pk
            for w in workers
            if decision.service_code in (w.service_codes or ()) and w.provider_id == decision.provider_id
        ]
        self.fields["worker"].queryset = workers.filter(pk__in=fit)


@requires(MANAGE_SERVICES)
@domain_404
def roster_visit(request, pk):
    """Move a visit: another carer, day, time or length (GET the form, POST to save)."""
    visit = selectors.get_visit_for(request.user, pk)
    initial = {"worker": visit.worker_id, "date": visit.date, "starts_at": visit.starts_at, "units": visit.units}
    form = VisitMoveForm(request.POST or None, initial=initial, decision=visit.decision)
    reasons, code = [], 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                rosters.move_visit(request.user, visit, worker=data["worker"], date=data["date"],
                                   starts_at=data["starts_at"], units=data["units"])  # fmt: skip
                messages.success(request, _("The visit is moved."))
                return redirect(_week_url(visit.roster.week_start) + f"#visit-{visit.pk}")
            except Conflict as exc:
                form.add_error(None, exc.message)
                reasons, code = [str(exc.message)], 409
            except ValidationFailed as exc:
                add_domain_errors(form, exc)
                code = 400
        else:
            code = 400
    return render(
        request,
        "web/services/roster_visit.html",
        {
            "visit": visit,
            "form": form,
            "reasons": reasons,
            "service": service_label(visit.decision.service_code, request),
            "editable": visit.roster.status == RosterStatus.DRAFT and visit.status == VisitStatus.PLANNED,
        },
        status=code,
    )


@requires(MANAGE_SERVICES)
@require_POST
@domain_404
def roster_visit_cancel(request, pk):
    visit = selectors.get_visit_for(request.user, pk)
    try:
        rosters.cancel_visit(request.user, visit, reason=request.POST.get("reason", ""))
        messages.success(request, _("The visit is cancelled."))
    except Conflict as exc:
        messages.error(request, _message(exc))
    return redirect(_week_url(visit.roster.week_start))


# --- the carer's day ------------------------------------------------------------------------------------


@requires(RECORD_DELIVERIES)
@domain_404
def carer_day(request):
    """The carer's visits of a day (?day=, today by default), each with the client, the address, what to
    deliver and buttons to record it."""
    today = timezone.localdate()
    day = _day(request.GET.get("day"), today)
    data = selectors.carer_day(request.user, day)
    for v in data.visits:
        v.service_label = service_label(v.decision.service_code, request)
    return render(
        request,
        "web/services/carer_day.html",
        {
            "data": data,
            "day": day,
            "today": today,
            "previous": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1),
            "reasons": MissedReason.choices,
        },
    )


@requires(RECORD_DELIVERIES)
@require_POST
@domain_404
def carer_visit_record(request, pk):
    """Delivered (units) or missed (reason, note) from the carer's day."""
    visit = selectors.get_visit_for(request.user, pk)
    back = f"{reverse('web:carer_day')}?day={visit.date.isoformat()}#visit-{visit.pk}"
    today = timezone.localdate()
    try:
        if request.POST.get("outcome") == "missed":
            deliveries.record_missed(
                request.user, visit, request.POST.get("reason", ""), request.POST.get("note", ""), on=today
            )
            messages.success(request, _("Recorded as missed: %(name)s.") % {"name": visit.decision.person})
        else:
            deliveries.record_delivery(
                request.user, visit, units=request.POST.get("units") or visit.units, on=today,
                note=request.POST.get("note", ""),
            )  # fmt: skip
            messages.success(request, _("Recorded as delivered: %(name)s.") % {"name": visit.decision.person})
    except (Conflict, ValidationFailed) as exc:
        messages.error(request, _message(exc))
    return redirect(back)


# --- the canteen ----------------------------------------------------------------------------------------


@requires(RECORD_DELIVERIES)
@domain_404
def canteen_day(request):
    """The canteen's day sheet (?service=&day=): every client with meals that day; POST saves the whole day."""
    today = timezone.localdate()
    source = request.POST if request.method == "POST" else request.GET
    day = _day(source.get("day"), today)
    services = selectors.canteen_services(request.user.centre_id, day)
    service = source.get("service") or (services[0] if services else "")
    if not service:
        return render(request, "web/services/canteen_day.html", {"day": day, "services": [], "sheet": None})
    errors, code = [], 200
    if request.method == "POST":
        meals = {}
        for key, value in request.POST.items():
            if key.startswith("meals-"):
                meals[key.removeprefix("meals-")] = value.strip() or "0"
        try:
            deliveries.record_canteen_day(request.user, service, day, meals, on=today)
            messages.success(request, _("The canteen's day is saved."))
            return redirect(f"{reverse('web:canteen_day')}?service={service}&day={day.isoformat()}")
        except (Conflict, ValidationFailed) as exc:
            errors = (
                [str(m) for msgs in exc.errors.values() for m in msgs]
                if isinstance(exc, ValidationFailed)
                else [str(exc.message)]
            )
            code = 400 if isinstance(exc, ValidationFailed) else 409
    sheet = selectors.canteen_day_sheet(request.user, service, day)
    return render(
        request,
        "web/services/canteen_day.html",
        {
            "day": day,
            "services": [(code_, service_label(code_, request)) for code_ in services],
            "service": service,
            "service_name": service_label(service, request),
            "sheet": sheet,
            "errors": errors,
            "posted": request.POST if errors else None,
        },
        status=code,
    )
