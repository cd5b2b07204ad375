"""Forms of the benefit pages added for issue 8's gaps: a contract breach turned into a proposal (on the
case page), and a change in a household's income reported on a grant (on the decision page)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from socius.benefits.models import IncomeKind
from socius.common.formatting import format_money
from socius.common.limits import NOTES_MAX_LENGTH
from socius.plans.models import Consequence
from socius.web.forms_benefits import amount_field
from socius.web.widgets import LocalDateInput


class BreachProposalForm(forms.Form):
    """What the proposal a flag asks for needs besides the flag: the grant (or open application) it acts on
    when the case has more than one, the month of a change, the reduced amount, a justification added to
    the contract's citation."""

    decision = forms.TypedChoiceField(label=_("Grant"), coerce=int, required=False, empty_value=None)
    application = forms.TypedChoiceField(label=_("Application"), coerce=int, required=False, empty_value=None)
    from_month = forms.DateField(
        label=_("From month"), widget=LocalDateInput, required=False, help_text=_("Any day of the month.")
    )
    amount = amount_field(_("Reduced amount"))
    justification = forms.CharField(
        label=_("Justification"),
        max_length=NOTES_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Added to the citation of the contract."),
    )

    def __init__(self, *args, flag, grants=(), applications=(), **kwargs):
        super().__init__(*args, **kwargs)
        consequence = flag.consequence
        self.fields["decision"].choices = [("", "—")] + [
            (g.pk, f"{g.reference or g.pk} · {g.benefit_label} · {format_money(g.amount, g.currency)}") for g in grants
        ]
        self.fields["application"].choices = [("", "—")] + [
            (a.pk, f"{a.benefit_label} · {a.applied_on.isoformat()}") for a in applications
        ]
        if consequence != Consequence.REFUSE_CASH_AID or not applications:
            del self.fields["application"]
        if not grants:
            del self.fields["decision"]
            del self.fields["from_month"]
        if consequence != Consequence.REDUCE_CASH_AID:
            del self.fields["amount"]
        else:
            self.fields["amount"].required = True

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class IncomeChangeForm(forms.Form):
    """The household's incomes of the month of a change, one row a member (empty: no income that month)."""

    month = forms.DateField(
        label=_("Month of the new income"),
        widget=LocalDateInput,
        help_text=_("Any day of the month. The amendment applies from the month after it."),
    )
    justification = forms.CharField(
        label=_("Justification"),
        max_length=NOTES_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Empty: written from the calculation."),
    )

    def __init__(self, *args, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.persons = list(persons)
        for person in self.persons:
            self.fields[f"kind_{person.pk}"] = forms.ChoiceField(
                label=_("Kind of income: %(name)s") % {"name": person.full_name},
                choices=IncomeKind.choices,
                initial=IncomeKind.EMPLOYMENT,
                required=False,
            )
            self.fields[f"amount_{person.pk}"] = amount_field(
                _("Monthly net income: %(name)s") % {"name": person.full_name}
            )

    @property
    def rows(self):
        return [(p, self[f"kind_{p.pk}"], self[f"amount_{p.pk}"]) for p in self.persons]

    def clean(self):
        data = super().clean()
        if self.persons and not any(data.get(f"amount_{p.pk}") is not None for p in self.persons):
            raise forms.ValidationError(_("Enter the new income of at least one member (0 for none)."))
        for p in self.persons:
            if data.get(f"amount_{p.pk}") is not None and not data.get(f"kind_{p.pk}"):
                self.add_error(f"kind_{p.pk}", _("Choose the kind of income."))
        return data

    def service_data(self) -> dict:
        data = self.cleaned_data
        incomes = [
            {
                "person": p.pk,
                "month": data["month"],
                "kind": data[f"kind_{p.pk}"],
                "amount": str(data[f"amount_{p.pk}"]),
            }
            for p in self.persons
            if data.get(f"amount_{p.pk}") is not None
        ]
        out = {"incomes": incomes}
        if data.get("justification"):
            out["justification"] = data["justification"]
        return out
