"""UI routes of the retention review (expired records, approval, anonymisation, refused erasure),
(issue 13) included in web/urls.py under the "web" namespace."""

urlpatterns: list = []
