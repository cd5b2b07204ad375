"""Request-scoped context: the client's address and channel, for the audit log."""

from socius.common.context import RequestOrigin, reset_origin, set_origin


def client_ip(request) -> str | None:
    # Behind a reverse proxy, production sets SOCIUS_TRUST_X_FORWARDED_FOR; the first hop is the client.
    from django.conf import settings

    if getattr(settings, "SOCIUS_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = "api" if request.path.startswith("/api/") else "web"
        token = set_origin(RequestOrigin(ip=client_ip(request), channel=channel))
        try:
            return self.get_response(request)
        finally:
            reset_origin(token)
