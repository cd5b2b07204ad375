"""API conventions shared by every endpoint: pagination and how domain errors become HTTP answers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse
from rest_framework import status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed


class StandardPagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200


def _as_text(messages) -> list[str]:
    return [str(m) for m in messages]


def exception_handler(exc, context):
    """Domain errors to HTTP: 400 with field messages, 404, 403, 409 with a reason."""
    if isinstance(exc, ValidationFailed):
        body = {field: _as_text(msgs) for field, msgs in exc.errors.items()}
        body.update(exc.extra)
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, NotFound):
        exc = Http404()
    if isinstance(exc, Forbidden):
        exc = DjangoPermissionDenied()
    if isinstance(exc, Conflict):
        return Response({"detail": str(exc.message), "code": exc.code}, status=status.HTTP_409_CONFLICT)
    return drf_exception_handler(exc, context)


# OpenAPI responses every endpoint shares (the conflict and forbidden cases are described per endpoint).
BAD_INPUT = OpenApiResponse(description="Field-level messages in the language of Accept-Language.")
NOT_FOUND = OpenApiResponse(description="No such record in your centre.")


def pk_or_404(value) -> int:
    """A URL or body id as an integer; anything else is 'not found', like a record outside one's centre."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None
