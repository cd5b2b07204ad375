"""UI views of outreach (issue 11): the list of the centre's outreach events, planning one, and the event's page
where it is recorded as held (headcount, partners, named attendees with consent, leaflets per service of the
catalogue, questions, follow-ups), cancelled or planned again, and where the potential recipients found there
are recorded and followed up (socius.web.views.community_recipients).

Reads go through socius.community.selectors_outreach, writes through socius.community.outreach; each write is
one service call, answered by a redirect to the event's page (post/redirect/get), or on refusal by the page
drawn again with the reason at the top of the form and beside the field, and nothing written.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from socius.accounts.roles import VIEW_CASES, WORK_COMMUNITY
from socius.casework.selectors_referrals import list_partners_for
from socius.common.errors import Conflict, ValidationFailed
from socius.community import outreach as services
from socius.community import permissions
from socius.community import selectors_outreach as selectors
from socius.community.models import EventFollowUp
from socius.community.statuses import EVENT_TRANSITIONS, EventStatus, RecipientStatus
from socius.web.access import requires
from socius.web.exports import ExportColumn, export_format, export_response
from socius.web.forms_community import (
    AttendeeRows,
    CancelEventForm,
    DismissForm,
    EventFilterForm,
    FollowUpRows,
    HeldForm,
    MakeContactForm,
    PartnerRows,
    PlanEventForm,
    RecipientForm,
    ReferForm,
    ReplanEventForm,
    community_staff,
)
from socius.web.views._helpers import add_domain_errors, domain_404, paginate
from socius.web.views._sections import reasons_of


def linked_reasons(form) -> list[dict]:
    """A refused form's messages, each named by its field's label and linking to the field."""
    reasons = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        for error in errors:
            if field is None:
                reasons.append({"text": str(error), "href": ""})
            else:
                reasons.append({"text": f"{field.label}: {error}", "href": f"#{form[name].auto_id}"})
    return reasons


def run_write(forms_: list, write, *, valid: bool | None = None):
    """Validate the forms (and formsets), call one service; on refusal put the reasons on the first form.
    Returns (result, reasons, status): status 200 when written, 400 invalid input, 409 a refused move.
    Each reason is {"text", "href"} (the field it is about, when there is one)."""
    main = forms_[0]
    if valid is None:
        checked = [f.is_valid() for f in forms_]  # every form, so that each shows its errors
        valid = all(checked)
    if not valid:
        reasons: list[dict] = []
        for f in forms_:
            if hasattr(f, "forms"):  # a formset: its rows
                for row in f.forms:
                    reasons += linked_reasons(row)
                reasons += [{"text": str(e), "href": ""} for e in f.non_form_errors()]
            else:
                reasons += linked_reasons(f)
        return None, reasons or [{"text": _("Check the fields marked."), "href": ""}], 400
    try:
        return write(), [], 200
    except Conflict as exc:
        main.add_error(None, exc.message)
        return None, [{"text": str(exc.message), "href": ""}], 409
    except ValidationFailed as exc:
        add_domain_errors(main, exc)
        return None, linked_reasons(main) or [{"text": r, "href": ""} for r in reasons_of(None, exc)], 400


def leaflet_services(actor) -> list[tuple[str, str]]:
    """The services of the centre's catalogue, in the reader's language (what leaflets are about)."""
    return list(services.leaflet_services(actor.centre.jurisdiction, get_language()))


def _partners(actor):
    return list_partners_for(actor)


def recipient_forms(actor, recipients, forms_: dict, refusal: dict | None = None) -> None:
    """The one-step follow-up forms (make contact, refer, dismiss) on each open recipient, for those who may
    follow them up; a refused follow-up opens its form again with the reason above it."""
    may_work = permissions.can_work_community(actor)
    partners, partner_choices = None, None
    for recipient in recipients:
        recipient.is_open = recipient.status == RecipientStatus.OPEN
        recipient.refusal_here = bool(refusal) and refusal.get("recipient") == recipient.pk
        recipient.open_form = refusal["key"].split("-")[0] if recipient.refusal_here else ""
        if not (may_work and recipient.is_open):
            continue
        if partners is None:
            partners = _partners(actor)
        recipient.contact_form = forms_.get(f"contact-{recipient.pk}") or MakeContactForm(
            jurisdiction=actor.centre.jurisdiction, auto_id=f"contact{recipient.pk}_%s"
        )
        recipient.refer_form = forms_.get(f"refer-{recipient.pk}") or ReferForm(
            partners=partners, auto_id=f"refer{recipient.pk}_%s"
        )
        # The partners are read once for the page, not once per recipient's form.
        if partner_choices is None:
            partner_choices = list(recipient.refer_form.fields["partner"].choices)
        recipient.refer_form.fields["partner"].choices = partner_choices
        recipient.dismiss_form = forms_.get(f"dismiss-{recipient.pk}") or DismissForm(
            auto_id=f"dismiss{recipient.pk}_%s"
        )


def partner_rows(formset) -> list[dict]:
    return [row for f in formset.forms if (row := f.row())]


# --- the list and planning ------------------------------------------------------------------------------


OUTREACH_EXPORT_COLUMNS = (
    ExportColumn(gettext_lazy("Date"), lambda e: e.date),
    ExportColumn(gettext_lazy("Starts at"), lambda e: e.starts_at.strftime("%H:%M") if e.starts_at else ""),
    ExportColumn(gettext_lazy("Territory"), lambda e: e.territory.name),
    ExportColumn(gettext_lazy("Type"), lambda e: e.get_kind_display()),
    ExportColumn(gettext_lazy("Title"), lambda e: e.title),
    ExportColumn(gettext_lazy("Status"), lambda e: e.get_status_display()),
    ExportColumn(gettext_lazy("Attendance"), lambda e: e.headcount),
    ExportColumn(gettext_lazy("Leaflets"), lambda e: getattr(e, "leaflet_total", None)),
    ExportColumn(gettext_lazy("Potential recipients"), lambda e: getattr(e, "recipient_count", None) or 0),
)


@requires(VIEW_CASES)
@domain_404
def outreach_list(request):
    actor = request.user
    params = request.GET.copy()
    params.pop("export", None)  # the file is the list as the page shows it
    form = EventFilterForm(params or None, actor=actor, auto_id="filter_%s")
    filters: dict = {}
    status = 200
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            filters = {
                "territory": data["territory"].pk if data["territory"] else None,
                "kind": data["kind"] or None,
                "status": data["status"] or None,
                "date_from": data["date_from"],
                "date_to": data["date_to"],
                "staff": data["staff"].pk if data["staff"] else None,
                "search": data["q"].strip() or None,
            }
        else:
            status = 400
    events = selectors.list_events_for(actor, **{k: v for k, v in filters.items() if v not in (None, "")})
    if export_format(request) and status == 200:
        # Events name no one (figures, places, staff): the export is audited all the same.
        return export_response(
            request,
            events,
            columns=OUTREACH_EXPORT_COLUMNS,
            object_type="outreach_event",
            persons_of=lambda e: [],
            name="outreach-events",
            query=filters.get("search") or "",
        )
    rows = paginate(request, events)
    context = {
        "tab": "outreach",
        "form": form,
        "page": rows,
        "events": list(rows),
        "may_work": permissions.can_work_community(actor),
        "query": request.GET.urlencode(),
    }
    return render(request, "web/community/outreach_list.html", context, status=status)


def _plan_data(actor, form, rows) -> dict:
    d = form.cleaned_data
    return {
        "territory": d["territory"].pk, "kind": d["kind"], "title": d["title"], "date": d["date"],
        "starts_at": d["starts_at"], "ends_at": d["ends_at"], "place": d["place"], "notes": d["notes"],
        "staff": [u.pk for u in d["staff"]] or [actor.pk], "partners": partner_rows(rows),
    }  # fmt: skip


def _plan_page(request, *, event=None):
    """Plan an event (event None) or change a planned one: the same form, one service call."""
    actor = request.user
    refusal, status = None, 200
    partners = _partners(actor)
    failed = _("The event was not planned.") if event is None else _("The event was not changed.")
    if request.method == "POST":
        form = PlanEventForm(request.POST, actor=actor, auto_id="plan_%s")
        rows = PartnerRows(request.POST, prefix="partners", form_kwargs={"partners": partners})

        def write():
            data, day = _plan_data(actor, form, rows), timezone.localdate()
            if event is None:
                return services.plan_event(actor, data, on=day)
            return services.update_event(actor, event, data, on=day)

        saved, reasons, status = run_write([form, rows], write)
        if saved is not None:
            messages.success(
                request, _("The outreach event is planned.") if event is None else _("The event is changed.")
            )
            return redirect(reverse("web:outreach_event", args=[saved.pk]))
        refusal = {"key": "plan", "reasons": reasons, "failed": failed}
    elif event is None:
        initial = {"date": timezone.localdate(), "staff": [actor.pk]}
        if request.GET.get("territory", "").isdigit():
            initial["territory"] = int(request.GET["territory"])
        form = PlanEventForm(initial=initial, actor=actor, auto_id="plan_%s")
        rows = PartnerRows(prefix="partners", form_kwargs={"partners": partners})
    else:
        initial = {
            name: getattr(event, name) for name in ("kind", "title", "date", "starts_at", "ends_at", "place", "notes")
        }
        initial.update(territory=event.territory_id, staff=[u.pk for u in event.staff.all()])
        form = PlanEventForm(initial=initial, actor=actor, auto_id="plan_%s")
        existing = [
            {"role": p.role, "name": p.name, "organisation": p.organisation, "partner": p.partner_id}
            for p in event.partners.all()
        ]
        rows = PartnerRows(prefix="partners", initial=existing or None, form_kwargs={"partners": partners})
    context = {"tab": "outreach", "form": form, "partner_rows": rows, "refusal": refusal, "event": event}
    return render(request, "web/community/outreach_new.html", context, status=status)


@requires(WORK_COMMUNITY)
@domain_404
def outreach_new(request):
    return _plan_page(request)


@requires(WORK_COMMUNITY)
@domain_404
def outreach_edit(request, pk):
    """Change a planned event (its place, date, staff, partners…); a held or cancelled one is refused (409)."""
    actor = request.user
    event = _event(actor, pk)
    if not permissions.can_work_event(actor, event):
        raise Http404
    return _plan_page(request, event=event)


# --- the event's page -----------------------------------------------------------------------------------


def _event(actor, pk):
    """The event if the actor may see it (audited under its named attendees and recipients); 404 otherwise."""
    return selectors.get_event_for(actor, pk)


def held_forms(actor, event, data=None):
    partners = _partners(actor)
    staff = community_staff(actor)
    day = timezone.localdate()
    initial = {"held_on": min(event.date, day)}
    held = HeldForm(data, initial=initial, services=leaflet_services(actor), auto_id="held_%s")
    existing = [
        {"role": p.role, "name": p.name, "organisation": p.organisation, "partner": p.partner_id}
        for p in event.partners.all()
    ]
    partner_forms = PartnerRows(data, prefix="held-partners", initial=existing or None,
                                form_kwargs={"partners": partners})  # fmt: skip
    attendees = AttendeeRows(data, prefix="attendees")
    follow_ups = FollowUpRows(data, prefix="followups", form_kwargs={"staff": staff})
    return {"held": held, "partners": partner_forms, "attendees": attendees, "follow_ups": follow_ups}


def event_context(request, event, *, forms_=None, refusal=None) -> dict:
    """What the event's page draws: the event, its lists, and the forms the actor may use in its state."""
    actor = request.user
    forms_ = forms_ or {}
    day = timezone.localdate()
    may_work = permissions.can_work_event(actor, event)
    moves = EVENT_TRANSITIONS[event.status]
    labels = dict(services.leaflet_services(actor.centre.jurisdiction, get_language()))
    leaflets = [
        {"label": labels.get(lc.service_code, lc.service_code), "count": lc.count} for lc in event.leaflets.all()
    ]
    recipients = list(event.potential_recipients.all())
    recipient_forms(actor, recipients, forms_, refusal)
    follow_ups = list(event.follow_ups.all())
    context = {
        "tab": "outreach",
        "event": event,
        "day": day,
        "may_work": may_work,
        "staff": list(event.staff.all()),
        "partners": list(event.partners.all()),
        "attendees": list(event.attendees.all()),
        "leaflets": leaflets,
        "leaflet_total": sum(lc["count"] for lc in leaflets),
        "follow_ups": follow_ups,
        "recipients": recipients,
        "refusal": refusal,
        "may_record_held": may_work and EventStatus.HELD in moves,
        "may_cancel": may_work and EventStatus.CANCELLED in moves,
        "may_replan": may_work and EventStatus.PLANNED in moves,
        "may_add_recipient": may_work and event.status != EventStatus.CANCELLED,
    }
    forms_drawn = {
        "held": "may_record_held",
        "cancel": "may_cancel",
        "replan": "may_replan",
        "recipient": "may_add_recipient",
    }
    drawn = {"follow_ups"} | {key for key, may in forms_drawn.items() if context[may]}
    shown = {r.pk for r in recipients}
    if refusal and refusal["key"] not in drawn and refusal.get("recipient") not in shown:
        context["top_refusal"] = refusal  # its form is not drawn in this state: the reason at the top
    if context["may_record_held"]:
        context["held_forms"] = forms_.get("held") or held_forms(actor, event)
    if context["may_cancel"]:
        context["cancel_form"] = forms_.get("cancel") or CancelEventForm(auto_id="cancel_%s")
    if context["may_replan"]:
        context["replan_form"] = forms_.get("replan") or ReplanEventForm(
            initial={"date": day, "starts_at": event.starts_at, "ends_at": event.ends_at}, auto_id="replan_%s"
        )
    if context["may_add_recipient"]:
        context["recipient_form"] = forms_.get("recipient") or RecipientForm(
            actor=actor, with_territory=False, auto_id="recipient_%s"
        )
    return context


def render_event(request, pk, *, forms_=None, refusal=None, status: int = 200):
    event = _event(request.user, pk)
    context = event_context(request, event, forms_=forms_, refusal=refusal)
    return render(request, "web/community/outreach_event.html", context, status=status)


@requires(VIEW_CASES)
@domain_404
def outreach_event(request, pk):
    return render_event(request, pk)


def event_write(request, pk, *, key: str, forms_, write, done: str, failed: str, anchor: str = ""):
    """One write from the event's page: redirect to the page when done; else the page with the refusal."""
    form_list = forms_ if isinstance(forms_, list) else [forms_]
    _result, reasons, status = run_write(form_list, write)
    if status == 200:
        messages.success(request, done)
        return redirect(reverse("web:outreach_event", args=[pk]) + (f"#{anchor}" if anchor else ""))
    bound = {key: form_list[0]}
    refusal = {"key": key, "failed": failed, "reasons": reasons}
    return render_event(request, pk, forms_=bound, refusal=refusal, status=status)


def _post_only(request):
    if request.method != "POST":
        from django.http import HttpResponseNotAllowed

        return HttpResponseNotAllowed(["POST"])
    return None


@requires(WORK_COMMUNITY)
@domain_404
def outreach_held(request, pk):
    """POST: the event as held (the lists replace what was there: partners, attendees, leaflets, follow-ups)."""
    if answer := _post_only(request):
        return answer
    actor = request.user
    event = _event(actor, pk)
    forms_ = held_forms(actor, event, request.POST)
    held = forms_["held"]
    valid = all([held.is_valid(), *(forms_[k].is_valid() for k in ("partners", "attendees", "follow_ups"))])

    def write():
        d = held.cleaned_data
        data = {
            "held_on": d["held_on"], "headcount": d["headcount"], "questions": d["questions"], "notes": d["notes"],
            "partners": partner_rows(forms_["partners"]),
            "attendees": [row for f in forms_["attendees"].forms if (row := f.row(d["held_on"]))],
            "leaflets": held.leaflets(),
            "follow_ups": [row for f in forms_["follow_ups"].forms if (row := f.row())],
        }  # fmt: skip
        return services.record_event_held(actor, event, data, on=timezone.localdate())

    _result, reasons, status = run_write(
        [held, forms_["partners"], forms_["attendees"], forms_["follow_ups"]], write, valid=valid
    )
    if status == 200:
        messages.success(request, _("The event is recorded as held."))
        return redirect(reverse("web:outreach_event", args=[pk]))
    refusal = {"key": "held", "failed": _("The event was not recorded."), "reasons": reasons}
    return render_event(request, pk, forms_={"held": forms_}, refusal=refusal, status=status)


@requires(WORK_COMMUNITY)
@domain_404
def outreach_cancel(request, pk):
    if answer := _post_only(request):
        return answer
    actor = request.user
    event = _event(actor, pk)
    form = CancelEventForm(request.POST, auto_id="cancel_%s")
    return event_write(
        request, pk, key="cancel", forms_=form,
        write=lambda: services.cancel_event(actor, event, reason=form.cleaned_data["reason"], on=timezone.localdate()),
        done=_("The event is cancelled."), failed=_("The event was not cancelled."),
    )  # fmt: skip


@requires(WORK_COMMUNITY)
@domain_404
def outreach_replan(request, pk):
    if answer := _post_only(request):
        return answer
    actor = request.user
    event = _event(actor, pk)
    form = ReplanEventForm(request.POST, auto_id="replan_%s")

    def write():
        d = form.cleaned_data
        return services.replan_event(
            actor, event, date=d["date"], on=timezone.localdate(), starts_at=d["starts_at"], ends_at=d["ends_at"]
        )

    return event_write(
        request, pk, key="replan", forms_=form, write=write,
        done=_("The event is planned again."), failed=_("The event was not planned again."),
    )  # fmt: skip


@requires(WORK_COMMUNITY)
@domain_404
def outreach_follow_up_done(request, pk):
    """POST: a follow-up of an event done (or, with `undo`, not done after all)."""
    if answer := _post_only(request):
        return answer
    actor = request.user
    try:
        follow_up = EventFollowUp.objects.select_related("event").get(pk=pk)
    except EventFollowUp.DoesNotExist:
        raise Http404 from None
    event = _event(actor, follow_up.event_id)
    done = "undo" not in request.POST
    try:
        services.mark_follow_up_done(actor, follow_up, on=timezone.localdate(), done=done)
    except (Conflict, ValidationFailed) as exc:
        message = exc.message if isinstance(exc, Conflict) else "; ".join(reasons_of(None, exc))
        reasons = [{"text": str(message), "href": ""}]
        refusal = {"key": "follow_ups", "failed": _("The follow-up was not changed."), "reasons": reasons}
        return render_event(request, event.pk, refusal=refusal, status=409 if isinstance(exc, Conflict) else 400)
    messages.success(request, _("The follow-up is done.") if done else _("The follow-up is open again."))
    return redirect(reverse("web:outreach_event", args=[event.pk]) + "#follow-ups")
