"""Forms of community work (issue 11): outreach events, the potential recipients found there, the territory
view and the diagnosis. Shape only: the services of socius.community.outreach and .recipients have the last word
on every value; their messages are put back on these fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from socius.accounts.models import Territory, User
from socius.accounts.roles import WORK_COMMUNITY
from socius.accounts.selectors import territories_for
from socius.casework import statutory
from socius.casework.models_referrals import Partner
from socius.common.limits import NOTES_MAX_LENGTH
from socius.community.statuses import AttendeeConsent, EventKind, EventStatus, PartnerRole, RecipientStatus
from socius.web.forms_casework import StaffChoiceField, code_choices, staff_with
from socius.web.forms_casework_visits import StaffMultipleChoiceField, TimeInput
from socius.web.widgets import IsoDateInput as DateInput

_TEXT = {"widget": forms.Textarea(attrs={"rows": 3}), "max_length": NOTES_MAX_LENGTH}
SEARCH_MAX_LENGTH = 100
MAX_HEADCOUNT = 100_000
MAX_LEAFLETS = 100_000


def territory_label(territory: Territory, root_id: int | None) -> str:
    """The node's path below the centre's root ("Jašiūnų seniūnija › Jašiūnai"): the parents are
    select_related by territories_for, so no query per option."""
    names = [territory.name]
    node = territory
    for _depth in range(3):
        if node.parent_id is None or node.parent_id == root_id or node.pk == root_id:
            break
        node = node.parent
        names.append(node.name)
    return " › ".join(reversed(names))


class TerritoryChoiceField(forms.ModelChoiceField):
    root_id: int | None = None

    def label_from_instance(self, obj: Territory) -> str:
        return territory_label(obj, self.root_id)


def territory_field(actor: User, *, label, required: bool = True, empty_label=None) -> TerritoryChoiceField:
    """A picker of the nodes of the centre's part of the territorial tree, each named by its path."""
    field = TerritoryChoiceField(
        label=label, queryset=territories_for(actor), required=required, empty_label=empty_label or _("Choose…")
    )
    field.root_id = actor.centre.territory_id
    field.choices = sorted(field.choices, key=lambda choice: (choice[0] != "", str(choice[1])))
    return field


def community_staff(actor: User):
    return staff_with(actor, WORK_COMMUNITY)


# --- outreach events ------------------------------------------------------------------------------------


class EventFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=SEARCH_MAX_LENGTH)
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All")), *EventKind.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *EventStatus.choices])
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("Until"), required=False, widget=DateInput)

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"] = territory_field(actor, label=_("Territory"), required=False, empty_label=_("All"))
        self.fields["staff"] = StaffChoiceField(
            label=_("Staff"), queryset=community_staff(actor), required=False, empty_label=_("All")
        )
        self.order_fields(["q", "territory", "kind", "status", "staff", "date_from", "date_to"])

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end cannot be before the start."))
        return cleaned


class PlanEventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=EventKind.choices)
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    date = forms.DateField(label=_("Date"), widget=DateInput)
    starts_at = forms.TimeField(label=_("Starts at"), required=False, widget=TimeInput)
    ends_at = forms.TimeField(label=_("Ends at"), required=False, widget=TimeInput)
    place = forms.CharField(
        label=_("Place"), required=False, max_length=200, help_text=_("For example the eldership's hall.")
    )
    notes = forms.CharField(label=_("Notes"), required=False, **_TEXT)

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"] = territory_field(actor, label=_("Territory"))
        self.fields["staff"] = StaffMultipleChoiceField(
            label=_("Staff who go"), queryset=community_staff(actor), required=False,
            widget=forms.CheckboxSelectMultiple, help_text=_("You, when nobody is chosen."),
        )  # fmt: skip
        self.order_fields(["territory", "kind", "title", "date", "starts_at", "ends_at", "place", "staff", "notes"])

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The end must be after the start."))
        return cleaned


class PartnerRowForm(forms.Form):
    """One partner present: the role, and a name or an organisation."""

    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", "—"), *PartnerRole.choices])
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    organisation = forms.CharField(label=_("Organisation"), required=False, max_length=200)

    def __init__(self, *args, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"] = forms.ModelChoiceField(
            label=_("Partner institution"), required=False, empty_label="—",
            queryset=partners if partners is not None else Partner.objects.none(),
        )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        filled = any(cleaned.get(k) for k in ("name", "organisation", "partner"))
        if filled and not cleaned.get("role"):
            self.add_error("role", _("Say who the partner is."))
        if cleaned.get("role") and not filled:
            self.add_error("name", _("Give the partner's name or organisation."))
        return cleaned

    def row(self) -> dict | None:
        data = getattr(self, "cleaned_data", {}) or {}
        if not data.get("role"):
            return None
        partner = data.get("partner")
        return {
            "role": data["role"],
            "name": data.get("name", ""),
            "organisation": data.get("organisation", ""),
            "partner": partner.pk if partner else None,
        }


class AttendeeRowForm(forms.Form):
    """A named attendee: only with their consent."""

    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    consent = forms.ChoiceField(
        label=pgettext_lazy("attendee", "Consent"), required=False, choices=[("", "—"), *AttendeeConsent.choices]
    )
    consent_on = forms.DateField(label=_("Consent given on"), required=False, widget=DateInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("name") and not cleaned.get("consent"):
            self.add_error("consent", _("A named attendee is recorded only with their consent."))
        if cleaned.get("consent") and not cleaned.get("name"):
            self.add_error("name", _("Give the attendee's name."))
        return cleaned

    def row(self, day) -> dict | None:
        data = getattr(self, "cleaned_data", {}) or {}
        if not data.get("name"):
            return None
        return {"name": data["name"], "consent": data["consent"], "consent_on": data.get("consent_on") or day}


class FollowUpRowForm(forms.Form):
    text = forms.CharField(label=pgettext_lazy("outreach", "What was promised"), required=False, max_length=500)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DateInput)

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"] = StaffChoiceField(
            label=_("Responsible"), required=False, empty_label="—",
            queryset=staff if staff is not None else User.objects.none(),
        )  # fmt: skip
        self.order_fields(["text", "responsible", "due_on"])

    def row(self) -> dict | None:
        data = getattr(self, "cleaned_data", {}) or {}
        if not data.get("text"):
            return None
        responsible = data.get("responsible")
        return {"text": data["text"], "responsible": responsible.pk if responsible else None, "due_on": data["due_on"]}


PARTNER_ROWS = 3
ATTENDEE_ROWS = 3
FOLLOW_UP_ROWS = 2


def _formset(form_class, rows: int):
    return forms.formset_factory(form_class, extra=rows, max_num=50, absolute_max=50, validate_max=True)


PartnerRows = _formset(PartnerRowForm, PARTNER_ROWS)
AttendeeRows = _formset(AttendeeRowForm, ATTENDEE_ROWS)
FollowUpRows = _formset(FollowUpRowForm, FOLLOW_UP_ROWS)


class HeldForm(forms.Form):
    """The event as held: the day, the headcount, the leaflets per service of the catalogue, questions."""

    held_on = forms.DateField(label=_("Held on"), widget=DateInput)
    headcount = forms.IntegerField(
        label=_("Attendance (headcount)"), min_value=0, max_value=MAX_HEADCOUNT,
        help_text=_("Everyone present, named or not."),
    )  # fmt: skip
    questions = forms.CharField(label=_("Questions raised"), required=False, **_TEXT)
    notes = forms.CharField(label=_("Notes"), required=False, **_TEXT)

    def __init__(self, *args, services: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.services = list(services)
        for index, (_code, label) in enumerate(self.services):
            self.fields[f"leaflets_{index}"] = forms.IntegerField(
                label=label, required=False, min_value=0, max_value=MAX_LEAFLETS,
                widget=forms.NumberInput(attrs={"class": "narrow"}),
            )  # fmt: skip

    def leaflet_fields(self):
        return [self[f"leaflets_{index}"] for index in range(len(self.services))]

    def main_fields(self):
        return [self[name] for name in ("held_on", "headcount")]

    def text_fields(self):
        return [self[name] for name in ("questions", "notes")]

    def leaflets(self) -> list[dict]:
        return [
            {"service_code": code, "count": self.cleaned_data[f"leaflets_{index}"]}
            for index, (code, _label) in enumerate(self.services)
            if self.cleaned_data.get(f"leaflets_{index}")
        ]


class CancelEventForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), **_TEXT)


class ReplanEventForm(forms.Form):
    date = forms.DateField(label=_("New date"), widget=DateInput)
    starts_at = forms.TimeField(label=_("Starts at"), required=False, widget=TimeInput)
    ends_at = forms.TimeField(label=_("Ends at"), required=False, widget=TimeInput)


# --- potential recipients -------------------------------------------------------------------------------


class RecipientForm(forms.Form):
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        max_length=NOTES_MAX_LENGTH, help_text=_("When the name is not known: who, where to find them."),
    )  # fmt: skip
    need = forms.CharField(label=pgettext_lazy("potential recipient", "Need"), **_TEXT)
    place = forms.CharField(label=_("Address or place"), required=False, max_length=200)

    def __init__(self, *args, actor: User, with_territory: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_territory:
            self.fields["territory"] = territory_field(actor, label=_("Territory"), required=False, empty_label="—")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("name") and not cleaned.get("description"):
            self.add_error("name", _("Give a name or a description."))
        return cleaned


class RecipientFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=SEARCH_MAX_LENGTH)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *RecipientStatus.choices])

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"] = territory_field(actor, label=_("Territory"), required=False, empty_label=_("All"))


class MakeContactForm(forms.Form):
    """The potential recipient heard: the contact's topics and a note (the channel is outreach)."""

    topics = forms.MultipleChoiceField(
        label=_("Topics"), widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("“Other” when none is chosen."),
    )  # fmt: skip
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=NOTES_MAX_LENGTH,
        help_text=_("The need noted when left empty."),
    )  # fmt: skip

    def __init__(self, *args, jurisdiction: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = code_choices(statutory.contact_topics(jurisdiction))


class ReferForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=NOTES_MAX_LENGTH, required=False,
        help_text=_("The need noted when left empty."),
    )  # fmt: skip

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"] = forms.ModelChoiceField(
            label=_("Partner institution"), queryset=partners, empty_label=_("Choose…")
        )
        self.order_fields(["partner", "reason"])


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for dismissing"), widget=forms.Textarea(attrs={"rows": 2}), max_length=NOTES_MAX_LENGTH,
        help_text=_("Not in need, moved away, refused help…"),
    )  # fmt: skip


# --- the territory view and the diagnosis ---------------------------------------------------------------


class TerritoryViewForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["root"] = territory_field(
            actor, label=_("Area"), required=False, empty_label=_("The whole area of the centre")
        )
        self.order_fields(["root", "year"])


class DiagnosisForm(forms.Form):
    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"] = territory_field(
            actor, label=_("Territory"), required=False, empty_label=_("The whole area of the centre")
        )
