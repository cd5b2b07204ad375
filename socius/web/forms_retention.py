"""Forms of the retention review and erasure requests (decision 0023): shape only, the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from socius.web.widgets import IsoDateInput


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ErasureRequestForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=IsoDateInput())
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How the request came (letter, in person, e-mail) and who made it."),
    )
