"""Fixtures of the roster tests: the PL centre's home help with two carers (one with a login), a client with
two visits a week, the week of 3 March 2025 and a carer persona."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from socius.accounts.roles import Role
from socius.services.statuses import QuantityPer, ServiceUnit
from socius.services.tests.factories_rosters import CANTEEN, DecisionFactory, OfferFactory, WorkerFactory
from socius.testing.factories import UserFactory

WEEK = dt.date(2025, 3, 3)  # a Monday
DAY = dt.date(2025, 3, 6)


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def pl_carer(pl_centre):
    return UserFactory(username="pl_carer", centre=pl_centre, role=Role.CARER, first_name="Ewa", last_name="Opiekun")


@pytest.fixture
def pl_carer2(pl_centre):
    return UserFactory(username="pl_carer2", centre=pl_centre, role=Role.CARER)


@pytest.fixture
def offer(pl_centre):
    return OfferFactory(centre=pl_centre)


@pytest.fixture
def carer(pl_centre, pl_carer):
    return WorkerFactory(centre=pl_centre, user=pl_carer, name="Ewa Opiekun", weekly_hours=Decimal("20"))


@pytest.fixture
def carer2(pl_centre, pl_carer2):
    return WorkerFactory(centre=pl_centre, user=pl_carer2, name="Zofia Druga", weekly_hours=Decimal("20"))


@pytest.fixture
def client_decision(pl_centre, pl_worker, offer):
    return DecisionFactory(centre=pl_centre, drafted_by=pl_worker)


@pytest.fixture
def canteen(pl_centre, pl_worker):
    OfferFactory(centre=pl_centre, service_code=CANTEEN, unit_cost=Decimal("12.00"))
    return [
        DecisionFactory(
            centre=pl_centre,
            drafted_by=pl_worker,
            service_code=CANTEEN,
            unit=ServiceUnit.MEAL,
            quantity=Decimal("5"),
            per=QuantityPer.WEEK,
            weekly_pattern=[],
        )
        for _ in range(3)
    ]
