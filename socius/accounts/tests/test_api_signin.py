"""The sign-in API (decision 0021): the token exchange's second factor, named tokens listed and revoked, signing
out of every session."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from socius.accounts.models import ApiToken
from socius.accounts.roles import Role
from socius.accounts.signin import authenticator_to_enrol, confirm_authenticator
from socius.accounts.tests.helpers import make_user
from socius.accounts.tests.signin_helpers import allow_same_step_again, code_of, wrong_code
from socius.accounts.tokens import issue_api_token

TOKEN_URL = "/api/v1/auth/token/"
TOKENS = "/api/v1/auth/tokens/"
SIGN_OUT = "/api/v1/auth/sign-out-everywhere/"
PERSONS = "/api/v1/persons/"
PASSWORD = "pass-word-123"


@pytest.fixture(autouse=True)
def clean(settings):
    cache.clear()
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    yield
    cache.clear()


def enrolled(user):
    device = authenticator_to_enrol(user)
    codes = confirm_authenticator(user, device.pk, code_of(device))
    allow_same_step_again(user)
    device.refresh_from_db()
    return device, codes


def with_key(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_two_factor_role_needs_the_otp_field(pl_finance):
    device, _codes = enrolled(pl_finance)
    client = APIClient()

    missing = client.post(TOKEN_URL, {"username": "pl_finance", "password": PASSWORD}, format="json")
    wrong = client.post(
        TOKEN_URL, {"username": "pl_finance", "password": PASSWORD, "otp": wrong_code(device)}, format="json"
    )

    assert missing.status_code == 400
    assert missing.json() == {"otp": ["Enter the code of your authenticator app."]}
    assert wrong.status_code == 400
    assert wrong.json() == {"otp": ["This code is not right."]}
    assert ApiToken.objects.count() == 0

    right = client.post(
        TOKEN_URL, {"username": "pl_finance", "password": PASSWORD, "otp": code_of(device)}, format="json"
    )

    assert right.status_code == 200
    assert with_key(right.json()["token"]).get("/api/v1/payment-runs/").status_code == 200


def test_a_two_factor_role_without_an_authenticator_gets_no_token(pl_director):
    response = APIClient().post(TOKEN_URL, {"username": "pl_director", "password": PASSWORD}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["otp"]
    assert ApiToken.objects.count() == 0


def test_a_wrong_password_says_nothing_about_the_second_factor(pl_finance):
    enrolled(pl_finance)

    response = APIClient().post(TOKEN_URL, {"username": "pl_finance", "password": "wrong", "otp": "1"}, format="json")

    assert response.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}


def test_named_tokens_are_listed_without_their_keys(pl_worker):
    client = APIClient()
    sync = client.post(TOKEN_URL, {"username": "pl_worker", "password": PASSWORD, "name": "sync"}, format="json")
    reports = client.post(TOKEN_URL, {"username": "pl_worker", "password": PASSWORD, "name": "reports"}, format="json")

    listed = with_key(sync.json()["token"]).get(TOKENS)

    assert listed.status_code == 200
    rows = listed.json()["results"]
    assert [row["name"] for row in rows] == ["reports", "sync"]
    assert all(row["is_active"] for row in rows)
    assert sync.json()["token"] not in listed.content.decode()
    assert with_key(reports.json()["token"]).get(PERSONS).status_code == 200


def test_revoking_a_token_makes_it_answer_401_and_a_second_revoke_409(pl_worker):
    token, key = issue_api_token(pl_worker, "sync")
    _other, other_key = issue_api_token(pl_worker, "mine")
    client = with_key(other_key)

    first = client.post(f"{TOKENS}{token.pk}/revoke/")
    second = client.post(f"{TOKENS}{token.pk}/revoke/")

    assert first.status_code == 200
    assert first.json()["is_active"] is False
    assert second.status_code == 409
    assert second.json()["code"] == "already_revoked"
    assert with_key(key).get(PERSONS).status_code == 401


def test_another_staff_members_token_is_not_found(pl_worker, pl_worker2):
    token, _key = issue_api_token(pl_worker)
    client = APIClient()
    client.force_authenticate(pl_worker2)

    assert client.post(f"{TOKENS}{token.pk}/revoke/").status_code == 404
    assert client.get(TOKENS, {"user": pl_worker.pk}).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_administrator_lists_and_revokes_a_staff_members_tokens(pl_admin, pl_worker):
    token, key = issue_api_token(pl_worker)
    client = APIClient()
    client.force_authenticate(pl_admin)

    listed = client.get(TOKENS, {"user": pl_worker.pk})
    revoked = client.post(f"{TOKENS}{token.pk}/revoke/")

    assert [row["id"] for row in listed.json()["results"]] == [token.pk]
    assert revoked.status_code == 200
    assert with_key(key).get(PERSONS).status_code == 401


def test_signing_out_everywhere_revokes_the_callers_tokens(pl_worker):
    _token, key = issue_api_token(pl_worker)
    client = with_key(key)

    response = client.post(SIGN_OUT, {}, format="json")

    assert response.status_code == 200
    assert response.json()["user"] == pl_worker.pk
    assert client.get(PERSONS).status_code == 401


def test_the_administrator_signs_a_staff_member_out_others_may_not(pl_admin, pl_worker, pl_worker2):
    _token, key = issue_api_token(pl_worker)
    client = APIClient()
    client.force_authenticate(pl_worker2)
    assert client.post(SIGN_OUT, {"user": pl_worker.pk}, format="json").status_code == 403
    assert with_key(key).get(PERSONS).status_code == 200

    client.force_authenticate(pl_admin)
    assert client.post(SIGN_OUT, {"user": pl_worker.pk}, format="json").status_code == 200
    assert with_key(key).get(PERSONS).status_code == 401


def test_staff_without_a_centre_are_refused(db):
    client = APIClient()
    client.force_authenticate(make_user("nobody", None, Role.SOCIAL_WORKER))

    assert client.get(TOKENS).status_code == 403
    assert client.post(SIGN_OUT, {}, format="json").status_code == 403
