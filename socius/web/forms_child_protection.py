"""Forms for child protection: children in difficulty, their forms of care, meetings of the commission (or team)
and their decisions, follow-up tasks. Shape only: the services (socius.family.protection) have the last word on
every value, and their messages are put back on these fields."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from socius.accounts.models import User
from socius.accounts.roles import WORK_CHILD_PROTECTION
from socius.casework.models_referrals import Partner
from socius.common.limits import NOTES_MAX_LENGTH
from socius.family.rules_protection import form_of_care_labels
from socius.family.statuses import ChildRisk, ChildStatus, FormOfCare
from socius.registry.models import Person
from socius.web.forms_casework import StaffChoiceField, staff_with
from socius.web.forms_casework_visits import StaffMultipleChoiceField
from socius.web.widgets import LocalDateInput, LocalTimeInput

ALL = "all"
CASE_CHOICES_SHOWN = 50


def _date_field(label, *, required=True, help_text="") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=LocalDateInput, help_text=help_text)


def _notes(label, *, required=False, rows=3) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), max_length=NOTES_MAX_LENGTH
    )


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Partner) -> str:
        return obj.name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        born = obj.birth_date.strftime("%Y") if obj.birth_date else "?"
        return f"{obj.full_name} ({born})"


def care_choices(actor: User) -> list[tuple[str, str]]:
    """The forms of care by their statutory names in the centre's pack (in the reader's language)."""
    labels = form_of_care_labels(actor.centre)
    return [(code, labels.get(code, label)) for code, label in FormOfCare.choices]


def partners_of(actor: User):
    return Partner.objects.filter(centre_id=actor.centre_id, is_active=True).order_by("name", "id")


# --- children ---------------------------------------------------------------------------------------------


class ChildFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    risk = forms.ChoiceField(label=_("Risk"), required=False)
    worker = StaffChoiceField(
        label=_("Responsible worker"), queryset=User.objects.none(), required=False, empty_label=_("All workers")
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(placeholder=_("Name or case reference"), type="search")
        self.fields["risk"].choices = [("", _("All risks")), *ChildRisk.choices]
        self.fields["status"].choices = [("", ChildStatus.OPEN.label), (ChildStatus.CLOSED, ChildStatus.CLOSED.label)]
        self.fields["status"].choices.append((ALL, _("All")))
        self.fields["worker"].queryset = staff_with(actor, WORK_CHILD_PROTECTION)

    def selector_filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {"status": ChildStatus.OPEN}
        data = self.cleaned_data
        status = data["status"] or ChildStatus.OPEN
        return {
            "status": None if status == ALL else status,
            "risk": data["risk"] or None,
            "worker_id": data["worker"].pk if data["worker"] else None,
            "q": data["q"].strip() or None,
        }


class RisksField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Risks"))
        super().__init__(choices=ChildRisk.choices, **kwargs)


class ChildForm(forms.Form):
    """Record a child of the case's family as a child in difficulty."""

    child = PersonChoiceField(label=_("Child"), queryset=Person.objects.none(), empty_label=_("Choose…"))
    responsible_worker = StaffChoiceField(label=_("Responsible worker"), queryset=User.objects.none(), empty_label=None)
    risks = RisksField()
    identified_on = _date_field(_("Identified on"))
    form_of_care = forms.ChoiceField(label=_("Current form of care"), choices=FormOfCare.choices)
    care_from = _date_field(_("In this form of care since"))
    carer = forms.CharField(label=_("Carer or institution"), max_length=300, required=False)
    partner = PartnerChoiceField(
        label=_("Partner institution"), queryset=Partner.objects.none(), required=False, empty_label="—"
    )
    notes = _notes(_("Notes"))

    def __init__(self, *args, actor: User, persons, **kwargs):
        kwargs.setdefault("initial", {})
        today = timezone.localdate()
        kwargs["initial"] = {
            "identified_on": today,
            "care_from": today,
            "responsible_worker": actor.pk,
            "form_of_care": FormOfCare.OWN_FAMILY,
            **kwargs["initial"],
        }
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = persons
        self.fields["form_of_care"].choices = care_choices(actor)
        self.fields["responsible_worker"].queryset = staff_with(actor, WORK_CHILD_PROTECTION)
        self.fields["partner"].queryset = partners_of(actor)
        self.fields["child"].error_messages["required"] = _("Choose the child.")
        self.fields["risks"].error_messages["required"] = _("Choose at least one risk.")


class CareForm(forms.Form):
    """A new form of care for the child from a day (ends the current one that day)."""

    form = forms.ChoiceField(label=_("Form of care"), choices=[("", _("Choose…")), *FormOfCare.choices])
    valid_from = _date_field(_("From"))
    carer = forms.CharField(label=_("Carer or institution"), max_length=300, required=False)
    partner = PartnerChoiceField(
        label=_("Partner institution"), queryset=Partner.objects.none(), required=False, empty_label="—"
    )
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300, required=False)
    note = _notes(_("Note"), rows=2)

    def __init__(self, *args, actor: User, **kwargs):
        kwargs.setdefault("initial", {"valid_from": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["form"].choices = [("", _("Choose…")), *care_choices(actor)]
        self.fields["partner"].queryset = partners_of(actor)
        self.fields["form"].error_messages["required"] = _("Choose the form of care.")


class RisksForm(forms.Form):
    risks = RisksField()
    on = _date_field(_("Changed on"))
    note = _notes(_("Note"), rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risks"].error_messages["required"] = _("Choose at least one risk.")


class CloseChildForm(forms.Form):
    closed_on = _date_field(_("Closed on"))
    note = _notes(_("Why the child is no longer in difficulty"), required=True)


# --- meetings ---------------------------------------------------------------------------------------------


class ExternalMemberForm(forms.Form):
    """A member who is not staff of the centre: a name, and the partner institution they come from."""

    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    partner = PartnerChoiceField(label=_("Institution"), queryset=Partner.objects.none(), required=False)
    role = forms.CharField(label=_("Role"), max_length=100, required=False)
    is_voting = forms.BooleanField(label=_("Voting member"), required=False, initial=True)

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners_of(actor)
        self.fields["partner"].empty_label = "—"

    def clean(self):
        data = super().clean()
        if data.get("partner") and not data.get("name"):
            data["name"] = data["partner"].name  # the institution as a member, when nobody is named
        return data


class BaseExternalMembers(forms.BaseFormSet):
    def members(self) -> list[dict]:
        return [f.cleaned_data for f in self.forms if f.is_valid() and f.cleaned_data.get("name")]


ExternalMembers = forms.formset_factory(ExternalMemberForm, formset=BaseExternalMembers, extra=3, max_num=30)


def external_members(data, *, actor: User, prefix: str, initial=None):
    return ExternalMembers(data, prefix=prefix, initial=initial, form_kwargs={"actor": actor})


class StaffMembersForm(forms.Form):
    chair = StaffChoiceField(label=_("Chair"), queryset=User.objects.none(), required=False, empty_label="—")
    staff = StaffMultipleChoiceField(
        label=_("Members from the centre"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        staff = staff_with(actor, WORK_CHILD_PROTECTION)
        self.fields["chair"].queryset = staff
        self.fields["staff"].queryset = staff


class MeetingForm(StaffMembersForm):
    body = forms.ChoiceField(label=_("Body"))
    on = _date_field(_("Date"))
    at = forms.TimeField(label=_("Time"), widget=LocalTimeInput(format="%H:%M"))
    place = forms.CharField(label=_("Place"), max_length=300, required=False)

    field_order = ["body", "on", "at", "place", "chair", "staff"]

    def __init__(self, *args, actor: User, bodies, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        choices = [(b.code, b.label) for b in bodies]
        self.fields["body"].choices = choices
        if len(choices) == 1:
            self.fields["body"].initial = choices[0][0]

    def scheduled_at(self) -> dt.datetime:
        data = self.cleaned_data
        return timezone.make_aware(dt.datetime.combine(data["on"], data["at"]))


class AgendaForm(forms.Form):
    """Put a case forward: one of the cases the actor reads (searched by reference or client), and the child.

    `cases` and `children` are what may be chosen (unsliced); `shown_cases` / `shown_children` what the
    pickers list (the search's first matches)."""

    case = forms.TypedChoiceField(label=_("Case"), coerce=int)
    child = forms.TypedChoiceField(label=_("Child"), coerce=int, required=False, empty_value=None)
    summary = _notes(_("Question for the meeting"), required=True)

    def __init__(self, *args, cases, children, shown_cases=(), shown_children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.cases, self.children = cases, children
        case_field, child_field = self.fields["case"], self.fields["child"]
        case_field.choices = [("", _("Choose…")), *((c.pk, f"{c.reference} · {c.client_name}") for c in shown_cases)]
        child_field.choices = [
            ("", _("The whole family")),
            *((r.pk, f"{r.child.full_name} ({r.case.reference})") for r in shown_children),
        ]
        # Any case the actor reads may be posted (the picker lists the search's first matches).
        case_field.valid_value = lambda value: True
        child_field.valid_value = lambda value: True
        case_field.error_messages["required"] = _("Choose the case.")
        self.fields["summary"].error_messages["required"] = _("Say what the meeting is asked to decide.")

    def clean_case(self):
        case = self.cases.filter(pk=self.cleaned_data["case"]).first()
        if case is None:
            raise forms.ValidationError(_("Choose one of the cases you work with."))
        return case

    def clean_child(self):
        pk = self.cleaned_data.get("child")
        if pk is None:
            return None
        record = self.children.filter(pk=pk).first()
        if record is None:
            raise forms.ValidationError(_("Choose one of the children of the case."))
        return record

    def clean(self):
        data = super().clean()
        case, record = data.get("case"), data.get("child")
        if case is not None and record is not None and record.case_id != case.pk:
            self.add_error("child", _("This child is recorded on another case."))
        return data


def case_search_q(q: str) -> Q:
    """Cases by reference or by the name of their client (the person, or a member of the household)."""
    found = Q(reference__icontains=q)
    for word in q.split()[:3]:
        found |= (
            Q(person__last_name__icontains=word)
            | Q(person__first_name__icontains=word)
            | Q(household__memberships__person__last_name__icontains=word)
        )
    return found


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(label=_("Present"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(m.pk), str(m.pk)) for m in members]


class TaskRowForm(forms.Form):
    assigned_to = StaffChoiceField(label=_("Assigned to"), queryset=User.objects.none(), required=False)
    description = forms.CharField(label=_("Task"), max_length=500, required=False)
    due_on = _date_field(_("Due on"), required=False)

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = staff_with(actor, WORK_CHILD_PROTECTION)
        self.fields["assigned_to"].empty_label = "—"

    def clean(self):
        data = super().clean()
        given = [data.get("assigned_to"), data.get("description"), data.get("due_on")]
        if any(given) and not all(given):
            if not data.get("assigned_to"):
                self.add_error("assigned_to", _("Choose who does the task."))
            if not data.get("description"):
                self.add_error("description", _("Say what is to be done."))
            if not data.get("due_on"):
                self.add_error("due_on", _("Give the day it is due."))
        return data


class BaseTaskRows(forms.BaseFormSet):
    def tasks(self) -> list[dict]:
        return [f.cleaned_data for f in self.forms if f.is_valid() and f.cleaned_data.get("description")]


TaskRows = forms.formset_factory(TaskRowForm, formset=BaseTaskRows, extra=2, max_num=20)


class DecisionForm(forms.Form):
    text = _notes(_("Decision"), required=True, rows=3)
    form_of_care = forms.ChoiceField(
        label=_("Form of care"),
        required=False,
        help_text=_("Only when the meeting decides the child's form of care."),
    )
    care_from = _date_field(_("From"), required=False)
    support_measures = _notes(_("Support measures"), rows=2)
    responsible = StaffMultipleChoiceField(
        label=_("Responsible persons"), queryset=User.objects.none(), required=False, widget=forms.SelectMultiple
    )
    review_on = _date_field(_("Review on"), required=False)

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form_of_care"].choices = [("", "—"), *care_choices(actor)]
        self.fields["responsible"].queryset = staff_with(actor, WORK_CHILD_PROTECTION)
        self.fields["responsible"].widget.attrs["size"] = 4
        self.fields["text"].error_messages["required"] = _("Write the decision.")

    def clean(self):
        data = super().clean()
        if data.get("form_of_care") and not data.get("care_from"):
            self.add_error("care_from", _("Give the day the form of care starts."))
        return data


class HoldForm(forms.Form):
    held_on = _date_field(_("Held on"))
    minutes = _notes(pgettext_lazy("meeting record", "Minutes"), required=True, rows=6)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["minutes"].error_messages["required"] = _("Write the minutes.")


class CancelMeetingForm(forms.Form):
    reason = _notes(_("Reason for cancellation"), required=True, rows=2)


class TaskDoneForm(forms.Form):
    done_on = _date_field(_("Done on"))
    outcome = _notes(_("Outcome"), rows=2)
