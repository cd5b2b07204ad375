"""A fixture with one record of every kind that the subject-access export maps to a person: each model's row is
made generically (required fields filled by type, every foreign key pointing to the one record of its model, the
person's own foreign keys and many-to-many links to the person), so a model added later gets its row too."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone

from socius.privacy.export import finders, installed
from socius.registry.models import Household, Membership, Person

# Values a generic filler cannot guess (the record's own rules, checked by constraints).
OVERRIDES: dict[str, dict] = {
    "accounts.ChangeTrailEntry": {"table_name": "registry_person", "operation": "UPDATE", "db_user": "test"},
    "casework.Case": {"household": None},
    "payments.Commitment": {"transfer": None},
    "benefits.Decision": {"approved_by": None, "returned_by": None},
    "plans.SocialContract": {"valid_from": dt.date(2026, 1, 5), "valid_until": dt.date(2026, 7, 5)},
    "community.PotentialRecipient": {"description": "a lonely elderly man"},
}


class OneOfEach:
    def __init__(self, centre, user, person: Person):
        self.centre = centre
        self.user = user
        self.person = person
        self.made: dict[type, models.Model] = {Person: person}
        household = Household.objects.create(centre=centre, street_address="ul. Testowa 1")
        Membership.objects.create(
            household=household, person=person, relationship="head", valid_from=dt.date(2020, 1, 1)
        )
        self.made[Household] = household
        self.made[Membership] = Membership.objects.get(person=person)
        self.failures: dict[str, str] = {}

    def one(self, model: type[models.Model]) -> models.Model:
        """The one record of this model (made on first use)."""
        from socius.accounts.models import Centre, Territory, User

        if model is Centre:
            return self.centre
        if model is User:
            return self.user
        if model is Territory:
            return self.centre.territory
        if model not in self.made:
            self.made[model] = self._make(model)
        return self.made[model]

    def _value(self, f: models.Field):
        if f.name in ("person_id", "row_id") and isinstance(f, models.IntegerField):
            return self.person.pk
        if f.choices:
            return f.choices[0][0] if not isinstance(f.choices[0][1], list | tuple) else f.choices[0][1][0][0]
        if isinstance(f, models.FileField):
            return ContentFile(b"%PDF-1.4 test document", name="test.pdf")
        if isinstance(f, models.JSONField):
            return {}
        if isinstance(f, models.UUIDField):
            return uuid.uuid4()
        if isinstance(f, models.DateTimeField):
            return timezone.now()
        if isinstance(f, models.DateField):
            return dt.date(2026, 1, 5)
        if isinstance(f, models.TimeField):
            return dt.time(10, 0)
        if isinstance(f, models.DecimalField):
            return decimal.Decimal("1")
        if isinstance(f, models.BooleanField):
            return False
        if isinstance(f, models.IntegerField):
            return 1
        if isinstance(f, models.GenericIPAddressField):
            return "127.0.0.1"
        if isinstance(f, models.EmailField):
            return "a@example.org"
        if isinstance(f, models.CharField | models.TextField):
            return "x" if not f.max_length else ("test" if f.max_length >= 4 else "x")
        return None

    def _make(self, model: type[models.Model]) -> models.Model:
        kwargs = {}
        overrides = OVERRIDES.get(model._meta.label, {})
        for f in model._meta.concrete_fields:
            if f.name in overrides:
                if overrides[f.name] is not None:
                    kwargs[f.name] = overrides[f.name]
                continue
            if f.primary_key or getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                continue
            if isinstance(f, models.ForeignKey):
                if f.related_model is model:
                    continue
                kwargs[f.name] = self.one(f.related_model)
                continue
            if f.has_default() and f.name != "person_id":
                continue
            if (f.null or f.blank) and f.name not in ("person_id", "row_id"):
                continue
            value = self._value(f)
            if value is not None:
                kwargs[f.name] = value
        obj = model._base_manager.create(**kwargs)
        for m2m in model._meta.many_to_many:
            if m2m.related_model is Person:
                getattr(obj, m2m.name).add(self.person)
        return obj

    def build(self) -> dict[str, models.Model]:
        out = {}
        for label in finders():
            model = installed(label)
            if model is not None:
                try:
                    with transaction.atomic():
                        out[label] = self.one(model)
                except Exception as exc:
                    self.made.pop(model, None)
                    self.failures[label] = repr(exc)[:300]
        return out
