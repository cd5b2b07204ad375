"""UI routes of the monthly activity report's pages, drill-down, narrative and approval (reportweb) (issue 12),
included in web/urls.py under the "web" namespace."""

urlpatterns: list = []
