"""API authentication: token exchange (throttled, and locked by django-axes after repeated failures),
token and session authentication, and anonymous callers."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from socius.accounts.models import ApiToken
from socius.accounts.tokens import digest_of, issue_api_token

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
    assert list(response.json()) == ["token", "expires_at"]
    token = response.json()["token"]
    stored = ApiToken.objects.get(user=pl_worker)
    assert stored.digest == digest_of(token)  # only the hash is kept
    assert stored.name == "API"
    assert parse_datetime(response.json()["expires_at"]) == stored.created_at + dt.timedelta(hours=8)

    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(PERSONS).status_code == 200


def test_each_login_issues_a_fresh_token_and_the_previous_one_stops_working(pl_worker):
    client = APIClient()

    first = client.post(TOKEN_URL, {"username": "pl_worker", "password": PASSWORD}, format="json").json()
    second = client.post(TOKEN_URL, {"username": "pl_worker", "password": PASSWORD}).json()  # form-encoded too

    assert first["token"] != second["token"]
    live = ApiToken.objects.filter(revoked_at__isnull=True)
    assert list(live.values_list("digest", flat=True)) == [digest_of(second["token"])]
    client.credentials(HTTP_AUTHORIZATION=f"Token {first['token']}")
    assert client.get(PERSONS).status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {second['token']}")
    assert client.get(PERSONS).status_code == 200


class _Aged:
    def __init__(self, key):
        self.key = key


def _token_aged(user, age: dt.timedelta) -> _Aged:
    """A token issued `age` ago (with the lifetime in force now)."""
    token, key = issue_api_token(user)
    lifetime = token.expires_at - token.created_at
    issued = timezone.now() - age
    ApiToken.objects.filter(pk=token.pk).update(created_at=issued, expires_at=issued + lifetime)
    return _Aged(key)


def test_a_token_older_than_its_lifetime_answers_401_with_a_clear_message(pl_worker):
    token = _token_aged(pl_worker, dt.timedelta(hours=8, seconds=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = client.get(PERSONS)

    assert response.status_code == 401
    assert response.json() == {"detail": "The token has expired. Ask for a new one at /api/v1/auth/token/."}
    assert response["WWW-Authenticate"] == "Token"


def test_the_expired_token_message_follows_accept_language(pl_worker):
    token = _token_aged(pl_worker, dt.timedelta(days=2))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_ACCEPT_LANGUAGE="pl")

    response = client.get(PERSONS)

    assert response.status_code == 401
    assert response.json() == {"detail": "Token wygasł. Poproś o nowy pod adresem /api/v1/auth/token/."}


def test_a_token_within_its_lifetime_authenticates(pl_worker):
    token = _token_aged(pl_worker, dt.timedelta(hours=7, minutes=59))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    assert client.get(PERSONS).status_code == 200


def test_the_lifetime_is_configurable(pl_worker, settings):
    settings.SOCIUS_TOKEN_LIFETIME = dt.timedelta(minutes=30)
    token = _token_aged(pl_worker, dt.timedelta(minutes=31))
    assert ApiToken.objects.get().expires_at - ApiToken.objects.get().created_at == dt.timedelta(minutes=30)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    assert client.get(PERSONS).status_code == 401


def test_a_new_login_after_expiry_issues_a_working_token(pl_worker):
    expired = _token_aged(pl_worker, dt.timedelta(days=1))
    client = APIClient()

    response = client.post(TOKEN_URL, {"username": "pl_worker", "password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert response.json()["token"] != expired.key
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get(PERSONS).status_code == 200


def test_wrong_password_answers_400_and_creates_no_token(pl_worker):
    response = APIClient().post(TOKEN_URL, {"username": "pl_worker", "password": "wrong"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}
    assert ApiToken.objects.count() == 0


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
    assert ApiToken.objects.count() == 0


def test_after_five_wrong_passwords_even_the_right_one_is_refused(pl_worker, settings):
    client = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert client.post(TOKEN_URL, {"username": "pl_worker", "password": "wrong"}, format="json").status_code == 400

    response = client.post(TOKEN_URL, {"username": "pl_worker", "password": PASSWORD}, format="json")

    assert response.status_code == 400
    assert ApiToken.objects.count() == 0


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


def test_forged_forwarded_for_headers_do_not_escape_the_throttle(pl_worker):
    """Review D3: a new X-Forwarded-For on each request was a new client to the throttle."""
    client = APIClient()

    statuses = [
        client.post(
            TOKEN_URL,
            {"username": "pl_worker", "password": "wrong"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"10.77.0.{attempt}",
        ).status_code
        for attempt in range(1, 13)
    ]

    assert statuses == [400] * 10 + [429, 429]
    # While the address is throttled, a login with yet another forged header is refused too.
    forged = client.post(
        TOKEN_URL, {"username": "pl_worker", "password": PASSWORD}, format="json", HTTP_X_FORWARDED_FOR="10.99.0.1"
    )
    assert forged.status_code == 429
    assert ApiToken.objects.count() == 0


def test_behind_one_proxy_the_throttle_counts_the_address_the_proxy_saw(pl_worker, settings):
    settings.SOCIUS_PROXY_COUNT = 1
    client = APIClient()

    # The client prepends forged hops; the proxy (REMOTE_ADDR 10.0.0.1) appends the address it saw.
    statuses = [
        client.post(
            TOKEN_URL,
            {"username": "nobody", "password": "wrong"},
            format="json",
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"10.77.0.{attempt}, 203.0.113.5",
        ).status_code
        for attempt in range(1, 12)
    ]
    other_client = client.post(
        TOKEN_URL,
        {"username": "pl_worker", "password": PASSWORD},
        format="json",
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.6",
    )

    assert statuses == [400] * 10 + [429]
    assert other_client.status_code == 200


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
    token = _Aged(issue_api_token(pl_worker)[1])
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


def test_outside_the_tests_the_throttle_counts_in_a_cache_every_server_process_shares():
    """gunicorn runs several processes; a per-process memory cache would multiply the allowed attempts."""
    from config.settings import base

    assert base.CACHES["default"]["BACKEND"] in {
        "django.core.cache.backends.filebased.FileBasedCache",
        "django.core.cache.backends.redis.RedisCache",
    }
