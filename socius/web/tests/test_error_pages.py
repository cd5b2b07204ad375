"""With DEBUG off (make run, production) errors answer friendly pages in the user's language, never a
traceback or Django's technical pages; under /api/ they answer JSON."""

import pytest
from django.test import Client

from socius.accounts.roles import Role
from socius.testing.factories import PersonFactory, UserFactory

TECHNICAL = ("Traceback", "URLconf", "Using the URLconf", "DEBUG = True", "settings.py", "Request Method")


def _assert_not_technical(html: str) -> None:
    for marker in TECHNICAL:
        assert marker not in html


@pytest.fixture
def ru_worker(md_centre):
    return UserFactory(username="md_ru_worker", centre=md_centre, role=Role.SOCIAL_WORKER, language="ru")


@pytest.fixture
def pl_client(pl_worker):
    pl_worker.language = "pl"
    pl_worker.save(update_fields=["language"])
    client = Client(raise_request_exception=False)
    client.force_login(pl_worker)
    return client


def test_debug_is_off_in_these_tests(settings):
    assert settings.DEBUG is False


def test_an_unknown_address_answers_the_friendly_404_in_the_users_language(ru_worker):
    client = Client()
    client.force_login(ru_worker)

    response = client.get("/persons/9001/nothing-here/")

    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="ru">' in html
    assert "Эта запись не существует или не относится к записям вашего центра." in html
    assert 'href="/search/"' in html
    _assert_not_technical(html)


def test_a_record_of_another_centre_answers_the_same_friendly_404(ru_worker, pl_centre):
    polish_person = PersonFactory(centre=pl_centre)
    client = Client()
    client.force_login(ru_worker)

    response = client.get(f"/persons/{polish_person.pk}/")

    assert response.status_code == 404
    assert "Эта запись не существует" in response.content.decode()
    _assert_not_technical(response.content.decode())


def test_a_404_for_a_visitor_not_logged_in_is_friendly_too(db):
    response = Client().get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="ro")

    assert response.status_code == 404
    assert "Această înregistrare nu există" in response.content.decode()
    _assert_not_technical(response.content.decode())


def test_a_refused_page_answers_the_friendly_403_in_the_users_language(pl_client):
    response = pl_client.get("/audit/")

    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="pl">' in html
    assert "Przypisana rola nie pozwala na wykonanie tej czynności." in html
    _assert_not_technical(html)


def test_an_uncaught_error_answers_the_friendly_500_in_the_users_language(pl_client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret detail: PESEL 44051401359")

    monkeypatch.setattr("socius.web.views.search.list_persons_for", broken)

    response = pl_client.get("/")

    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="pl">' in html
    assert "Coś poszło nie tak" in html
    assert "44051401359" not in html
    assert "RuntimeError" not in html
    _assert_not_technical(html)


def test_an_unknown_api_address_answers_json_404(pl_worker):
    client = Client()
    client.force_login(pl_worker)

    response = client.get("/api/v1/no-such-collection/", HTTP_ACCEPT_LANGUAGE="pl")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Nie znaleziono."}


def test_an_uncaught_error_in_the_api_answers_json_500(pl_auditor, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr("socius.accounts.api.list_audit_events_for", broken)
    client = Client(raise_request_exception=False)
    client.force_login(pl_auditor)

    response = client.get("/api/v1/audit/events/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "A server error occurred."}


def test_the_api_answers_its_own_refusals_in_json(pl_worker):
    client = Client()
    client.force_login(pl_worker)

    response = client.get("/api/v1/audit/events/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to perform this action."}
