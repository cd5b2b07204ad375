"""Security headers Django does not set itself: Permissions-Policy (decision 0021)."""

from __future__ import annotations

from django.conf import settings


class PermissionsPolicyMiddleware:
    """Denies the browser features Socius never uses (camera, microphone, geolocation, ...) to every page, so
    an injected script could not ask for them either."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.SOCIUS_PERMISSIONS_POLICY)
        return response
