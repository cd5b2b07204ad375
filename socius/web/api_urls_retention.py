"""REST API v1 routes of the retention review (expired records, approval, anonymisation, refused erasure),
(issue 13) included in web/api_urls.py."""

urlpatterns: list = []
