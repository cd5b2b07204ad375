"""Forms for households: address, the list filter, and the member rows posted by the registration page."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import Territory, TerritoryLevel
from socius.accounts.selectors import territories_for
from socius.common.limits import NOTES_MAX_LENGTH
from socius.registry.models import Relationship

# Deepest levels first: a household is usually registered in a locality or village.
_LEVEL_ORDER = [
    TerritoryLevel.LOCALITY,
    TerritoryLevel.VILLAGE,
    TerritoryLevel.ELDERSHIP,
    TerritoryLevel.COMMUNITY,
    TerritoryLevel.MUNICIPALITY,
    TerritoryLevel.DISTRICT,
]


def territory_choices(territories: list[Territory]) -> list:
    """Grouped choices by level; each label starts with the place's own name (so typing a letter
    in the select jumps to it) followed by its parents, computed without extra queries."""
    by_id = {t.pk: t for t in territories}

    def label(node: Territory) -> str:
        parents = []
        parent_id = node.parent_id
        while parent_id in by_id:
            parents.append(by_id[parent_id].name)
            parent_id = by_id[parent_id].parent_id
        return f"{node.name} ({', '.join(parents)})" if parents else node.name

    groups = []
    for level in _LEVEL_ORDER:
        options = sorted(((t.pk, label(t)) for t in territories if t.level == level), key=lambda o: o[1].lower())
        if options:
            groups.append((level.label, options))
    return groups


class TerritoryChoiceField(forms.TypedChoiceField):
    """A select of the actor's territory nodes, cleaned to a Territory instance."""

    def __init__(self, *, territories: list[Territory], **kwargs):
        self._by_id = {t.pk: t for t in territories}
        super().__init__(choices=[("", "—"), *territory_choices(territories)], coerce=int, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in ("", None):
            return None
        return self._by_id[value]


class HouseholdForm(forms.Form):
    """The household's own fields. Members come as rows (see `parse_member_rows`)."""

    street_address = forms.CharField(label=_("Street address"), max_length=200, required=False)
    external_ref = forms.CharField(
        label=_("Reference"),
        max_length=60,
        required=False,
        help_text=_("Optional: an identifier from an imported file or another system."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 1}), max_length=NOTES_MAX_LENGTH
    )
    move = forms.BooleanField(label=_("Move them from their current household"), required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        territories = list(territories_for(actor))
        self.fields = {
            "territory": TerritoryChoiceField(territories=territories, label=_("Locality")),
            **self.fields,
        }

    def household_data(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("territory", "street_address", "external_ref", "notes")}


class HouseholdFilterForm(forms.Form):
    """Filters of the household list: locality (with the places below it) and a member's name."""

    member = forms.CharField(label=_("Member's name"), required=False, max_length=100)
    locality = forms.TypedChoiceField(label=_("Locality"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        territories = list(territories_for(actor))
        self.fields["locality"].choices = [("", _("All localities")), *territory_choices(territories)]


@dataclass
class MemberRow:
    person_id: int | None
    relationship: str
    raw_person: str = ""
    error: str = ""


def relationship_choices() -> list:
    return [("", _("Choose…")), *Relationship.choices]


def parse_member_rows(data) -> tuple[list[MemberRow], list[str]]:
    """Rows posted as parallel lists `person` and `relationship` (one pair per table row, in order).

    Shape only: whether a person exists, is in the centre, or whether there is exactly one head is
    the service's business. Returns the rows (kept for re-rendering) and row-level messages.
    """
    persons = data.getlist("person")
    relationships = data.getlist("relationship")
    rows: list[MemberRow] = []
    errors: list[str] = []
    for index, raw in enumerate(persons):
        relationship = relationships[index] if index < len(relationships) else ""
        try:
            person_id = int(raw)
        except (TypeError, ValueError):
            person_id = None
        row = MemberRow(person_id=person_id, relationship=relationship, raw_person=raw)
        if person_id is None:
            row.error = str(_("No such person."))
        elif relationship not in Relationship.values:
            row.error = str(_("Choose the relationship to the head."))
        if row.error and row.error not in errors:
            errors.append(row.error)
        rows.append(row)
    return rows, errors
