"""UI routes of consents, the register of processing activities and the breach log (issue 13),
included in web/urls.py under the "web" namespace."""

urlpatterns: list = []
