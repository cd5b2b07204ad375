"""Forms of subject-access requests (GDPR art. 15): shape only, the services check every value."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from socius.privacy.serializers import NOTE_MAX, REASON_MAX
from socius.privacy.statuses import Requester, SarChannel
from socius.web.widgets import LocalDateInput


class SubjectAccessRequestForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=LocalDateInput)
    requester = forms.ChoiceField(label=_("Requested by"), choices=Requester.choices, widget=forms.RadioSelect)
    representative_name = forms.CharField(
        label=_("Representative"),
        max_length=200,
        required=False,
        help_text=_("Name and capacity of the representative (e.g. legal guardian), with the authorisation seen."),
    )
    channel = forms.ChoiceField(label=_("Received by way of"), choices=SarChannel.choices)
    language = forms.ChoiceField(label=_("Language of the export"), choices=settings.LANGUAGES)
    note = forms.CharField(
        label=_("Note"), max_length=NOTE_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SubjectAccessRefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the refusal, given to the person"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
