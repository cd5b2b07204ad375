"""Forms of the services pages (issue 11): shape only. The services of socius.services (catalogue, decisions,
waiting, copayment) have the last word on every value; their messages are put back on these fields."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from socius.accounts.models import User
from socius.common.limits import NOTES_MAX_LENGTH
from socius.registry.models import Person
from socius.services.models import Provider
from socius.services.statuses import DecisionStatus, QuantityPer, WaitingPriority, WaitingStatus, WorkerKind
from socius.web.widgets import IsoDateInput as DateInput

_TEXT = {"widget": forms.Textarea(attrs={"rows": 3}), "max_length": NOTES_MAX_LENGTH}
SEARCH_MAX_LENGTH = 100
UNITS = {"max_digits": 8, "decimal_places": 2, "min_value": Decimal("0.01")}
MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0")}
# Monday first, as the decision's usual week stores it (weekday 0-6).
WEEKDAYS = (
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.full_name


def service_choices(services, *, blank: str | None = None) -> list[tuple[str, str]]:
    """(code, label) of the pack's catalogue in the reader's language; `services` are ServiceDefinitions."""
    from django.utils.translation import get_language

    language = get_language()
    rows = [(s.code, s.label_in(language)) for s in services]
    return ([("", blank)] if blank is not None else []) + rows


def providers_of(centre_id):
    return Provider.objects.filter(centre_id=centre_id, is_active=True).order_by("name", "id")


class DecisionFilterForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=Provider.objects.none(), required=False, empty_label=_("All providers")
    )
    q = forms.CharField(label=_("Client"), required=False, max_length=SEARCH_MAX_LENGTH)

    def __init__(self, *args, services=(), centre_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = service_choices(services, blank=_("All services"))
        self.fields["status"].choices = [("", _("All statuses")), *DecisionStatus.choices]
        self.fields["provider"].queryset = Provider.objects.filter(centre_id=centre_id).order_by("name", "id")
        self.fields["q"].widget.attrs["placeholder"] = _("Name or national ID")


class CopaymentFactsForm(forms.Form):
    """The facts the co-payment is computed from (monthly income: the client's if alone, per person otherwise)."""

    income = forms.DecimalField(
        label=_("Monthly income"),
        help_text=_("The client's own income if they live alone, otherwise the income per person in the family."),
        required=False,
        **MONEY,
    )
    household_size = forms.IntegerField(label=_("Persons in the household"), min_value=1, max_value=30, required=False)
    lives_alone = forms.BooleanField(label=_("Lives alone"), required=False)

    copayment_fields = ("income", "household_size", "lives_alone")

    def clean(self):
        data = super().clean()
        income, size = data.get("income"), data.get("household_size")
        if income is not None and size is None:
            self.add_error("household_size", _("Give the number of persons with the income."))
        if size is not None and income is None and "income" not in self.errors:
            self.add_error("income", _("Give the income with the number of persons."))
        if data.get("lives_alone") and size not in (None, 1):
            self.add_error("household_size", _("A person who lives alone is a household of one."))
        return data

    def copayment_facts(self) -> dict | None:
        data = self.cleaned_data
        if data.get("income") is None:
            return None
        return {
            "income": data["income"],
            "household_size": data["household_size"],
            "lives_alone": bool(data.get("lives_alone")),
        }


class DecisionForm(CopaymentFactsForm):
    """A new decision (a draft): the client, the service, how much, the usual week, dates, who delivers, and
    optionally the facts of the co-payment."""

    person = PersonChoiceField(label=_("Client"), queryset=Person.objects.none())
    service_code = forms.ChoiceField(label=_("Service"))
    quantity = forms.DecimalField(label=_("Quantity"), **UNITS)
    per = forms.ChoiceField(label=pgettext_lazy("quantity per period", "Per"), choices=QuantityPer.choices)
    starts_on = forms.DateField(label=_("From"), widget=DateInput)
    ends_on = forms.DateField(label=_("Until"), widget=DateInput, required=False)
    provider = forms.ModelChoiceField(
        label=_("Provider"),
        queryset=Provider.objects.none(),
        required=False,
        empty_label=_("The centre's staff"),
    )
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, **_TEXT)

    main_fields = ("person", "service_code", "quantity", "per", "starts_on", "ends_on", "provider")
    other_fields = ("legal_basis", "notes")

    def __init__(self, *args, persons=None, services=(), centre_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons if persons is not None else Person.objects.none()
        self.fields["service_code"].choices = service_choices(services, blank="—")
        self.fields["provider"].queryset = providers_of(centre_id)
        for day in range(7):
            self.fields[f"day{day}_start"] = forms.TimeField(
                label=_("Start"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
            )
            self.fields[f"day{day}_units"] = forms.DecimalField(
                label=pgettext_lazy("service units", "Units"), required=False, **UNITS
            )

    def main_bound(self):
        return [self[name] for name in self.main_fields]

    def copayment_bound(self):
        return [self[name] for name in self.copayment_fields]

    def other_bound(self):
        return [self[name] for name in self.other_fields]

    def week_rows(self):
        """The usual week as rows of bound fields: (day name, start field, units field)."""
        return [(WEEKDAYS[d], self[f"day{d}_start"], self[f"day{d}_units"]) for d in range(7)]

    def clean(self):
        data = super().clean()
        for day in range(7):
            start, units = data.get(f"day{day}_start"), data.get(f"day{day}_units")
            if start is not None and units is None:
                self.add_error(f"day{day}_units", _("Give the units for this day."))
        return data

    def weekly_pattern(self) -> list[dict]:
        rows = []
        for day in range(7):
            units = self.cleaned_data.get(f"day{day}_units")
            if units is None:
                continue
            start = self.cleaned_data.get(f"day{day}_start")
            rows.append({"weekday": day, "start": start.strftime("%H:%M") if start else "", "units": str(units)})
        return rows

    def decision_data(self) -> dict:
        d = self.cleaned_data
        data = {name: d.get(name) for name in (*self.main_fields, *self.other_fields)}
        data["weekly_pattern"] = self.weekly_pattern()
        return data


class ReassessForm(CopaymentFactsForm):
    """The co-payment computed again from new facts, from a date."""

    valid_from = forms.DateField(label=_("In force from"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["income"].required = True
        self.fields["household_size"].required = True


class ReasonForm(forms.Form):
    on = forms.DateField(label=_("On"), widget=DateInput)
    reason = forms.CharField(label=_("Reason"), **_TEXT)


class DayForm(forms.Form):
    on = forms.DateField(label=_("On"), widget=DateInput)


class OfferForm(forms.Form):
    """A price (and the centre's own capacity) of a service from a date; a new price is a new row."""

    service_code = forms.ChoiceField(label=_("Service"))
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput)
    unit_cost = forms.DecimalField(label=_("Unit cost"), **MONEY)
    capacity_per_week = forms.DecimalField(
        label=_("Capacity per week (units)"),
        help_text=_("Of the centre's own staff; leave empty when it is not limited."),
        required=False,
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0"),
    )
    cost_source = forms.CharField(
        label=_("Source of the price"),
        help_text=_("E.g. the council's resolution that sets it."),
        max_length=300,
        required=False,
    )

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_code"].choices = service_choices(services)


class WaitingFilterForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = service_choices(services, blank=_("All services"))
        self.fields["status"].choices = [("", _("All statuses")), *WaitingStatus.choices]


class WaitingEntryForm(forms.Form):
    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.none())
    service_code = forms.ChoiceField(label=_("Service"))
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=WaitingPriority.choices, coerce=int, initial=WaitingPriority.NORMAL
    )
    reason = forms.CharField(label=_("Reason for the priority"), **_TEXT)
    requested_on = forms.DateField(label=_("Requested on"), widget=DateInput)

    def __init__(self, *args, persons=None, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons if persons is not None else Person.objects.none()
        self.fields["service_code"].choices = service_choices(services, blank="—")


class PriorityForm(forms.Form):
    priority = forms.TypedChoiceField(label=_("Priority"), choices=WaitingPriority.choices, coerce=int)
    reason = forms.CharField(label=_("Reason for the priority"), **_TEXT)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason for withdrawing"), **_TEXT)


class ProviderForm(forms.Form):
    """A contracted provider and, per service of the catalogue, the units it can deliver a week."""

    name = forms.CharField(label=_("Name"), max_length=200)
    contract_reference = forms.CharField(label=_("Contract"), max_length=100, required=False)
    contract_from = forms.DateField(label=_("Contract from"), widget=DateInput, required=False)
    contract_until = forms.DateField(label=_("Contract until"), widget=DateInput, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    provider_fields = ("name", "contract_reference", "contract_from", "contract_until", "is_active")

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.capacity_codes = {}
        for code, label in service_choices(services):
            name = f"capacity_{len(self.capacity_codes)}"
            self.capacity_codes[name] = code
            self.fields[name] = forms.DecimalField(
                label=label, required=False, max_digits=8, decimal_places=2, min_value=Decimal("0")
            )

    def provider_bound(self):
        return [self[name] for name in self.provider_fields]

    def capacity_bound(self):
        return [self[name] for name in self.capacity_codes]


class WorkerForm(forms.Form):
    """A carer, driver or canteen worker: the centre's (with a staff account, to record their day) or a
    provider's."""

    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Role"), choices=WorkerKind.choices)
    weekly_hours = forms.DecimalField(
        label=_("Contracted hours per week"), max_digits=5, decimal_places=2, min_value=Decimal("0.25")
    )
    service_codes = forms.MultipleChoiceField(
        label=_("Services delivered"), widget=forms.CheckboxSelectMultiple, required=False
    )
    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=Provider.objects.none(), required=False, empty_label=_("The centre's staff")
    )
    user = forms.ModelChoiceField(
        label=_("Staff account"),
        help_text=_("The account the carer logs in with to record their visits."),
        queryset=User.objects.none(),
        required=False,
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, services=(), centre_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_codes"].choices = service_choices(services)
        self.fields["provider"].queryset = providers_of(centre_id)
        self.fields["user"].queryset = User.objects.filter(centre_id=centre_id, is_active=True).order_by(
            "last_name", "first_name", "username"
        )
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username
