"""REST API v1 routes of /reports/mrpips-03/, /reports/lt-cash-assistance/, /reports/md-yearly-aid/, /reports/ozps/
(statutory) (issue 12), included in web/api_urls.py."""

from django.urls import path

from socius.reporting.statutory import api

urlpatterns: list = [
    path("reports/mrpips-03/", api.MrpipsView.as_view(), name="api_reports_mrpips_03"),
    path("reports/ozps/", api.OzpsView.as_view(), name="api_reports_ozps"),
    path("reports/lt-cash-assistance/", api.LtCashView.as_view(), name="api_reports_lt_cash_assistance"),
    path("reports/md-yearly-aid/", api.MdYearlyView.as_view(), name="api_reports_md_yearly_aid"),
]
