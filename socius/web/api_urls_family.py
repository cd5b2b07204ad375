"""REST API v1 routes of family (issue 10), included in web/api_urls.py."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()

urlpatterns: list = [*router.urls]
