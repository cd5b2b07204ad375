"""REST API v1 routes of /reports/monthly-activity/ and its actions (reportengine) (issue 12), included in
web/api_urls.py."""

urlpatterns: list = []
