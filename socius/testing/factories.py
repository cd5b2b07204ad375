"""factory-boy factories. Synthetic data only: never real personal data."""

from __future__ import annotations

import datetime as dt
import random

import factory
from stdnum.pl import pesel as stdnum_pesel

from socius.accounts.models import Centre, Team, Territory, TerritoryLevel, User
from socius.accounts.roles import Role
from socius.registry.models import Household, Membership, Person


def make_pesel(birth_date: dt.date, sex: str, serial: int | None = None) -> str:
    """A valid PESEL for a birth date and sex (synthetic)."""
    month = birth_date.month + {18: 80, 19: 0, 20: 20, 21: 40, 22: 60}[birth_date.year // 100]
    serial = random.randint(0, 999) if serial is None else serial
    sex_digit = random.choice([1, 3, 5, 7, 9] if sex == "M" else [0, 2, 4, 6, 8])
    body = f"{birth_date.year % 100:02d}{month:02d}{birth_date.day:02d}{serial:03d}{sex_digit}"
    return body + stdnum_pesel.calc_check_digit(body)


def make_asmens_kodas(birth_date: dt.date, sex: str, serial: int | None = None) -> str:
    from stdnum.ee.ik import calc_check_digit

    century = {18: 1, 19: 3, 20: 5}[birth_date.year // 100] + (1 if sex == "F" else 0)
    serial = random.randint(0, 999) if serial is None else serial
    body = f"{century}{birth_date:%y%m%d}{serial:03d}"
    return body + calc_check_digit(body)


def make_idnp(serial: int | None = None) -> str:
    serial = random.randint(0, 10**11 - 1) if serial is None else serial
    return f"2{serial:011d}" + str(random.randint(0, 9))


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
