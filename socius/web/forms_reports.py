"""Forms of the report pages (issue 12): choosing a report (kind, month, territory), the narrative block and the
reason for a new version. The services check again; these forms only give the reader field-named messages."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import User
from socius.common.errors import ValidationFailed
from socius.common.limits import NOTES_MAX_LENGTH
from socius.reporting.periods import month_period, parse_period
from socius.reporting.statuses import ReportKind
from socius.web.forms_community import territory_field

NARRATIVE_MAX_LENGTH = 20_000  # a few pages: the narrative page of the printed report


def previous_month_key(today=None) -> str:
    """The month before the current one in the centre's time (the report one usually writes)."""
    today = today or timezone.localdate()
    year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    return month_period(year, month).key


class ReportChoiceForm(forms.Form):
    """Which report to open: the monthly activity report of a month, for the whole centre or one territory."""

    kind = forms.ChoiceField(
        label=_("Report"),
        choices=[(ReportKind.MONTHLY_ACTIVITY.value, ReportKind.MONTHLY_ACTIVITY.label)],
        initial=ReportKind.MONTHLY_ACTIVITY.value,
        required=False,
    )
    month = forms.CharField(
        label=_("Month"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-10", "pattern": r"\d{4}-\d{2}"}),
        help_text=_("Year and month, e.g. 2026-10."),
    )

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].initial = previous_month_key()
        self.fields["territory"] = territory_field(
            actor, label=_("Territory"), required=False, empty_label=_("Whole centre")
        )

    def clean_month(self) -> str:
        try:
            return parse_period(self.cleaned_data["month"], field="month", kinds=("month",)).key
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.errors["month"]) from None


class NarrativeForm(forms.Form):
    text = forms.CharField(
        label=_("Narrative"),
        max_length=NARRATIVE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the figures mean: the month's work, its difficulties and what comes next."),
    )


class NewVersionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for a new version"),
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say what was corrected, e.g. “3 home visits recorded late”."),
    )
