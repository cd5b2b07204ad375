"""REST API v1 routes of consents, the register of processing activities and the breach log (issue 13),
included in web/api_urls.py."""

from rest_framework.routers import SimpleRouter

from socius.privacy.api_registers import DataBreachViewSet, PersonConsentViewSet, ProcessingActivityViewSet

router = SimpleRouter()
router.register("consents", PersonConsentViewSet, basename="api-consent")
router.register("processing-activities", ProcessingActivityViewSet, basename="api-processing-activity")
router.register("data-breaches", DataBreachViewSet, basename="api-data-breach")

urlpatterns: list = [*router.urls]
