"""Forms for partners and referrals: shape only; the services have the last word on every value."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from socius.accounts.models import User
from socius.casework.models import Partner, PartnerKind, ReferralDirection
from socius.casework.selectors_referrals import list_partners_for
from socius.common.limits import NOTES_MAX_LENGTH
from socius.web.widgets import LocalDateInput

ALL = "all"


def _date_input():
    return LocalDateInput()


class PartnerFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", pgettext_lazy("partner", "Active")),
            ("inactive", pgettext_lazy("partner", "Inactive")),
            (ALL, _("All")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *PartnerKind.choices]

    def selector_filters(self) -> dict:
        if not self.is_valid():
            return {}
        status = self.cleaned_data["status"]
        active = {"": True, "inactive": False, ALL: None}[status]
        return {"kind": self.cleaned_data["kind"] or None, "active": active}


class PartnerForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("institution", "Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Choose…")), *PartnerKind.choices])
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    contact_person = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=NOTES_MAX_LENGTH
    )
    is_active = forms.BooleanField(label=pgettext_lazy("partner", "Active"), required=False, initial=True)

    def __init__(self, data=None, *args, partner: Partner | None = None, **kwargs):
        if partner is not None and "initial" not in kwargs:
            kwargs["initial"] = {f: getattr(partner, f) for f in Partner.AUDITED_FIELDS}
        super().__init__(data, *args, **kwargs)
        self.fields["name"].error_messages["required"] = _("Enter the institution's name.")
        self.fields["kind"].error_messages["required"] = _("Choose the kind of institution.")


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Partner) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class ReferralForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Direction"), choices=ReferralDirection.choices, initial=ReferralDirection.OUTGOING
    )
    partner = PartnerChoiceField(
        label=_("Partner institution"), queryset=Partner.objects.none(), empty_label=_("Choose…")
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=NOTES_MAX_LENGTH)
    documents = forms.CharField(
        label=_("Documents"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One document a line."),
        max_length=NOTES_MAX_LENGTH,
    )
    sent_on = forms.DateField(label=_("Sent on"), required=False, widget=_date_input())
    response_due_on = forms.DateField(
        label=_("Response due on"),
        required=False,
        widget=_date_input(),
        help_text=_("14 days after sending when left empty."),
    )

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = list_partners_for(actor)
        self.fields["partner"].error_messages["required"] = _("Choose an active partner institution of your centre.")
        self.fields["partner"].error_messages["invalid_choice"] = _(
            "Choose an active partner institution of your centre."
        )
        self.fields["reason"].error_messages["required"] = _("Say why the referral is made.")

    def referral_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["partner"] = data["partner"].pk
        return data


class ReferralOutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=NOTES_MAX_LENGTH
    )
    on = forms.DateField(label=_("Date"), required=False, widget=_date_input())
