"""REST API v1 routes of /services/ rosters, visits, deliveries, canteen (roster) (issue 11), included in
web/api_urls.py."""

from rest_framework.routers import SimpleRouter

from socius.services.api_rosters import CanteenDayViewSet, DeliveryViewSet, RosterViewSet, VisitViewSet

router = SimpleRouter()
router.register("services/rosters", RosterViewSet, basename="api-service-roster")
router.register("services/visits", VisitViewSet, basename="api-service-visit")
router.register("services/deliveries", DeliveryViewSet, basename="api-service-delivery")
router.register("services/canteen-days", CanteenDayViewSet, basename="api-service-canteen-day")

urlpatterns = router.urls
