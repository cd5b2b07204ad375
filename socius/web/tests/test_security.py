"""Privacy settings that must not regress: session timeout, cookies, CSRF, error pages, headers."""

import datetime as dt
import importlib

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from socius.registry.models import Person
from socius.testing.factories import PersonFactory


def test_sessions_expire_after_thirty_idle_minutes_and_with_the_browser():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True  # the timeout counts from the last request
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


def _load_production_settings():
    """Execute config.settings.production afresh (its base too) under the current environment."""
    import sys

    importlib.reload(importlib.import_module("config.settings.base"))
    sys.modules.pop("config.settings.production", None)
    return importlib.import_module("config.settings.production")


def test_production_settings_send_cookies_over_https_only(monkeypatch):
    monkeypatch.setenv("SOCIUS_SECRET_KEY", "a-long-random-production-key-for-this-test-only-0123456789")

    production = _load_production_settings()

    assert (production.SESSION_COOKIE_SECURE, production.CSRF_COOKIE_SECURE) == (True, True)
    assert production.SECURE_HSTS_SECONDS >= 31536000
    assert production.DEBUG is False


def test_production_refuses_to_start_with_the_development_key(monkeypatch):
    monkeypatch.delenv("SOCIUS_SECRET_KEY", raising=False)

    with pytest.raises(RuntimeError, match="SOCIUS_SECRET_KEY"):
        _load_production_settings()


def test_a_post_without_csrf_token_is_refused_and_writes_nothing(pl_worker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(pl_worker)

    response = client.post(reverse("web:person_create"), {"first_name": "Anna", "last_name": "Nowak"})

    assert response.status_code == 403
    assert Person.objects.count() == 0


def test_pages_forbid_framing_and_sniffing(client, pl_worker):
    client.force_login(pl_worker)

    response = client.get(reverse("web:home"))

    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_the_server_error_page_shows_no_personal_data(pl_worker, pl_centre, monkeypatch):
    person = PersonFactory(centre=pl_centre, first_name="Bożena", last_name="Wyjątkowa", birth_date=dt.date(1970, 1, 1))
    client = Client(raise_request_exception=False)
    client.force_login(pl_worker)

    def explode(*args, **kwargs):
        raise RuntimeError(f"failure while showing {person.first_name} {person.last_name}")

    monkeypatch.setattr("socius.web.views.persons.open_person_record", explode)
    response = client.get(reverse("web:person_detail", args=[person.pk]))

    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body
    assert "Wyjątkowa" not in body and "Bożena" not in body
