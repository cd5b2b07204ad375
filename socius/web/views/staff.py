"""UI views: centre administration — staff members (list, add, edit, reset password), teams, the centre's settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from socius.accounts.roles import MANAGE_STAFF, VIEW_STAFF
from socius.accounts.selectors import get_staff_member_for, get_team_for, list_staff_for, list_teams_for
from socius.accounts.services import create_staff_member, create_team, reset_password, update_staff_member, update_team
from socius.accounts.services_centre import update_centre_settings
from socius.common.errors import ValidationFailed
from socius.web.access import requires
from socius.web.forms_staff import CentreSettingsForm, PasswordResetForm, StaffFilterForm, StaffForm, TeamForm
from socius.web.views._helpers import add_domain_errors, domain_404, paginate

PAGE_SIZE = 50


def _password_page(request, member, password: str, *, is_new: bool):
    """The one page that shows a generated password: never cached, never stored, not shown again."""
    response = render(
        request, "web/staff_password_shown.html", {"member": member, "password": password, "is_new": is_new}
    )
    response["Cache-Control"] = "no-store"
    return response


# --- staff -----------------------------------------------------------------------------------------


@requires(VIEW_STAFF)
def staff_list(request):
    actor = request.user
    # Active staff unless the filters say otherwise.
    form = StaffFilterForm(request.GET if request.GET else {"status": "active"}, actor=actor)
    staff = list_staff_for(actor, **form.selector_filters())
    page = paginate(request, staff, PAGE_SIZE)
    context = {"form": form, "page_obj": page, "is_filtered": bool(request.GET)}
    template = "web/staff_list_results.html" if request.htmx else "web/staff_list.html"
    return render(request, template, context)


@requires(MANAGE_STAFF)
def staff_create(request):
    actor = request.user
    form = StaffForm(_posted(request), actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            member, generated = create_staff_member(actor, form.staff_data())
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("%(name)s has been added to the staff.") % {"name": _name(member)})
            if generated:
                return _password_page(request, member, generated, is_new=True)
            return redirect("web:staff_list")
    status = 400 if form.is_bound else 200
    return render(request, "web/staff_form.html", {"form": form, "member": None}, status=status)


@requires(MANAGE_STAFF)
@domain_404
def staff_edit(request, pk):
    actor = request.user
    member = get_staff_member_for(actor, pk)
    form = StaffForm(_posted(request), actor=actor, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            saved = update_staff_member(actor, member.pk, form.staff_data())
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("The changes to %(name)s are saved.") % {"name": _name(saved)})
            return redirect("web:staff_list")
    status = 400 if form.is_bound else 200
    return render(request, "web/staff_form.html", {"form": form, "member": member}, status=status)


@requires(MANAGE_STAFF)
@domain_404
def staff_reset_password(request, pk):
    actor = request.user
    member = get_staff_member_for(actor, pk)
    form = PasswordResetForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["password"] or None
        try:
            password = reset_password(actor, member.pk, chosen)
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            if member.pk == actor.pk:
                member.refresh_from_db()
                update_session_auth_hash(request, member)  # stay logged in after changing one's own password
            messages.success(request, _("The password of %(name)s has been reset.") % {"name": _name(member)})
            if chosen is None:
                return _password_page(request, member, password, is_new=False)
            return redirect("web:staff_list")
    status = 400 if form.is_bound else 200
    return render(request, "web/staff_reset_password.html", {"form": form, "member": member}, status=status)


def _posted(request):
    """The posted data, or None on GET (an empty POST is still a submission: e.g. 'generate a password')."""
    return request.POST if request.method == "POST" else None


def _name(member) -> str:
    return member.get_full_name() or member.username


# --- teams -----------------------------------------------------------------------------------------


@requires(VIEW_STAFF)
def team_list(request):
    teams = list(list_teams_for(request.user))
    return render(request, "web/teams_list.html", {"teams": teams})


@requires(MANAGE_STAFF)
def team_create(request):
    actor = request.user
    form = TeamForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            team = create_team(actor, form.team_data())
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("The team %(name)s has been created.") % {"name": team.name})
            return redirect("web:team_list")
    status = 400 if form.is_bound else 200
    return render(request, "web/teams_form.html", {"form": form, "team": None}, status=status)


@requires(MANAGE_STAFF)
@domain_404
def team_edit(request, pk):
    actor = request.user
    team = get_team_for(actor, pk)
    form = TeamForm(_posted(request), team=team)
    if request.method == "POST" and form.is_valid():
        try:
            saved = update_team(actor, team.pk, form.team_data())
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("The team %(name)s has been saved.") % {"name": saved.name})
            return redirect("web:team_list")
    status = 400 if form.is_bound else 200
    return render(request, "web/teams_form.html", {"form": form, "team": team}, status=status)


# --- the centre's settings ------------------------------------------------------------------------


@requires(MANAGE_STAFF)
def centre_settings(request):
    """The centre's name and letterhead (address, place of issue, phone, e-mail) printed on its documents."""
    actor = request.user
    form = CentreSettingsForm(_posted(request), centre=actor.centre)
    if request.method == "POST" and form.is_valid():
        try:
            update_centre_settings(actor, form.cleaned_data)
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("The centre's settings have been saved."))
            return redirect("web:centre_settings")
    status = 400 if form.is_bound else 200
    return render(request, "web/centre_settings_form.html", {"form": form}, status=status)
