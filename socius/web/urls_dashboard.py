"""UI routes of the director's and team leaders' dashboard (dashboard) (issue 12), included in web/urls.py under
the "web" namespace."""

urlpatterns: list = []
