"""UI routes of the statutory statistics' pages (statutory) (issue 12), included in web/urls.py under the "web"
namespace."""

urlpatterns: list = []
