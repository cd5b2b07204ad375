"""UI routes of CSV and XLSX exports of the UI's lists (exports) (issue 12), included in web/urls.py under the
"web" namespace."""

urlpatterns: list = []
