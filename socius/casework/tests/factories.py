"""Casework factories. Synthetic data only. Cases made here bypass numbering; use open_case to test it."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from socius.accounts.roles import Role
from socius.casework.models import Case, CaseEvent, CaseEventKind, Contact, ContactChannel
from socius.casework.statuses import CaseStatus
from socius.testing.factories import CentreFactory, HouseholdFactory, TeamFactory, UserFactory


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    centre = factory.SubFactory(CentreFactory)
    year = 2025
    number = factory.Sequence(lambda n: n + 1)
    reference = factory.LazyAttribute(lambda o: f"{o.year}/{o.number:04d}")
    household = factory.SubFactory(HouseholdFactory, centre=factory.SelfAttribute("..centre"))
    person = None
    circumstances = factory.LazyFunction(lambda: ["poverty"])
    assigned_worker = factory.SubFactory(UserFactory, centre=factory.SelfAttribute("..centre"), role=Role.SOCIAL_WORKER)
    team = factory.SubFactory(TeamFactory, centre=factory.SelfAttribute("..centre"))
    status = CaseStatus.OPENED
    opened_on = dt.date(2025, 1, 10)

    @factory.post_generation
    def opened_event(obj, create, extracted, **kwargs):
        """Every case starts its timeline with OPENED, as open_case writes it."""
        if create:
            CaseEvent.objects.create(case=obj, kind=CaseEventKind.OPENED, data={"reference": obj.reference})


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    centre = factory.SubFactory(CentreFactory)
    occurred_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    channel = ContactChannel.OFFICE
    topics = factory.LazyFunction(lambda: ["information"])
    outcomes = factory.LazyFunction(lambda: ["information_given"])
    handled_by = factory.SubFactory(UserFactory, centre=factory.SelfAttribute("..centre"))
