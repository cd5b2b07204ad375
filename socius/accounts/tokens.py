"""API tokens that expire: issued fresh at each login, refused after SOCIUS_TOKEN_HOURS (settings)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from socius.accounts.models import User
from socius.common.trail import set_database_actor


def token_lifetime() -> dt.timedelta:
    return settings.SOCIUS_TOKEN_LIFETIME


def token_expires_at(token: Token) -> dt.datetime:
    return token.created + token_lifetime()


@transaction.atomic
def issue_api_token(user: User) -> Token:
    """A new token for each login: the previous one stops working, so a leaked token lives no longer
    than the login that made it (one token per user: DRF's Token is one-to-one with its user)."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, refused with 401 once the token is older than its lifetime."""

    expired_message = _("The token has expired. Ask for a new one at /api/v1/auth/token/.")

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if timezone.now() >= token_expires_at(token):
            raise AuthenticationFailed(self.expired_message, code="token_expired")
        set_database_actor(user.pk)  # the change trail's triggers record this user (common.trail)
        return user, token
