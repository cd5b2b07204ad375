"""REST API v1 routes of /services/statements (statements) (issue 11), included in web/api_urls.py."""

from rest_framework.routers import SimpleRouter

from socius.web.views.services_statements import StatementApiViewSet

router = SimpleRouter()
router.register("services/statements", StatementApiViewSet, basename="service-statement")

urlpatterns: list = [*router.urls]
