"""UI views of the waiting lists (issue 11): who waits for which service, with the priority and its reason;
adding a person (from a case or a person page), changing the priority, withdrawing and restoring an entry,
and placing the person: a new decision prefilled from the entry (issuing it marks the entry placed).

Reads go through socius.services.selectors, writes through socius.services.waiting; the list is audited as a
view of the persons it shows.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socius.accounts.audit import record_list_view
from socius.accounts.roles import ORDER_SERVICES
from socius.services import permissions, selectors
from socius.services import waiting as services
from socius.services.models import WaitingListEntry
from socius.services.statuses import WaitingStatus
from socius.web.access import requires
from socius.web.forms_services import PriorityForm, WaitingEntryForm, WaitingFilterForm, WithdrawForm
from socius.web.views._helpers import domain_404, paginate
from socius.web.views.services_common import catalogue_of, labels_of, requires_services_reader, write
from socius.web.views.services_decisions import _origin


def _entries(actor, request, form):
    filters = {"status": WaitingStatus.WAITING}
    if form.is_bound and form.is_valid():
        filters = {"service_code": form.cleaned_data["service"] or None, "status": form.cleaned_data["status"] or None}
    filters = {k: v for k, v in filters.items() if v is not None}
    return selectors.list_waiting_for(actor, **filters), filters


def waiting_context(request, *, forms_: dict | None = None, reasons=(), failed: str = "") -> dict:
    actor = request.user
    forms_ = forms_ or {}
    services_ = catalogue_of(actor)
    form = WaitingFilterForm(request.GET or None, services=services_, auto_id="wf_%s")
    entries_qs, filters = _entries(actor, request, form)
    page = paginate(request, entries_qs)
    entries = list(page)
    may_order = actor.can(ORDER_SERVICES)
    labels = labels_of(services_)
    for entry in entries:
        entry.service_label = labels.get(entry.service_code, entry.service_code)
        if may_order and entry.status == WaitingStatus.WAITING:
            entry.priority_form = forms_.get(f"priority-{entry.pk}") or PriorityForm(
                initial={"priority": entry.priority, "reason": entry.reason}, auto_id=f"prio{entry.pk}_%s"
            )
            entry.withdraw_form = forms_.get(f"withdraw-{entry.pk}") or WithdrawForm(auto_id=f"wd{entry.pk}_%s")
    record_list_view(actor, object_type="service_waiting_entry", person_ids=[e.person_id for e in entries])
    return {
        "form": form,
        "page": page,
        "entries": entries,
        "filters": filters,
        "may_order": may_order,
        "reasons": list(reasons),
        "failed": failed,
    }


@requires_services_reader
def service_waiting_list(request):
    context = waiting_context(request)
    return render(request, "web/services/waiting_list.html", context, status=400 if context["form"].errors else 200)


@requires(ORDER_SERVICES)
@domain_404
def service_waiting_new(request):
    """A person put on a service's waiting list, from a case or a person page (`?case=` / `?person=`)."""
    actor = request.user
    case, person, _entry, persons = _origin(actor, request)
    if persons is None:
        raise Http404
    if not permissions.can_order_services(actor, case):
        raise PermissionDenied
    services_ = catalogue_of(actor)
    kwargs = {"persons": persons, "services": services_, "auto_id": "wait_%s"}
    reasons, status = [], 200
    if request.method == "POST":
        form = WaitingEntryForm(request.POST, **kwargs)
        entry, reasons, status = write(form, lambda d: services.add_to_waiting_list(actor, **d, case=case))
        if entry is not None:
            messages.success(request, _("The person is on the waiting list."))
            return redirect(f"{reverse('web:service_waiting_list')}?service={entry.service_code}")
    else:
        initial = {"requested_on": timezone.localdate()}
        if person is not None:
            initial["person"] = person.pk
        elif persons.count() == 1:
            initial["person"] = persons.first().pk
        if request.GET.get("service_code"):
            initial["service_code"] = request.GET["service_code"]
        form = WaitingEntryForm(initial=initial, **kwargs)
    context = {
        "form": form,
        "case": case,
        "person": person,
        "reasons": reasons,
        "failed": _("The person was not put on the waiting list."),
    }
    return render(request, "web/services/waiting_new.html", context, status=status)


def _entry_or_404(actor, pk) -> WaitingListEntry:
    entry = WaitingListEntry.objects.filter(pk=pk, centre_id=actor.centre_id).first()
    if entry is None:
        raise Http404
    return entry


def _entry_move(name: str, form_class, run, done: str):
    """A move of a waiting-list entry (POST): the small form's values, one service call; a refusal is shown at
    the top of the list with the reason, and nothing is written."""

    @require_POST
    @domain_404
    def view(request, pk):
        actor = request.user
        entry = _entry_or_404(actor, pk)
        form = form_class(request.POST, auto_id=f"{name}{entry.pk}_%s")
        _result, reasons, status = write(form, lambda d: run(actor, entry, d))
        if status == 200:
            messages.success(request, done)
            return redirect(reverse("web:service_waiting_list"))
        context = waiting_context(
            request, forms_={f"{name}-{entry.pk}": form}, reasons=reasons, failed=_("The entry did not change.")
        )
        return render(request, "web/services/waiting_list.html", context, status=status)

    view.__name__ = f"service_waiting_{name}"
    return requires(ORDER_SERVICES)(view)


service_waiting_priority = _entry_move(
    "priority",
    PriorityForm,
    lambda actor, entry, d: services.change_priority(actor, entry, priority=d["priority"], reason=d["reason"]),
    _("The priority is changed."),
)
service_waiting_withdraw = _entry_move(
    "withdraw",
    WithdrawForm,
    lambda actor, entry, d: services.withdraw(actor, entry, reason=d["reason"], on=timezone.localdate()),
    _("The entry is withdrawn."),
)
service_waiting_restore = _entry_move(
    "restore",
    forms.Form,
    lambda actor, entry, d: services.restore(actor, entry),
    _("The person waits again."),
)
