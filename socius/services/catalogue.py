"""The centre's offer of the pack's catalogue: prices and weekly capacity from a date, contracted providers with
their capacity per service, the carers and drivers who can be put on a roster (decision 0016).

What a service is (its name, unit, statutory code) is the jurisdiction pack's (rulebook `service_catalogue`);
the centre keeps only its price and capacity. Only those who manage services (team leaders, the director) write
here; every write is audited (staff and prices: no person concerned).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from socius.accounts.audit import diff, snapshot
from socius.accounts.models import AuditAction, User
from socius.common.errors import Forbidden, NotFound
from socius.rulebook import UnknownCode
from socius.rulebook import service_catalogue as _service_catalogue
from socius.rulebook import service_definition as _service_definition
from socius.services._common import as_int, audit, check_date, check_decimal, check_text, is_date, raise_if
from socius.services.models import Provider, ProviderCapacity, ServiceOffer, ServiceWorker
from socius.services.permissions import can_manage_services
from socius.services.statuses import WorkerKind


def country_of(centre) -> str:
    return centre if isinstance(centre, str) else centre.jurisdiction


def service_catalogue(centre) -> tuple:
    """The services of the centre's pack (ServiceDefinition rows, in the pack's order)."""
    return tuple(_service_catalogue(country_of(centre)))


def service_definition(centre, code: str):
    """The pack's definition of a service; UnknownCode when the centre's pack has no such service."""
    if not isinstance(code, str) or not code:
        raise UnknownCode(code)
    return _service_definition(country_of(centre), code)


def catalogue_code(centre, code, errors: dict, field: str = "service_code"):
    """The definition of a service of the centre's pack, or an error under `field`."""
    try:
        return service_definition(centre, code)
    except UnknownCode:
        errors[field] = [_("Choose a service of the catalogue.")]
        return None


def _manager(actor: User) -> None:
    if not can_manage_services(actor):
        raise Forbidden()


# --- the offer -------------------------------------------------------------------------------------------


@transaction.atomic
def set_offer(
    actor: User, service_code, *, valid_from, unit_cost, capacity_per_week=None, cost_source="", is_active=True
) -> ServiceOffer:
    """The centre's price (and weekly capacity of its own staff, none = not limited) of a service from a day; a
    new price is a new row (the same day again replaces that day's row)."""
    _manager(actor)
    errors: dict = {}
    catalogue_code(actor.centre, service_code, errors)
    check_date(errors, "valid_from", valid_from)
    cost = check_decimal(errors, "unit_cost", unit_cost)
    capacity = check_decimal(errors, "capacity_per_week", capacity_per_week, required=False, maximum=Decimal(999999))
    source = check_text(errors, "cost_source", cost_source, max_length=300, required=False)
    if not isinstance(is_active, bool):
        errors["is_active"] = [_("Enter true or false.")]
    raise_if(errors)
    offer = (
        ServiceOffer.objects.select_for_update()
        .filter(centre_id=actor.centre_id, service_code=service_code, valid_from=valid_from)
        .first()
    )
    before = snapshot(offer, ServiceOffer.AUDITED_FIELDS) if offer else {}
    if offer is None:
        offer = ServiceOffer(centre_id=actor.centre_id, service_code=service_code, valid_from=valid_from)
        offer.created_by = actor
    offer.unit_cost = cost
    offer.capacity_per_week = capacity
    offer.cost_source = source
    offer.is_active = is_active
    offer.save()
    audit(
        actor,
        AuditAction.UPDATE if before else AuditAction.CREATE,
        "service_offer",
        offer.pk,
        centre_id=actor.centre_id,
        changes=diff(before, snapshot(offer, ServiceOffer.AUDITED_FIELDS)),
    )
    return offer


# --- providers -------------------------------------------------------------------------------------------


def _locked_provider(actor: User, provider) -> Provider:
    pk = as_int(provider)
    if pk is None or not actor.centre_id:
        raise NotFound()
    found = Provider.objects.select_for_update().filter(pk=pk, centre_id=actor.centre_id).first()
    if found is None:
        raise NotFound()
    return found


def _provider_fields(actor: User, data: dict, errors: dict, *, current: Provider | None = None) -> dict:
    from socius.casework.models import Partner

    fields: dict = {}
    if current is None or "name" in data:
        fields["name"] = check_text(errors, "name", data.get("name"), max_length=200)
        clash = Provider.objects.filter(centre_id=actor.centre_id, name__iexact=fields["name"])
        if current is not None:
            clash = clash.exclude(pk=current.pk)
        if fields["name"] and clash.exists():
            errors["name"] = [_("Your centre already has a provider of this name.")]
    if "partner" in data:
        partner = data.get("partner")
        fields["partner"] = None
        if partner not in (None, ""):
            pk = as_int(partner)
            fields["partner"] = (
                Partner.objects.filter(pk=pk, centre_id=actor.centre_id).first() if pk is not None else None
            )
            if fields["partner"] is None:
                errors["partner"] = [_("Choose a partner institution of your centre.")]
    if "contract_reference" in data:
        fields["contract_reference"] = check_text(
            errors, "contract_reference", data.get("contract_reference"), max_length=100, required=False
        )
    for name in ("contract_from", "contract_until"):
        if name in data:
            check_date(errors, name, data.get(name), required=False)
            fields[name] = data.get(name)
    start = fields.get("contract_from", current.contract_from if current else None)
    until = fields.get("contract_until", current.contract_until if current else None)
    if is_date(start) and is_date(until) and until < start:
        errors["contract_until"] = [_("The contract cannot end before it starts.")]
    if "is_active" in data:
        if not isinstance(data["is_active"], bool):
            errors["is_active"] = [_("Enter true or false.")]
        fields["is_active"] = data["is_active"]
    return fields


@transaction.atomic
def create_provider(actor: User, data: dict) -> Provider:
    """A contracted provider of services (name, partner institution, contract)."""
    _manager(actor)
    errors: dict = {}
    fields = _provider_fields(actor, data, errors)
    raise_if(errors)
    provider = Provider.objects.create(centre_id=actor.centre_id, **fields)
    audit(
        actor,
        AuditAction.CREATE,
        "service_provider",
        provider.pk,
        centre_id=actor.centre_id,
        changes=diff({}, snapshot(provider, Provider.AUDITED_FIELDS)),
    )
    return provider


@transaction.atomic
def update_provider(actor: User, provider, data: dict) -> Provider:
    _manager(actor)
    locked = _locked_provider(actor, provider)
    errors: dict = {}
    fields = _provider_fields(actor, data, errors, current=locked)
    raise_if(errors)
    before = snapshot(locked, Provider.AUDITED_FIELDS)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save()
    audit(
        actor,
        AuditAction.UPDATE,
        "service_provider",
        locked.pk,
        centre_id=actor.centre_id,
        changes=diff(before, snapshot(locked, Provider.AUDITED_FIELDS)),
    )
    return locked


@transaction.atomic
def set_provider_capacity(actor: User, provider, service_code, units_per_week) -> ProviderCapacity | None:
    """How many units of a service the provider delivers a week; `None` removes the limit row."""
    _manager(actor)
    locked = _locked_provider(actor, provider)
    errors: dict = {}
    catalogue_code(actor.centre, service_code, errors)
    units = check_decimal(errors, "units_per_week", units_per_week, required=False, maximum=Decimal(999999))
    raise_if(errors)
    row = ProviderCapacity.objects.filter(provider=locked, service_code=service_code).first()
    before = {"units_per_week": str(row.units_per_week)} if row else {}
    if units is None:
        if row is not None:
            row.delete()
        after: dict = {}
        row = None
    else:
        row, _created = ProviderCapacity.objects.update_or_create(
            provider=locked, service_code=service_code, defaults={"units_per_week": units}
        )
        after = {"units_per_week": str(units)}
    audit(
        actor,
        AuditAction.UPDATE,
        "service_provider",
        locked.pk,
        centre_id=actor.centre_id,
        changes={f"capacity:{service_code}": [before.get("units_per_week"), after.get("units_per_week")]},
    )
    return row


# --- carers, drivers, canteen staff --------------------------------------------------------------------


def _worker_fields(actor: User, data: dict, errors: dict, *, current: ServiceWorker | None = None) -> dict:
    fields: dict = {}
    if current is None or "name" in data:
        fields["name"] = check_text(errors, "name", data.get("name"), max_length=200)
    if current is None or "kind" in data:
        kind = data.get("kind", WorkerKind.CARER)
        if kind not in WorkerKind.values:
            errors["kind"] = [_("Choose the worker's role.")]
        fields["kind"] = kind
    if current is None or "weekly_hours" in data:
        hours = check_decimal(errors, "weekly_hours", data.get("weekly_hours"), positive=True, maximum=Decimal(168))
        fields["weekly_hours"] = hours
    if current is None or "service_codes" in data:
        codes = data.get("service_codes") or []
        if not isinstance(codes, list | tuple) or not all(isinstance(c, str) for c in codes):
            errors["service_codes"] = [_("Choose services of the catalogue.")]
            codes = []
        known = {d.code for d in service_catalogue(actor.centre)}
        if any(c not in known for c in codes):
            errors["service_codes"] = [_("Choose services of the catalogue.")]
        fields["service_codes"] = list(dict.fromkeys(codes))
    if "provider" in data:
        provider = data.get("provider")
        fields["provider"] = None
        if provider not in (None, ""):
            pk = as_int(provider)
            fields["provider"] = (
                Provider.objects.filter(pk=pk, centre_id=actor.centre_id).first() if pk is not None else None
            )
            if fields["provider"] is None:
                errors["provider"] = [_("Choose a provider of your centre.")]
    if "user" in data:
        user = data.get("user")
        fields["user"] = None
        if user not in (None, ""):
            pk = as_int(user)
            fields["user"] = (
                User.objects.filter(pk=pk, centre_id=actor.centre_id, is_active=True).first()
                if pk is not None
                else None
            )
            if fields["user"] is None:
                errors["user"] = [_("Choose a staff account of your centre.")]
            else:
                taken = ServiceWorker.objects.filter(user=fields["user"])
                if current is not None:
                    taken = taken.exclude(pk=current.pk)
                if taken.exists():
                    errors["user"] = [_("This account is already linked to another worker.")]
    if "is_active" in data:
        if not isinstance(data["is_active"], bool):
            errors["is_active"] = [_("Enter true or false.")]
        fields["is_active"] = data["is_active"]
    return fields


@transaction.atomic
def create_worker(actor: User, data: dict) -> ServiceWorker:
    """A carer, driver or canteen worker: the centre's staff (optionally with a login) or a provider's."""
    _manager(actor)
    errors: dict = {}
    fields = _worker_fields(actor, data, errors)
    raise_if(errors)
    worker = ServiceWorker.objects.create(centre_id=actor.centre_id, **fields)
    audit(
        actor,
        AuditAction.CREATE,
        "service_worker",
        worker.pk,
        centre_id=actor.centre_id,
        changes=diff({}, snapshot(worker, ServiceWorker.AUDITED_FIELDS)),
    )
    return worker


@transaction.atomic
def update_worker(actor: User, worker, data: dict) -> ServiceWorker:
    _manager(actor)
    pk = as_int(worker)
    locked = (
        ServiceWorker.objects.select_for_update().filter(pk=pk, centre_id=actor.centre_id).first()
        if pk is not None and actor.centre_id
        else None
    )
    if locked is None:
        raise NotFound()
    errors: dict = {}
    fields = _worker_fields(actor, data, errors, current=locked)
    raise_if(errors)
    before = snapshot(locked, ServiceWorker.AUDITED_FIELDS)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save()
    audit(
        actor,
        AuditAction.UPDATE,
        "service_worker",
        locked.pk,
        centre_id=actor.centre_id,
        changes=diff(before, snapshot(locked, ServiceWorker.AUDITED_FIELDS)),
    )
    return locked
