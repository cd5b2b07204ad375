"""UI views of the potential recipients found in the community (issue 11): the list (to follow up, became
contacts, referred, dismissed), recording one (at an event, from its page, or on its own), and following each up
in one step: "Make contact" (a contact of the casework register, channel outreach, counted once), "Refer" (a
referral on the person's open case), "Dismiss" with a reason, "Reopen".

Writes go through socius.community.recipients; a refusal (already followed up, no open case to refer on) is
drawn at the top of the page with the reason, nothing written. A write from the event's page goes back there.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socius.accounts.roles import VIEW_CASES, WORK_COMMUNITY
from socius.casework.selectors_referrals import list_partners_for
from socius.community import permissions
from socius.community import recipients as services
from socius.community import selectors_outreach as selectors
from socius.community.models import PotentialRecipient
from socius.community.statuses import RecipientStatus
from socius.web.access import requires
from socius.web.exports import ExportColumn, export_format, export_response
from socius.web.forms_community import DismissForm, MakeContactForm, RecipientFilterForm, RecipientForm, ReferForm
from socius.web.views._helpers import domain_404, paginate
from socius.web.views.community_outreach import recipient_forms, render_event, run_write


def _recipient(actor, pk) -> PotentialRecipient:
    """The potential recipient if the actor may see it (NotFound, a 404, otherwise); not audited: the write
    that follows is."""
    return selectors.get_recipient_for(actor, pk, audit=False)


def _back(request, recipient) -> str:
    """Where a follow-up returns: the event's page when it came from there, else the list."""
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    if recipient.event_id:
        return reverse("web:outreach_event", args=[recipient.event_id]) + f"#recipient-{recipient.pk}"
    return reverse("web:potential_recipients") + f"#recipient-{recipient.pk}"


def _partners(actor):
    return list_partners_for(actor)


RECIPIENT_EXPORT_COLUMNS = (
    ExportColumn(gettext_lazy("Found on"), lambda r: r.found_on),
    ExportColumn(gettext_lazy("Name"), lambda r: r.name or r.description),
    ExportColumn(gettext_lazy("Need"), lambda r: r.need),
    ExportColumn(gettext_lazy("Place"), lambda r: r.territory.name if r.territory_id else ""),
    ExportColumn(gettext_lazy("Address or place"), lambda r: r.place),
    ExportColumn(gettext_lazy("Status"), lambda r: r.get_status_display()),
    ExportColumn(gettext_lazy("Followed up on"), lambda r: r.converted_on),
)


def render_list(request, *, forms_=None, refusal=None, status: int = 200):
    actor = request.user
    forms_ = forms_ or {}
    params = request.GET.copy()
    params.pop("export", None)  # the file is the list as the page shows it (open ones by default)
    form = RecipientFilterForm(params or None, actor=actor, auto_id="filter_%s")
    filters: dict = {"status": RecipientStatus.OPEN} if not form.is_bound else {}
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            territory = data["territory"]
            filters = {"status": data["status"] or None, "territory": territory.pk if territory else None,
                       "search": data["q"].strip()}  # fmt: skip
        else:
            status = 400 if status == 200 else status
    rows_qs = selectors.list_recipients_for(actor, **{k: v for k, v in filters.items() if v not in (None, "")})
    if export_format(request) and status == 200 and not forms_:
        return export_response(
            request,
            rows_qs,
            columns=RECIPIENT_EXPORT_COLUMNS,
            object_type="potential_recipient",
            persons_of=lambda r: [r.person_id],
            name="potential-recipients",
            query=filters.get("search") or "",
        )
    page = paginate(request, rows_qs)
    recipients = list(page)
    selectors.audit_recipients_shown(actor, recipients, query=filters.get("search") or "")
    recipient_forms(actor, recipients, forms_, refusal)
    may_work = permissions.can_work_community(actor)
    context = {
        "tab": "recipients",
        "form": form,
        "page": page,
        "recipients": recipients,
        "may_work": may_work,
        "new_form": (forms_.get("recipient") or RecipientForm(actor=actor, auto_id="recipient_%s"))
        if may_work
        else None,
        "refusal": refusal,
        "top_refusal": refusal
        if refusal and refusal["key"] != "recipient" and refusal.get("recipient") not in {r.pk for r in recipients}
        else None,
        "query": request.GET.urlencode(),
        "showing_open": filters.get("status") == RecipientStatus.OPEN,
    }
    return render(request, "web/community/recipients.html", context, status=status)


@requires(VIEW_CASES)
@domain_404
def potential_recipients(request):
    """GET: the list (open ones first shown); POST: a potential recipient found outside an event."""
    if request.method == "POST":
        if not permissions.can_work_community(request.user):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        return _record(request, event=None)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    return render_list(request)


def _record(request, *, event):
    actor = request.user
    form = RecipientForm(request.POST, actor=actor, with_territory=event is None, auto_id="recipient_%s")

    def write():
        d = form.cleaned_data
        data = {"name": d["name"], "description": d["description"], "need": d["need"], "place": d["place"]}
        if event is not None:
            data["event"] = event.pk
            data["territory"] = event.territory_id
        elif d.get("territory"):
            data["territory"] = d["territory"].pk
        return services.record_potential_recipient(actor, data, on=timezone.localdate())

    recipient, reasons, status = run_write([form], write)
    if recipient is not None:
        messages.success(request, _("The potential recipient is recorded."))
        if event is not None:
            return redirect(reverse("web:outreach_event", args=[event.pk]) + f"#recipient-{recipient.pk}")
        return redirect(reverse("web:potential_recipients") + f"#recipient-{recipient.pk}")
    refusal = {"key": "recipient", "failed": _("The potential recipient was not recorded."), "reasons": reasons}
    if event is not None:
        return render_event(request, event.pk, forms_={"recipient": form}, refusal=refusal, status=status)
    return render_list(request, forms_={"recipient": form}, refusal=refusal, status=status)


@requires(WORK_COMMUNITY)
@domain_404
def outreach_recipient_new(request, pk):
    """POST: a potential recipient found at the event `pk`."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    event = selectors.get_event_for(request.user, pk)
    return _record(request, event=event)


def _follow_up(request, pk, *, key: str, form_for, write, done: str, failed: str):
    """One follow-up of a recipient: the write, then back where it came from; refused, the page again."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    actor = request.user
    recipient = _recipient(actor, pk)
    form = form_for(recipient)
    checked = [form] if form is not None else [_NoForm()]
    _result, reasons, status = run_write(checked, lambda: write(actor, recipient, form))
    if status == 200:
        messages.success(request, done)
        return redirect(_back(request, recipient))
    refusal = {"key": f"{key}-{pk}", "failed": failed, "reasons": reasons, "recipient": pk}
    bound = {f"{key}-{pk}": form} if form is not None else {}
    came_from_list = request.POST.get("next", "").startswith(reverse("web:potential_recipients"))
    if recipient.event_id and not came_from_list:
        return render_event(request, recipient.event_id, forms_=bound, refusal=refusal, status=status)
    return render_list(request, forms_=bound, refusal=refusal, status=status)


class _NoForm:
    """Stands for the form of a write that takes no input (reopen)."""

    fields: dict = {}
    errors: dict = {}

    def is_valid(self) -> bool:
        return True

    def add_error(self, field, error) -> None:
        pass


@requires(WORK_COMMUNITY)
@domain_404
def recipient_contact(request, pk):
    def write(actor, recipient, form):
        d = form.cleaned_data
        return services.make_contact(
            actor, recipient, {"topics": d["topics"], "notes": d["notes"]}, on=timezone.localdate()
        )

    return _follow_up(
        request, pk, key="contact",
        form_for=lambda r: MakeContactForm(request.POST, jurisdiction=request.user.centre.jurisdiction,
                                           auto_id=f"contact{pk}_%s"),
        write=write, done=_("The contact is recorded."), failed=_("The contact was not recorded."),
    )  # fmt: skip


@requires(WORK_COMMUNITY)
@domain_404
def recipient_refer(request, pk):
    def write(actor, recipient, form):
        d = form.cleaned_data
        return services.refer(
            actor, recipient, {"partner": d["partner"].pk, "reason": d["reason"]}, on=timezone.localdate()
        )

    return _follow_up(
        request, pk, key="refer",
        form_for=lambda r: ReferForm(request.POST, partners=_partners(request.user), auto_id=f"refer{pk}_%s"),
        write=write, done=_("The referral is made."), failed=_("The referral was not made."),
    )  # fmt: skip


@requires(WORK_COMMUNITY)
@domain_404
def recipient_dismiss(request, pk):
    return _follow_up(
        request, pk, key="dismiss",
        form_for=lambda r: DismissForm(request.POST, auto_id=f"dismiss{pk}_%s"),
        write=lambda actor, recipient, form: services.dismiss(
            actor, recipient, reason=form.cleaned_data["reason"], on=timezone.localdate()
        ),
        done=_("The potential recipient is dismissed."), failed=_("The potential recipient was not dismissed."),
    )  # fmt: skip


@requires(WORK_COMMUNITY)
@domain_404
def recipient_reopen(request, pk):
    return _follow_up(
        request, pk, key="reopen", form_for=lambda r: None,
        write=lambda actor, recipient, _form: services.reopen(actor, recipient, on=timezone.localdate()),
        done=_("The potential recipient is open again."), failed=_("The potential recipient was not reopened."),
    )  # fmt: skip
