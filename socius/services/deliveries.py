"""Deliveries: what happened on a visit (delivered, or missed with its reason), services given without a
visit, the canteen's day sheet, and corrections (decision 0016).

A carer records only their own visits of a published roster; caseworkers and managers any visit of a decision
they read. The canteen's day is one transaction: the meals of every client of the sheet, or nothing. A
correction is refused once the client's statement of that month is issued (the statement is cancelled and
replaced first).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from socius.accounts.audit import record_event
from socius.accounts.models import AuditAction, User
from socius.accounts.roles import RECORD_DELIVERIES, Role
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.registry.models import Person
from socius.services.errors import InvalidServiceTransition, OutsideDecision, ServiceNotOffered
from socius.services.models import Delivery, MonthlyStatement, ServiceDecision, ServiceOffer, ServiceWorker, Visit
from socius.services.permissions import can_manage_services, can_record_delivery, can_view_decision
from socius.services.rosters import week_of, weekly_units
from socius.services.statuses import (
    VISIT_TRANSITIONS,
    DecisionStatus,
    DeliveryOutcome,
    MissedReason,
    QuantityPer,
    RosterStatus,
    ServiceUnit,
    StatementStatus,
    VisitStatus,
)

MAX_MEALS_A_DAY = 5


def _units(value, *, field: str = "units", maximum: Decimal = Decimal(24)) -> Decimal:
    try:
        units = Decimal(str(value))
    except (ArithmeticError, ValueError, TypeError):
        units = None
    if (
        units is None
        or not units.is_finite()
        or units <= 0
        or units > maximum
        or units != units.quantize(Decimal("0.25"))
    ):
        raise ValidationFailed(
            {field: [_("Enter a number of units above 0, in quarters, at most %(max)s.") % {"max": maximum}]}
        )
    return units


def _locked_visit(actor: User, visit: Visit) -> Visit:
    """The visit under lock, if the actor may record it: a carer only their own visits of a published roster
    (any other is "not found"); others the visits of decisions they read."""
    visit = Visit.objects.select_for_update().select_related("decision", "worker", "roster").get(pk=visit.pk)
    decision = visit.decision
    if decision.centre_id != actor.centre_id or not actor.can(RECORD_DELIVERIES):
        raise NotFound() if decision.centre_id != actor.centre_id else Forbidden()
    if actor.role == Role.CARER:
        if visit.worker.user_id != actor.pk or visit.roster.status != RosterStatus.PUBLISHED:
            raise NotFound()
    elif not can_record_delivery(actor, decision, visit.worker):
        raise NotFound()
    return visit


def _to(visit: Visit, status: str) -> None:
    if status not in VISIT_TRANSITIONS[visit.status]:
        raise InvalidServiceTransition(visit, visit.status, status, dict(VisitStatus.choices))


def _audit_delivery(actor: User, delivery: Delivery, action=AuditAction.CREATE, changes=None) -> None:
    record_event(
        actor,
        action,
        object_type="service_delivery",
        object_id=delivery.pk,
        centre_id=delivery.centre_id,
        person_id=delivery.decision.person_id,
        changes=changes
        or {
            "outcome": [None, delivery.outcome],
            "units": [None, str(delivery.units)],
            "date": [None, delivery.date.isoformat()],
            **({"missed_reason": [None, delivery.missed_reason]} if delivery.missed_reason else {}),
        },
    )


def _not_future(day: dt.date, on: dt.date) -> None:
    if day > on:
        raise Conflict(_("This visit is on %(day)s: it can be recorded from that day.") % {"day": day.isoformat()},
                       code="visit_in_future")  # fmt: skip


@transaction.atomic
def record_delivery(actor: User, visit: Visit, *, units, on: dt.date, note: str = "") -> Delivery:
    """The visit took place: planned → delivered, with the units given (at most those planned; more is a
    manager's correction)."""
    visit = _locked_visit(actor, visit)
    _to(visit, VisitStatus.DELIVERED)
    units = _units(units)
    if units > visit.units:
        raise ValidationFailed(
            {"units": [_("At most %(units)s units were planned for this visit.") % {"units": visit.units.normalize()}]}
        )
    _not_future(visit.date, on)
    visit.status = VisitStatus.DELIVERED
    visit.save(update_fields=["status"])
    delivery = Delivery.objects.create(
        centre_id=visit.decision.centre_id, decision=visit.decision, visit=visit, worker=visit.worker,
        date=visit.date, outcome=DeliveryOutcome.DELIVERED, units=units, note=(note or "").strip()[:2000],
        recorded_by=actor,
    )  # fmt: skip
    _audit_delivery(actor, delivery)
    return delivery


@transaction.atomic
def record_missed(actor: User, visit: Visit, reason: str, note: str = "", *, on: dt.date) -> Delivery:
    """The visit did not take place: planned → missed, with the reason (and a note for "other")."""
    visit = _locked_visit(actor, visit)
    _to(visit, VisitStatus.MISSED)
    note = (note or "").strip()[:2000]
    if reason not in MissedReason.values:
        raise ValidationFailed({"reason": [_("Choose the reason the visit did not take place.")]})
    if reason == MissedReason.OTHER and not note:
        raise ValidationFailed({"note": [_("Say what happened.")]})
    _not_future(visit.date, on)
    visit.status = VisitStatus.MISSED
    visit.save(update_fields=["status"])
    delivery = Delivery.objects.create(
        centre_id=visit.decision.centre_id, decision=visit.decision, visit=visit, worker=visit.worker,
        date=visit.date, outcome=DeliveryOutcome.MISSED, units=0, missed_reason=reason, note=note,
        recorded_by=actor,
    )  # fmt: skip
    _audit_delivery(actor, delivery)
    return delivery


def _period(decision: ServiceDecision, day: dt.date) -> tuple[dt.date, dt.date]:
    if decision.per == QuantityPer.MONTH:
        first = day.replace(day=1)
        return first, (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    first = week_of(day)
    return first, first + dt.timedelta(days=6)


def _check_in_force(decision: ServiceDecision, day: dt.date, units: Decimal, *, replacing=Decimal(0)) -> None:
    """Issued, in force that day, and the delivered units of its week or month stay within the decision."""
    if (
        decision.status != DecisionStatus.ISSUED
        or day < decision.starts_on
        or (decision.ends_on is not None and day > decision.ends_on)
    ):
        raise OutsideDecision(
            _("%(name)s's decision is not in force on %(day)s.")
            % {"name": decision.person, "day": day.isoformat()}
        )  # fmt: skip
    first, last = _period(decision, day)
    delivered = Delivery.objects.filter(
        decision=decision, date__gte=first, date__lte=last, outcome=DeliveryOutcome.DELIVERED
    ).aggregate(total=Sum("units"))["total"] or Decimal(0)
    if delivered - replacing + units > decision.quantity:
        raise OutsideDecision(
            _("The decision gives %(quantity)s units %(per)s; %(delivered)s are already recorded.")
            % {"quantity": decision.quantity.normalize(), "per": decision.get_per_display(),
               "delivered": delivered.normalize() if delivered else 0}
        )  # fmt: skip


def _decision_readable(actor: User, decision: ServiceDecision) -> None:
    if decision.centre_id != actor.centre_id:
        raise NotFound()
    if not actor.can(RECORD_DELIVERIES):
        raise Forbidden()
    if actor.role == Role.CARER or not can_view_decision(actor, decision):
        raise NotFound()


@transaction.atomic
def record_unplanned_delivery(
    actor: User, decision: ServiceDecision, *, units, date: dt.date, on: dt.date, worker: ServiceWorker | None = None,
    note: str = "",
) -> Delivery:  # fmt: skip
    """A service given without a visit on the roster (a trip booked the same day), within the decision."""
    _decision_readable(actor, decision)
    decision = ServiceDecision.objects.select_for_update().select_related("person").get(pk=decision.pk)
    units = _units(units)
    if not isinstance(date, dt.date):
        raise ValidationFailed({"date": [_("Enter a date.")]})
    if date > on:
        raise ValidationFailed({"date": [_("A delivery cannot be recorded before the day it happens.")]})
    if worker is not None and worker.centre_id != decision.centre_id:
        raise ValidationFailed({"worker": [_("No such record in your centre.")]})
    _check_in_force(decision, date, units)
    delivery = Delivery.objects.create(
        centre_id=decision.centre_id, decision=decision, worker=worker, date=date,
        outcome=DeliveryOutcome.DELIVERED, units=units, note=(note or "").strip()[:2000], recorded_by=actor,
    )  # fmt: skip
    _audit_delivery(actor, delivery)
    return delivery


def _offer_on(centre_id: int, service_code: str, day: dt.date) -> ServiceOffer | None:
    return (
        ServiceOffer.objects.filter(centre_id=centre_id, service_code=service_code, valid_from__lte=day)
        .order_by("-valid_from")
        .first()
    )


def can_record_canteen(actor: User, service_code: str) -> bool:
    """The canteen's sheet: those who keep the services, and the canteen's own staff (a worker account
    delivering that service)."""
    if not (actor.centre_id and actor.can(RECORD_DELIVERIES)):
        return False
    if can_manage_services(actor):
        return True
    worker = ServiceWorker.objects.filter(user=actor, is_active=True).first()
    return worker is not None and service_code in (worker.service_codes or ())


@transaction.atomic
def record_canteen_day(actor: User, service_code: str, day: dt.date, meals: dict, *, on: dt.date) -> list[Delivery]:
    """The canteen's day sheet, {decision or person (or their ids): meals}, in one transaction: the day's
    meals of the service replace those recorded before for it; any refusal writes nothing."""
    if not actor.centre_id:
        raise NotFound()
    if not can_record_canteen(actor, service_code):
        raise Forbidden()
    if not isinstance(day, dt.date):
        raise ValidationFailed({"day": [_("Enter a date.")]})
    if day > on:
        raise ValidationFailed({"day": [_("A delivery cannot be recorded before the day it happens.")]})
    if _offer_on(actor.centre_id, service_code, day) is None:
        raise ServiceNotOffered(service_code, on=day)
    in_force = {
        d.pk: d
        for d in ServiceDecision.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(centre_id=actor.centre_id, service_code=service_code, unit=ServiceUnit.MEAL)
    }
    by_person = {}
    for d in in_force.values():
        if d.status == DecisionStatus.ISSUED and d.starts_on <= day and (d.ends_on is None or d.ends_on >= day):
            by_person[d.person_id] = d
    counts: dict[int, int] = {}
    errors = []
    for key, value in meals.items():
        if isinstance(key, Person):
            decision = by_person.get(key.pk)
        elif isinstance(key, ServiceDecision):
            decision = in_force.get(key.pk)
        else:
            try:
                decision = in_force.get(int(key))
            except (TypeError, ValueError):
                decision = None
        if decision is None:
            errors.append(_("No canteen decision of your centre for %(who)s.") % {"who": key})
            continue
        try:
            count = int(value)
        except (TypeError, ValueError):
            count = -1
        if count < 0 or count > MAX_MEALS_A_DAY or str(count) != str(value).strip():
            errors.append(
                _("Meals for %(who)s: a whole number from 0 to %(max)s.")
                % {"who": decision.person, "max": MAX_MEALS_A_DAY}
            )
            continue
        counts[decision.pk] = count
    if errors:
        raise ValidationFailed({"meals": errors})
    previous = {
        d.decision_id: d
        for d in Delivery.objects.select_for_update().filter(
            decision_id__in=list(counts), date=day, visit__isnull=True, outcome=DeliveryOutcome.DELIVERED
        )
    }
    for decision_id, count in counts.items():
        if count:
            old = previous.get(decision_id)
            _check_in_force(in_force[decision_id], day, Decimal(count), replacing=old.units if old else Decimal(0))
    old_total = sum(int(d.units) for d in previous.values())
    Delivery.objects.filter(pk__in=[d.pk for d in previous.values()]).delete()
    created = Delivery.objects.bulk_create(
        [
            Delivery(
                centre_id=actor.centre_id,
                decision_id=decision_id,
                date=day,
                outcome=DeliveryOutcome.DELIVERED,
                units=count,
                recorded_by=actor,
            )
            for decision_id, count in counts.items()
            if count
        ]
    )
    record_event(
        actor,
        AuditAction.CREATE if not previous else AuditAction.UPDATE,
        object_type="canteen_day",
        object_id=None,
        centre_id=actor.centre_id,
        person_ids=[in_force[d].person_id for d in counts],
        changes={
            "service": [None, service_code],
            "day": [None, day.isoformat()],
            "meals": [old_total, sum(counts.values())],
        },
    )
    return created


def _statement_issued(delivery: Delivery) -> bool:
    return MonthlyStatement.objects.filter(
        centre_id=delivery.centre_id,
        person_id=delivery.decision.person_id,
        month=delivery.date.replace(day=1),
        status=StatementStatus.ISSUED,
    ).exists()


@transaction.atomic
def correct_delivery(actor: User, delivery: Delivery, *, units, note: str) -> Delivery:
    """Correct the units of a delivered service (a manager, with a note), unless the month's statement is
    issued (cancel and replace it first). Units 0 is not a correction: record the visit as missed instead."""
    if delivery.centre_id != actor.centre_id:
        raise NotFound()
    if not can_manage_services(actor):
        raise Forbidden()
    delivery = Delivery.objects.select_for_update().select_related("decision__person").get(pk=delivery.pk)
    if delivery.outcome != DeliveryOutcome.DELIVERED:
        raise Conflict(_("A missed visit has no units to correct."), code="delivery_missed")
    units = _units(units)
    note = (note or "").strip()
    if not note:
        raise ValidationFailed({"note": [_("Say why the delivery is corrected.")]})
    if _statement_issued(delivery):
        raise Conflict(
            _("The client's statement for this month is issued: cancel and replace it before correcting."),
            code="statement_issued",
        )
    _check_in_force(delivery.decision, delivery.date, units, replacing=delivery.units)
    before = delivery.units
    delivery.units = units
    delivery.note = note[:2000]
    delivery.save(update_fields=["units", "note"])
    _audit_delivery(
        actor, delivery, AuditAction.UPDATE, {"units": [str(before), str(units)], "note": [None, delivery.note]}
    )
    return delivery


__all__ = [
    "can_record_canteen",
    "correct_delivery",
    "record_canteen_day",
    "record_delivery",
    "record_missed",
    "record_unplanned_delivery",
    "weekly_units",
]
