"""With DEBUG off (make run, production) errors answer friendly pages in the user's language, never a
traceback or Django's technical pages; under /api/ they answer JSON."""

import json
import logging

import pytest
from django.test import Client
from django.urls import path

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
    _assert_problem(response)


def test_the_api_answers_its_own_refusals_in_json(pl_worker):
    client = Client()
    client.force_login(pl_worker)

    response = client.get("/api/v1/audit/events/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to perform this action."}


# --- API 500s: problem details with the request's id, whatever DEBUG says --------------------------------


def _assert_problem(response, language_detail="A server error occurred. Quote the request id when you report it."):
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    request_id = response["X-Request-ID"]
    assert body == {
        "type": "about:blank",
        "title": body["title"],
        "status": 500,
        "detail": language_detail,
        "request_id": request_id,
    }
    assert len(request_id) >= 8
    assert "secret" not in response.content.decode() and "Traceback" not in response.content.decode()
    return request_id


def _boom(request):
    raise RuntimeError("secret detail: PESEL 44051401359")


urlpatterns = [path("api/v1/boom/", _boom), path("boom/", _boom)]


@pytest.fixture
def boom_urls(settings):
    from config import urls as project_urls

    settings.ROOT_URLCONF = type("Urls", (), {"urlpatterns": [*urlpatterns, *project_urls.urlpatterns]})
    return settings


@pytest.mark.parametrize("debug", [False, True])
def test_a_view_that_raises_under_the_api_answers_problem_details_with_its_request_id(
    pl_worker, boom_urls, caplog, debug
):
    boom_urls.DEBUG = debug
    client = Client(raise_request_exception=False)
    client.force_login(pl_worker)

    with caplog.at_level(logging.ERROR, logger="socius.errors"):
        response = client.get("/api/v1/boom/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 500
    request_id = _assert_problem(response)
    (record,) = [r for r in caplog.records if r.name == "socius.errors"]
    assert request_id in record.getMessage() and "/api/v1/boom/" in record.getMessage()
    assert record.exc_info[0] is RuntimeError  # the traceback is in the log, beside the id


def test_a_drf_view_that_raises_answers_problem_details_also_with_debug_on(pl_auditor, monkeypatch, settings):
    settings.DEBUG = True
    monkeypatch.setattr("socius.accounts.api.list_audit_events_for", _boom)
    client = Client(raise_request_exception=False)
    client.force_login(pl_auditor)

    response = client.get("/api/v1/audit/events/", HTTP_ACCEPT_LANGUAGE="pl")

    assert response.status_code == 500
    _assert_problem(response, "Wystąpił błąd serwera. Zgłaszając go, podaj identyfikator żądania.")


def test_a_request_id_given_by_the_proxy_is_kept_and_a_malformed_one_replaced(pl_worker, boom_urls):
    client = Client(raise_request_exception=False)
    client.force_login(pl_worker)

    kept = client.get("/api/v1/boom/", HTTP_X_REQUEST_ID="proxy-1234abcd")
    replaced = client.get("/api/v1/boom/", HTTP_X_REQUEST_ID="<script>")

    assert kept["X-Request-ID"] == kept.json()["request_id"] == "proxy-1234abcd"
    assert replaced["X-Request-ID"] == replaced.json()["request_id"] != "<script>"
    assert len(replaced.json()["request_id"]) == 32


def test_a_view_that_raises_outside_the_api_still_answers_the_html_page(pl_client, boom_urls):
    response = pl_client.get("/boom/")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "44051401359" not in response.content.decode()


def test_django_404_under_the_api_is_not_turned_into_a_500(pl_worker):
    client = Client(raise_request_exception=False)
    client.force_login(pl_worker)

    response = client.get("/api/v1/persons/999999999/")

    assert response.status_code == 404


def test_the_handler_for_errors_outside_views_answers_problem_details_under_the_api(rf):
    from socius.web.views.errors import server_error

    response = server_error(rf.get("/api/v1/persons/"))

    assert response.status_code == 500
    body = json.loads(response.content)
    assert body["status"] == 500 and body["request_id"] == response["X-Request-ID"]
