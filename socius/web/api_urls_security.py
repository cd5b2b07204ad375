"""REST API v1 routes of staff sign-in: two-factor devices and recovery codes, sessions, API tokens (issue 13),
included in web/api_urls.py."""

urlpatterns: list = []
