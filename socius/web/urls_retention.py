"""UI routes of the retention review (expired records, approval, anonymisation, refused erasure),
(issue 13) included in web/urls.py under the "web" namespace."""

from django.urls import path

from socius.web.views import retention

urlpatterns: list = [
    path("retention/", retention.retention_reviews, name="retention_reviews"),
    path("retention/run/", retention.retention_run, name="retention_run"),
    path("retention/<int:pk>/", retention.retention_review, name="retention_review"),
    path("retention/<int:pk>/approve/", retention.retention_approve, name="retention_approve"),
    path("retention/<int:pk>/reject/", retention.retention_reject, name="retention_reject"),
    path("retention/erasure/", retention.erasure_requests, name="erasure_requests"),
    path("retention/erasure/<int:pk>/", retention.erasure_request, name="erasure_request"),
    path("retention/erasure/<int:pk>/approve/", retention.erasure_approve, name="erasure_approve"),
    path("retention/erasure/<int:pk>/refuse/", retention.erasure_refuse, name="erasure_refuse"),
    path("persons/<int:pk>/erasure/", retention.erasure_new, name="erasure_new"),
]
