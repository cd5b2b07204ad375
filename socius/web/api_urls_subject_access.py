"""REST API v1 routes of subject-access requests and their exports (GDPR art. 15) (issue 13),
included in web/api_urls.py."""

urlpatterns: list = []
