"""UI views of staff sign-in (decision 0021): the login with its second step (a code, or setting up an
authenticator right there), one's own sign-in page (authenticator, recovery codes, API tokens, sign out of all
sessions), a staff member's sign-in for the centre's administrator, and the centre's two-factor roles."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from socius.accounts.demo import is_demo_loaded
from socius.accounts.models import User
from socius.accounts.permissions import can_manage_sign_in_of
from socius.accounts.roles import MANAGE_STAFF
from socius.accounts.selectors import get_staff_member_for
from socius.accounts.sessions import sign_out_everywhere
from socius.accounts.signin import (
    authenticator_to_enrol,
    confirm_authenticator,
    has_authenticator,
    recovery_codes_left,
    regenerate_recovery_codes,
    requires_two_factor,
    reset_two_factor,
    role_requires_two_factor,
    secret_of,
    set_two_factor_roles,
    verify_second_factor,
)
from socius.accounts.tokens import list_api_tokens_for, revoke_api_token
from socius.common.errors import Conflict, NotFound, ValidationFailed
from socius.web.access import AUTHENTICATED, public, requires
from socius.web.forms_signin import CodeForm, EnrolForm, TwoFactorRolesForm
from socius.web.views._helpers import add_domain_errors, domain_404

# The login between its password and its second factor: who, how they were authenticated, when, where to go after.
PENDING = "socius_second_factor"


# --- the login -------------------------------------------------------------------------------------


class SignInView(auth_views.LoginView):
    """The password; then, for those who need it, the second step (a code, or setting up the authenticator).
    Nobody is logged in before that step succeeds."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not requires_two_factor(user):
            return super().form_valid(form)
        self.request.session.cycle_key()
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "at": timezone.now().timestamp(),
            "next": self.get_success_url(),
            "tries": 0,
        }
        return redirect("login_code" if has_authenticator(user) else "login_enrol")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["demo_note"] = is_demo_loaded()
        return context


def _pending(request) -> tuple[User, dict] | None:
    state = request.session.get(PENDING)
    if not isinstance(state, dict):
        return None
    age = timezone.now().timestamp() - float(state.get("at", 0))
    if age > settings.SOCIUS_SECOND_FACTOR_WAIT.total_seconds():
        request.session.pop(PENDING, None)
        return None
    user = User.objects.filter(pk=state.get("user"), is_active=True).select_related("centre").first()
    if user is None:
        request.session.pop(PENDING, None)
        return None
    return user, state


def _start_again(request):
    request.session.pop(PENDING, None)
    messages.error(request, _("Please log in again."))
    return redirect("login")


def _wrong_code(request, state: dict) -> bool:
    """Count a wrong code; past the limit the login starts again from the password (which django-axes throttles)."""
    state["tries"] = int(state.get("tries", 0)) + 1
    if state["tries"] >= settings.SOCIUS_SECOND_FACTOR_ATTEMPTS:
        return False
    request.session[PENDING] = state
    return True


def _complete(request, user: User, state: dict, device):
    auth_login(request, user, backend=state["backend"])
    otp_login(request, device)
    request.session.pop(PENDING, None)
    target = state.get("next") or settings.LOGIN_REDIRECT_URL
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "web:home"
    return target


@public
def login_code(request):
    """The login's second step: the authenticator's code, or one recovery code."""
    pending = _pending(request)
    if pending is None:
        return _start_again(request)
    user, state = pending
    if not has_authenticator(user):
        return redirect("login_enrol")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        device = verify_second_factor(user, form.cleaned_data["otp"])
        if device is not None:
            target = _complete(request, user, state, device)
            if isinstance(device, StaticDevice):
                messages.warning(
                    request,
                    _("You used a recovery code; %(count)d are left. Make new ones on your sign-in page.")
                    % {"count": recovery_codes_left(user)},
                )
            return redirect(target)
        if not _wrong_code(request, state):
            return _start_again(request)
        form.add_error("otp", _("This code is not right."))
    status = 400 if form.is_bound else 200
    return render(request, "registration/login_code.html", {"form": form}, status=status)


def _qr_svg(device) -> str:
    return mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=4, title="QR"))  # noqa: S308 (our SVG)


def _enrol(request, user: User, form, template_context: dict):
    device = authenticator_to_enrol(user)
    context = {"form": form, "qr": _qr_svg(device), "secret": secret_of(device), "device_id": device.pk}
    context.update(template_context)
    return context


@public
def login_enrol(request):
    """The login's second step for one who must use two factors and has no authenticator: set it up right here."""
    pending = _pending(request)
    if pending is None:
        return _start_again(request)
    user, state = pending
    if has_authenticator(user):
        return redirect("login_code")
    form = EnrolForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        device = authenticator_to_enrol(user)
        try:
            codes = confirm_authenticator(user, device.pk, form.cleaned_data["otp"])
        except ValidationFailed as exc:
            if not _wrong_code(request, state):
                return _start_again(request)
            add_domain_errors(form, exc)
        else:
            device.refresh_from_db()
            target = _complete(request, user, state, device)
            return _codes_page(request, codes, continue_to=target)
    status = 400 if form.is_bound else 200
    context = _enrol(request, user, form, {"action": "login_enrol", "in_login": True})
    return render(request, "registration/login_enrol.html", context, status=status)


def _codes_page(request, codes: list[str], *, continue_to: str):
    """The one page that shows recovery codes: never cached, never shown again."""
    context = {"codes": codes, "continue_to": resolve_url(continue_to)}
    response = render(request, "registration/recovery_codes.html", context)
    response["Cache-Control"] = "no-store"
    return response


@public
def admin_login(request):
    """Django's admin logs in through the same login, second factor included: it has no password form of its own."""
    return redirect_to_login(request.GET.get("next") or "/admin/")


# --- one's own sign-in -----------------------------------------------------------------------------


@requires(AUTHENTICATED)
def account_security(request):
    user = request.user
    context = {
        "has_authenticator": has_authenticator(user),
        "role_requires": role_requires_two_factor(user),
        "codes_left": recovery_codes_left(user),
        "tokens": list(list_api_tokens_for(user)),
        "now": timezone.now(),
        "session_max_hours": settings.SOCIUS_SESSION_MAX_AGE.total_seconds() / 3600,
    }
    return render(request, "web/signin/account_security.html", context)


@requires(AUTHENTICATED)
def account_authenticator(request):
    """Set up (or replace) one's authenticator while logged in; the login does it for those who must."""
    user = request.user
    form = EnrolForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        device = authenticator_to_enrol(user)
        try:
            codes = confirm_authenticator(user, device.pk, form.cleaned_data["otp"])
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Your authenticator is set up: each login asks for its code."))
            return _codes_page(request, codes, continue_to="web:account_security")
    status = 400 if form.is_bound else 200
    context = _enrol(request, user, form, {"action": "web:account_authenticator", "in_login": False})
    return render(request, "registration/login_enrol.html", context, status=status)


@requires(AUTHENTICATED)
@require_POST
def account_recovery_codes(request):
    try:
        codes = regenerate_recovery_codes(request.user)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("web:account_security")
    return _codes_page(request, codes, continue_to="web:account_security")


@requires(AUTHENTICATED)
@require_POST
def account_sign_out_everywhere(request):
    """Sign oneself out of every session (this one too) and revoke one's API tokens."""
    sign_out_everywhere(request.user)
    return redirect("login")


@requires(AUTHENTICATED)
@require_POST
@domain_404
def token_revoke(request, pk):
    """Revoke an API token: one's own, or (the centre's administrator) a staff member's."""
    try:
        token = revoke_api_token(request.user, pk)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The token %(name)s has been revoked.") % {"name": str(token)})
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("web:account_security")


# --- the centre's administrator --------------------------------------------------------------------


def _manageable_member(request, pk) -> User:
    member = get_staff_member_for(request.user, pk)
    if not can_manage_sign_in_of(request.user, member):
        raise NotFound()
    return member


@requires(MANAGE_STAFF)
@domain_404
def staff_sign_in(request, pk):
    """A staff member's sign-in: authenticator, API tokens; sign them out of every session, reset the authenticator."""
    member = _manageable_member(request, pk)
    context = {
        "member": member,
        "has_authenticator": has_authenticator(member),
        "role_requires": role_requires_two_factor(member),
        "codes_left": recovery_codes_left(member),
        "tokens": list(list_api_tokens_for(request.user, member.pk)),
        "now": timezone.now(),
    }
    return render(request, "web/signin/staff_sign_in.html", context)


@requires(MANAGE_STAFF)
@require_POST
@domain_404
def staff_sign_out_everywhere(request, pk):
    member = _manageable_member(request, pk)
    sign_out_everywhere(request.user, member.pk)
    messages.success(request, _("%(name)s has been signed out of every session.") % {"name": _name(member)})
    if member.pk == request.user.pk:
        return redirect("login")
    return redirect("web:staff_sign_in", pk=member.pk)


@requires(MANAGE_STAFF)
@require_POST
@domain_404
def staff_reset_two_factor(request, pk):
    member = _manageable_member(request, pk)
    reset_two_factor(request.user, member.pk)
    messages.success(
        request,
        _("The authenticator of %(name)s has been removed; they set up a new one at their next login.")
        % {"name": _name(member)},
    )
    if member.pk == request.user.pk:
        return redirect("login")
    return redirect("web:staff_sign_in", pk=member.pk)


@requires(MANAGE_STAFF)
def two_factor_roles(request):
    """The roles of the centre that sign in with two factors."""
    centre = request.user.centre
    posted = request.POST if request.method == "POST" else None
    form = TwoFactorRolesForm(posted, initial={"roles": list(centre.two_factor_roles or [])})
    if form.is_bound and form.is_valid():
        try:
            set_two_factor_roles(request.user, form.cleaned_data["roles"])
        except ValidationFailed as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("The two-factor sign-in roles have been saved."))
            return redirect("web:two_factor_roles")
    status = 400 if form.is_bound else 200
    return render(request, "web/signin/two_factor_roles.html", {"form": form}, status=status)


def _name(member: User) -> str:
    return member.get_full_name() or member.username
