"""REST API v1 routes of /community/ events, potential recipients, territories, diagnosis (outreach) (issue 11),
included in web/api_urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from socius.community.api_outreach import (
    DiagnosisView,
    OutreachEventViewSet,
    PotentialRecipientViewSet,
    TerritoryViewView,
)

router = SimpleRouter()
router.register("community/events", OutreachEventViewSet, basename="api-outreach-event")
router.register("community/potential-recipients", PotentialRecipientViewSet, basename="api-potential-recipient")

urlpatterns: list = [
    path("community/territories/", TerritoryViewView.as_view(), name="api-community-territories"),
    path("community/diagnosis/", DiagnosisView.as_view(), name="api-community-diagnosis"),
    *router.urls,
]
