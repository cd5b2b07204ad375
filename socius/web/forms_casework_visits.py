"""Forms for home visits and social work on the case page. The services have the last word on every
value; their messages are put back on these fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import User
from socius.accounts.roles import WORK_CASES
from socius.casework.models import ActivityType
from socius.casework.models_visits import MAX_ACTIVITY_MINUTES
from socius.common.limits import NOTES_MAX_LENGTH
from socius.registry.models import Person
from socius.web.forms_casework import StaffChoiceField, staff_near
from socius.web.widgets import IsoDateInput as DateInput


class TimeInput(forms.TimeInput):
    """<input type="time"> with an "HH:MM" value, which every browser shows in its own clock."""

    input_type = "time"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs=attrs, format=format or "%H:%M")


def _time_field(label) -> forms.TimeField:
    return forms.TimeField(label=label, required=False, widget=TimeInput)


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class PersonMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.full_name


class PlanVisitForm(forms.Form):
    planned_on = forms.DateField(label=_("Planned for"), widget=DateInput)
    planned_time = _time_field(_("Time"))
    visitors = StaffMultipleChoiceField(
        label=_("Who goes"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("You, when nobody is chosen."),
    )
    place = forms.CharField(
        label=_("Place"), max_length=250, required=False, help_text=_("The household's address when left empty.")
    )
    purpose = forms.CharField(
        label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=NOTES_MAX_LENGTH
    )

    def __init__(self, *args, actor: User, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visitors"].queryset, _narrowed = staff_near(actor, WORK_CASES, case)


class VisitDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DateInput)
    done_time = _time_field(_("Time"))
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}), max_length=NOTES_MAX_LENGTH)
    next_visit_on = forms.DateField(label=_("Next visit"), required=False, widget=DateInput)


class RecordVisitForm(forms.Form):
    """A visit already made (today, as a rule), recorded in one step: no planning first."""

    done_on = forms.DateField(label=_("Done on"), widget=DateInput)
    done_time = _time_field(_("Time"))
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}))
    visitors = StaffMultipleChoiceField(
        label=_("Who went"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("You, when nobody is chosen."),
    )
    place = forms.CharField(
        label=_("Place"), max_length=250, required=False, help_text=_("The household's address when left empty.")
    )
    purpose = forms.CharField(label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    next_visit_on = forms.DateField(label=_("Next visit"), required=False, widget=DateInput)

    def __init__(self, *args, actor: User, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visitors"].queryset, _narrowed = staff_near(actor, WORK_CASES, case)

    def visit_data(self) -> dict:
        return {**self.cleaned_data, "visitors": [u.pk for u in self.cleaned_data["visitors"]]}


class CancelVisitForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class ActivityForm(forms.Form):
    type = forms.ChoiceField(label=_("Type of social work"), choices=[("", "—"), *ActivityType.choices])
    performed_on = forms.DateField(label=_("Date"), widget=DateInput)
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=MAX_ACTIVITY_MINUTES)
    participants = PersonMultipleChoiceField(
        label=_("Participants"), queryset=Person.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    performed_by = StaffChoiceField(label=_("Performed by"), queryset=User.objects.none(), required=False)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sensitive: visible only to those who may read the case."),
        max_length=NOTES_MAX_LENGTH,
    )

    def __init__(self, *args, actor: User, persons, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = persons
        self.fields["performed_by"].queryset, _narrowed = staff_near(actor, WORK_CASES, case)
