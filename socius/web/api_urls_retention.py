"""REST API v1 routes of the retention review (expired records, approval, anonymisation, refused erasure),
(issue 13) included in web/api_urls.py."""

from rest_framework.routers import SimpleRouter

from socius.privacy.api_retention import ErasureRequestViewSet, RetentionReviewViewSet

router = SimpleRouter()
router.register("retention/reviews", RetentionReviewViewSet, basename="retention-review")
router.register("retention/erasure-requests", ErasureRequestViewSet, basename="erasure-request")

urlpatterns: list = router.urls
