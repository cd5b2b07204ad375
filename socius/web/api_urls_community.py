"""REST API v1 routes of /community/ events, potential recipients, territories, diagnosis (outreach) (issue 11),
included in web/api_urls.py."""

urlpatterns: list = []
