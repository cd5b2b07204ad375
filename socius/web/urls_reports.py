"""UI routes of the monthly activity report's pages, drill-down, narrative and approval (reportweb) (issue 12),
included in web/urls.py under the "web" namespace."""

from django.urls import path

from socius.web.views import reports

urlpatterns: list = [
    path("reports/", reports.report_list, name="report_list"),
    path("reports/monthly/", reports.report_monthly, name="report_monthly"),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/narrative/", reports.report_narrative, name="report_narrative"),
    path("reports/<int:pk>/narrative/sign/", reports.report_narrative_sign, name="report_narrative_sign"),
    path("reports/<int:pk>/approve/", reports.report_approve, name="report_approve"),
    path("reports/<int:pk>/new-version/", reports.report_new_version, name="report_new_version"),
    path("reports/<int:pk>/records/<slug:code>/", reports.report_drilldown, name="report_drilldown"),
    path("reports/<int:pk>/export.pdf", reports.report_export_pdf, name="report_export_pdf"),
    path("reports/<int:pk>/export.xlsx", reports.report_export_xlsx, name="report_export_xlsx"),
    path("reports/<int:pk>/export.csv", reports.report_export_csv, name="report_export_csv"),
]
