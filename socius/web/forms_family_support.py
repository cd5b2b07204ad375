"""Forms of the family assistant programme (issue 10): shape only. The services of socius.family.support have
the last word on every value; their messages are put back on these fields."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import User
from socius.accounts.roles import Role
from socius.common.limits import NOTES_MAX_LENGTH
from socius.family.statuses import (
    ActivityPlace,
    ClosureOutcome,
    ConsentMethod,
    EnrolmentRoute,
    EnrolmentStatus,
    PlanItemStatus,
    WorkArea,
)
from socius.registry.models import Person
from socius.web.forms_casework_visits import PersonMultipleChoiceField, StaffMultipleChoiceField  # noqa: F401
from socius.web.widgets import IsoDateInput as DateInput

_TEXT = {"widget": forms.Textarea(attrs={"rows": 3}), "max_length": NOTES_MAX_LENGTH}
MAX_MINUTES = 24 * 60
SEARCH_MAX_LENGTH = 100


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.full_name


def assistants_of(centre_id) -> forms.models.QuerySet:
    """The centre's active family assistants, by name."""
    return User.objects.filter(centre_id=centre_id, role=Role.FAMILY_ASSISTANT, is_active=True).order_by(
        "last_name", "first_name", "username"
    )


def caseworkers_of(centre_id):
    """Who may be the social worker consulted on a plan: the centre's social workers and team leaders."""
    return User.objects.filter(
        centre_id=centre_id, role__in=[Role.SOCIAL_WORKER, Role.TEAM_LEADER, Role.DIRECTOR], is_active=True
    ).order_by("last_name", "first_name", "username")


class ConsentFieldsMixin:
    """Optional consent given with the enrolment: who, when, how. All three, or none."""

    def add_consent_fields(self, members) -> None:
        self.fields["consent_person"] = PersonChoiceField(
            label=_("Family member who consented"), queryset=members, required=False,
            empty_label=_("No consent recorded now"),
        )  # fmt: skip
        self.fields["consent_given_on"] = forms.DateField(label=_("Consent given on"), widget=DateInput, required=False)
        self.fields["consent_method"] = forms.ChoiceField(
            label=_("How the consent was given"), choices=[("", "—"), *ConsentMethod.choices], required=False
        )

    def clean_consent(self, cleaned: dict) -> None:
        person, given_on, method = (cleaned.get(k) for k in ("consent_person", "consent_given_on", "consent_method"))
        if person and not given_on:
            self.add_error("consent_given_on", _("Say when the consent was given."))
        if person and not method:
            self.add_error("consent_method", _("Say how the consent was given."))
        if not person and (given_on or method):
            self.add_error("consent_person", _("Say who consented."))


class EnrolmentRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the family needs an assistant"),
        help_text=_("The finding of the environmental interview that the family needs support."),
        **_TEXT,
    )
    requested_on = forms.DateField(label=_("Requested on"), widget=DateInput)


class CasePickForm(forms.Form):
    """The first step of a direct enrolment: which case (by its reference)."""

    case_ref = forms.CharField(label=_("Case reference"), max_length=20)


class EnrolForm(ConsentFieldsMixin, forms.Form):
    """Direct enrolment (a court order or a statutory case), with the family's consent when given."""

    route = forms.ChoiceField(
        label=_("Route"),
        choices=[(c, label) for c, label in EnrolmentRoute.choices if c != EnrolmentRoute.REQUEST],
    )
    assistant = StaffChoiceField(label=_("Family assistant"), queryset=User.objects.none())
    started_on = forms.DateField(label=_("Work starts on"), widget=DateInput)
    court_name = forms.CharField(label=_("Court"), max_length=200, required=False)
    court_reference = forms.CharField(label=_("Court file reference"), max_length=60, required=False)
    court_order_on = forms.DateField(label=_("Court order dated"), widget=DateInput, required=False)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=200, required=False)
    reason = forms.CharField(label=_("Reason"), required=False, **_TEXT)

    def __init__(self, *args, centre_id, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assistant"].queryset = assistants_of(centre_id)
        self.add_consent_fields(members)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("route") == EnrolmentRoute.COURT_ORDER and not cleaned.get("court_name"):
            self.add_error("court_name", _("Name the court that ordered the assistant."))
        self.clean_consent(cleaned)
        return cleaned


class DecideForm(ConsentFieldsMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve and assign an assistant")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput)
    assistant = StaffChoiceField(label=_("Family assistant"), queryset=User.objects.none(), required=False)
    fund = forms.ModelChoiceField(label=_("Project fund"), queryset=None, required=False, empty_label=_("None"))
    refusal_reason = forms.CharField(label=_("Reason for refusal"), required=False, **_TEXT)

    def __init__(self, *args, centre_id, members, funds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assistant"].queryset = assistants_of(centre_id)
        self.fields["fund"].queryset = funds
        self.add_consent_fields(members)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "approve" and not cleaned.get("assistant"):
            self.add_error("assistant", _("Choose the assistant who will work with the family."))
        if cleaned.get("decision") == "refuse" and not (cleaned.get("refusal_reason") or "").strip():
            self.add_error("refusal_reason", _("Say why the request is refused."))
        self.clean_consent(cleaned)
        return cleaned


class ConsentForm(forms.Form):
    person = PersonChoiceField(label=_("Family member"), queryset=Person.objects.none())
    given_on = forms.DateField(label=_("Given on"), widget=DateInput)
    method = forms.ChoiceField(label=_("How"), choices=ConsentMethod.choices)
    note = forms.CharField(label=_("Note"), required=False, **_TEXT)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = members


class WithdrawConsentForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DateInput)
    note = forms.CharField(label=_("Reason for withdrawal"), **_TEXT)


class PlanItemForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), choices=WorkArea.choices)
    goal = forms.CharField(label=_("Goal"), max_length=500)
    action = forms.CharField(label=_("Action"), **_TEXT)
    responsible = forms.CharField(
        label=_("Who does it"), max_length=200, help_text=_("A family member, the assistant, a partner.")
    )
    due_on = forms.DateField(label=_("Deadline"), widget=DateInput, required=False)
    expected_effect = forms.CharField(label=_("Expected effect"), required=False, **_TEXT)


class AgreePlanForm(forms.Form):
    agreed_on = forms.DateField(label=_("Agreed on"), widget=DateInput)
    agreed_with = PersonMultipleChoiceField(
        label=_("Agreed with"), queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    social_worker = StaffChoiceField(label=_("Social worker consulted"), queryset=User.objects.none())
    review_on = forms.DateField(label=_("Review on"), widget=DateInput, required=False)

    def __init__(self, *args, members, centre_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreed_with"].queryset = members
        self.fields["social_worker"].queryset = caseworkers_of(centre_id)


class ItemStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=PlanItemStatus.choices)
    on = forms.DateField(label=_("On"), widget=DateInput)


class ActivityForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput)
    minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=MAX_MINUTES)
    place = forms.ChoiceField(label=_("Place"), choices=ActivityPlace.choices)
    areas = forms.MultipleChoiceField(
        label=_("Areas worked on"), choices=WorkArea.choices, widget=forms.CheckboxSelectMultiple
    )
    family_members = PersonMultipleChoiceField(
        label=_("Family members present"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partner institutions present"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    others_present = forms.CharField(label=_("Others present"), max_length=300, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, **_TEXT)

    def __init__(self, *args, members, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["family_members"].queryset = members
        self.fields["partners"].queryset = partners


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput)
    period_from = forms.DateField(label=_("Period from"), widget=DateInput)
    period_until = forms.DateField(label=_("Period until"), widget=DateInput)
    situation = forms.CharField(label=_("The family's situation"), **_TEXT)
    strengths = forms.CharField(label=_("Strengths"), required=False, **_TEXT)
    difficulties = forms.CharField(label=_("Difficulties"), required=False, **_TEXT)
    recommendation = forms.CharField(label=_("Recommendation"), **_TEXT)
    is_court_opinion = forms.BooleanField(label=_("Opinion for the court"), required=False)
    court_name = forms.CharField(label=_("Court"), max_length=200, required=False)
    court_reference = forms.CharField(label=_("Court file reference"), max_length=60, required=False)
    requested_on = forms.DateField(label=_("Court's request dated"), widget=DateInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in WorkArea.choices:
            self.fields[f"progress_{code}"] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=NOTES_MAX_LENGTH
            )

    def progress_fields(self):
        return [self[f"progress_{code}"] for code in WorkArea.values]

    def main_fields(self):
        return [self[name] for name in self.fields if not name.startswith("progress_")]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_from"), cleaned.get("period_until")
        if start and end and end < start:
            self.add_error("period_until", _("The period cannot end before it starts."))
        if cleaned.get("is_court_opinion") and not cleaned.get("court_name"):
            self.add_error("court_name", _("Name the court that asked for the opinion."))
        cleaned["progress"] = {
            code: text.strip() for code in WorkArea.values if (text := cleaned.get(f"progress_{code}") or "").strip()
        }
        return cleaned


class CloseWorkForm(forms.Form):
    closed_on = forms.DateField(label=_("Work closed on"), widget=DateInput)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ClosureOutcome.choices)
    note = forms.CharField(label=_("Note"), required=False, **_TEXT)


class EndMonitoringForm(forms.Form):
    ended_on = forms.DateField(label=_("Monitoring ended on"), widget=DateInput)
    note = forms.CharField(label=_("Note"), required=False, **_TEXT)


class EnrolmentFilterForm(forms.Form):
    q = forms.CharField(label=_("Family name or case reference"), max_length=SEARCH_MAX_LENGTH, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any")), *EnrolmentStatus.choices], required=False)
    assistant = StaffChoiceField(
        label=_("Family assistant"), queryset=User.objects.none(), required=False, empty_label=_("Any")
    )

    def __init__(self, *args, centre_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assistant"].queryset = assistants_of(centre_id)


class MonthField(forms.Field):
    """A month as YYYY-MM, cleaned to its first day."""

    def to_python(self, value):
        value = (value or "").strip() if isinstance(value, str) else value
        if not value:
            return None
        if len(value) != 7:
            raise ValidationError(_("Give the month as YYYY-MM."), code="invalid")
        try:
            return dt.date.fromisoformat(f"{value}-01")
        except ValueError:
            raise ValidationError(_("Give the month as YYYY-MM."), code="invalid") from None


class TimesheetForm(forms.Form):
    month = MonthField(label=_("Month"), required=False, widget=forms.TextInput(attrs={"type": "month"}))
    assistant = StaffChoiceField(
        label=_("Family assistant"), queryset=User.objects.none(), required=False, empty_label=_("All assistants")
    )

    def __init__(self, *args, centre_id, may_choose: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if may_choose:
            self.fields["assistant"].queryset = assistants_of(centre_id)
        else:
            del self.fields["assistant"]
