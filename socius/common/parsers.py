"""Reading request bodies at the API's edge: size limits and JSON that cannot crash the parser.

Kept apart from socius.common.api, which imports DRF's views: DRF's settings import this parser.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def body_too_large_response(limit: int | None = None):
    limit = body_limit() if limit is None else limit
    return JsonResponse(
        {"detail": str(_("The request body is too large (at most %(limit)s bytes).") % {"limit": limit})},
        status=413,
    )


def body_limit(content_type: str = "") -> int:
    """The largest body the API reads: a document upload may carry a whole document, anything else less."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if content_type.startswith("multipart/"):
        limit = max(limit, int(getattr(settings, "SOCIUS_DOCUMENT_MAX_BYTES", 0)) + 1024 * 1024)
    return limit


class SafeJSONParser(JSONParser):
    """JSON bodies: any parse failure, deep nesting included, is a 400; a body past the limit is a 413."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = body_limit()
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise RequestDataTooBig()
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
            return json.loads(text, parse_constant=_no_constant)
        except (ValueError, RecursionError) as exc:
            raise ParseError(_("The body is not valid JSON: %(error)s") % {"error": _short(exc)}) from None


def _no_constant(name):
    raise ValueError(f"{name} is not JSON")


def _short(exc) -> str:
    return "nested too deeply" if isinstance(exc, RecursionError) else str(exc)[:200]
