"""Weekly rosters: generating a week's visits from the decisions in force, moving, adding and cancelling
visits, publishing and reopening (decision 0016).

A roster is planned by those who keep the offer (MANAGE_SERVICES). Generation is set-based: four queries read
the decisions in force during the week, the active workers, last week's carers and the visits already kept;
the plan is made in memory (balance the hours, keep a client's carer, no two visits of a carer at once, never
more than a carer's contracted hours) and written with one bulk insert. What could not be placed comes back
with its reason. Every change is checked against the carer's week (WorkerOverbooked) and the client's decision
(OutsideDecision); a published roster is reopened before it is changed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from socius.accounts.audit import record_event
from socius.accounts.models import AuditAction, Centre, User
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.services.errors import InvalidServiceTransition, OutsideDecision, WorkerOverbooked
from socius.services.models import Roster, ServiceDecision, ServiceWorker, Visit
from socius.services.permissions import can_manage_services
from socius.services.statuses import (
    ROSTER_TRANSITIONS,
    VISIT_TRANSITIONS,
    DecisionStatus,
    QuantityPer,
    RosterStatus,
    ServiceUnit,
    VisitStatus,
)

# Services planned as visits or trips on a roster; meals (the canteen) and days (day centres) are recorded
# from their day sheets instead.
ROSTERED_UNITS = frozenset({ServiceUnit.HOUR, ServiceUnit.TRIP, ServiceUnit.SESSION})
DAY_STARTS = dt.time(8, 0)
DAY_ENDS = dt.time(18, 0)  # the latest a visit planned without a usual week may end
SLOT_MINUTES = 30
WEEKS_PER_MONTH = Decimal("4.33")
OPEN = (VisitStatus.PLANNED, VisitStatus.DELIVERED, VisitStatus.MISSED)  # visits that take the carer's time


# --- small helpers ---------------------------------------------------------------------------------------


def week_of(day: dt.date) -> dt.date:
    """The Monday of the day's week."""
    return day - dt.timedelta(days=day.weekday())


def minutes(units) -> int:
    """How long a visit takes: an hour of care per hour; a trip or a session is counted as an hour."""
    return int(Decimal(units) * 60)


def _clock(time: dt.time) -> int:
    return time.hour * 60 + time.minute


def _time(clock: int) -> dt.time:
    return dt.time(clock // 60, clock % 60)


def _fmt_hours(value_minutes: int) -> str:
    hours = Decimal(value_minutes) / 60
    return f"{hours.normalize():f}"


def decisions_in_force_between(centre_id: int, start: dt.date, end: dt.date):
    """Issued decisions of the centre in force on any day of [start, end] (a stand-in for svc's
    `selectors.decisions_in_force` on a period)."""
    return ServiceDecision.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=start),
        centre_id=centre_id,
        status=DecisionStatus.ISSUED,
        starts_on__lte=end,
    )


def weekly_units(decision: ServiceDecision) -> Decimal:
    """Units a week the decision gives (a month's quantity spread over its weeks)."""
    if decision.per == QuantityPer.MONTH:
        return (Decimal(decision.quantity) / WEEKS_PER_MONTH).quantize(Decimal("0.01"))
    return Decimal(decision.quantity)


def _require_manager(actor: User, centre_id: int) -> None:
    if actor.centre_id != centre_id:
        raise NotFound()
    if not can_manage_services(actor):
        raise Forbidden()


def _lock_roster(actor: User, roster: Roster) -> Roster:
    _require_manager(actor, roster.centre_id)
    return Roster.objects.select_for_update().get(pk=roster.pk)


def _require_draft(roster: Roster) -> None:
    if roster.status != RosterStatus.DRAFT:
        raise Conflict(_("The roster is published: reopen it to change it."), code="roster_published")


# --- generation ------------------------------------------------------------------------------------------


@dataclass
class Unplaced:
    """A visit the generator could not place, and why."""

    decision: ServiceDecision
    date: dt.date
    starts_at: dt.time | None
    units: Decimal
    reason: str

    def as_dict(self) -> dict:
        return {
            "decision": self.decision.pk,
            "person": self.decision.person_id,
            "service_code": self.decision.service_code,
            "date": self.date.isoformat(),
            "starts_at": self.starts_at.strftime("%H:%M") if self.starts_at else None,
            "units": str(self.units),
            "reason": self.reason,
        }


@dataclass
class RosterResult:
    roster: Roster
    visits: list[Visit] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)


@dataclass
class _Book:
    """A worker's week as the generator fills it: minutes booked and the busy intervals of each day."""

    worker: ServiceWorker
    limit: int
    booked: int = 0
    busy: dict = field(default_factory=lambda: defaultdict(list))

    def fits_hours(self, length: int) -> bool:
        return self.booked + length <= self.limit

    def free(self, day: dt.date, start: int, length: int) -> bool:
        end = start + length
        return all(end <= s or start >= e for s, e in self.busy[day])

    def take(self, day: dt.date, start: int, length: int) -> None:
        self.booked += length
        self.busy[day].append((start, start + length))


def _wanted_visits(decision: ServiceDecision, week_start: dt.date) -> list[tuple[dt.date, int | None, Decimal]]:
    """(day, start minute or None for "any time", units) of the decision's week: its usual week, or its weekly
    quantity spread over the working days (at most two hours a visit for hours of care)."""
    days = [week_start + dt.timedelta(days=i) for i in range(7)]
    in_force = [d for d in days if d >= decision.starts_on and (decision.ends_on is None or d <= decision.ends_on)]
    out = []
    if decision.weekly_pattern:
        for row in decision.weekly_pattern:
            try:
                day = days[int(row["weekday"])]
                hh, mm = (int(x) for x in str(row.get("start") or "08:00").split(":"))
                units = Decimal(str(row.get("units") or 1))
            except (KeyError, ValueError, TypeError, IndexError, ArithmeticError):
                continue
            if day in in_force and units > 0:
                out.append((day, hh * 60 + mm, units))
        return out
    total = weekly_units(decision)
    working = [d for d in in_force if d.weekday() < 5] or in_force
    if total <= 0 or not working:
        return out
    per_visit = Decimal(2) if decision.unit == ServiceUnit.HOUR else Decimal(1)
    count = min(len(working), max(1, int((total / per_visit).to_integral_value(rounding="ROUND_CEILING"))))
    share = (total / count).quantize(Decimal("0.25"))
    step = (len(working) - 1) / (count - 1) if count > 1 else 0
    remaining = total
    for i in range(count):
        units = share if i < count - 1 else remaining
        if units <= 0:
            break
        remaining -= units
        out.append((working[round(i * step)], None, units))
    return out


def plan_week(decisions, workers, *, week_start, previous_carer: dict, kept_visits=()) -> tuple[list, list]:
    """The plan in memory: [(decision, worker, day, start minute, units)] and [Unplaced]. Pure: no queries."""
    books = {w.pk: _Book(w, minutes(w.weekly_hours)) for w in workers}
    for v in kept_visits:
        if v.worker_id in books:
            books[v.worker_id].take(v.date, _clock(v.starts_at), minutes(v.units))
    by_service: dict[tuple, list[_Book]] = defaultdict(list)
    for w in workers:
        for code in w.service_codes or ():
            by_service[(code, w.provider_id)].append(books[w.pk])
    planned, unplaced = [], []
    latest = _clock(DAY_ENDS)
    for decision in sorted(decisions, key=lambda d: (d.provider_id or 0, d.person_id, d.pk)):
        candidates = by_service.get((decision.service_code, decision.provider_id), [])
        chosen = previous_carer.get(decision.pk)
        for day, start, units in _wanted_visits(decision, week_start):
            length = minutes(units)
            if not candidates:
                unplaced.append(Unplaced(decision, day, _time(start) if start is not None else None, units,
                                         _("No active carer delivers this service.")))  # fmt: skip
                continue
            starts = (
                [start] if start is not None else list(range(_clock(DAY_STARTS), latest - length + 1, SLOT_MINUTES))
            )
            order = sorted(candidates, key=lambda b: (b.worker.pk != chosen, b.booked, b.worker.pk))
            placed = None
            hours_full = True
            for book in order:
                if not book.fits_hours(length):
                    continue
                hours_full = False
                slot = next((s for s in starts if book.free(day, s, length)), None)
                if slot is not None:
                    placed = (book, slot)
                    break
            if placed is None:
                reason = (
                    _("Every carer of this service has their contracted hours full.")
                    if hours_full
                    else _("No carer of this service is free at that time.")
                )
                unplaced.append(Unplaced(decision, day, _time(start) if start is not None else None, units, reason))
                continue
            book, slot = placed
            book.take(day, slot, length)
            chosen = book.worker.pk  # the client keeps this carer for the rest of the week
            planned.append((decision, book.worker, day, slot, units))
    return planned, unplaced


@transaction.atomic
def generate_roster(actor: User, centre: Centre, week_start: dt.date, *, on: dt.date | None = None) -> RosterResult:
    """Plan the week's visits from the decisions in force and the active workers (a draft roster: visits
    already delivered or missed are kept, planned ones are planned again)."""
    _require_manager(actor, centre.pk)
    if not isinstance(week_start, dt.date) or week_start.weekday() != 0:
        raise ValidationFailed({"week_start": [_("A roster starts on a Monday.")]})
    week_end = week_start + dt.timedelta(days=6)
    roster, created = Roster.objects.select_for_update().get_or_create(
        centre=centre, week_start=week_start, defaults={"generated_by": actor}
    )
    _require_draft(roster)
    before = 0 if created else roster.visits.exclude(status=VisitStatus.CANCELLED).count()
    roster.visits.filter(status=VisitStatus.PLANNED).delete()
    kept = list(roster.visits.exclude(status=VisitStatus.CANCELLED))
    kept_units = Counter()
    for v in kept:
        kept_units[v.decision_id] += v.units
    decisions = [
        d
        for d in decisions_in_force_between(centre.pk, week_start, week_end).filter(
            unit__in=[u.value for u in ROSTERED_UNITS]
        )
        if d.pk not in kept_units
    ]
    workers = list(ServiceWorker.objects.filter(centre=centre, is_active=True).order_by("pk"))
    previous = _previous_carers(centre.pk, week_start, [d.pk for d in decisions])
    planned, unplaced = plan_week(decisions, workers, week_start=week_start, previous_carer=previous, kept_visits=kept)
    visits = Visit.objects.bulk_create(
        [
            Visit(roster=roster, decision=d, worker=w, date=day, starts_at=_time(slot), units=units)
            for d, w, day, slot, units in planned
        ]
    )
    roster.generated_by = actor
    roster.save(update_fields=["generated_by", "updated_at"])
    record_event(
        actor,
        AuditAction.UPDATE if not created else AuditAction.CREATE,
        object_type="service_roster",
        object_id=roster.pk,
        centre_id=centre.pk,
        person_ids=sorted({d.person_id for d, *_ in planned} | {u.decision.person_id for u in unplaced}),
        changes={"visits": [before, len(visits) + len(kept)], "unplaced": [None, len(unplaced)]},
    )
    return RosterResult(roster=roster, visits=visits, unplaced=unplaced)


def _previous_carers(centre_id: int, week_start: dt.date, decision_ids: list[int]) -> dict[int, int]:
    """{decision: the worker who made most of its visits in the four weeks before} — one query."""
    if not decision_ids:
        return {}
    rows = (
        Visit.objects.filter(
            roster__centre_id=centre_id,
            date__gte=week_start - dt.timedelta(days=28),
            date__lt=week_start,
            decision_id__in=decision_ids,
        )
        .exclude(status=VisitStatus.CANCELLED)
        .values_list("decision_id", "worker_id")
    )
    counts: dict[int, Counter] = defaultdict(Counter)
    for decision_id, worker_id in rows:
        counts[decision_id][worker_id] += 1
    return {d: c.most_common(1)[0][0] for d, c in counts.items()}


# --- checks of one visit ---------------------------------------------------------------------------------


def check_worker(worker: ServiceWorker, decision: ServiceDecision, *, field: str = "worker") -> None:
    if worker.centre_id != decision.centre_id or not worker.is_active:
        raise ValidationFailed({field: [_("Choose an active carer of your centre.")]})
    if decision.service_code not in (worker.service_codes or ()) or worker.provider_id != decision.provider_id:
        raise ValidationFailed({field: [_("This carer does not deliver this client's service.")]})


def check_worker_week(worker: ServiceWorker, *, day: dt.date, starts_at: dt.time, units, exclude=None) -> None:
    """The carer's contracted hours in the week and no other visit at the same time (WorkerOverbooked)."""
    start = week_of(day)
    others = Visit.objects.filter(
        worker=worker, date__gte=start, date__lte=start + dt.timedelta(days=6), status__in=OPEN
    )
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    others = list(others.only("date", "starts_at", "units"))
    length = minutes(units)
    booked = sum(minutes(v.units) for v in others)
    if booked + length > minutes(worker.weekly_hours):
        raise WorkerOverbooked(
            worker,
            _("%(name)s would work %(hours)s hours in that week; their contract gives %(limit)s.")
            % {
                "name": worker.name,
                "hours": _fmt_hours(booked + length),
                "limit": _fmt_hours(minutes(worker.weekly_hours)),
            },
        )
    begin = _clock(starts_at)
    for v in others:
        other = _clock(v.starts_at)
        if v.date == day and begin < other + minutes(v.units) and other < begin + length:
            raise WorkerOverbooked(
                worker,
                _("%(name)s already has a visit at %(time)s that day.")
                % {"name": worker.name, "time": v.starts_at.strftime("%H:%M")},
            )


def check_decision(decision: ServiceDecision, *, day: dt.date, units, exclude=None) -> None:
    """The decision is issued, in force that day, and its units per week or month are not exceeded."""
    if decision.status not in (DecisionStatus.ISSUED,):
        raise OutsideDecision(_("The client's decision is not in force."))
    if day < decision.starts_on or (decision.ends_on is not None and day > decision.ends_on):
        raise OutsideDecision(
            _("The client's decision covers %(start)s to %(end)s, not %(day)s.")
            % {
                "start": decision.starts_on.isoformat(),
                "end": decision.ends_on.isoformat() if decision.ends_on else "…",
                "day": day.isoformat(),
            }
        )
    if decision.per == QuantityPer.MONTH:
        first = day.replace(day=1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    else:
        first = week_of(day)
        last = first + dt.timedelta(days=6)
    visits = Visit.objects.filter(decision=decision, date__gte=first, date__lte=last, status__in=OPEN)
    if exclude is not None:
        visits = visits.exclude(pk=exclude.pk)
    booked = visits.aggregate(total=Sum("units"))["total"] or Decimal(0)
    if booked + Decimal(units) > decision.quantity:
        raise OutsideDecision(
            _("The decision gives %(quantity)s units %(per)s; %(booked)s are planned, so %(asked)s more do not fit.")
            % {
                "quantity": decision.quantity.normalize(),
                "per": decision.get_per_display(),
                "booked": booked.normalize() if booked else 0,
                "asked": Decimal(units).normalize(),
            }
        )


def _check_units(units) -> Decimal:
    try:
        value = Decimal(str(units))
    except (ArithmeticError, ValueError, TypeError):
        value = None
    if value is None or not value.is_finite() or value <= 0 or value > 24 or value != value.quantize(Decimal("0.25")):
        raise ValidationFailed({"units": [_("Enter a number of units above 0, in quarters, at most 24.")]})
    return value


def _check_when(roster: Roster, day, starts_at, units: Decimal) -> None:
    errors = {}
    if not isinstance(day, dt.date) or not (roster.week_start <= day <= roster.week_start + dt.timedelta(days=6)):
        errors["date"] = [_("Choose a day of the roster's week.")]
    if not isinstance(starts_at, dt.time):
        errors["starts_at"] = [_("Enter a time.")]
    elif _clock(starts_at) + minutes(units) > 24 * 60:
        errors["starts_at"] = [_("The visit must end the same day.")]
    if errors:
        raise ValidationFailed(errors)


def _visit_changes(before: Visit, after: Visit) -> dict:
    out = {}
    for name in ("worker_id", "date", "starts_at", "units", "status"):
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            key = name.removesuffix("_id")
            out[key] = [str(old) if old is not None else None, str(new) if new is not None else None]
    return out


# --- changes to one visit --------------------------------------------------------------------------------


@transaction.atomic
def add_visit(
    actor: User, roster: Roster, *, decision: ServiceDecision, worker: ServiceWorker, date, starts_at, units
) -> Visit:
    roster = _lock_roster(actor, roster)
    _require_draft(roster)
    if decision.centre_id != roster.centre_id:
        raise ValidationFailed({"decision": [_("No such record in your centre.")]})
    units = _check_units(units)
    _check_when(roster, date, starts_at, units)
    check_worker(worker, decision)
    ServiceWorker.objects.select_for_update().filter(pk=worker.pk).first()
    check_decision(decision, day=date, units=units)
    check_worker_week(worker, day=date, starts_at=starts_at, units=units)
    visit = Visit.objects.create(
        roster=roster, decision=decision, worker=worker, date=date, starts_at=starts_at, units=units
    )
    record_event(
        actor,
        AuditAction.CREATE,
        object_type="service_visit",
        object_id=visit.pk,
        centre_id=roster.centre_id,
        person_id=decision.person_id,
        changes={
            "worker": [None, worker.pk],
            "date": [None, str(date)],
            "starts_at": [None, str(starts_at)],
            "units": [None, str(units)],
        },
    )
    return visit


@transaction.atomic
def move_visit(actor: User, visit: Visit, *, worker: ServiceWorker, date, starts_at, units) -> Visit:
    """Move a planned visit to another carer, day, time or length, checked against the carer's week
    (WorkerOverbooked) and the client's decision (OutsideDecision)."""
    roster = _lock_roster(actor, visit.roster)
    _require_draft(roster)
    visit = Visit.objects.select_for_update().select_related("decision").get(pk=visit.pk)
    if visit.status != VisitStatus.PLANNED:
        raise InvalidServiceTransition(visit, visit.status, VisitStatus.PLANNED, dict(VisitStatus.choices))
    units = _check_units(units)
    _check_when(roster, date, starts_at, units)
    check_worker(worker, visit.decision)
    ServiceWorker.objects.select_for_update().filter(pk=worker.pk).first()
    check_decision(visit.decision, day=date, units=units, exclude=visit)
    check_worker_week(worker, day=date, starts_at=starts_at, units=units, exclude=visit)
    before = Visit(worker_id=visit.worker_id, date=visit.date, starts_at=visit.starts_at, units=visit.units,
                   status=visit.status)  # fmt: skip
    visit.worker, visit.date, visit.starts_at, visit.units = worker, date, starts_at, units
    visit.save(update_fields=["worker", "date", "starts_at", "units"])
    record_event(
        actor,
        AuditAction.UPDATE,
        object_type="service_visit",
        object_id=visit.pk,
        centre_id=roster.centre_id,
        person_id=visit.decision.person_id,
        changes=_visit_changes(before, visit),
    )
    return visit


@transaction.atomic
def cancel_visit(actor: User, visit: Visit, *, reason: str = "") -> Visit:
    """A planned visit will not happen (the client is away, the decision was suspended): planned → cancelled."""
    _lock_roster(actor, visit.roster)
    visit = Visit.objects.select_for_update().select_related("decision").get(pk=visit.pk)
    if VisitStatus.CANCELLED not in VISIT_TRANSITIONS[visit.status]:
        raise InvalidServiceTransition(visit, visit.status, VisitStatus.CANCELLED, dict(VisitStatus.choices))
    visit.status = VisitStatus.CANCELLED
    visit.save(update_fields=["status"])
    changes = {"status": [VisitStatus.PLANNED.value, VisitStatus.CANCELLED.value]}
    if reason.strip():
        changes["reason"] = [None, reason.strip()[:500]]
    record_event(
        actor,
        AuditAction.UPDATE,
        object_type="service_visit",
        object_id=visit.pk,
        centre_id=visit.decision.centre_id,
        person_id=visit.decision.person_id,
        changes=changes,
    )
    return visit


def _move_roster(actor: User, roster: Roster, to: str) -> Roster:
    roster = _lock_roster(actor, roster)
    if to not in ROSTER_TRANSITIONS[roster.status]:
        raise InvalidServiceTransition(roster, roster.status, to, dict(RosterStatus.choices))
    before = roster.status
    roster.status = to
    if to == RosterStatus.PUBLISHED:
        roster.published_by = actor
        roster.published_at = timezone.now()
    roster.save(update_fields=["status", "published_by", "published_at", "updated_at"])
    persons = roster.visits.values_list("decision__person_id", flat=True).distinct()
    record_event(
        actor,
        AuditAction.UPDATE,
        object_type="service_roster",
        object_id=roster.pk,
        centre_id=roster.centre_id,
        person_ids=list(persons),
        changes={"status": [before, to]},
    )
    return roster


@transaction.atomic
def publish_roster(actor: User, roster: Roster) -> Roster:
    """The carers see their visits: draft → published."""
    return _move_roster(actor, roster, RosterStatus.PUBLISHED)


@transaction.atomic
def reopen_roster(actor: User, roster: Roster) -> Roster:
    """Back to a draft to change it: published → draft."""
    return _move_roster(actor, roster, RosterStatus.DRAFT)
