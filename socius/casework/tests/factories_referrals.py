"""Factories for partners and referrals. Synthetic data only; referrals made here bypass the services."""

from __future__ import annotations

import datetime as dt

import factory

from socius.casework.models import Partner, PartnerKind, Referral, ReferralDirection
from socius.casework.statuses import ReferralStatus
from socius.casework.tests.factories import CaseFactory
from socius.testing.factories import CentreFactory


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    centre = factory.SubFactory(CentreFactory)
    name = factory.Sequence(lambda n: f"Szkoła Podstawowa nr {n + 1}")
    kind = PartnerKind.SCHOOL


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    case = factory.SubFactory(CaseFactory)
    centre = factory.SelfAttribute("case.centre")
    partner = factory.SubFactory(PartnerFactory, centre=factory.SelfAttribute("..centre"))
    direction = ReferralDirection.OUTGOING
    reason = "School attendance"
    sent_on = dt.date(2025, 2, 3)
    response_due_on = dt.date(2025, 2, 17)
    status = ReferralStatus.SENT
