"""The language switch: validated, remembered on the user and in the cookie, safe redirects only."""

import pytest
from django.conf import settings
from django.urls import reverse


@pytest.fixture
def worker_client(client, pl_worker):
    client.force_login(pl_worker)
    return client


def switch(client, language, next_url="/persons/"):
    return client.post(reverse("web:set_language"), {"language": language, "next": next_url})


def test_switch_remembers_the_choice_on_the_user_and_in_the_cookie(worker_client, pl_worker):
    response = switch(worker_client, "ro")
    assert response.status_code == 302
    assert response["Location"] == "/persons/"
    pl_worker.refresh_from_db()
    assert pl_worker.language == "ro"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ro"


def test_the_remembered_language_is_used_in_a_new_session(client, pl_worker):
    switch_client = client
    switch_client.force_login(pl_worker)
    switch(switch_client, "lt")
    switch_client.logout()
    switch_client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    switch_client.force_login(pl_worker)
    html = switch_client.get(reverse("web:home")).content.decode()
    assert '<html lang="lt">' in html


def test_unknown_language_is_refused_and_nothing_changes(worker_client, pl_worker):
    response = switch(worker_client, "xx")
    assert response.status_code == 400
    pl_worker.refresh_from_db()
    assert pl_worker.language == ""
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/path", "javascript:alert(1)", "http://testserver.evil/"]
)
def test_redirect_to_another_site_is_refused(worker_client, next_url):
    response = switch(worker_client, "en", next_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")


def test_missing_next_goes_home(worker_client):
    response = worker_client.post(reverse("web:set_language"), {"language": "ru"})
    assert response["Location"] == reverse("web:home")


def test_anonymous_switch_sets_the_cookie_so_the_login_page_follows(client, db):
    response = switch(client, "ru", "/login/")
    assert response["Location"] == "/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="ru">' in html


def test_switch_is_post_only(worker_client, pl_worker):
    response = worker_client.get(reverse("web:set_language"), {"language": "ro", "next": "/"})
    assert response.status_code == 405
    pl_worker.refresh_from_db()
    assert pl_worker.language == ""
