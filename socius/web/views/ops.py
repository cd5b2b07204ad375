"""The operator's endpoints: /healthz for load balancers and probes, /metrics for Prometheus.

Both outside the staff's UI and the API: no session, no language, no audit (no person's data is shown).
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from socius.ops import metrics
from socius.ops.health import check_health
from socius.web.access import public


@public
@never_cache
@require_safe
def healthz(request):
    """200 when every check passes, 503 naming the check that failed ("not configured" passes)."""
    report = check_health()
    return JsonResponse(report.as_json(), status=200 if report.is_healthy else 503)


@public  # guarded by its own bearer token (SOCIUS_METRICS_TOKEN), as the calendar's feed by its key
@never_cache
@require_safe
def prometheus_metrics(request):
    """Prometheus's text format. Without SOCIUS_METRICS_TOKEN the endpoint does not exist (404); with it, a
    scrape must send `Authorization: Bearer <token>` (401 otherwise)."""
    expected = settings.SOCIUS_METRICS_TOKEN
    if not expected:
        raise Http404
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected.encode()):
        response = HttpResponse("Unauthorized\n", status=401, content_type="text/plain; charset=utf-8")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    body = metrics.exposition(extra=_scrape_time_collectors())
    return HttpResponse(body, content_type=metrics.CONTENT_TYPE)


def _scrape_time_collectors() -> list:
    url = getattr(settings, "CELERY_BROKER_URL", "")
    if not url:
        return []
    return [metrics.QueueLengthCollector(url, celery_queue_names(), timeout=settings.SOCIUS_HEALTH_TIMEOUT_SECONDS)]


def celery_queue_names() -> list[str]:
    """The queues the workers consume: CELERY_TASK_QUEUES (kombu Queues or names), else the default queue."""
    declared = getattr(settings, "CELERY_TASK_QUEUES", None)
    names = [getattr(queue, "name", queue) for queue in declared] if declared else []
    default = getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")
    return sorted({str(name) for name in names} | {default})
