"""REST API v1 routes of /services/ catalogue, offers, providers, workers, decisions, waiting lists (svc) (issue
11), included in web/api_urls.py."""

urlpatterns: list = []
