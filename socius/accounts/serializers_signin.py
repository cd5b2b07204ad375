"""Shapes of the sign-in API (decision 0021): the token exchange with its second factor, named tokens."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer

from socius.accounts.models import ApiToken
from socius.accounts.signin import has_authenticator, requires_two_factor, verify_second_factor
from socius.accounts.tokens import DEFAULT_TOKEN_NAME
from socius.common.api import IdField


class TokenRequestSerializer(AuthTokenSerializer):
    """Username and password; the code of the authenticator app (or a recovery code) for the roles that sign in
    with two factors; optionally the token's name (a new login under a name replaces that name's token)."""

    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        write_only=True,
        help_text="The six digits the authenticator app shows, or a recovery code: required of the roles the centre "
        "signs in with two factors, and of anyone who has set up an authenticator.",
    )
    name = serializers.CharField(
        required=False,
        max_length=60,
        write_only=True,
        default=DEFAULT_TOKEN_NAME,
        help_text=f'What the token is for (default "{DEFAULT_TOKEN_NAME}"); a login under the same name replaces '
        "that token, other names keep theirs.",
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        user = attrs["user"]
        if requires_two_factor(user):
            if not has_authenticator(user):
                raise serializers.ValidationError(
                    {"otp": [_("Two-factor sign-in is required: set up an authenticator by logging in on the web.")]}
                )
            if not attrs.get("otp"):
                raise serializers.ValidationError({"otp": [_("Enter the code of your authenticator app.")]})
            if verify_second_factor(user, attrs["otp"]) is None:
                raise serializers.ValidationError({"otp": [_("This code is not right.")]})
        attrs["name"] = " ".join(attrs.get("name", DEFAULT_TOKEN_NAME).split()) or DEFAULT_TOKEN_NAME
        return attrs


class ApiTokenSerializer(serializers.ModelSerializer):
    """A token as listed: never its key, only its first characters."""

    is_active = serializers.SerializerMethodField(help_text="Neither revoked nor expired.")

    class Meta:
        model = ApiToken
        fields = ["id", "user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at", "is_active"]
        read_only_fields = fields

    def get_is_active(self, token: ApiToken) -> bool:
        from django.utils import timezone

        return token.revoked_at is None and token.expires_at > timezone.now()


class ApiTokenQuerySerializer(serializers.Serializer):
    user = IdField(required=False, help_text="A staff member's tokens (the centre's administrator); yours without.")


class SignOutEverywhereSerializer(serializers.Serializer):
    user = IdField(
        required=False, help_text="A staff member to sign out (the centre's administrator); yourself without."
    )


class SignedOutSerializer(serializers.Serializer):
    user = serializers.IntegerField(read_only=True)
    sessions_valid_after = serializers.DateTimeField(read_only=True)
