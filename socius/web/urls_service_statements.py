"""UI routes of monthly service statements (statements) (issue 11), included in web/urls.py under the "web"
namespace."""

from django.urls import path

from socius.web.views import services_statements as views

urlpatterns: list = [
    path("services/statements/", views.statement_list, name="service_statements"),
    path("services/statements/generate/", views.statements_generate, name="service_statements_generate"),
    path("services/statements/issue-all/", views.statements_issue_all, name="service_statements_issue_all"),
    path("services/statements/month.pdf", views.statements_month_pdf, name="service_statements_pdf"),
    path("services/statements/<int:pk>/", views.statement_detail, name="service_statement"),
    path("services/statements/<int:pk>/pdf/", views.statement_pdf, name="service_statement_pdf"),
    path("services/statements/<int:pk>/issue/", views.statement_issue, name="service_statement_issue"),
    path("services/statements/<int:pk>/cancel/", views.statement_cancel, name="service_statement_cancel"),
    path("services/statements/<int:pk>/correct/", views.statement_correct, name="service_statement_correct"),
]
