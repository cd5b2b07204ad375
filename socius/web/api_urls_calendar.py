"""REST API v1 routes of /community/supervisions, /community/calendar and /calendar.ics (supervcal) (issue 11),
included in web/api_urls.py."""

urlpatterns: list = []
