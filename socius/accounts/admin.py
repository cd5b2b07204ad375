"""Django admin for superusers: centres, territory, teams and staff accounts.

The admin sees every centre at once and writes no audit events, so it is for superusers only
(set-up and support), never for daily work: staff use the Socius UI, which scopes and audits.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import Centre, Team, Territory, User


def _superusers_only(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_superuser)


# Staff status alone does not open the admin: only superusers get in.
admin.site.has_permission = _superusers_only
admin.site.site_header = "Socius"
admin.site.site_title = "Socius"


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "parent", "jurisdiction", "official_code")
    list_filter = ("jurisdiction", "level")
    search_fields = ("name", "search_name", "official_code")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0
    fields = ("name", "problem_group", "is_active")


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "jurisdiction", "territory", "created_at")
    list_filter = ("jurisdiction",)
    search_fields = ("name", "code")
    autocomplete_fields = ("territory",)
    inlines = (TeamInline,)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "centre", "problem_group", "is_active")
    list_filter = ("centre", "problem_group", "is_active")
    search_fields = ("name",)
    list_select_related = ("centre",)


class SociusUserChangeForm(UserChangeForm):
    language = forms.ChoiceField(label=_("language"), choices=[("", "—"), *settings.LANGUAGES], required=False)

    class Meta(UserChangeForm.Meta):
        model = User

    def clean(self):
        cleaned = super().clean()
        centre, teams = cleaned.get("centre"), cleaned.get("teams")
        if teams and any(team.centre_id != getattr(centre, "pk", None) for team in teams):
            self.add_error("teams", _("Choose teams of the user's own centre."))
        return cleaned


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = SociusUserChangeForm
    list_display = ("username", "first_name", "last_name", "role", "centre", "language", "is_active")
    list_filter = ("centre", "role", "is_active", "is_superuser")
    list_select_related = ("centre",)
    filter_horizontal = ("teams", "groups", "user_permissions")
    fieldsets = (
        *BaseUserAdmin.fieldsets[:1],
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "language")}),
        (_("Centre and role"), {"fields": ("centre", "role", "teams")}),
        *BaseUserAdmin.fieldsets[2:],
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
        (_("Centre and role"), {"fields": ("centre", "role", "language")}),
    )
