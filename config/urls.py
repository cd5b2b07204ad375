"""URL configuration: UI at the root, REST API under /api/v1/, OpenAPI at /api/schema/."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from socius.web.urls import auth_urlpatterns
from socius.web.views.signin import admin_login

urlpatterns = [
    # The admin has no login of its own: it uses Socius's, with its second factor (decision 0021).
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("socius.web.api_urls")),
    path("", include("socius.web.urls_ops")),  # /healthz, /metrics (decision 0019)
    path("", include("socius.web.urls")),
    *auth_urlpatterns,
]

# With DEBUG off (make run, production): friendly translated pages, JSON under /api/ (socius.web.views.errors).
handler404 = "socius.web.views.errors.page_not_found"
handler403 = "socius.web.views.errors.permission_denied"
handler500 = "socius.web.views.errors.server_error"
