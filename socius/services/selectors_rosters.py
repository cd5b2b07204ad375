"""Reads of rosters, visits, deliveries and the canteen's day (decision 0016).

Rosters are read by those who see every service of the centre (VIEW_SERVICES) or plan them; a carer reads only
their own day (published rosters), with each client's name, address and what to deliver — audited as views of
those persons. Set-based: a week's grid is two queries for any number of carers and visits.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from socius.accounts.audit import record_list_view, record_view
from socius.accounts.models import User
from socius.accounts.roles import RECORD_DELIVERIES, Role
from socius.casework.selectors import readable_case_ids
from socius.common.errors import Forbidden, NotFound
from socius.services.deliveries import can_record_canteen
from socius.services.models import Delivery, Roster, ServiceDecision, ServiceWorker, Visit
from socius.services.permissions import can_manage_services, can_view_all_services
from socius.services.rosters import decisions_in_force_between, minutes, weekly_units
from socius.services.statuses import DeliveryOutcome, RosterStatus, ServiceUnit, VisitStatus


def can_view_rosters(actor: User) -> bool:
    return can_view_all_services(actor) or can_manage_services(actor)


def list_rosters_for(actor: User) -> QuerySet[Roster]:
    if not can_view_rosters(actor):
        raise Forbidden()
    return Roster.objects.filter(centre_id=actor.centre_id).order_by("-week_start")


def get_roster_for(actor: User, pk) -> Roster:
    roster = list_rosters_for(actor).filter(pk=pk).first()
    if roster is None:
        raise NotFound()
    return roster


def visits_for(actor: User) -> QuerySet[Visit]:
    """The visits the actor may see: all of the centre for those who see services; a carer their own on
    published rosters; a caseworker those of decisions they drafted or of cases they read."""
    base = Visit.objects.filter(roster__centre_id=actor.centre_id)
    if not actor.centre_id:
        return Visit.objects.none()
    if can_view_rosters(actor):
        return base
    if actor.role == Role.CARER:
        return base.filter(worker__user=actor, roster__status=RosterStatus.PUBLISHED)
    if actor.can(RECORD_DELIVERIES):
        return base.filter(Q(decision__drafted_by=actor) | Q(decision__case_id__in=readable_case_ids(actor)))
    return Visit.objects.none()


def get_visit_for(actor: User, pk) -> Visit:
    visit = visits_for(actor).select_related("decision__person", "worker", "roster").filter(pk=pk).first()
    if visit is None:
        raise NotFound()
    return visit


def deliveries_for(actor: User) -> QuerySet[Delivery]:
    base = Delivery.objects.filter(centre_id=actor.centre_id)
    if not actor.centre_id:
        return Delivery.objects.none()
    if can_view_rosters(actor):
        return base
    if actor.role == Role.CARER:
        return base.filter(Q(worker__user=actor) | Q(recorded_by=actor))
    if actor.can(RECORD_DELIVERIES):
        return base.filter(Q(decision__drafted_by=actor) | Q(decision__case_id__in=readable_case_ids(actor)))
    return Delivery.objects.none()


def get_delivery_for(actor: User, pk) -> Delivery:
    delivery = deliveries_for(actor).select_related("decision__person", "worker").filter(pk=pk).first()
    if delivery is None:
        raise NotFound()
    return delivery


# --- the week's grid ------------------------------------------------------------------------------------


@dataclass
class GridRow:
    worker: ServiceWorker
    days: list[list[Visit]]
    minutes: int = 0

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.01")).normalize()

    @property
    def over(self) -> bool:
        return self.minutes > minutes(self.worker.weekly_hours)


@dataclass
class ShortDecision:
    decision: ServiceDecision
    wanted: Decimal
    planned: Decimal


@dataclass
class RosterGrid:
    roster: Roster
    days: list[dt.date]
    rows: list[GridRow] = field(default_factory=list)
    short: list[ShortDecision] = field(default_factory=list)  # decisions with fewer units planned than decided
    visit_count: int = 0


def roster_grid(actor: User, roster: Roster, *, audit: bool = True) -> RosterGrid:
    """Workers × days of a week with their visits (and the decisions not fully planned). Three queries;
    audited as one view of every client shown."""
    if roster.centre_id != actor.centre_id:
        raise NotFound()
    if not can_view_rosters(actor):
        raise Forbidden()
    days = [roster.week_start + dt.timedelta(days=i) for i in range(7)]
    visits = list(
        roster.visits.exclude(status=VisitStatus.CANCELLED)
        .select_related("decision__person")
        .order_by("date", "starts_at", "id")
    )
    workers = {w.pk: w for w in ServiceWorker.objects.filter(centre_id=roster.centre_id, is_active=True)}
    missing = {v.worker_id for v in visits} - set(workers)
    if missing:
        workers.update({w.pk: w for w in ServiceWorker.objects.filter(pk__in=missing)})
    rows = {pk: GridRow(worker=w, days=[[] for _ in days]) for pk, w in workers.items()}
    planned: dict[int, Decimal] = defaultdict(Decimal)
    for v in visits:
        row = rows[v.worker_id]
        row.days[(v.date - roster.week_start).days].append(v)
        row.minutes += minutes(v.units)
        planned[v.decision_id] += v.units
    short = []
    rostered = [u.value for u in (ServiceUnit.HOUR, ServiceUnit.TRIP, ServiceUnit.SESSION)]
    for d in (
        decisions_in_force_between(roster.centre_id, days[0], days[-1])
        .filter(unit__in=rostered)
        .select_related("person")
    ):
        wanted = weekly_units(d)
        if planned[d.pk] < wanted:
            short.append(ShortDecision(decision=d, wanted=wanted, planned=planned[d.pk]))
    grid = RosterGrid(
        roster=roster,
        days=days,
        rows=sorted(rows.values(), key=lambda r: (r.worker.name, r.worker.pk)),
        short=short,
        visit_count=len(visits),
    )
    if audit:
        persons = [v.decision.person_id for v in visits] + [s.decision.person_id for s in short]
        if persons:
            record_view(
                actor,
                object_type="service_roster",
                object_id=roster.pk,
                centre_id=roster.centre_id,
                person_ids=persons,
            )
    return grid


# --- the carer's day ------------------------------------------------------------------------------------


@dataclass
class CarerDay:
    worker: ServiceWorker | None
    day: dt.date
    visits: list[Visit]


def worker_of(actor: User) -> ServiceWorker | None:
    return ServiceWorker.objects.filter(user=actor, centre_id=actor.centre_id).first()


def carer_day(actor: User, day: dt.date, *, audit: bool = True) -> CarerDay:
    """The actor's visits of a day on published rosters, each with the client (name, address, phone) and
    what to deliver, and what was recorded. One query; audited as a view of those clients."""
    if not (actor.centre_id and actor.can(RECORD_DELIVERIES)):
        raise Forbidden()
    worker = worker_of(actor)
    if worker is None:
        return CarerDay(worker=None, day=day, visits=[])
    visits = list(
        Visit.objects.filter(worker=worker, date=day, roster__status=RosterStatus.PUBLISHED)
        .exclude(status=VisitStatus.CANCELLED)
        .select_related("decision__person__territory", "delivery")
        .order_by("starts_at", "id")
    )
    if audit and visits:
        record_list_view(actor, object_type="carer_day", person_ids=[v.decision.person_id for v in visits])
    return CarerDay(worker=worker, day=day, visits=visits)


# --- the canteen's day sheet ----------------------------------------------------------------------------


@dataclass
class CanteenLine:
    decision: ServiceDecision
    meals: int


@dataclass
class CanteenSheet:
    service_code: str
    day: dt.date
    lines: list[CanteenLine]

    @property
    def total(self) -> int:
        return sum(line.meals for line in self.lines)


def canteen_services(centre_id: int, day: dt.date) -> list[str]:
    return sorted(
        set(
            decisions_in_force_between(centre_id, day, day)
            .filter(unit=ServiceUnit.MEAL)
            .values_list("service_code", flat=True)
        )
    )


def canteen_day_sheet(actor: User, service_code: str, day: dt.date, *, audit: bool = True) -> CanteenSheet:
    """Every client with a canteen decision in force that day and the meals recorded. Two queries; audited."""
    if not can_record_canteen(actor, service_code) and not can_view_rosters(actor):
        raise Forbidden()
    decisions = list(
        decisions_in_force_between(actor.centre_id, day, day)
        .filter(service_code=service_code, unit=ServiceUnit.MEAL)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    meals = dict(
        Delivery.objects.filter(decision_id__in=[d.pk for d in decisions], date=day, outcome=DeliveryOutcome.DELIVERED)
        .values("decision_id")
        .annotate(total=Sum("units"))
        .values_list("decision_id", "total")
    )
    lines = [CanteenLine(decision=d, meals=int(meals.get(d.pk) or 0)) for d in decisions]
    if audit and lines:
        record_list_view(actor, object_type="canteen_day", person_ids=[d.person_id for d in decisions])
    return CanteenSheet(service_code=service_code, day=day, lines=lines)
