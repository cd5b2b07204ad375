"""Form widgets shared by the UI.

Dates and times are typed as text in the format of the interface language (14.05.1944 in Polish, 1944-05-14 in
Lithuanian, 14/05/1944 in English), not with <input type="date">: the browser draws that one in the browser's
own locale (mm/dd/yyyy in a US-configured Chromium), whatever language the page is in. The value is shown in
the active language's first input format (config/formats/<lang>/formats.py) and read back with all of that
language's input formats, ISO included; the placeholder shows the expected format.
"""

from __future__ import annotations

from django import forms
from django.utils import formats
from django.utils.translation import get_language

# The input formats' placeholders (named in config/formats/<lang>/formats.py) and their fallback.
_HINTS = {
    "DATE_INPUT_FORMATS": ("DATE_INPUT_HINT", "yyyy-mm-dd"),
    "TIME_INPUT_FORMATS": ("TIME_INPUT_HINT", "hh:mm"),
    "DATETIME_INPUT_FORMATS": ("DATETIME_INPUT_HINT", "yyyy-mm-dd hh:mm"),
}


def input_hint(format_key: str, language: str | None = None) -> str:
    """The placeholder of a date, time or date-time input ("dd.mm.rrrr") in a language (the active one)."""
    name, fallback = _HINTS[format_key]
    for module in formats.get_format_modules(language or get_language()):
        hint = getattr(module, name, None)
        if hint:
            return hint
    return fallback


class _LocalInputMixin:
    """A text input in the active language's format, its expected format shown as the placeholder."""

    input_type = "text"
    base_attrs: dict = {}

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs={**self.base_attrs, **(attrs or {})}, format=format)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs.setdefault("placeholder", input_hint(self.format_key))
        widget_attrs.setdefault("data-format", widget_attrs["placeholder"])
        return context


class LocalDateInput(_LocalInputMixin, forms.DateInput):
    base_attrs = {"inputmode": "numeric", "autocomplete": "off", "size": "10", "maxlength": "10", "class": "date-input"}


class LocalDateTimeInput(_LocalInputMixin, forms.DateTimeInput):
    base_attrs = {"autocomplete": "off", "size": "16", "maxlength": "19", "class": "datetime-input"}


class LocalTimeInput(_LocalInputMixin, forms.TimeInput):
    base_attrs = {"inputmode": "numeric", "autocomplete": "off", "size": "5", "maxlength": "8", "class": "time-input"}


# The earlier name, kept so that forms written against it get the localised input too.
IsoDateInput = LocalDateInput
