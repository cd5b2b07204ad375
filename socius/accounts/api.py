"""API for accounts: token exchange, the audit log, and the capability check every endpoint declares."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from socius.accounts.audit import persons_of_events
from socius.accounts.roles import VIEW_AUDIT
from socius.accounts.selectors import list_audit_events_for
from socius.accounts.serializers import AuditEventQuerySerializer, AuditEventSerializer, TokenSerializer
from socius.accounts.serializers_signin import TokenRequestSerializer
from socius.accounts.tokens import issue_api_token, token_expires_at
from socius.common.middleware import client_ip


class HasCapability(BasePermission):
    """The user's role holds the capability the view declares for the action (accounts.roles).

    Views declare `capabilities = {action: capability}`; an action not declared is refused, so a new
    action cannot slip through unguarded. Services check again (defence in depth); checking here first
    means a role without the right gets 403 before its input is even validated.
    """

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        method = request.method.lower()
        if not hasattr(view, method):
            raise MethodNotAllowed(request.method)  # 405 for a method the view does not route (e.g. DELETE)
        action = getattr(view, "action", None) or method
        needed = getattr(view, "capabilities", {}).get(action)
        return needed is not None and user.can(needed)


API_PERMISSIONS = [IsAuthenticated, HasCapability]


class ClientAddressThrottle(ScopedRateThrottle):
    """Counts per client address as the whole application reads it (common.middleware.client_ip):
    REMOTE_ADDR, or the address the trusted proxies (SOCIUS_PROXY_COUNT) saw, never one the client wrote."""

    def get_ident(self, request):
        return client_ip(request) or ""


@extend_schema(
    tags=["auth"],
    request=TokenRequestSerializer,
    responses={
        200: TokenSerializer,
        400: OpenApiResponse(
            description="Wrong username or password; or, for the roles that sign in with two factors, "
            "the `otp` field is missing or wrong."
        ),
        429: OpenApiResponse(description="Too many attempts from this address or for this account; try later."),
    },
    description="Exchange a username and password for an API token; send it as `Authorization: Token <token>`. "
    "Each login issues a fresh token under its `name` (the previous token of that name stops working; "
    "tokens of other names keep working); a token expires `expires_at`, after SOCIUS_TOKEN_HOURS (8 by default), "
    "and then answers 401. The roles the centre signs in with two factors send `otp` too (decision 0021). "
    "Tokens are listed and revoked at `/api/v1/auth/tokens/`. "
    "Throttled (scope `token`, per client address) against password guessing.",
)
class ObtainTokenView(APIView):
    # No session authentication here: a logged-in browser must not need a CSRF token to ask for one,
    # and the throttle counts per client address.
    authentication_classes = ()
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES  # ObtainAuthToken names its own; ours refuse bad JSON with 400
    throttle_classes = [ClientAddressThrottle]
    throttle_scope = "token"
    permission_classes = ()
    serializer_class = TokenRequestSerializer

    def post(self, request, *args, **kwargs):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, key = issue_api_token(serializer.validated_data["user"], serializer.validated_data["name"])
        return Response(TokenSerializer({"token": key, "expires_at": token_expires_at(token)}).data)


@extend_schema(tags=["audit"], parameters=[AuditEventQuerySerializer])
class AuditEventViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The centre's audit log, newest first (auditors and directors)."""

    serializer_class = AuditEventSerializer
    permission_classes = API_PERMISSIONS
    capabilities = {"list": VIEW_AUDIT, "options": VIEW_AUDIT}
    filter_backends = []  # filters are the selector's, read through AuditEventQuerySerializer

    def get_queryset(self):
        query = AuditEventQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return list_audit_events_for(self.request.user, **query.as_selector_kwargs())

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            named = persons_of_events(page)
            for event in page:
                event.named_persons = named[event.pk]
        return page
