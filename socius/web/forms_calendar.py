"""Forms of the centre's calendar (filters, entries) and of staff group supervision. Shape only: the services
(socius.community.calendar, socius.community.supervision) check every value again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import User
from socius.accounts.selectors import territories_for
from socius.common.limits import NOTES_MAX_LENGTH
from socius.community.statuses import ENTRY_KINDS, CalendarKind, FacilitatorKind
from socius.web.forms_casework import StaffChoiceField
from socius.web.forms_casework_visits import StaffMultipleChoiceField
from socius.web.forms_households import territory_choices
from socius.web.widgets import LocalDateInput, LocalTimeInput


def centre_staff(actor: User):
    return User.objects.filter(centre_id=actor.centre_id, is_active=True).order_by(
        "last_name", "first_name", "username"
    )


def _time(label) -> forms.TimeField:
    return forms.TimeField(label=label, required=False, widget=LocalTimeInput(format="%H:%M"))


def _notes(label, *, rows=4) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), max_length=NOTES_MAX_LENGTH
    )


class CalendarFilterForm(forms.Form):
    """?staff=&territory=&kind= of the calendar page (a bad value is ignored, never an error page)."""

    staff = StaffChoiceField(
        label=_("Staff member"), queryset=User.objects.none(), required=False, empty_label=_("Everyone")
    )
    territory = forms.TypedChoiceField(label=_("Territory"), coerce=int, required=False, empty_value=None)
    kind = forms.MultipleChoiceField(
        label=_("Show"), choices=CalendarKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = centre_staff(actor)
        self.fields["territory"].choices = [("", _("Everywhere")), *territory_choices(list(territories_for(actor)))]

    def values(self) -> dict:
        if not self.is_valid():
            return {"staff": None, "territory": None, "kinds": None}
        data = self.cleaned_data
        return {
            "staff": data["staff"].pk if data.get("staff") else None,
            "territory": data.get("territory"),
            "kinds": list(data.get("kind") or []) or None,
        }


class CalendarEntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=[(k, CalendarKind(k).label) for k in ENTRY_KINDS])
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_on = forms.DateField(label=_("From"), widget=LocalDateInput)
    ends_on = forms.DateField(
        label=_("Until"), widget=LocalDateInput, required=False, help_text=_("Leave empty for a one-day entry.")
    )
    starts_at = _time(_("Starts at"))
    ends_at = _time(_("Ends at"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    territory = forms.TypedChoiceField(label=_("Territory"), coerce=int, required=False, empty_value=None)
    staff = StaffMultipleChoiceField(
        label=_("Staff concerned"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty when it concerns everyone (an office closure, say)."),
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = centre_staff(actor)
        self.fields["territory"].choices = [("", "—"), *territory_choices(list(territories_for(actor)))]

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data["staff"] = [u.pk for u in data.get("staff") or []]
        return data


class SupervisionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=LocalDateInput)
    starts_at = _time(_("Starts at"))
    ends_at = _time(_("Ends at"))
    facilitator_kind = forms.ChoiceField(
        label=_("Facilitator"), choices=FacilitatorKind.choices, widget=forms.RadioSelect
    )
    facilitator = StaffChoiceField(
        label=_("Facilitator (staff)"), queryset=User.objects.none(), required=False, empty_label="—"
    )
    facilitator_name = forms.CharField(label=_("Facilitator (external)"), max_length=200, required=False)
    participants = StaffMultipleChoiceField(
        label=_("Participants"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = centre_staff(actor)
        self.fields["participants"].queryset = centre_staff(actor)

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data["participants"] = [u.pk for u in data.get("participants") or []]
        data["facilitator"] = data["facilitator"].pk if data.get("facilitator") else None
        return data


class SupervisionHeldForm(forms.Form):
    participants = StaffMultipleChoiceField(
        label=_("Who took part"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    topics = _notes(_("Topics"))
    notes = _notes(_("Notes"), rows=6)
    follow_ups = forms.CharField(
        label=_("Follow-ups"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTES_MAX_LENGTH,
        help_text=_("One per line."),
    )

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = centre_staff(actor)

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data["participants"] = [u.pk for u in data["participants"]]
        data["follow_ups"] = [{"text": line.strip()} for line in data["follow_ups"].splitlines() if line.strip()]
        return data
