"""REST API v1 routes of /community/supervisions, /community/calendar and /calendar.ics (supervcal) (issue 11),
included in web/api_urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from socius.community.api_calendar import (
    CalendarEntryViewSet,
    CalendarIcsView,
    CalendarViewSet,
    SupervisionViewSet,
)

router = SimpleRouter()
router.register("community/supervisions", SupervisionViewSet, basename="api-supervision")
router.register("community/calendar", CalendarViewSet, basename="api-calendar")
router.register("community/calendar-entries", CalendarEntryViewSet, basename="api-calendar-entry")

urlpatterns: list = [
    *router.urls,
    path("calendar.ics", CalendarIcsView.as_view(), name="api-calendar-ics"),
]
