"""Forms of staff sign-in (decision 0021): the code of the login's second step, the centre's two-factor roles."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from socius.accounts.signin import TWO_FACTOR_ROLE_CHOICES


class CodeForm(forms.Form):
    otp = forms.CharField(
        label=_("Code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        help_text=_("The six digits your authenticator app shows now, or one of your recovery codes."),
    )


class EnrolForm(forms.Form):
    otp = forms.CharField(
        label=_("Code from the app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        help_text=_("The six digits the app shows once it has the key."),
    )


class TwoFactorRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles that sign in with two factors"),
        choices=TWO_FACTOR_ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Staff of these roles give a code from an authenticator app after their password. Those without one set "
            "it up at their next login."
        ),
    )
