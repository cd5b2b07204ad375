"""UI routes of monthly service statements (statements) (issue 11), included in web/urls.py under the "web"
namespace."""

urlpatterns: list = []
