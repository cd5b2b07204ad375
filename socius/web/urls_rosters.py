"""UI routes of weekly rosters, the carer's day, deliveries, the canteen (roster) (issue 11), included in
web/urls.py under the "web" namespace."""

from django.urls import path

from socius.web.views import services_rosters as views

urlpatterns: list = [
    path("services/roster/", views.roster_week, name="roster_week"),
    path("services/roster/generate/", views.roster_generate, name="roster_generate"),
    path("services/roster/<int:pk>/publish/", views.roster_publish, name="roster_publish"),
    path("services/roster/<int:pk>/reopen/", views.roster_reopen, name="roster_reopen"),
    path("services/roster/visits/<int:pk>/", views.roster_visit, name="roster_visit"),
    path("services/roster/visits/<int:pk>/cancel/", views.roster_visit_cancel, name="roster_visit_cancel"),
    path("my-day/", views.carer_day, name="carer_day"),
    path("my-day/visits/<int:pk>/", views.carer_visit_record, name="carer_visit_record"),
    path("services/canteen/", views.canteen_day, name="canteen_day"),
]
