"""The operator's routes at the root, outside the UI's namespace: /healthz and /metrics (decision 0019)."""

from django.urls import path

from socius.web.views import ops

urlpatterns = [
    path("healthz", ops.healthz, name="healthz"),
    path("metrics", ops.prometheus_metrics, name="metrics"),
]
