"""REST API v1 routes of blue_cards (issue 10), included in web/api_urls.py."""

from rest_framework.routers import SimpleRouter

from socius.family.api_bluecards import BlueCardViewSet

router = SimpleRouter()
router.register("blue-cards", BlueCardViewSet, basename="blue-card")

urlpatterns: list = [*router.urls]
