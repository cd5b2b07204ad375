"""Form shapes for centre administration: staff members, password resets, teams. The rules live in accounts.services."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from socius.accounts.models import ProblemGroup, Team, User
from socius.accounts.roles import Role
from socius.accounts.selectors import list_teams_for


class TeamsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Team) -> str:
        return obj.name if obj.is_active else _("%(name)s (inactive)") % {"name": obj.name}


def _describe_fields(form: forms.Form) -> None:
    """Each input names its error box and help text, so screen readers read them with the label."""
    for name, field in form.fields.items():
        auto_id = form[name].auto_id
        described = [f"{auto_id}-errors"]
        if field.help_text:
            described.append(f"{auto_id}_helptext")
        field.widget.attrs["aria-describedby"] = " ".join(described)


def language_choices() -> list[tuple[str, str]]:
    return [("", _("The browser's language")), *settings.LANGUAGES]


class StaffForm(forms.Form):
    """A staff member's account; `password` only when creating (left empty, one is generated)."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Used to log in. Letters, digits and @ . + - _ only."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
    )
    first_name = forms.CharField(label=_("Given names"), max_length=150)
    last_name = forms.CharField(label=_("Family name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    teams = TeamsField(
        label=_("Teams"), queryset=Team.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    is_active = forms.BooleanField(
        label=pgettext_lazy("staff member", "Active"),
        required=False,
        help_text=_("An inactive staff member cannot log in; their records and history are kept."),
    )
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        help_text=_("Leave empty to generate one; it is shown once after saving."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, actor: User, member: User | None = None, **kwargs):
        self.actor = actor
        self.member = member
        if member is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "username": member.username,
                "first_name": member.first_name,
                "last_name": member.last_name,
                "email": member.email,
                "role": member.role,
                "teams": [t.pk for t in member.teams.all()],
                "language": member.language,
                "is_active": member.is_active,
            }
        super().__init__(*args, **kwargs)
        # Active teams of the centre, and the inactive ones the member still belongs to.
        offered = Q(is_active=True)
        if member is None:
            del self.fields["is_active"]
        else:
            # The username is how the person logs in and how the audit log names them: it stays.
            del self.fields["username"]
            del self.fields["password"]
            offered |= Q(pk__in=[t.pk for t in member.teams.all()])
        self.fields["teams"].queryset = Team.objects.filter(offered, centre_id=actor.centre_id).order_by("name", "id")
        self.fields["language"].choices = language_choices()
        _describe_fields(self)

    def staff_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self.fields}
        data["teams"] = [t.pk for t in data.get("teams") or []]
        data["language"] = data.get("language") or ""
        data["email"] = data.get("email") or ""
        return data


class PasswordResetForm(forms.Form):
    password = forms.CharField(
        label=_("New password"),
        required=False,
        strip=False,
        help_text=_("Leave both fields empty to generate a password; it is shown once."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirm = forms.CharField(
        label=_("New password again"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _describe_fields(self)

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("password") or "") != (cleaned.get("password_confirm") or ""):
            self.add_error("password_confirm", _("The two passwords differ."))
        return cleaned


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=120)
    problem_group = forms.ChoiceField(label=_("Problem group"), choices=ProblemGroup.choices)
    is_active = forms.BooleanField(
        label=pgettext_lazy("team", "Active"),
        required=False,
        initial=True,
        help_text=_("An inactive team takes no new members; its history is kept."),
    )

    def __init__(self, *args, team: Team | None = None, **kwargs):
        self.team = team
        if team is not None and "initial" not in kwargs:
            kwargs["initial"] = {"name": team.name, "problem_group": team.problem_group, "is_active": team.is_active}
        super().__init__(*args, **kwargs)
        _describe_fields(self)

    def team_data(self) -> dict:
        return dict(self.cleaned_data)


ACTIVE, INACTIVE = "active", "inactive"


class StaffFilterForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("Any"))
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any")),
            (ACTIVE, pgettext_lazy("staff member", "Active")),
            (INACTIVE, pgettext_lazy("staff member", "Inactive")),
        ],
    )

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("Any")), *Role.choices]
        self.fields["team"].queryset = list_teams_for(actor).order_by("name", "id")

    def selector_filters(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        status = data.get("status")
        return {
            "role": data.get("role") or None,
            "team_id": data["team"].pk if data.get("team") else None,
            "is_active": {ACTIVE: True, INACTIVE: False}.get(status),
        }


class CentreSettingsForm(forms.Form):
    """The centre's name and the letterhead of its documents; accounts.services_centre checks the values."""

    name = forms.CharField(label=_("Centre name"), max_length=200)
    address = forms.CharField(
        label=_("Address"),
        max_length=300,
        required=False,
        help_text=_("Street, number, postal code and town, as printed on the letterhead."),
    )
    locality = forms.CharField(
        label=_("Place of issue"),
        max_length=100,
        required=False,
        help_text=_("The town printed before the date of issue on documents."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)

    def __init__(self, *args, centre=None, **kwargs):
        if centre is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(centre, name) for name in self.base_fields}
        super().__init__(*args, **kwargs)
        _describe_fields(self)
