"""Forms of the payment pages: shape only (the payments services validate and decide).

Months are chosen from a short list written in the reader's language; amounts are typed as the language
writes them (localized DecimalFields, never floats); dates use the shared local date input.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from socius.payments.statuses import FundKind, PaymentChannel
from socius.rulebook.engine.jurisdiction import benefit_definitions
from socius.web.widgets import LocalDateInput

MAX_AMOUNT = Decimal("999999999999.99")
MONTHS_BACK = 3
# An IBAN has at most 34 characters; typed in groups of four it has up to 8 spaces more (the services compact it).
IBAN_TYPED = 42
MONTHS_AHEAD = 2


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_label(month: dt.date) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def month_choices(today: dt.date | None = None) -> list[tuple[str, str]]:
    """This month first, then the next ones and the previous ones: what finance prepares runs for."""
    this = month_start(today or timezone.localdate())
    months = [this] + [add_months(this, n) for n in range(1, MONTHS_AHEAD + 1)]
    months += [add_months(this, -n) for n in range(1, MONTHS_BACK + 1)]
    return [(m.isoformat(), month_label(m)) for m in months]


class MonthField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(coerce=dt.date.fromisoformat, choices=month_choices, **kwargs)


def _amount(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=14, decimal_places=2, localize=True, max_value=MAX_AMOUNT, **kwargs
    )


class PrepareRunForm(forms.Form):
    month = MonthField(label=_("Month"))
    extra = forms.BooleanField(
        label=_("Extra run"),
        required=False,
        help_text=_("For corrections and reissues of returned payments after the month's run was approved."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.TextInput(attrs={"size": 40}))


class PaymentSearchForm(forms.Form):
    q = forms.CharField(label=_("Search payments"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Every status")), *statuses]


class FundForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=FundKind.choices)
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3)
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=LocalDateInput)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=LocalDateInput)
    debtor_name = forms.CharField(label=_("Account holder"), max_length=140, required=False)
    debtor_iban = forms.CharField(label=_("Account IBAN"), max_length=IBAN_TYPED, required=False)
    debtor_bic = forms.CharField(label=_("BIC"), max_length=11, required=False)

    def clean_currency(self):
        return self.cleaned_data["currency"].upper()


class AllocationForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=14,
        decimal_places=2,
        localize=True,
        help_text=_("The year's first row is its allocation, each later row an amendment (it may be negative)."),
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=LocalDateInput)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class BenefitFundForm(forms.Form):
    benefit = forms.ChoiceField(label=_("Benefit"))
    fund = forms.TypedChoiceField(label=_("Fund"), coerce=int)

    def __init__(self, *args, jurisdiction: str, language: str, funds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["benefit"].choices = benefit_choices(jurisdiction, language)
        self.fields["fund"].choices = [(f.pk, f"{f.name} ({f.currency})") for f in funds]


def benefit_choices(jurisdiction: str, language: str) -> list[tuple[str, str]]:
    return [(d.code, d.label_in(language)) for d in benefit_definitions() if d.country == jurisdiction]


class TransferForm(forms.Form):
    fund = forms.TypedChoiceField(label=_("Fund"), coerce=int)
    payee_name = forms.CharField(label=_("Payee"), max_length=140)
    purpose = forms.CharField(label=_("Purpose"), max_length=140)
    channel = forms.ChoiceField(label=_("Payment channel"), choices=PaymentChannel.choices)
    iban = forms.CharField(label=_("IBAN"), max_length=IBAN_TYPED, required=False)
    amount = _amount(_("Monthly amount"), min_value=Decimal("0.01"))
    month_from = MonthField(label=_("From month"))
    month_to = forms.TypedChoiceField(
        label=_("To month"),
        required=False,
        coerce=dt.date.fromisoformat,
        empty_value=None,
        help_text=_("Leave empty for a single payment."),
    )

    def __init__(self, *args, funds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].choices = [(f.pk, f"{f.name} ({f.currency})") for f in funds]
        this = month_start(timezone.localdate())
        months = [add_months(this, n) for n in range(0, 13)]
        self.fields["month_to"].choices = [("", _("Once")), *[(m.isoformat(), month_label(m)) for m in months]]


class ReissueForm(forms.Form):
    channel = forms.ChoiceField(label=_("Payment channel"), choices=PaymentChannel.choices)
    iban = forms.CharField(label=_("Corrected IBAN"), max_length=IBAN_TYPED, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class StatementForm(forms.Form):
    file = forms.FileField(label=_("Bank statement (camt.053 XML or CSV)"))


class ApproverForm(forms.Form):
    user = forms.TypedChoiceField(label=_("Staff member"), coerce=int)

    def __init__(self, *args, users=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [
            (u.pk, f"{u.get_full_name() or u.username} ({u.get_role_display()})") for u in users
        ]


class PaymentDetailsForm(forms.Form):
    """How a person is paid from now on: applies to every run not yet approved."""

    channel = forms.ChoiceField(label=_("Payment channel"), choices=PaymentChannel.choices)
    iban = forms.CharField(
        label=_("IBAN"),
        max_length=IBAN_TYPED,
        required=False,
        help_text=_("Needed for a bank transfer; checked against its country's format and check digits."),
    )
    holder_name = forms.CharField(label=_("Account holder"), max_length=140, required=False)
    decision = forms.TypedChoiceField(
        label=_("For"), coerce=int, required=False, empty_value=None, choices=(("", _("Every decision")),)
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args, decisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [("", _("Every decision of the person"))] + [
            (d.pk, f"{d.reference or d.pk} · {d.benefit_label}") for d in decisions
        ]
