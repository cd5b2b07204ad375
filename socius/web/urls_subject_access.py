"""UI routes of subject-access requests and their exports (GDPR art. 15) (issue 13),
included in web/urls.py under the "web" namespace."""

urlpatterns: list = []
