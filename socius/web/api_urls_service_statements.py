"""REST API v1 routes of /services/statements (statements) (issue 11), included in web/api_urls.py."""

urlpatterns: list = []
