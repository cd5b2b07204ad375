"""API of staff sign-in (decision 0021): one's API tokens (the administrator: the staff's) listed and revoked,
and "sign out of all sessions". Any staff member of a centre manages their own; MANAGE_STAFF the centre's staff."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from socius.accounts.serializers_signin import (
    ApiTokenQuerySerializer,
    ApiTokenSerializer,
    SignedOutSerializer,
    SignOutEverywhereSerializer,
)
from socius.accounts.sessions import sign_out_everywhere
from socius.accounts.tokens import list_api_tokens_for, revoke_api_token

_NOT_FOUND = OpenApiResponse(description="No such token or staff member among those you may manage.")
_CONFLICT = OpenApiResponse(description='Already revoked: {"detail": reason, "code": "already_revoked"}.')
_FORBIDDEN = OpenApiResponse(description="Only the centre's administrator manages another staff member's sign-in.")


class IsCentreStaff(BasePermission):
    """Signed in and a member of a centre's staff: one's own sign-in is everyone's to manage; what concerns another
    staff member the services check (MANAGE_STAFF, same centre)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.centre_id)


SIGN_IN_PERMISSIONS = [IsAuthenticated, IsCentreStaff]


@extend_schema(tags=["auth"])
class ApiTokenViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your API tokens, newest first (revoked and expired ones too, with their state); `?user=` a staff member's
    (the centre's administrator). Keys are never shown again: only their first characters."""

    serializer_class = ApiTokenSerializer
    permission_classes = SIGN_IN_PERMISSIONS
    filter_backends = []

    def get_queryset(self):
        query = ApiTokenQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return list_api_tokens_for(self.request.user, query.validated_data.get("user"))

    @extend_schema(parameters=[ApiTokenQuerySerializer], responses={200: ApiTokenSerializer(many=True)})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=None,
        responses={200: ApiTokenSerializer, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT},
        description="Revoke the token now: it answers 401 from then on.",
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        return Response(ApiTokenSerializer(revoke_api_token(request.user, pk)).data)


@extend_schema(
    tags=["auth"],
    request=SignOutEverywhereSerializer,
    responses={
        200: SignedOutSerializer,
        400: OpenApiResponse(description="Bad input."),
        403: _FORBIDDEN,
        404: _NOT_FOUND,
    },
    description="Sign out of every session (browsers: at their next request) and revoke every API token: yours, or "
    "with `user` a staff member's of your centre (its administrator). The token of this request stops working too.",
)
class SignOutEverywhereView(APIView):
    permission_classes = SIGN_IN_PERMISSIONS
    serializer_class = SignOutEverywhereSerializer

    def post(self, request):
        body = SignOutEverywhereSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        member = sign_out_everywhere(request.user, body.validated_data.get("user"))
        member.refresh_from_db(fields=["sessions_valid_after"])
        return Response(
            SignedOutSerializer({"user": member.pk, "sessions_valid_after": member.sessions_valid_after}).data
        )
