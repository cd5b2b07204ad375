"""Form widgets shared by the UI."""

from django import forms


class IsoDateInput(forms.DateInput):
    """<input type="date"> always gets an ISO value: browsers show it in their own format, and a
    localised value (22.11.2026) would render as an empty field and block required-field submits."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs=attrs, format=format or "%Y-%m-%d")
