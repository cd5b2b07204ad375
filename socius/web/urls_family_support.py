"""UI routes of family_support (issue 10), included in web/urls.py under the "web" namespace."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
