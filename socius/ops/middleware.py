"""The outermost middleware: every request gets its id, one JSON log line and its place in the metrics.

It runs first (before security redirects, the API's body limit and whitenoise), so what those answer is
counted too. The log line names the view (the URL conf's name) and its route, never the path or the query
string: paths carry ids of persons, queries the names searched for. The staff member's account id and centre
are written (as in the audit log); the people the request concerned never are.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.utils.functional import empty

from socius.common.context import bind_log_context, reset_log_context
from socius.common.logging import route_of
from socius.common.middleware import assign_request_id
from socius.ops import metrics

logger = logging.getLogger("socius.requests")

# Probes and scrapes come every few seconds: counted in the metrics, not written to the log.
QUIET_VIEWS = frozenset({"healthz", "metrics"})


def view_name_of(request, status: int) -> str:
    """The URL conf's name of the view that answered (bounded: a label of the metrics); for a request no
    route matched, what answered it instead."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name
    if request.path.startswith(f"/{settings.STATIC_URL.lstrip('/')}"):
        return "static"
    return "not_found" if status == 404 else "unresolved"


def _staff_of(request) -> tuple[int | None, int | None]:
    """The signed-in staff member, if the request has already loaded them (never a query of its own)."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None, None
    if not getattr(user, "is_authenticated", False):
        return None, None
    return user.pk, getattr(user, "centre_id", None)


class ObservabilityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = assign_request_id(request)
        token = bind_log_context(request_id=request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            self._record(request, response.status_code, seconds)
            return response
        finally:
            reset_log_context(token)

    def _record(self, request, status: int, seconds: float) -> None:
        view = view_name_of(request, status)
        metrics.observe_request(view, request.method, status, seconds)
        if view in QUIET_VIEWS:
            return
        user_id, centre_id = _staff_of(request)
        logger.info(
            "%s %s %s",
            metrics.method_label(request.method),
            route_of(request),
            status,
            extra={
                "view": view,
                "route": route_of(request),
                "method": metrics.method_label(request.method),
                "status": status,
                "duration_ms": round(seconds * 1000, 1),
                "user_id": user_id,
                "centre_id": centre_id,
            },
        )
