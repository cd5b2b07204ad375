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


class ApiBodyLimitMiddleware:
    """The API's edge: a body declared larger than the API reads is refused with 413 in JSON before it is read.

    Django would raise RequestDataTooBig deep inside the view and answer with an HTML 400 page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            from socius.common.parsers import body_limit, body_too_large_response

            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            limit = body_limit(request.META.get("CONTENT_TYPE", ""))
            if length > limit:
                # Before LocaleMiddleware: answer in the language the client asks for.
                from django.utils import translation

                with translation.override(translation.get_language_from_request(request)):
                    return body_too_large_response(limit)
        return self.get_response(request)
