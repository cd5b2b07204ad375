"""Reads of social services scoped to the actor (decision 0016): the catalogue with the centre's offer in force
and the capacity used, decisions, waiting lists; and the set-based reads the roster and the statements build on
(`decisions_in_force`, `offers_in_force`, `capacity_use`).

The `get_*_for` / `list_*_for` selectors check the actor's permission (NotFound for a record they may not see);
`decisions_in_force`, `offers_in_force` and `capacity_use` are plain reads of a centre for services that have
checked theirs. Nothing here audits: the pages and the API audit what they show, under the persons shown.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from socius.accounts.models import User
from socius.casework.selectors import readable_case_ids
from socius.common.errors import Forbidden, NotFound
from socius.services.catalogue import service_catalogue
from socius.services.models import ServiceDecision, ServiceOffer, WaitingListEntry
from socius.services.permissions import (
    can_view_all_services,
    can_view_catalogue,
    can_view_decision,
    can_view_waiting_list,
)
from socius.services.statuses import DecisionStatus, QuantityPer, WaitingStatus

# A decision keeps its place while suspended: its units count against the capacity.
BOOKING_STATUSES = (DecisionStatus.ISSUED, DecisionStatus.SUSPENDED)
WEEKS_PER_MONTH = Decimal(52) / Decimal(12)
TWO_PLACES = Decimal("0.01")


def _id(value) -> int | None:
    try:
        return int(getattr(value, "pk", value))
    except (TypeError, ValueError):
        return None


def week_start(day: dt.date) -> dt.date:
    """The Monday of the day's week."""
    return day - dt.timedelta(days=day.weekday())


def weekly_units(quantity: Decimal, per: str) -> Decimal:
    """Units a week of a decision: its quantity, or a month's spread over its weeks (× 12 / 52)."""
    if per == QuantityPer.MONTH:
        return (quantity / WEEKS_PER_MONTH).quantize(TWO_PLACES)
    return quantity


# --- for the roster and the statements --------------------------------------------------------------------


def decisions_in_force(centre, day: dt.date, *, service_code: str | None = None) -> QuerySet[ServiceDecision]:
    """The centre's issued decisions covering `day` (not suspended, not ended by then), with the client and the
    provider. No permission check: the roster and the statements check theirs."""
    qs = ServiceDecision.objects.filter(centre_id=_id(centre), status=DecisionStatus.ISSUED, starts_on__lte=day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    )
    if service_code:
        qs = qs.filter(service_code=service_code)
    return qs.select_related("person", "provider").order_by("service_code", "person__last_name", "person_id", "id")


def decisions_overlapping(
    centre, start: dt.date, end: dt.date, *, service_code: str | None = None, statuses=BOOKING_STATUSES
) -> QuerySet[ServiceDecision]:
    """The centre's decisions in `statuses` whose period overlaps [start, end] (both inclusive)."""
    qs = ServiceDecision.objects.filter(centre_id=_id(centre), status__in=list(statuses), starts_on__lte=end).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=start)
    )
    if service_code:
        qs = qs.filter(service_code=service_code)
    return qs


def offers_in_force(centre, day: dt.date) -> dict[str, ServiceOffer]:
    """The centre's offer in force on `day` per service code (the newest row from on or before the day), in one
    query. An offer withdrawn (is_active false) on its day is left out."""
    rows = ServiceOffer.objects.filter(centre_id=_id(centre), valid_from__lte=day).order_by(
        "service_code", "-valid_from"
    )
    found: dict[str, ServiceOffer] = {}
    for offer in rows:
        found.setdefault(offer.service_code, offer)
    return {code: offer for code, offer in found.items() if offer.is_active}


def offer_in_force(centre, service_code: str, day: dt.date) -> ServiceOffer | None:
    offer = (
        ServiceOffer.objects.filter(centre_id=_id(centre), service_code=service_code, valid_from__lte=day)
        .order_by("-valid_from")
        .first()
    )
    return offer if offer is not None and offer.is_active else None


def capacity_use(centre, service_code: str, week: dt.date, *, provider=None, exclude=None) -> Decimal:
    """Units a week booked for the service in the week of `week` by the centre's staff (provider None) or by a
    provider: issued and suspended decisions overlapping that week, monthly quantities spread over the weeks.
    One query."""
    start = week_start(week)
    qs = decisions_overlapping(centre, start, start + dt.timedelta(days=6), service_code=service_code)
    qs = qs.filter(provider_id=_id(provider)) if provider is not None else qs.filter(provider__isnull=True)
    if exclude is not None:
        qs = qs.exclude(pk=_id(exclude))
    return sum((weekly_units(q, per) for q, per in qs.values_list("quantity", "per")), Decimal(0))


def capacity_use_by_service(centre, week: dt.date) -> dict[str, Decimal]:
    """Units a week booked per service by the centre's own staff in the week of `week`: one query."""
    start = week_start(week)
    qs = decisions_overlapping(centre, start, start + dt.timedelta(days=6)).filter(provider__isnull=True)
    used: dict[str, Decimal] = defaultdict(Decimal)
    for code, quantity, per in qs.values_list("service_code", "quantity", "per"):
        used[code] += weekly_units(quantity, per)
    return dict(used)


# --- the catalogue ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueRow:
    """A service of the pack with the centre's offer in force and the week's use of its own capacity."""

    definition: object  # the rulebook's ServiceDefinition
    offer: ServiceOffer | None
    used_this_week: Decimal

    @property
    def code(self) -> str:
        return self.definition.code

    @property
    def capacity_left(self) -> Decimal | None:
        if self.offer is None or self.offer.capacity_per_week is None:
            return None
        return self.offer.capacity_per_week - self.used_this_week


def catalogue_for(actor: User, *, on: dt.date, offered_only: bool = False) -> list[CatalogueRow]:
    """Every service of the centre's pack with its offer in force on `on` and this week's use: two queries."""
    if not can_view_catalogue(actor):
        raise Forbidden()
    offers = offers_in_force(actor.centre_id, on)
    used = capacity_use_by_service(actor.centre_id, on)
    rows = [
        CatalogueRow(definition=d, offer=offers.get(d.code), used_this_week=used.get(d.code, Decimal(0)))
        for d in service_catalogue(actor.centre)
    ]
    return [r for r in rows if r.offer is not None] if offered_only else rows


# --- decisions -------------------------------------------------------------------------------------------------


def visible_decisions(actor: User) -> QuerySet[ServiceDecision]:
    """The decisions the actor may read (same rule as `permissions.can_view_decision`, in SQL)."""
    if not actor.centre_id or not actor.is_active:
        return ServiceDecision.objects.none()
    qs = ServiceDecision.objects.filter(centre_id=actor.centre_id)
    if can_view_all_services(actor):
        return qs
    if actor.role == "carer":
        return qs.none()
    return qs.filter(Q(drafted_by_id=actor.pk) | Q(case_id__in=readable_case_ids(actor)))


def list_decisions_for(
    actor: User,
    *,
    status=None,
    service_code=None,
    provider=None,
    person=None,
    case=None,
    in_force_on: dt.date | None = None,
    q=None,
) -> QuerySet[ServiceDecision]:
    """What the actor may read, narrowed by the filters; `q` searches the client's name and the number."""
    qs = visible_decisions(actor)
    if status:
        qs = qs.filter(status__in=[status] if isinstance(status, str) else list(status))
    if service_code:
        qs = qs.filter(service_code=service_code)
    for name, value in (("provider_id", provider), ("person_id", person), ("case_id", case)):
        if value not in (None, ""):
            pk = _id(value)
            if pk is None:
                return qs.none()
            qs = qs.filter(**{name: pk})
    if in_force_on is not None:
        qs = qs.filter(status=DecisionStatus.ISSUED, starts_on__lte=in_force_on).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=in_force_on)
        )
    text = q.strip() if isinstance(q, str) else ""
    if text:
        named = Q()
        for word in text.split()[:4]:
            named &= Q(person__last_name__icontains=word) | Q(person__first_name__icontains=word)
        qs = qs.filter(named | Q(number__icontains=text))
    return qs.select_related("person", "provider", "case", "drafted_by", "issued_by").order_by("-starts_on", "-id")


def get_decision_for(actor: User, decision_id) -> ServiceDecision:
    """A decision the actor may read, with its client, case and provider; NotFound otherwise."""
    pk = _id(decision_id)
    decision = (
        ServiceDecision.objects.select_related("person", "provider", "case", "drafted_by", "issued_by", "centre")
        .filter(pk=pk, centre_id=actor.centre_id)
        .first()
        if pk is not None and actor.centre_id
        else None
    )
    if decision is None or not can_view_decision(actor, decision):
        raise NotFound()
    return decision


# --- waiting lists ---------------------------------------------------------------------------------------------


def list_waiting_for(
    actor: User, *, service_code=None, status=WaitingStatus.WAITING, person=None, priority=None
) -> QuerySet[WaitingListEntry]:
    """The centre's waiting lists (those who order services and those who read every service record): by
    priority, then the date asked. `status` None: every entry."""
    if not can_view_waiting_list(actor):
        return WaitingListEntry.objects.none()
    qs = WaitingListEntry.objects.filter(centre_id=actor.centre_id)
    if status:
        qs = qs.filter(status__in=[status] if isinstance(status, str) else list(status))
    if service_code:
        qs = qs.filter(service_code=service_code)
    if person not in (None, ""):
        pk = _id(person)
        if pk is None:
            return qs.none()
        qs = qs.filter(person_id=pk)
    if priority not in (None, ""):
        qs = qs.filter(priority=priority)
    return qs.select_related("person", "case").order_by("service_code", "priority", "requested_on", "id")


def get_waiting_entry_for(actor: User, entry_id) -> WaitingListEntry:
    pk = _id(entry_id)
    entry = list_waiting_for(actor, status=None).filter(pk=pk).first() if pk is not None and actor.centre_id else None
    if entry is None:
        raise NotFound()
    return entry


def copayments_of(decision: ServiceDecision):
    """The decision's co-payment assessments, newest first."""
    return decision.copayments.select_related("computed_by").order_by("-valid_from", "-id")
