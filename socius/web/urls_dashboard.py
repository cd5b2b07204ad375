"""UI routes of the director's and team leaders' dashboard (dashboard) (issue 12), included in web/urls.py under
the "web" namespace."""

from django.urls import path

from socius.web.views import dashboard

urlpatterns: list = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
]
