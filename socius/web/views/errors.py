"""Error pages when DEBUG is off: friendly, translated pages for the UI, JSON for the API, never a traceback.

Django calls these for what no view answered itself: an unmatched URL (404), PermissionDenied raised
outside DRF (403), and any uncaught exception (500). DRF's views answer their own errors in JSON through
socius.common.api.exception_handler; these handlers give /api/ paths the same shape for the rest.
"""

from __future__ import annotations

import logging

from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import page_not_found as django_page_not_found
from django.views.defaults import permission_denied as django_permission_denied
from rest_framework import exceptions

from socius.common.middleware import server_error_problem

logger = logging.getLogger(__name__)


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _api_error(exception_class, status: int) -> JsonResponse:
    """The body DRF gives the same error inside a view ({"detail": ...}, in the request's language)."""
    return JsonResponse({"detail": str(exception_class.default_detail)}, status=status)


@requires_csrf_token
def page_not_found(request, exception):
    if _is_api(request):
        return _api_error(exceptions.NotFound, 404)
    return django_page_not_found(request, exception, template_name="404.html")


@requires_csrf_token
def permission_denied(request, exception):
    if _is_api(request):
        return _api_error(exceptions.PermissionDenied, 403)
    return django_permission_denied(request, exception, template_name="403.html")


@requires_csrf_token
def server_error(request):
    if _is_api(request):
        return server_error_problem(request)
    try:
        # No request context: the failure may be the database, which the context processors read.
        return HttpResponse(loader.get_template("500.html").render(), status=500)
    except Exception:  # the page that reports an error must not fail in turn
        logger.exception("The 500 page could not be rendered")
        return HttpResponse("Server error (500)", content_type="text/plain; charset=utf-8", status=500)
