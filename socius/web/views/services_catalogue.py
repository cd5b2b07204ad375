"""UI views of the catalogue of services (issue 11): the pack's services with the centre's offer in force (price,
capacity and its use this week), the providers with their capacities and the carers and drivers; managers set a
new price (a new row from a date: the cost of a day is the row in force that day).

Reads go through socius.services.selectors, writes through socius.services.catalogue. No client's data is shown.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from socius.accounts.roles import MANAGE_SERVICES
from socius.rulebook import get_jurisdiction
from socius.services import catalogue as services
from socius.services import permissions, selectors
from socius.services.models import Provider, ServiceWorker
from socius.services.statuses import ServiceUnit
from socius.web.access import AUTHENTICATED, requires
from socius.web.forms_services import OfferForm, ProviderForm, WorkerForm
from socius.web.views._helpers import domain_404
from socius.web.views.services_common import catalogue_of, labels_of, write

UNIT_LABELS = dict(ServiceUnit.choices)
# The language the statutory names of a pack's catalogue are written in (for screen readers: `lang`).
STATUTORY_LANGUAGE = {"PL": "pl", "MD": "ro", "LT": "lt"}


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@requires(AUTHENTICATED)
def services_catalogue(request):
    actor = request.user
    today = timezone.localdate()
    monday = week_start(today)
    language = get_language()
    rows = [
        {
            "service": row.definition,
            "label": row.definition.label_in(language),
            "unit_label": UNIT_LABELS.get(row.definition.unit, row.definition.unit),
            "offer": row.offer,
            "booked": row.used_this_week,
            "capacity": row.offer.capacity_per_week if row.offer else None,
        }
        for row in selectors.catalogue_for(actor, on=today)
    ]
    labels = labels_of(catalogue_of(actor))
    providers = list(Provider.objects.filter(centre_id=actor.centre_id).prefetch_related("capacities"))
    for provider in providers:
        provider.capacity_rows = [
            (labels.get(c.service_code, c.service_code), c.units_per_week) for c in provider.capacities.all()
        ]
    workers = list(ServiceWorker.objects.filter(centre_id=actor.centre_id).select_related("provider"))
    for worker in workers:
        worker.service_labels = [labels.get(code, code) for code in worker.service_codes or ()]
    context = {
        "rows": rows,
        "providers": providers,
        "workers": workers,
        "today": today,
        "week_start": monday,
        "may_manage": permissions.can_manage_services(actor),
        "currency": get_jurisdiction(actor.centre.jurisdiction).currency,
        "statutory_language": STATUTORY_LANGUAGE.get(actor.centre.jurisdiction, ""),
    }
    return render(request, "web/services/catalogue.html", context)


@requires(MANAGE_SERVICES)
@domain_404
def service_offer_edit(request):
    """A new price (and capacity) of a service from a date (`?service=<code>` preselects the service)."""
    actor = request.user
    services_ = catalogue_of(actor)
    reasons, status = [], 200
    if request.method == "POST":
        form = OfferForm(request.POST, services=services_, auto_id="offer_%s")
        offer, reasons, status = write(
            form,
            lambda d: services.set_offer(
                actor,
                d["service_code"],
                valid_from=d["valid_from"],
                unit_cost=d["unit_cost"],
                capacity_per_week=d["capacity_per_week"],
                cost_source=d["cost_source"],
            ),
        )
        if offer is not None:
            messages.success(request, _("The price is saved."))
            return redirect(reverse("web:services_catalogue"))
    else:
        code = request.GET.get("service", "")
        initial = {"valid_from": timezone.localdate(), "service_code": code}
        current = selectors.offer_in_force(actor.centre, code, timezone.localdate()) if code else None
        if current is not None:
            initial |= {
                "unit_cost": current.unit_cost,
                "capacity_per_week": current.capacity_per_week,
                "cost_source": current.cost_source,
            }
        form = OfferForm(initial=initial, services=services_, auto_id="offer_%s")
    context = {"form": form, "reasons": reasons, "failed": _("The price was not saved.")}
    return render(request, "web/services/offer_form.html", context, status=status)


# --- providers and their capacity, carers and drivers ----------------------------------------------------


def _provider_or_404(actor, pk) -> Provider:
    provider = Provider.objects.filter(pk=pk, centre_id=actor.centre_id).first()
    if provider is None:
        raise Http404
    return provider


def _save_provider(actor, provider, form):
    def save(data):
        fields = {name: data[name] for name in form.provider_fields}
        with transaction.atomic():  # the provider and its capacities together, or nothing
            saved = (
                services.update_provider(actor, provider, fields)
                if provider is not None
                else services.create_provider(actor, fields)
            )
            for name, code in form.capacity_codes.items():
                services.set_provider_capacity(actor, saved, code, data.get(name))
        return saved

    return write(form, save)


@requires(MANAGE_SERVICES)
@domain_404
def service_provider_form(request, pk=None):
    """A new provider (no pk) or a change of one, with the units of each service it can deliver a week."""
    actor = request.user
    provider = _provider_or_404(actor, pk) if pk is not None else None
    services_ = catalogue_of(actor)
    reasons, status = [], 200
    if request.method == "POST":
        form = ProviderForm(request.POST, services=services_, auto_id="provider_%s")
        saved, reasons, status = _save_provider(actor, provider, form)
        if saved is not None:
            messages.success(request, _("The provider is saved."))
            return redirect(reverse("web:services_catalogue") + "#h-providers")
    else:
        initial = {"is_active": True}
        if provider is not None:
            initial = {name: getattr(provider, name) for name in ProviderForm.provider_fields}
            units = {c.service_code: c.units_per_week for c in provider.capacities.all()}
        form = ProviderForm(initial=initial, services=services_, auto_id="provider_%s")
        if provider is not None:
            for name, code in form.capacity_codes.items():
                form.initial[name] = units.get(code)
    context = {
        "form": form,
        "provider": provider,
        "reasons": reasons,
        "failed": _("The provider was not saved."),
    }
    return render(request, "web/services/provider_form.html", context, status=status)


@requires(MANAGE_SERVICES)
@domain_404
def service_worker_form(request, pk=None):
    """A new carer or driver (no pk) or a change of one."""
    actor = request.user
    worker = None
    if pk is not None:
        worker = ServiceWorker.objects.filter(pk=pk, centre_id=actor.centre_id).first()
        if worker is None:
            raise Http404
    services_ = catalogue_of(actor)
    kwargs = {"services": services_, "centre_id": actor.centre_id, "auto_id": "worker_%s"}
    reasons, status = [], 200
    if request.method == "POST":
        form = WorkerForm(request.POST, **kwargs)
        saved, reasons, status = write(
            form,
            lambda d: (
                services.update_worker(actor, worker, d) if worker is not None else services.create_worker(actor, d)
            ),
        )
        if saved is not None:
            messages.success(request, _("The carer or driver is saved."))
            return redirect(reverse("web:services_catalogue") + "#h-workers")
    else:
        initial = {"is_active": True, "service_codes": []}
        if worker is not None:
            initial = {name: getattr(worker, name) for name in WorkerForm.base_fields}
        form = WorkerForm(initial=initial, **kwargs)
    context = {
        "form": form,
        "worker": worker,
        "reasons": reasons,
        "failed": _("The carer or driver was not saved."),
    }
    return render(request, "web/services/worker_form.html", context, status=status)
