"""REST API v1 routes of /services/ rosters, visits, deliveries, canteen (roster) (issue 11), included in
web/api_urls.py."""

urlpatterns: list = []
