"""REST API v1 routes of staff sign-in: two-factor devices and recovery codes, sessions, API tokens (issue 13),
included in web/api_urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from socius.accounts.api_signin import ApiTokenViewSet, SignOutEverywhereView

router = SimpleRouter()
router.register("auth/tokens", ApiTokenViewSet, basename="api-token-list")

urlpatterns: list = [
    path("auth/sign-out-everywhere/", SignOutEverywhereView.as_view(), name="api-sign-out-everywhere"),
    *router.urls,
]
