"""UI routes of outreach, potential recipients, the territory view, the diagnosis (outreachweb) (issue 11),
included in web/urls.py under the "web" namespace."""

urlpatterns: list = []
