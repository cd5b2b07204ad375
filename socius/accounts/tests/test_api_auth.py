"""API authentication: token exchange (throttled, and locked by django-axes after repeated failures),
token and session authentication, and anonymous callers."""

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

TOKEN_URL = "/api/v1/auth/token/"
PERSONS = "/api/v1/persons/"
PASSWORD = "pass-word-123"  # UserFactory's


@pytest.fixture(autouse=True)
def fresh_throttle():
    """The token throttle counts in the cache: start and leave each test with a clean count."""
    cache.clear()
    yield
    cache.clear()


def test_token_for_the_right_password_and_it_authenticates(pl_worker):
    client = APIClient()

    response = client.post(TOKEN_URL, {"username": "pl_worker", "password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert list(response.json()) == ["token"]
    token = response.json()["token"]
    assert Token.objects.get(user=pl_worker).key == token

    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(PERSONS).status_code == 200


def test_the_same_token_is_answered_again(pl_worker):
    client = APIClient()

    first = client.post(TOKEN_URL, {"username": "pl_worker", "password": PASSWORD}, format="json").json()
    second = client.post(TOKEN_URL, {"username": "pl_worker", "password": PASSWORD}).json()  # form-encoded too

    assert first == second
    assert Token.objects.count() == 1


def test_wrong_password_answers_400_and_creates_no_token(pl_worker):
    response = APIClient().post(TOKEN_URL, {"username": "pl_worker", "password": "wrong"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}
    assert Token.objects.count() == 0


def test_unknown_user_answers_like_a_wrong_password(db):
    response = APIClient().post(TOKEN_URL, {"username": "nobody", "password": "wrong"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}


def test_token_messages_follow_accept_language(pl_worker):
    client = APIClient()
    client.credentials(HTTP_ACCEPT_LANGUAGE="pl")

    wrong = client.post(TOKEN_URL, {"username": "pl_worker", "password": "wrong"}, format="json")
    missing = client.post(TOKEN_URL, {"username": "pl_worker"}, format="json")

    assert wrong.json() == {"non_field_errors": ["Podane dane uwierzytelniające nie pozwalają na zalogowanie."]}
    assert missing.json() == {"password": ["To pole jest wymagane."]}


def test_inactive_user_gets_no_token(pl_worker):
    pl_worker.is_active = False
    pl_worker.save()

    response = APIClient().post(TOKEN_URL, {"username": "pl_worker", "password": PASSWORD}, format="json")

    assert response.status_code == 400
    assert Token.objects.count() == 0


def test_after_five_wrong_passwords_even_the_right_one_is_refused(pl_worker, settings):
    client = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert client.post(TOKEN_URL, {"username": "pl_worker", "password": "wrong"}, format="json").status_code == 400

    response = client.post(TOKEN_URL, {"username": "pl_worker", "password": PASSWORD}, format="json")

    assert response.status_code == 400
    assert Token.objects.count() == 0


def test_token_requests_are_throttled_per_client(pl_worker):
    client = APIClient()
    # DEFAULT_THROTTLE_RATES["token"] is 10/minute: ten answers, then 429 (counted, not timed).
    statuses = [
        client.post(TOKEN_URL, {"username": "pl_worker", "password": PASSWORD}, format="json").status_code
        for _ in range(11)
    ]

    assert statuses == [200] * 10 + [429]
    # Another address keeps its own count.
    other = client.post(
        TOKEN_URL, {"username": "pl_worker", "password": PASSWORD}, format="json", REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 200


def test_the_throttle_does_not_touch_other_endpoints(pl_worker):
    client = APIClient()
    client.force_authenticate(pl_worker)

    assert [client.get(PERSONS).status_code for _ in range(12)] == [200] * 12


def test_anonymous_answers_401_with_the_token_challenge(db):
    response = APIClient().get(PERSONS)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_an_unknown_token_answers_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")

    assert client.get(PERSONS).status_code == 401


def test_a_token_of_a_deactivated_user_answers_401(pl_worker):
    token = Token.objects.create(user=pl_worker)
    pl_worker.is_active = False
    pl_worker.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    assert client.get(PERSONS).status_code == 401


def test_the_browser_session_authenticates_and_needs_csrf_to_write(pl_worker):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(pl_worker)

    assert client.get(PERSONS).status_code == 200
    refused = client.post(PERSONS, {"first_name": "A", "last_name": "B"}, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]


def test_a_logged_in_browser_may_ask_for_a_token_without_csrf(pl_worker):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(pl_worker)

    response = client.post(TOKEN_URL, {"username": "pl_worker", "password": PASSWORD}, format="json")

    assert response.status_code == 200
