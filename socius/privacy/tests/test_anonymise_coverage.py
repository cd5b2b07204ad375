"""Every model that refers to a person, a household, a case or a contact has a decision in the anonymiser: its
fields to clear (CLEARED) or the reason it holds nothing to clear (NOT_CLEARED). A new model without one fails."""

from __future__ import annotations

from django.apps import apps
from django.db import models

from socius.privacy.anonymise import CLEARED, EVENT_TABLES, NOT_CLEARED

TARGETS = ("registry.Person", "registry.Household", "casework.Case", "casework.Contact")


def test_every_model_about_a_person_is_cleared_or_says_why_not():
    targets = {apps.get_model(label) for label in TARGETS}
    cleared = {c.model for c in CLEARED} | set(EVENT_TABLES)
    undecided = []
    for model in apps.get_models(include_auto_created=True):
        if model in targets or model._meta.app_label == "privacy":
            continue
        refers = any(
            isinstance(f, models.ForeignKey) and f.related_model in targets for f in model._meta.concrete_fields
        )
        if refers and model._meta.label not in cleared | set(NOT_CLEARED):
            undecided.append(model._meta.label)
    assert undecided == []


def test_every_entry_names_a_real_model_field_and_path():
    labels = {m._meta.label for m in apps.get_models(include_auto_created=True)}
    assert set(NOT_CLEARED) | set(EVENT_TABLES) <= labels
    for clear in CLEARED:
        model = apps.get_model(clear.model)
        for name in clear.fields:
            field = model._meta.get_field(name)
            assert isinstance(field, models.CharField | models.TextField | models.JSONField | models.FileField)
        assert clear.scope in ("person", "household", "case", "contact")
        assert str(model.objects.filter(**{f"{clear.path}__in": [1]}).query)
