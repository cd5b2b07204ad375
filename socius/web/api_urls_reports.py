"""REST API v1 routes of /reports/monthly-activity/ and /reports/ with its actions (reportengine) (issue 12),
included in web/api_urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from socius.reporting.api import MonthlyActivityView, ReportViewSet

router = SimpleRouter()
router.register("reports", ReportViewSet, basename="api-report")

urlpatterns: list = [
    path("reports/monthly-activity/", MonthlyActivityView.as_view(), name="api-report-monthly-activity"),
    *router.urls,
]
