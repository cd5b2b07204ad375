"""Request-scoped context: the client's address and channel, for the audit log."""

from django.conf import settings

from socius.common.context import RequestOrigin, reset_origin, set_origin


def client_ip(request) -> str | None:
    """The client's address, as nobody but our own proxies could have written it.

    With no proxy in front (SOCIUS_PROXY_COUNT=0, the default) that is REMOTE_ADDR, and X-Forwarded-For
    is ignored: the client writes that header as it likes. Behind N proxies, each appends the address it
    saw to X-Forwarded-For, so the N-th entry from the right is the one our outermost proxy saw; the
    entries left of it are the client's to choose. The same rule as DRF's NUM_PROXIES, which is set to
    the same number, and django-axes reads the address here too.
    """
    proxies = getattr(settings, "SOCIUS_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        return hops[-min(proxies, len(hops))] or None
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
