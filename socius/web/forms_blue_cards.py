"""Forms of the Blue Card pages. Shape only: the services check every value and name the field at fault."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socius.common.limits import NOTES_MAX_LENGTH
from socius.family.statuses import BlueCardClosureGround, BlueCardForm, BlueCardInitiator, BlueCardStatus
from socius.web.widgets import IsoDateInput as DateInput


def _today():
    return timezone.localdate()


def _date(label, *, required=True, initial=_today):
    return forms.DateField(label=label, widget=DateInput, required=required, initial=initial if required else None)


def _text(label, *, required=True, max_length=NOTES_MAX_LENGTH, rows=3):
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows})
    )


def _person_label(party) -> str:
    return f"{party.person.full_name} ({party.get_role_display()})"


class StartForm(forms.Form):
    """Form NK-A. The parties come from the person search below it (a role per person found)."""

    initiator = forms.ChoiceField(label=_("Who filled in form NK-A"), choices=BlueCardInitiator.choices)
    initiator_name = forms.CharField(label=_("Name of who filled it in"), max_length=200, required=False)
    initiator_institution = forms.CharField(label=_("Institution"), max_length=200, required=False)
    started_on = _date(_("NK-A filled in on"))
    received_on = _date(_("Received by the chair of the interdisciplinary team on"))
    violence = _text(_("Forms of domestic violence (section IV)"), required=False)
    notes = _text(_("Additional information (section XIII)"), required=False)


class MemberForm(forms.Form):
    user = forms.ChoiceField(label=_("Staff member of the centre"), required=False)
    name = forms.CharField(label=_("Or the name of an outside member"), max_length=200, required=False)
    institution = forms.CharField(label=_("Institution"), max_length=200, required=False)
    role = forms.CharField(
        label=_("Role in the group"),
        max_length=100,
        required=False,
        help_text=_("e.g. social worker, police officer, teacher"),
    )
    on = _date(_("Member since"))

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "—")] + [(u.pk, u.get_full_name() or u.username) for u in staff]


class RemoveMemberForm(forms.Form):
    member = forms.IntegerField(min_value=1, max_value=2**31, widget=forms.HiddenInput)
    on = _date(_("Member until"))


class FormRecordForm(forms.Form):
    form = forms.ChoiceField(
        label=_("Form"), choices=[(c, label) for c, label in BlueCardForm.choices if c != BlueCardForm.NK_A]
    )
    person = forms.ChoiceField(label=_("Filled in with"))
    filled_on = _date(_("Filled in on"))
    summary = _text(_("What the form records"), required=False, max_length=5000, rows=4)

    def __init__(self, *args, page=None, **kwargs):
        super().__init__(*args, **kwargs)
        parties = [*page.victims, *page.suspects] if page else []
        self.fields["person"].choices = [(p.person_id, _person_label(p)) for p in parties]


class MeetingForm(forms.Form):
    held_on = _date(_("Held on"))
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    present = forms.MultipleChoiceField(label=_("Present"), required=False, widget=forms.CheckboxSelectMultiple)
    notes = _text(_("What the group assessed and agreed"), rows=4)
    next_meeting_on = _date(_("Next meeting on"), required=False)

    def __init__(self, *args, page=None, **kwargs):
        super().__init__(*args, **kwargs)
        members = page.members if page else []
        self.fields["present"].choices = [
            (m.pk, str(m.name or m.user.get_full_name() or m.user.username)) for m in members
        ]


class PlanItemForm(forms.Form):
    person = forms.ChoiceField(label=_("For"))
    measure = _text(_("Measure"))
    responsible = forms.CharField(label=_("Who does it"), max_length=200)
    agreed_on = _date(_("Agreed on"))
    due_on = _date(_("Deadline"), required=False)

    def __init__(self, *args, page=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.person_id, p.person.full_name) for p in (page.victims if page else [])]


class PlanDoneForm(forms.Form):
    item = forms.IntegerField(min_value=1, max_value=2**31, widget=forms.HiddenInput)
    done_on = _date(_("Done on"))


class MonitoringForm(forms.Form):
    on = _date(_("Date"))
    note = _text(_("What the monitoring found"))


class StatusForm(forms.Form):
    to = forms.ChoiceField(label=_("Move to"), choices=BlueCardStatus.choices)
    on = _date(_("On"))
    closure_ground = forms.ChoiceField(
        label=_("Closure ground"), required=False, choices=[("", "—"), *BlueCardClosureGround.choices]
    )
    closure_note = _text(_("Closure note"), required=False)

    def __init__(self, *args, page=None, **kwargs):
        super().__init__(*args, **kwargs)
        if page is not None:
            labels = dict(BlueCardStatus.choices)
            self.fields["to"].choices = [(s, labels[s]) for s in page.moves]


class NoticeForm(forms.Form):
    """The notice to a person suspected of violence: whom, when and where (nothing else goes on it)."""

    suspect = forms.ChoiceField(label=_("Person suspected of violence"))
    meeting_on = _date(_("Meeting on"))
    place = forms.CharField(label=_("Place"), max_length=300)

    def __init__(self, *args, page=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suspect"].choices = [(p.person_id, p.person.full_name) for p in (page.suspects if page else [])]
