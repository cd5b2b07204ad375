"""UI routes of the calendar, its iCalendar feeds, supervision (supervcal) (issue 11), included in web/urls.py
under the "web" namespace."""

from django.urls import path

import socius.web.views.community_calendar as cal
import socius.web.views.community_supervision as sup

urlpatterns: list = [
    path("community/calendar/", cal.calendar_month, name="calendar"),
    path("community/calendar/entries/new/", cal.calendar_entry_new, name="calendar_entry_new"),
    path("community/calendar/entries/<int:pk>/", cal.calendar_entry, name="calendar_entry"),
    path("community/calendar/entries/<int:pk>/delete/", cal.calendar_entry_delete, name="calendar_entry_delete"),
    path("community/calendar/feed/", cal.calendar_feed, name="calendar_feed"),
    path("calendar/feed/<str:token>.ics", cal.calendar_feed_ics, name="calendar_feed_ics"),
    path("community/supervisions/", sup.supervisions, name="supervisions"),
    path("community/supervisions/new/", sup.supervision_new, name="supervision_new"),
    path("community/supervisions/<int:pk>/", sup.supervision, name="supervision"),
    path("community/supervisions/<int:pk>/held/", sup.supervision_held, name="supervision_held"),
    path("community/supervisions/<int:pk>/cancel/", sup.supervision_cancel, name="supervision_cancel"),
]
