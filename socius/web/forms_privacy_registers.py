"""Forms of consents, the register of processing activities and the breach log (shape only; the services check)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from socius.common.limits import NOTES_MAX_LENGTH
from socius.privacy.models_registers import BreachNature, BreachRisk
from socius.registry.models_consents import ConsentMethod, ConsentPurpose
from socius.web.widgets import IsoDateInput as DateInput
from socius.web.widgets import LocalDateTimeInput

_TEXT = {"widget": forms.Textarea(attrs={"rows": 3}), "max_length": NOTES_MAX_LENGTH}
_LONG = {"widget": forms.Textarea(attrs={"rows": 3}), "max_length": 5000}


def _moment(label, *, required=False):
    return forms.DateTimeField(label=label, required=required, widget=LocalDateTimeInput)


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    given_on = forms.DateField(label=_("Given on"), widget=DateInput)
    method = forms.ChoiceField(label=_("How"), choices=ConsentMethod.choices)
    note = forms.CharField(label=_("Note"), required=False, **_TEXT)


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DateInput)
    note = forms.CharField(label=_("Reason for withdrawal"), required=False, **_TEXT)


class ProcessingActivityForm(forms.Form):
    name = forms.CharField(label=_("Processing activity"), max_length=200)
    purpose = forms.CharField(label=_("Purposes of the processing"), **_LONG)
    legal_basis = forms.CharField(label=_("Legal basis"), **_LONG)
    data_subjects = forms.CharField(label=_("Categories of data subjects"), **_LONG)
    data_categories = forms.CharField(label=_("Categories of personal data"), **_LONG)
    recipients = forms.CharField(label=_("Categories of recipients"), required=False, **_LONG)
    transfers = forms.CharField(label=_("Transfers to third countries"), required=False, **_LONG)
    retention = forms.CharField(label=_("Time limits for erasure"), **_LONG)
    security_measures = forms.CharField(label=_("Technical and organisational security measures"), **_LONG)
    is_active = forms.BooleanField(label=_("Carried out"), required=False, initial=True)


class BreachForm(forms.Form):
    title = forms.CharField(label=_("Incident"), max_length=200)
    discovered_at = _moment(_("Discovered at"), required=True)
    occurred_at = _moment(_("Occurred at"))
    nature = forms.ChoiceField(label=_("Nature of the breach"), choices=BreachNature.choices)
    description = forms.CharField(label=_("What happened"), **_LONG)
    data_categories = forms.CharField(label=_("Categories of data concerned"), **_LONG)
    subjects_count = forms.IntegerField(label=_("Approximate number of persons concerned"), min_value=0)
    records_count = forms.IntegerField(label=_("Approximate number of records concerned"), min_value=0, required=False)
    consequences = forms.CharField(label=_("Likely consequences"), **_LONG)
    measures = forms.CharField(label=_("Measures taken or proposed"), **_LONG)
    risk = forms.ChoiceField(label=_("Risk"), choices=BreachRisk.choices)
    notified_at = _moment(_("Notified to the authority at"))
    notification_reference = forms.CharField(label=_("Notification reference"), max_length=100, required=False)
    delay_reason = forms.CharField(
        label=_("Reasons for the delay"),
        required=False,
        help_text=_("Required when the notification is late."),
        **_LONG,
    )
    not_notified_reason = forms.CharField(label=_("Why the authority was not notified"), required=False, **_LONG)
    persons_informed_at = _moment(_("Persons informed at"))
    persons_informed_how = forms.CharField(label=_("How the persons were informed"), required=False, **_LONG)
