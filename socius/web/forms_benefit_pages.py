"""Forms of the application, the income table, the proposal and the decision's actions. Shape only: the
benefits services check every value again and their messages are put back on these fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from socius.benefits.models import IncomeKind
from socius.benefits.services import documents_for
from socius.benefits.statuses import PaymentMethod
from socius.common.limits import NOTES_MAX_LENGTH
from socius.rulebook.engine.benefits import BenefitDefinition
from socius.web.forms_benefits import amount_field, input_field
from socius.web.widgets import LocalDateInput

MAX_INCOME_ROWS = 60


class ApplicationForm(forms.Form):
    """An application for one benefit (chosen before): dates, applicant, the benefit's declared inputs
    (`in_<code>`) and the documents received."""

    applied_on = forms.DateField(label=_("Applied on"), widget=LocalDateInput)
    ex_officio = forms.BooleanField(label=_("Ex officio (without the client's application)"), required=False)
    period_from = forms.DateField(
        label=_("First month"), widget=LocalDateInput, required=False, help_text=_("Any day of the month.")
    )
    period_to = forms.DateField(
        label=_("Last month"),
        widget=LocalDateInput,
        required=False,
        help_text=_("Empty: open-ended, or one-off aid."),
    )
    applicant = forms.TypedChoiceField(label=_("Applicant"), coerce=int)
    income_lost = forms.BooleanField(
        label=_("The household lost an income: count the application month"), required=False
    )
    documents = forms.MultipleChoiceField(
        label=_("Documents received"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, definition: BenefitDefinition, currency: str, persons, **kwargs):
        super().__init__(*args, **kwargs)
        language = get_language()
        self.definition = definition
        self.fields["applicant"].choices = [(p.pk, p.full_name) for p in persons]
        self.document_list = documents_for(definition.code)
        self.fields["documents"].choices = [
            (d.code, d.label_in(language) + ("" if d.required else f" ({_('optional')})")) for d in self.document_list
        ]
        self.input_names = []
        for code, item in definition.inputs.items():
            self.fields[f"in_{code}"] = input_field(item, language, currency)
            self.input_names.append(f"in_{code}")

    @property
    def input_fields(self):
        return [self[name] for name in self.input_names]

    def service_data(self) -> dict:
        data = self.cleaned_data
        amounts, flags, purpose, need = {}, [], "", None
        for code, item in self.definition.inputs.items():
            value = data.get(f"in_{code}")
            if value in (None, "", False):
                continue
            if code == "need" and item.kind == "amount":
                need = str(value)
            elif item.kind in ("amount", "number"):
                amounts[code] = str(value)
            elif item.kind == "flag":
                flags.append(code)
            elif code == "purpose":
                purpose = value
            elif item.kind == "choice":
                flags.append(f"{code}:{value}")
        received = set(data.get("documents") or ())
        return {
            "benefit": self.definition.code,
            "applied_on": data["applied_on"],
            "ex_officio": data.get("ex_officio", False),
            "period_from": data.get("period_from"),
            "period_to": data.get("period_to"),
            "applicant": data["applicant"],
            "purpose": purpose,
            "need_amount": need,
            "amounts": amounts,
            "income_lost": data.get("income_lost", False),
            "flags": flags,
            "documents": {d.code: d.code in received for d in self.document_list},
        }


class IncomeForm(forms.Form):
    """One row of the income declaration: a member's income of one kind in one month."""

    person = forms.TypedChoiceField(label=_("Member"), coerce=int)
    month = forms.DateField(label=_("Month"), widget=LocalDateInput, help_text=_("Any day of the month."))
    kind = forms.ChoiceField(label=_("Kind of income"), choices=IncomeKind.choices)
    amount = amount_field(_("Net amount"))
    deductions = amount_field(_("Deductions"))
    one_off = forms.BooleanField(label=_("One-off"), required=False)

    def __init__(self, *args, persons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, p.full_name) for p in persons]

    def is_empty(self) -> bool:
        return self.cleaned_data.get("amount") is None

    def service_row(self) -> dict:
        data = self.cleaned_data
        return {
            "person": data["person"],
            "month": data["month"],
            "kind": data["kind"],
            "amount": str(data["amount"]),
            "deductions": str(data.get("deductions") or "0"),
            "one_off": data.get("one_off", False),
            "covers_months": 1,
        }


class BaseIncomeFormSet(forms.BaseFormSet):
    def __init__(self, *args, persons=(), **kwargs):
        self.persons = persons
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "persons": self.persons}

    def service_rows(self) -> list[dict]:
        return [form.service_row() for form in self.forms if not form.is_empty()]


IncomeFormSet = forms.formset_factory(
    IncomeForm,
    formset=BaseIncomeFormSet,
    extra=0,
    max_num=MAX_INCOME_ROWS,
    validate_max=True,
    absolute_max=MAX_INCOME_ROWS,
)
INCOME_FIELDS = ("person", "month", "kind", "amount", "deductions", "one_off")


class ProposalForm(forms.Form):
    """What the worker adds to the computed outcome: the amount within the law's range, payment, a note."""

    amount = amount_field(_("Amount"))
    payment_method = forms.ChoiceField(label=_("Payment method"), choices=PaymentMethod.choices)
    iban = forms.CharField(label=_("Bank account (IBAN)"), max_length=42, required=False)
    justification = forms.CharField(
        label=_("Justification"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Empty: written from the calculation in plain words."),
    )

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "amount": None if data.get("amount") is None else str(data["amount"]),
            "payment_method": data["payment_method"],
            "iban": data.get("iban", ""),
            "justification": data.get("justification", ""),
        }


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the author"), max_length=NOTES_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class ChangeForm(forms.Form):
    """A proposal to suspend, resume, revoke or end a grant from a month, with its justification."""

    from_month = forms.DateField(label=_("From month"), widget=LocalDateInput, help_text=_("Any day of the month."))
    justification = forms.CharField(
        label=_("Justification"), max_length=NOTES_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )

    def service_data(self) -> dict:
        return {"from_month": self.cleaned_data["from_month"], "justification": self.cleaned_data["justification"]}


class AmendForm(ChangeForm):
    amount = amount_field(_("New amount"), help_text=_("Empty: as computed again."))
    payment_method = forms.ChoiceField(
        label=_("Payment method"), choices=[("", "—"), *PaymentMethod.choices], required=False
    )
    iban = forms.CharField(label=_("Bank account (IBAN)"), max_length=42, required=False)

    def service_data(self) -> dict:
        data = {**super().service_data()}
        for key in ("amount", "payment_method", "iban"):
            value = self.cleaned_data.get(key)
            if value not in (None, ""):
                data[key] = str(value)
        return data
