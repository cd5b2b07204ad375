"""Language choice: the API follows Accept-Language, the UI follows the logged-in user's choice."""

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.urls import path
from django.utils import translation


def _language_probe(request):
    return HttpResponse(translation.get_language())


urlpatterns = [
    path("api/v1/probe/", _language_probe),
    path("probe/", _language_probe),
]

pytestmark = [pytest.mark.urls("socius.web.tests.test_language_middleware"), pytest.mark.django_db]


def _language(response):
    assert response.status_code == 200
    return response.content.decode(), response.headers["Content-Language"]


def test_default_language_is_english():
    assert settings.LANGUAGE_CODE == "en"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("pl", "pl"),
        ("pl-PL,pl;q=0.9,en;q=0.5", "pl"),
        ("ro-MD", "ro"),
        ("lt", "lt"),
        ("ru-RU", "ru"),
        ("de-DE, lt;q=0.5", "lt"),  # the first supported language wins
    ],
)
def test_api_answers_in_the_accept_language(client, header, expected):
    assert _language(client.get("/api/v1/probe/", headers={"accept-language": header})) == (expected, expected)


@pytest.mark.parametrize("header", ["de", "fr-FR, es;q=0.8", "*", "", "xx-invalid-?"])
def test_api_falls_back_to_the_default_language(client, header):
    assert _language(client.get("/api/v1/probe/", headers={"accept-language": header})) == ("en", "en")


def test_api_follows_accept_language_even_for_a_user_with_a_remembered_choice(client, pl_worker):
    pl_worker.language = "ro"
    pl_worker.save()
    client.force_login(pl_worker)

    assert _language(client.get("/api/v1/probe/", headers={"accept-language": "lt"})) == ("lt", "lt")
    assert _language(client.get("/api/v1/probe/")) == ("en", "en")


def test_ui_follows_the_logged_in_users_language_over_the_browser(client, pl_worker):
    pl_worker.language = "ro"
    pl_worker.save()
    client.force_login(pl_worker)

    assert _language(client.get("/probe/", headers={"accept-language": "lt"})) == ("ro", "ro")


def test_ui_follows_the_browser_when_the_user_has_not_chosen(client, pl_worker):
    client.force_login(pl_worker)

    assert _language(client.get("/probe/", headers={"accept-language": "pl"})) == ("pl", "pl")


def test_ui_for_anonymous_visitors_follows_the_browser(client):
    assert _language(client.get("/probe/", headers={"accept-language": "lt"})) == ("lt", "lt")
    assert _language(client.get("/probe/")) == ("en", "en")


def test_language_does_not_carry_over_to_the_next_request(client):
    client.get("/api/v1/probe/", headers={"accept-language": "pl"})

    assert _language(client.get("/probe/")) == ("en", "en")
