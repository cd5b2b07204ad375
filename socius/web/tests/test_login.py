"""Login page and login throttling (django-axes lockout page)."""

import pytest
from django.conf import settings
from django.urls import reverse


@pytest.fixture
def creds(pl_worker):
    return {"username": pl_worker.username, "password": "pass-word-123"}


def test_login_page_renders_with_labelled_fields(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert [t.name for t in response.templates][:2] == ["registration/login.html", "base.html"]
    html = response.content.decode()
    assert '<label for="id_username">' in html
    assert '<label for="id_password">' in html
    assert 'autocomplete="current-password"' in html


def test_login_with_good_credentials_goes_home(client, creds):
    response = client.post(reverse("login"), creds)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    assert client.get(reverse("web:home")).status_code == 200


def test_login_follows_next(client, creds):
    response = client.post(reverse("login"), {**creds, "next": reverse("web:person_list")})
    assert response["Location"] == reverse("web:person_list")


def test_login_refuses_next_to_another_site(client, creds):
    response = client.post(reverse("login"), {**creds, "next": "https://evil.example/"})
    assert response["Location"] == reverse("web:home")


def test_wrong_password_shows_an_error_and_does_not_log_in(client, creds):
    response = client.post(reverse("login"), {**creds, "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert 'role="alert"' in response.content.decode()
    assert client.get(reverse("web:home")).status_code == 302


def test_repeated_failures_lock_the_account_with_the_lockout_page(client, creds):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {**creds, "password": "wrong"})
    response = client.post(reverse("login"), creds)
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "Too many failed attempts" in html
    assert "Try again in 15 minutes." in html
    assert client.get(reverse("web:home")).status_code == 302


def test_logged_in_user_visiting_login_is_sent_home(client, pl_worker):
    client.force_login(pl_worker)
    response = client.get(reverse("login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
