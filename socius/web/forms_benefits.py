"""Forms of the benefit pages: the calculator's benefit, month and request, and the household table.

The benefits a form offers, their request inputs (need, purpose, heating cost, area …) and member flags
come from the packs of the user's centre's jurisdiction, labelled in the reader's language; the facts
these forms build go to the rulebook's `evaluate` unchanged.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.urls import reverse
from django.utils import dates, timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from socius.rulebook import get_jurisdiction
from socius.rulebook.engine.benefits import BenefitDefinition, Facts, Input, Member
from socius.web.widgets import LocalDateInput

MAX_MEMBERS = 30
MAX_AMOUNT = Decimal("99999999.99")
ZERO = Decimal("0")

# The roles the engine knows (engine.benefits.Member.role), in the order a household is listed.
ROLE_CHOICES = [
    ("applicant", _("Applicant")),
    ("spouse", _("Spouse")),
    ("partner", _("Partner")),
    ("child", _("Child")),
    ("parent", _("Parent")),
    ("other", _("Other member")),
]


def benefits_for(jurisdiction: str) -> tuple[BenefitDefinition, ...]:
    """The benefits of a jurisdiction's pack (ordered by code)."""
    return get_jurisdiction(jurisdiction).benefits()


def benefit_choices(jurisdiction: str, language: str | None = None, on: dt.date | None = None) -> list[tuple[str, str]]:
    """The benefits to choose from: on a day, only those the law had not repealed by then (a repealed one
    appears for the months it was in force)."""
    language = language or get_language()
    return [
        (d.code, d.label_in(language)) for d in benefits_for(jurisdiction) if on is None or not d.is_repealed_on(on)
    ]


def amount_field(label, *, required: bool = False, help_text="") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=ZERO,
        max_value=MAX_AMOUNT,
        max_digits=10,
        decimal_places=2,
        localize=True,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": "10", "class": "amount-input"}),
    )


def input_field(item: Input, language: str | None, currency: str) -> forms.Field:
    """The form field of one declared request input, labelled in the reader's language."""
    label = item.label_in(language)
    if item.kind == "amount":
        return amount_field(label, required=item.required, help_text=currency)
    if item.kind == "number":
        field = amount_field(label, required=item.required, help_text=item.unit)
        field.decimal_places = 4
        return field
    if item.kind == "flag":
        return forms.BooleanField(label=label, required=False)
    if item.kind == "choice":
        options = [(code, option.label_in(language)) for code, option in item.options.items()]
        return forms.ChoiceField(label=label, required=item.required, choices=[("", "—"), *options])
    return forms.CharField(label=label, required=item.required, max_length=200)


class RequestForm(forms.Form):
    """The benefit, the month and what the request states (the benefit's declared inputs, `in_<code>`)."""

    benefit = forms.ChoiceField(label=_("Benefit"))
    month = forms.TypedChoiceField(label=_("Month"), coerce=int)
    year = forms.IntegerField(
        label=_("Year"), min_value=2000, max_value=2100, widget=forms.NumberInput(attrs={"size": "5", "class": "year"})
    )
    income_lost = forms.BooleanField(
        label=_("The household lost an income: count the application month"), required=False
    )

    def __init__(self, *args, jurisdiction: str, currency: str, benefit: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        language = get_language()
        on = self._chosen_month()
        self.fields["benefit"].choices = benefit_choices(jurisdiction, language, on)
        offered = {code for code, _label in self.fields["benefit"].choices}
        self.definitions = {d.code: d for d in benefits_for(jurisdiction) if d.code in offered}
        self.fields["month"].choices = [(number, name) for number, name in dates.MONTHS.items()]
        # Choosing another month redraws the form, so the benefits offered are those of that month.
        for name in ("month", "year"):
            self.fields[name].widget.attrs.update(
                {
                    "hx-post": reverse("web:benefit_calculator"),
                    "hx-trigger": "change",
                    "hx-vals": '{"action": "refresh"}',
                }
            )
        posted = self.data.get(self.add_prefix("benefit")) if self.is_bound else self.initial.get("benefit")
        chosen = benefit or posted
        self.definition = self.definitions.get(chosen) or next(iter(self.definitions.values()), None)
        self.input_names = []
        if self.definition is not None:
            for code, item in self.definition.inputs.items():
                self.fields[f"in_{code}"] = input_field(item, language, currency)
                self.input_names.append(f"in_{code}")

    def _chosen_month(self) -> dt.date | None:
        source = self.data if self.is_bound else self.initial
        try:
            return dt.date(int(source.get(self.add_prefix("year"))), int(source.get(self.add_prefix("month"))), 1)
        except (TypeError, ValueError):
            return None

    @property
    def member_flag_labels(self) -> list[str]:
        language = get_language()
        flags = self.definition.member_flags if self.definition else {}
        return [label.label_in(language) for label in flags.values()]

    @property
    def input_fields(self):
        return [self[name] for name in self.input_names]

    def period(self) -> dt.date:
        return dt.date(self.cleaned_data["year"], self.cleaned_data["month"], 1)

    def request_facts(self) -> dict:
        """The request's part of the facts: amounts, flags and purpose, from the declared inputs."""
        amounts, flags, purpose = [], set(), ""
        for code, item in (self.definition.inputs if self.definition else {}).items():
            value = self.cleaned_data.get(f"in_{code}")
            if value in (None, "", False):
                continue
            if item.kind in ("amount", "number"):
                amounts.append((code, value))
            elif item.kind == "flag":
                flags.add(code)
            elif code == "purpose":
                purpose = value
            elif item.kind == "choice":
                flags.add(f"{code}:{value}")
        return {
            "amounts": tuple(sorted(amounts)),
            "flags": frozenset(flags),
            "purpose": purpose,
            "income_lost": bool(self.cleaned_data.get("income_lost")),
            "application_on": self.period(),  # a what-if: the application made on the month's first day
        }


class MemberForm(forms.Form):
    """One row of the household table: a member as the law counts them for the month."""

    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=LocalDateInput)
    income = amount_field(_("Monthly net income"))
    unable_to_work = forms.BooleanField(label=_("Unable to work"), required=False)
    unemployed = forms.BooleanField(label=_("Unemployed"), required=False)
    disabled = forms.BooleanField(label=pgettext_lazy("person", "Disabled"), required=False)
    months_received = forms.IntegerField(
        label=_("Months already received"),
        min_value=0,
        max_value=600,
        required=False,
        widget=forms.NumberInput(attrs={"size": "3", "class": "small-number"}),
    )

    def __init__(self, *args, member_flags=None, **kwargs):
        super().__init__(*args, **kwargs)
        language = get_language()
        self.flag_names = []
        for code, label in (member_flags or {}).items():
            self.fields[f"flag_{code}"] = forms.BooleanField(label=label.label_in(language), required=False)
            self.flag_names.append(f"flag_{code}")

    @property
    def checked_flags(self) -> list[str]:
        """The pack's member flags ticked (as posted, or as drawn again), to draw their list open."""
        return [name for name in self.flag_names if self[name].value()]

    def clean_birth_date(self):
        born = self.cleaned_data.get("birth_date")
        if born and born > timezone.localdate():
            raise forms.ValidationError(_("A birth date cannot be in the future."))
        return born

    def member(self) -> Member:
        data = self.cleaned_data
        return Member(
            role=data["role"],
            birth_date=data.get("birth_date"),
            income=data.get("income") or ZERO,
            unable_to_work=data.get("unable_to_work", False),
            unemployed=data.get("unemployed", False),
            disabled=data.get("disabled", False),
            benefit_months_received=data.get("months_received") or 0,
            flags=frozenset(name.removeprefix("flag_") for name in self.flag_names if data.get(name)),
        )


class BaseMemberFormSet(forms.BaseFormSet):
    def __init__(self, *args, member_flags=None, **kwargs):
        self.member_flags = member_flags or {}
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "member_flags": self.member_flags}

    def clean(self):
        if any(self.errors):
            return
        applicants = sum(1 for form in self.forms if form.cleaned_data.get("role") == "applicant")
        if applicants != 1:
            raise forms.ValidationError(_("Exactly one member is the applicant."))


MemberFormSet = forms.formset_factory(
    MemberForm,
    formset=BaseMemberFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=MAX_MEMBERS,
    validate_max=True,
    absolute_max=MAX_MEMBERS,
)

MEMBER_FIELDS = ("role", "birth_date", "income", "unable_to_work", "unemployed", "disabled", "months_received")


def facts_of(request_form: RequestForm, members: BaseMemberFormSet) -> Facts:
    """The facts of a valid request form and household table."""
    return Facts(
        period=request_form.period(),
        members=tuple(form.member() for form in members.forms),
        **request_form.request_facts(),
    )
