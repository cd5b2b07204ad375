"""Factories of the roster tests (svc owns `factories.py`): an offer, a carer, an issued decision with its usual
week, written straight to the models (no four-eyes path: the decisions' own tests cover that)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from socius.services.models import Roster, ServiceDecision, ServiceOffer, ServiceWorker, Visit
from socius.services.statuses import DecisionStatus, QuantityPer, ServiceUnit
from socius.testing.factories import CentreFactory, PersonFactory, UserFactory

HOME_HELP = "pl.home_help"
CANTEEN = "pl.meals"


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceOffer

    centre = factory.SubFactory(CentreFactory)
    service_code = HOME_HELP
    valid_from = dt.date(2025, 1, 1)
    unit_cost = Decimal("32.50")


class WorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceWorker

    centre = factory.SubFactory(CentreFactory)
    name = factory.Sequence(lambda n: f"Carer {n:03d}")
    weekly_hours = Decimal("20")
    service_codes = factory.LazyFunction(lambda: [HOME_HELP])


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceDecision

    centre = factory.SubFactory(CentreFactory)
    person = factory.SubFactory(PersonFactory, centre=factory.SelfAttribute("..centre"))
    service_code = HOME_HELP
    unit = ServiceUnit.HOUR
    quantity = Decimal("4")
    per = QuantityPer.WEEK
    weekly_pattern = factory.LazyFunction(
        lambda: [{"weekday": 0, "start": "09:00", "units": "2"}, {"weekday": 3, "start": "09:00", "units": "2"}]
    )
    starts_on = dt.date(2025, 1, 1)
    status = DecisionStatus.ISSUED
    drafted_by = factory.SubFactory(UserFactory, centre=factory.SelfAttribute("..centre"))
    number = factory.Sequence(lambda n: f"US/2025/{n + 1}")


class RosterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Roster

    centre = factory.SubFactory(CentreFactory)
    week_start = dt.date(2025, 3, 3)


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    roster = factory.SubFactory(RosterFactory)
    decision = factory.SubFactory(DecisionFactory, centre=factory.SelfAttribute("..roster.centre"))
    worker = factory.SubFactory(WorkerFactory, centre=factory.SelfAttribute("..roster.centre"))
    date = factory.SelfAttribute("roster.week_start")
    starts_at = dt.time(9, 0)
    units = Decimal("2")
