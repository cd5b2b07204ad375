"""REST API v1 routes of consents, the register of processing activities and the breach log (issue 13),
included in web/api_urls.py."""

urlpatterns: list = []
