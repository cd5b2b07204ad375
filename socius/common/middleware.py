"""Request-scoped context: the client's address and channel, for the audit log; the request's id; the
API's answer to an unexpected exception (problem details in JSON, never the HTML error page)."""

import logging
import re
import uuid

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _

from socius.common.context import RequestOrigin, reset_origin, set_origin
from socius.common.logging import route_of


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


logger = logging.getLogger("socius.errors")

REQUEST_ID_HEADER = "X-Request-ID"
# An id a proxy in front gave the request is kept (to follow it through both logs); anything else is replaced.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def assign_request_id(request) -> str:
    """Give the request its id once: the one a proxy in front sent, when well-formed, else a new one."""
    request_id = getattr(request, "request_id", None)
    if not request_id:
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = request.request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
    return request_id


def request_id_of(request) -> str:
    """The request's id: set by RequestContextMiddleware, else (a failure before it ran) a new one."""
    request_id = getattr(request, "request_id", None)
    if not request_id:
        request_id = request.request_id = uuid.uuid4().hex
    return request_id


def server_error_problem(request) -> JsonResponse:
    """The API's 500: problem details (RFC 9457) with the request's id, which the log names beside the
    traceback; nothing of the exception itself reaches the client."""
    request_id = request_id_of(request)
    response = JsonResponse(
        {
            "type": "about:blank",
            "title": _("Server error"),
            "status": 500,
            "detail": _("A server error occurred. Quote the request id when you report it."),
            "request_id": request_id,
        },
        status=500,
        content_type="application/problem+json",
    )
    response[REQUEST_ID_HEADER] = request_id
    return response


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = "api" if request.path.startswith("/api/") else "web"
        assign_request_id(request)  # socius.ops's middleware, outermost, may have given it already
        token = set_origin(RequestOrigin(ip=client_ip(request), channel=channel))
        try:
            response = self.get_response(request)
        finally:
            reset_origin(token)
        response[REQUEST_ID_HEADER] = request.request_id
        return response

    def process_exception(self, request, exception):
        """An exception no view answered, under /api/: JSON problem details, whatever DEBUG says (Django's
        own 404, 403 and 400 are left to their handlers, which answer JSON there too)."""
        if not request.path.startswith("/api/"):
            return None
        if isinstance(exception, Http404 | PermissionDenied | BadRequest | SuspiciousOperation):
            return None
        logger.error(
            "Unexpected error answering %s %s (request id %s)",
            request.method,
            route_of(request),  # never the path: it holds the ids of persons
            request_id_of(request),
            exc_info=exception,
        )
        return server_error_problem(request)


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
