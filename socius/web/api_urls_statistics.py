"""REST API v1 routes of /reports/mrpips-03/, /reports/lt-cash-assistance/, /reports/md-yearly-aid/, /reports/ozps/
(statutory) (issue 12), included in web/api_urls.py."""

urlpatterns: list = []
