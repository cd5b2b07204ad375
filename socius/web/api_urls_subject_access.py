"""REST API v1 routes of subject-access requests and their exports (GDPR art. 15) (issue 13),
included in web/api_urls.py."""

from rest_framework.routers import SimpleRouter

from socius.privacy.api import SubjectAccessViewSet

router = SimpleRouter()
router.register("subject-access", SubjectAccessViewSet, basename="api-subject-access")

urlpatterns: list = [*router.urls]
