"""Sessions (decision 0021): an absolute lifetime besides the idle timeout, and "sign out of all sessions".

Works with any session backend: each session remembers when its login happened; a user's `sessions_valid_after`
ends every session begun before it at that session's next request.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.db import transaction
from django.utils import timezone

from socius.accounts.audit import record_event
from socius.accounts.models import AuditAction, User
from socius.accounts.permissions import can_manage_sign_in_of, can_manage_staff, require
from socius.accounts.tokens import revoke_all_api_tokens
from socius.common.errors import NotFound

SIGNED_IN_AT = "socius_signed_in_at"


def stamp_session(request) -> None:
    """Mark the session with its login's moment (every login: the form, the second factor, force_login)."""
    request.session[SIGNED_IN_AT] = timezone.now().timestamp()


def end_sessions_and_tokens(user: User) -> None:
    """End the user's sessions (at their next request) and revoke their API tokens. No audit: the caller's step."""
    User.objects.filter(pk=user.pk).update(sessions_valid_after=timezone.now())
    revoke_all_api_tokens(user)


def sign_out_everywhere(actor: User, member_id=None) -> User:
    """Sign a user out of every session and revoke their API tokens: oneself (any staff member), or a staff member
    of the centre (its administrator)."""
    with transaction.atomic():
        if member_id is None or str(member_id) == str(actor.pk):
            member = actor
        else:
            require(actor, can_manage_staff)
            try:
                member = User.objects.select_for_update().filter(pk=int(member_id)).first()
            except (TypeError, ValueError):
                member = None
            if member is None or not can_manage_sign_in_of(actor, member):
                raise NotFound()
        end_sessions_and_tokens(member)
        record_event(
            actor,
            AuditAction.UPDATE,
            object_type="user",
            object_id=member.pk,
            centre_id=member.centre_id,
            changes={"signed_out_everywhere": [None, True]},
        )
    return member


def session_is_over(request, user: User) -> bool:
    signed_in_at = request.session.get(SIGNED_IN_AT)
    if signed_in_at is None:
        return False  # a session from before this rule: stamped now, by the middleware
    now = timezone.now().timestamp()
    if now - signed_in_at >= settings.SOCIUS_SESSION_MAX_AGE.total_seconds():
        return True
    valid_after = user.sessions_valid_after
    return valid_after is not None and signed_in_at <= valid_after.timestamp()


class SessionLifetimeMiddleware:
    """Ends a session past its absolute lifetime or begun before its user's "sign out of all sessions": the
    request then goes on as an anonymous one (a page sends to the login, the API answers 401/403)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            if SIGNED_IN_AT not in request.session:
                stamp_session(request)
            elif session_is_over(request, user):
                logout(request)
        return self.get_response(request)


def stamp_on_login(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        stamp_session(request)
