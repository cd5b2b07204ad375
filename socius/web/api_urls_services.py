"""REST API v1 routes of /services/ catalogue, offers, providers, workers, decisions, waiting lists (svc) (issue
11), included in web/api_urls.py."""

from rest_framework.routers import SimpleRouter

from socius.services.api import (
    CatalogueViewSet,
    DecisionViewSet,
    OfferViewSet,
    ProviderViewSet,
    WaitingListViewSet,
    WorkerViewSet,
)

router = SimpleRouter()
router.register("services/catalogue", CatalogueViewSet, basename="api-service-catalogue")
router.register("services/offers", OfferViewSet, basename="api-service-offer")
router.register("services/providers", ProviderViewSet, basename="api-service-provider")
router.register("services/workers", WorkerViewSet, basename="api-service-worker")
router.register("services/decisions", DecisionViewSet, basename="api-service-decision")
router.register("services/waiting-list", WaitingListViewSet, basename="api-service-waiting-entry")

urlpatterns = router.urls
