"""UI routes of the calendar, its iCalendar feeds, supervision (supervcal) (issue 11), included in web/urls.py
under the "web" namespace."""

urlpatterns: list = []
