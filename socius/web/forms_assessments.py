"""Forms for the environmental interview: starting one on a case, and the instrument's own fields built
from its definition (sections and typed fields). Every field is optional here (a draft may be partial);
the services have the last word on every value and list the missing mandatory fields on completion."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socius.assessments.models import AssessmentKind
from socius.common.formatting import format_money
from socius.rulebook import get_jurisdiction
from socius.rulebook.engine import instruments as inst
from socius.rulebook.engine.instruments import Field, Instrument
from socius.web.widgets import IsoDateInput as DateInput

SEP = "__"


class StartAssessmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AssessmentKind.choices, initial=AssessmentKind.INITIAL)
    need_identified_on = forms.DateField(
        label=_("Need identified on"),
        widget=DateInput,
        help_text=_("The day the centre learned that the interview is needed; the due date counts from it."),
    )
    urgent = forms.BooleanField(label=_("Urgent"), required=False)
    permanent_help = forms.BooleanField(label=_("On permanent help"), required=False)


class CompleteForm(forms.Form):
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput)


class SignForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput)


def field_name(section_code: str, field_code: str) -> str:
    return f"{section_code}{SEP}{field_code}"


def _form_field(field: Field) -> forms.Field:
    options = {"label": field.label, "required": False}
    kind = field.type
    if kind == inst.TEXT:
        return forms.CharField(max_length=field.max_length, **options)
    if kind == inst.LONG_TEXT:
        return forms.CharField(max_length=field.max_length, widget=forms.Textarea(attrs={"rows": 4}), **options)
    if kind == inst.INTEGER:
        return forms.IntegerField(min_value=field.min, max_value=field.max, **options)
    if kind == inst.DECIMAL:
        return forms.DecimalField(min_value=field.min, max_value=field.max, **options)
    if kind == inst.DATE:
        return forms.DateField(widget=DateInput, **options)
    if kind == inst.BOOLEAN:
        return forms.BooleanField(**options)
    if kind == inst.CHOICE:
        return forms.ChoiceField(choices=[("", "—"), *((o.code, o.label) for o in field.options)], **options)
    if kind == inst.MULTI_CHOICE:
        return forms.MultipleChoiceField(
            choices=[(o.code, o.label) for o in field.options], widget=forms.CheckboxSelectMultiple, **options
        )
    raise ValueError(kind)  # the loader refuses unknown types


def _initial(field: Field, value):
    if value is None:
        return None
    if field.type == inst.DATE:
        try:
            return dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            return None
    if field.type == inst.DECIMAL:
        return Decimal(value)
    return value


class AnswersForm(forms.Form):
    """One form field per instrument field, named "<section>__<field>"; `sections` gives them in order."""

    def __init__(self, *args, instrument: Instrument, kind: str, answers: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        answers = answers or {}
        # A placeholder section (not confirmed structure) is offered only where an old interview answered it.
        self.shown_sections = [s for s in instrument.sections if not s.placeholder or answers.get(s.code)]
        for section in self.shown_sections:
            given = answers.get(section.code) or {}
            for field in section.fields:
                name = field_name(section.code, field.code)
                form_field = _form_field(field)
                form_field.initial = _initial(field, given.get(field.code))
                form_field.mandatory = section.is_mandatory(kind) and field.required
                if form_field.mandatory:
                    form_field.help_text = _("Required to complete the interview.")
                    form_field.widget.attrs["aria-required"] = "true"
                self.fields[name] = form_field
        self.kind = kind

    def sections(self) -> list[dict]:
        return [
            {
                "section": section,
                "mandatory": section.is_mandatory(self.kind),
                "fields": [self[field_name(section.code, f.code)] for f in section.fields],
            }
            for section in self.shown_sections
        ]

    def printable(self) -> list[dict]:
        """Each section with (label, shown answer) pairs, for the printable view."""
        from django.utils import formats

        result = []
        for part in self.sections():
            rows = []
            for bound in part["fields"]:
                value, field = bound.initial, bound.field
                if value in (None, "", []):
                    shown = "—"
                elif isinstance(field, forms.BooleanField):
                    shown = _("yes") if value else _("no")
                elif isinstance(field, forms.MultipleChoiceField):
                    shown = "; ".join(str(label) for code, label in field.choices if code in value)
                elif isinstance(field, forms.ChoiceField):
                    shown = next((str(label) for code, label in field.choices if code == value), value)
                elif isinstance(value, dt.date):
                    shown = formats.date_format(value, "SHORT_DATE_FORMAT")
                elif isinstance(value, Decimal):  # the instruments' decimals are amounts (incomes)
                    shown = format_money(value, get_jurisdiction(self.instrument.jurisdiction).currency)
                else:
                    shown = str(value)
                rows.append((bound.label, shown))
            result.append({**part, "rows": rows})
        return result

    def answers(self) -> dict:
        """The cleaned values in the services' shape; an empty value removes an answer."""
        result: dict[str, dict] = {}
        for section in self.shown_sections:
            bucket = result.setdefault(section.code, {})
            for field in section.fields:
                value = self.cleaned_data.get(field_name(section.code, field.code))
                if isinstance(value, Decimal):
                    value = format(value, "f")
                elif field.type == inst.MULTI_CHOICE:
                    value = list(value or [])
                bucket[field.code] = value
        return result

    def add_service_errors(self, errors: dict) -> None:
        """Put "answers.<section>.<field>" messages on their fields; the rest at the top."""
        for key, messages in errors.items():
            parts = key.split(".")
            name = field_name(parts[1], parts[2]) if len(parts) == 3 and parts[0] == "answers" else None
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


def today() -> dt.date:
    return timezone.localdate()
