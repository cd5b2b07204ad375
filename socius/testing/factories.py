"""factory-boy factories. Synthetic data only: never real personal data."""

from __future__ import annotations

import datetime as dt

import factory

from socius.accounts.models import Centre, Team, Territory, TerritoryLevel, User
from socius.accounts.roles import Role
from socius.registry.models import Household, Membership, Person
from socius.testing.national_ids import make_asmens_kodas, make_idnp, make_pesel  # noqa: F401  (re-exported)


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory

    jurisdiction = "PL"
    level = TerritoryLevel.MUNICIPALITY
    name = factory.Sequence(lambda n: f"Territory {n}")


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Centre

    code = factory.Sequence(lambda n: f"centre-{n}")
    name = factory.Sequence(lambda n: f"Centre {n}")
    jurisdiction = "PL"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    centre = factory.SubFactory(CentreFactory)
    problem_group = "family"
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    centre = factory.SubFactory(CentreFactory)
    role = Role.SOCIAL_WORKER
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    centre = factory.SubFactory(CentreFactory)
    first_name = factory.Faker("first_name", locale="pl_PL")
    last_name = factory.Faker("last_name", locale="pl_PL")
    birth_date = factory.Faker("date_of_birth", minimum_age=1, maximum_age=90)
    sex = "F"


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    centre = factory.SubFactory(CentreFactory)
    street_address = factory.Faker("street_address", locale="pl_PL")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    household = factory.SubFactory(HouseholdFactory)
    person = factory.SubFactory(PersonFactory)
    relationship = "head"
    valid_from = dt.date(2020, 1, 1)


class ConsentFactory(factory.django.DjangoModelFactory):
    """A person's consent for one purpose (registry.Consent), given long ago and live."""

    class Meta:
        model = "registry.Consent"

    person = factory.SubFactory(PersonFactory)
    centre = factory.SelfAttribute("person.centre")
    purpose = "photos"
    given_on = dt.date(2020, 1, 1)
    method = "written"
    recorded_by = factory.SubFactory(UserFactory, centre=factory.SelfAttribute("..centre"))


def consenting_member(household, purpose: str, **kwargs):
    """A current member of `household` who consented to `purpose`."""
    person = MembershipFactory(household=household, person__centre=household.centre).person
    return ConsentFactory(person=person, purpose=purpose, **kwargs)
