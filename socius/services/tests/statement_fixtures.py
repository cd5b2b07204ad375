"""Statement fixtures: a PL centre's prices (home help 40.00 an hour, 44.00 from 15 March 2025; meals 12.50),
issued decisions for clients in a household, and helpers to record deliveries and co-payments directly (the
services of svc and roster are not needed to sum a month)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from socius.services.models import CopaymentAssessment, Delivery, ServiceDecision, ServiceOffer
from socius.services.statuses import DecisionStatus, DeliveryOutcome, MissedReason
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory

MARCH = dt.date(2025, 3, 1)
ON = dt.date(2025, 4, 2)
HOME_HELP = "pl.home_help"
MEALS = "pl.meals"


def make_decision(centre, person, drafter, *, service=HOME_HELP, unit="hour", household=None, number="", case=None):
    return ServiceDecision.objects.create(
        centre=centre,
        person=person,
        household=household,
        case=case,
        service_code=service,
        unit=unit,
        quantity=Decimal("10"),
        starts_on=dt.date(2025, 1, 1),
        status=DecisionStatus.ISSUED,
        number=number or f"D/{person.pk}/{service}",
        drafted_by=drafter,
        issued_on=dt.date(2025, 1, 1),
    )


def deliver(decision, day, units, recorder):
    return Delivery.objects.create(
        centre_id=decision.centre_id,
        decision=decision,
        date=day,
        outcome=DeliveryOutcome.DELIVERED,
        units=Decimal(units),
        recorded_by=recorder,
    )


def miss(decision, day, recorder, reason=MissedReason.CLIENT_ABSENT):
    return Delivery.objects.create(
        centre_id=decision.centre_id,
        decision=decision,
        date=day,
        outcome=DeliveryOutcome.MISSED,
        units=Decimal("0"),
        missed_reason=reason,
        recorded_by=recorder,
    )


def assess(decision, by, *, share, income="2000.00", cap=None, free=False, valid_from=dt.date(2025, 1, 1)):
    return CopaymentAssessment.objects.create(
        decision=decision,
        valid_from=valid_from,
        income=Decimal(income),
        household_size=1,
        lives_alone=True,
        free=free,
        share_of_cost_percent=Decimal(share),
        income_cap_percent=None if cap is None else Decimal(cap),
        rule_version=dt.date(2025, 1, 1),
        computed_by=by,
    )


@pytest.fixture
def prices(pl_centre):
    return [
        ServiceOffer.objects.create(
            centre=pl_centre, service_code=HOME_HELP, valid_from=dt.date(2024, 1, 1), unit_cost=Decimal("40.00")
        ),
        ServiceOffer.objects.create(
            centre=pl_centre, service_code=HOME_HELP, valid_from=dt.date(2025, 3, 15), unit_cost=Decimal("44.00")
        ),
        ServiceOffer.objects.create(
            centre=pl_centre, service_code=MEALS, valid_from=dt.date(2024, 1, 1), unit_cost=Decimal("12.50")
        ),
    ]


@pytest.fixture
def family(pl_centre):
    """A household of Anna Nowak (the client) and her husband Jan."""
    household = HouseholdFactory(centre=pl_centre)
    anna = PersonFactory(centre=pl_centre, first_name="Anna", last_name="Nowak")
    jan = PersonFactory(centre=pl_centre, first_name="Jan", last_name="Nowak", sex="M")
    MembershipFactory(household=household, person=anna)
    MembershipFactory(household=household, person=jan, relationship="spouse")
    return household, anna, jan


@pytest.fixture
def anna_help(pl_centre, family, pl_worker, prices):
    household, anna, _jan = family
    return make_decision(pl_centre, anna, pl_worker, household=household)
