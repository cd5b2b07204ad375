"""API tokens: several named tokens per user, each expiring, listed and revocable, stored hashed (decision 0021).

A token is issued by the token exchange (`/api/v1/auth/token/`: password, and the second factor for the roles
that need one). The key is shown once; the table keeps its SHA-256 and its first characters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from socius.accounts.audit import record_event
from socius.accounts.models import ApiToken, AuditAction, User
from socius.accounts.permissions import can_manage_sign_in_of, can_manage_staff, require
from socius.common.errors import Conflict, NotFound
from socius.common.trail import set_database_actor

DEFAULT_TOKEN_NAME = "API"
# The last use is written at most this often per token, so an API client's every request does not write a row.
LAST_USE_PRECISION = dt.timedelta(minutes=1)


def token_lifetime() -> dt.timedelta:
    return settings.SOCIUS_TOKEN_LIFETIME


def token_expires_at(token: ApiToken) -> dt.datetime:
    return token.expires_at


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def issue_api_token(user: User, name: str = DEFAULT_TOKEN_NAME) -> tuple[ApiToken, str]:
    """A new token named `name` for the user, returned with its key (shown once, never stored).

    A login under a name replaces the user's token of that name: the previous one stops working, so a leaked
    token lives no longer than the login that made it; tokens of other names (other clients) keep working."""
    now = timezone.now()
    User.objects.select_for_update().filter(pk=user.pk).first()  # two logins at once cannot both keep a token
    ApiToken.objects.filter(user=user, name=name, revoked_at__isnull=True).update(revoked_at=now)
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[:8],
        digest=digest_of(key),
        created_at=now,
        expires_at=now + token_lifetime(),
    )
    record_event(
        user,
        AuditAction.CREATE,
        object_type="user",
        object_id=user.pk,
        centre_id=user.centre_id,
        changes={"api_token": [None, f"{token.name} ({token.prefix}…)"]},
    )
    return token, key


def list_api_tokens_for(actor: User, user_id: int | None = None) -> QuerySet[ApiToken]:
    """The tokens of the actor, or (for the centre's administrator) of a staff member of the centre; newest first.
    Revoked and expired tokens are listed too, with their state, for as long as they are kept."""
    if user_id is None or int(user_id) == actor.pk:
        return ApiToken.objects.filter(user_id=actor.pk)
    require(actor, can_manage_staff)
    member = User.objects.filter(pk=int(user_id)).first()
    if member is None or not can_manage_sign_in_of(actor, member):
        raise NotFound()
    return ApiToken.objects.filter(user_id=member.pk)


def get_api_token_for(actor: User, token_id) -> ApiToken:
    """One token the actor may see: their own, or (administrator) one of their centre's staff; else NotFound."""
    try:
        token = ApiToken.objects.select_related("user").get(pk=int(token_id))
    except (ApiToken.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None
    if token.user_id == actor.pk:
        return token
    if can_manage_sign_in_of(actor, token.user):
        return token
    raise NotFound()


def revoke_api_token(actor: User, token_id) -> ApiToken:
    """Revoke one token now (its own user or the centre's administrator); a revoked token cannot be revoked again."""
    with transaction.atomic():
        token = get_api_token_for(actor, token_id)
        token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
        if token.revoked_at is not None:
            raise Conflict(_("This token has already been revoked."), code="already_revoked")
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(
            actor,
            AuditAction.UPDATE,
            object_type="user",
            object_id=token.user_id,
            centre_id=token.user.centre_id,
            changes={"api_token_revoked": [f"{token.name} ({token.prefix}…)", None]},
        )
    return token


def revoke_all_api_tokens(user: User) -> int:
    """Revoke every live token of the user (part of "sign out of all sessions"); returns how many. No audit here:
    the caller's service records the step it is part of."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`: the key's hash must name a token neither revoked nor past its expiry."""

    model = ApiToken
    expired_message = _("The token has expired. Ask for a new one at /api/v1/auth/token/.")

    def authenticate_credentials(self, key):
        try:
            token = ApiToken.objects.select_related("user").get(digest=digest_of(key))
        except ApiToken.DoesNotExist:
            raise AuthenticationFailed(_("Invalid token.")) from None
        if token.revoked_at is not None:
            raise AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        now = timezone.now()
        if now >= token.expires_at:
            raise AuthenticationFailed(self.expired_message, code="token_expired")
        if token.last_used_at is None or now - token.last_used_at >= LAST_USE_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        set_database_actor(token.user.pk)  # the change trail's triggers record this user (common.trail)
        return token.user, token
