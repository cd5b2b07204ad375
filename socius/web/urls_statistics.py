"""UI routes of the statutory statistics' pages (statutory) (issue 12), included in web/urls.py under the "web"
namespace."""

from django.urls import path

from socius.web.views import statistics

urlpatterns: list = [
    path("statistics/", statistics.statistics_index, name="statistics"),
    path("statistics/<slug:slug>/", statistics.statistics_report, name="statistics_report"),
    path("statistics/<slug:slug>/export.xlsx", statistics.statistics_export, name="statistics_export"),
]
