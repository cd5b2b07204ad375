"""UI routes of the service catalogue, offers, decisions, waiting lists (svcweb) (issue 11), included in
web/urls.py under the "web" namespace."""

urlpatterns: list = []
