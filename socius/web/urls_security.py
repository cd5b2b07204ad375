"""UI routes of staff sign-in: two-factor devices and recovery codes, sessions, API tokens (issue 13),
included in web/urls.py under the "web" namespace."""

urlpatterns: list = []
