"""Form shapes for the UI. Only shape and parsing here: the rules live in the services."""

from __future__ import annotations

import re

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import Territory, User
from socius.accounts.selectors import territories_for
from socius.common.limits import NOTES_MAX_LENGTH
from socius.registry.models import DisabilityDegree, Education, EmploymentStatus, Person, Sex
from socius.rulebook import get_jurisdiction
from socius.web.widgets import LocalDateInput

BLANK = [("", "—")]

# Countries offered as suggestions for citizenship; any ISO 3166-1 alpha-2 code is accepted.
CITIZENSHIP_SUGGESTIONS = [
    ("PL", _("Poland")),
    ("MD", _("Moldova")),
    ("LT", _("Lithuania")),
    ("RO", _("Romania")),
    ("UA", _("Ukraine")),
    ("BY", _("Belarus")),
    ("RU", _("Russia")),
    ("DE", _("Germany")),
]

_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")


class TerritoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Territory) -> str:
        parent = obj.parent
        return f"{obj.name} ({parent.name})" if parent else obj.name


class PersonForm(forms.Form):
    """A person's registration and edit form; `services.register_person`/`update_person` do the checks."""

    # Fields whose change triggers inline validation (/persons/validate/).
    LIVE_FIELDS = ("first_name", "last_name", "birth_date", "sex", "national_id")

    first_name = forms.CharField(label=_("Given names"), max_length=100)
    last_name = forms.CharField(label=_("Family name"), max_length=100)
    birth_date = forms.DateField(
        label=_("Birth date"),
        required=False,
        widget=LocalDateInput,
    )
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", _("Unknown")), *Sex.choices])
    national_id = forms.CharField(label=_("National ID"), max_length=20, required=False)
    citizenship = forms.CharField(
        label=_("Citizenship"),
        max_length=2,
        required=False,
        help_text=_("Two-letter country code, e.g. PL, MD, LT."),
        widget=forms.TextInput(attrs={"list": "citizenship-options", "size": 4, "autocapitalize": "characters"}),
    )
    territory = TerritoryChoiceField(
        label=_("Locality"), queryset=Territory.objects.none(), required=False, empty_label="—"
    )
    street_address = forms.CharField(label=_("Street address"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("Phone"), max_length=40, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    education = forms.ChoiceField(label=_("Education"), required=False, choices=BLANK + Education.choices)
    employment_status = forms.ChoiceField(
        label=_("Employment status"), required=False, choices=BLANK + EmploymentStatus.choices
    )
    disability_degree = forms.ChoiceField(
        label=_("Disability degree"), required=False, choices=BLANK + DisabilityDegree.choices
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=NOTES_MAX_LENGTH
    )
    confirm_different = forms.BooleanField(
        label=_("This is a different person"),
        required=False,
        help_text=_("Tick after checking the persons listed above, then save again."),
    )

    def __init__(self, *args, actor: User, person: Person | None = None, **kwargs):
        self.actor = actor
        self.person = person
        if person is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_from_person(person)
        super().__init__(*args, **kwargs)
        jurisdiction = get_jurisdiction(actor.centre.jurisdiction)
        national_id = self.fields["national_id"]
        # The statutory name (PESEL, IDNP, asmens kodas) is the label people know.
        national_id.label = capfirst(jurisdiction.national_id_name)
        national_id.help_text = _("%(length)s digits; leave empty if the person has none.") % {
            "length": jurisdiction.national_id_length
        }
        national_id.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["territory"].queryset = territories_for(actor).select_related("parent").order_by("name", "id")
        self.fields["first_name"].widget.attrs["autocomplete"] = "off"
        self.fields["last_name"].widget.attrs["autocomplete"] = "off"
        for name, field in self.fields.items():
            # Errors appear in `<id>-errors`, which inline validation refills; keep it described always.
            auto_id = self[name].auto_id
            described = [f"{auto_id}-errors"]
            if field.help_text:
                described.append(f"{auto_id}_helptext")
            field.widget.attrs["aria-describedby"] = " ".join(described)

    def clean_citizenship(self) -> str:
        value = (self.cleaned_data.get("citizenship") or "").strip().upper()
        if value and not _COUNTRY_CODE.match(value):
            raise forms.ValidationError(_("Enter a two-letter country code, e.g. PL."))
        return value

    def clean_national_id(self) -> str:
        return (self.cleaned_data.get("national_id") or "").strip()

    def person_data(self) -> dict:
        """The cleaned values the registry services take (Person field names)."""
        data = {name: self.cleaned_data.get(name) for name in Person.AUDITED_FIELDS if name in self.fields}
        for name, value in data.items():
            if value is None and name not in ("birth_date", "territory"):
                data[name] = ""
        return data

    def live_fields(self):
        return [self[name] for name in self.LIVE_FIELDS]


def initial_from_person(person: Person) -> dict:
    initial = {name: getattr(person, name) for name in Person.AUDITED_FIELDS if name != "territory"}
    initial["territory"] = person.territory_id
    return initial


class PersonFilterForm(forms.Form):
    """The person list's filters (GET)."""

    SEX_UNKNOWN = "unknown"

    q = forms.CharField(label=_("Name, ID, phone or address"), required=False)
    sex = forms.ChoiceField(
        label=_("Sex"),
        required=False,
        choices=[("", _("Any")), *Sex.choices, (SEX_UNKNOWN, _("Unknown"))],
    )
    territory = TerritoryChoiceField(
        label=_("Locality"), queryset=Territory.objects.none(), required=False, empty_label=_("Any")
    )

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = territories_for(actor).select_related("parent").order_by("name", "id")


class MoveOutForm(forms.Form):
    on = forms.DateField(
        label=_("Moved out on"),
        widget=LocalDateInput,
    )
