"""Forms for help plans and social contracts. The services have the last word on every value; their
messages are put back on these fields."""

from __future__ import annotations

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from socius.common.limits import NOTES_MAX_LENGTH
from socius.plans.models import ActionKind, ContractVariant, ObligationParty, Responsible
from socius.registry.models import Person
from socius.web.forms_casework_visits import DateInput, PersonMultipleChoiceField

_TEXT = {"widget": forms.Textarea(attrs={"rows": 2})}


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput)
    review_on = forms.DateField(label=_("Review on"), widget=DateInput, required=False)
    assessment = forms.TypedChoiceField(
        label=_("Based on the interview"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Its diagnosis and conclusions are shown with the plan."),
    )

    def __init__(self, *args, interviews=(), **kwargs):
        """`interviews`: the case's completed interviews, newest first (the newest is preselected)."""
        super().__init__(*args, **kwargs)
        field = self.fields["assessment"]
        field.choices = [("", _("None")), *((a.pk, _interview_label(a)) for a in interviews)]
        if interviews:
            field.initial = interviews[0].pk


def _interview_label(assessment) -> str:
    completed = formats.date_format(assessment.completed_on, "SHORT_DATE_FORMAT") if assessment.completed_on else "—"
    return f"{assessment.get_kind_display()} — {completed}"


class GoalForm(forms.Form):
    description = forms.CharField(label=_("Goal"), **_TEXT, max_length=NOTES_MAX_LENGTH)


class ActionForm(forms.Form):
    goal = forms.TypedChoiceField(label=_("Goal"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), choices=ActionKind.choices)
    description = forms.CharField(label=_("Action"), **_TEXT, max_length=NOTES_MAX_LENGTH)
    responsible = forms.ChoiceField(label=_("Responsible"), choices=Responsible.choices)
    partner_name = forms.CharField(
        label=_("Partner"), max_length=200, required=False, help_text=_("Only when a partner is responsible.")
    )
    due_on = forms.DateField(label=_("Due on"), widget=DateInput, required=False)

    def __init__(self, *args, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = [(g.pk, g.description[:80]) for g in goals]


class OutcomeForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), required=False, **_TEXT, max_length=NOTES_MAX_LENGTH)


class ReviewForm(forms.Form):
    on = forms.DateField(label=_("Reviewed on"), widget=DateInput)
    note = forms.CharField(label=_("What the review found"), **_TEXT, max_length=NOTES_MAX_LENGTH)
    next_review_on = forms.DateField(label=_("Next review on"), widget=DateInput, required=False)


class ContractForm(forms.Form):
    variant = forms.ChoiceField(label=_("Variant"), choices=())
    clients = PersonMultipleChoiceField(
        label=_("Clients"), queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    causes = forms.CharField(
        label=_("Causes of the difficult situation"), required=False, **_TEXT, max_length=NOTES_MAX_LENGTH
    )
    strengths = forms.CharField(label=_("Strengths"), required=False, **_TEXT, max_length=NOTES_MAX_LENGTH)
    limitations = forms.CharField(label=_("Limitations"), required=False, **_TEXT, max_length=NOTES_MAX_LENGTH)
    goals = forms.CharField(label=_("Goals"), required=False, **_TEXT, max_length=NOTES_MAX_LENGTH)
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput)
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput)

    def __init__(self, *args, persons, variants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clients"].queryset = persons
        labels = dict(ContractVariant.choices)
        self.fields["variant"].choices = [(v, labels[v]) for v in variants]


class ObligationForm(forms.Form):
    party = forms.ChoiceField(label=_("Party"), choices=ObligationParty.choices)
    description = forms.CharField(label=_("Obligation"), **_TEXT, max_length=NOTES_MAX_LENGTH)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput, required=False)


class SignForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput)


class DayForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput, required=False)


class FulfilForm(DayForm):
    evaluation = forms.CharField(label=_("Evaluation"), required=False, **_TEXT, max_length=NOTES_MAX_LENGTH)


class TerminateForm(DayForm):
    reasons = forms.CharField(label=_("Reasons"), required=False, **_TEXT, max_length=NOTES_MAX_LENGTH)


class BreachForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput)
    reasons = forms.CharField(label=_("Reasons"), required=False, **_TEXT, max_length=NOTES_MAX_LENGTH)
    consequence = forms.ChoiceField(
        label=_("The centre's decision on consequences"), choices=(), widget=forms.RadioSelect
    )

    def __init__(self, *args, consequences: dict[str, str], **kwargs):
        """`consequences`: {code: label} from plans.rules.consequence_labels (the reader's language, with the
        statutory wording beside it)."""
        super().__init__(*args, **kwargs)
        self.fields["consequence"].choices = list(consequences.items())
        self.fields["consequence"].required = False


class ClearFlagForm(forms.Form):
    reason = forms.CharField(label=_("Reason for clearing"), required=False, **_TEXT, max_length=NOTES_MAX_LENGTH)
