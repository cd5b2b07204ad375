"""The login with its second factor, one's own sign-in page, the administrator's pages (decision 0021)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from socius.accounts.models import ApiToken, AuditEvent
from socius.accounts.sessions import SIGNED_IN_AT
from socius.accounts.signin import authenticator_to_enrol, confirm_authenticator, has_authenticator
from socius.accounts.tests.signin_helpers import allow_same_step_again, code_of, wrong_code
from socius.accounts.tokens import issue_api_token

PASSWORD = "pass-word-123"  # UserFactory's


@pytest.fixture(autouse=True)
def no_otp_throttle(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    device = authenticator_to_enrol(user)
    codes = confirm_authenticator(user, device.pk, code_of(device))
    allow_same_step_again(user)
    device.refresh_from_db()
    return device, codes


def password_step(client, user, **extra):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD, **extra})


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_role_without_two_factors_logs_in_with_the_password(client, pl_worker):
    response = password_step(client, pl_worker)

    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    assert is_logged_in(client)
    assert SIGNED_IN_AT in client.session


def test_the_password_alone_does_not_log_in_a_director_who_sets_up_the_authenticator_there(client, pl_director):
    response = password_step(client, pl_director, next=reverse("web:person_list"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login_enrol")
    assert not is_logged_in(client)
    assert client.get(reverse("web:person_list")).status_code == 302  # still sent to the login

    page = client.get(reverse("login_enrol"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and 'id="totp-secret"' in html
    device = TOTPDevice.objects.get(user=pl_director, confirmed=False)

    done = client.post(reverse("login_enrol"), {"otp": code_of(device)})

    assert done.status_code == 200
    assert done["Cache-Control"] == "no-store"
    assert done.templates[0].name == "registration/recovery_codes.html"
    assert len(done.context["codes"]) == 10
    assert done.context["continue_to"] == reverse("web:person_list")
    assert is_logged_in(client)
    assert has_authenticator(pl_director)


def test_a_wrong_enrolment_code_is_refused_and_nobody_is_logged_in(client, pl_director):
    password_step(client, pl_director)
    client.get(reverse("login_enrol"))
    device = TOTPDevice.objects.get(user=pl_director)

    response = client.post(reverse("login_enrol"), {"otp": wrong_code(device)})

    assert response.status_code == 400
    assert "otp" in response.context["form"].errors
    assert not is_logged_in(client)
    assert not has_authenticator(pl_director)


def test_with_an_authenticator_the_login_asks_its_code(client, pl_finance):
    device, _codes = enrolled(pl_finance)

    response = password_step(client, pl_finance)
    assert response["Location"] == reverse("login_code")
    assert not is_logged_in(client)

    done = client.post(reverse("login_code"), {"otp": code_of(device)})

    assert done.status_code == 302
    assert done["Location"] == reverse("web:home")
    assert is_logged_in(client)


def test_a_wrong_code_is_refused(client, pl_finance):
    device, _codes = enrolled(pl_finance)
    password_step(client, pl_finance)

    response = client.post(reverse("login_code"), {"otp": wrong_code(device)})

    assert response.status_code == 400
    assert response.context["form"].errors == {"otp": ["This code is not right."]}
    assert not is_logged_in(client)


def test_after_five_wrong_codes_the_login_starts_again_from_the_password(client, pl_finance, settings):
    device, _codes = enrolled(pl_finance)
    password_step(client, pl_finance)
    for _ in range(settings.SOCIUS_SECOND_FACTOR_ATTEMPTS - 1):
        assert client.post(reverse("login_code"), {"otp": wrong_code(device)}).status_code == 400

    last = client.post(reverse("login_code"), {"otp": wrong_code(device)})
    right = client.post(reverse("login_code"), {"otp": code_of(device)})

    assert last["Location"] == reverse("login")
    assert right["Location"] == reverse("login")
    assert not is_logged_in(client)


def test_a_recovery_code_logs_in_once(client, pl_finance):
    _device, codes = enrolled(pl_finance)

    password_step(client, pl_finance)
    assert client.post(reverse("login_code"), {"otp": codes[0]})["Location"] == reverse("web:home")
    client.post(reverse("logout"))
    password_step(client, pl_finance)
    again = client.post(reverse("login_code"), {"otp": codes[0]})

    assert again.status_code == 400
    assert not is_logged_in(client)


def test_the_second_step_without_a_password_step_sends_to_the_login(client, db):
    assert client.get(reverse("login_code"))["Location"] == reverse("login")
    assert client.post(reverse("login_enrol"), {"otp": "123456"})["Location"] == reverse("login")


def test_the_second_step_waits_only_so_long(client, pl_finance, settings):
    device, _codes = enrolled(pl_finance)
    password_step(client, pl_finance)
    session = client.session
    state = session["socius_second_factor"]
    state["at"] -= settings.SOCIUS_SECOND_FACTOR_WAIT.total_seconds() + 1
    session["socius_second_factor"] = state
    session.save()

    response = client.post(reverse("login_code"), {"otp": code_of(device)})

    assert response["Location"] == reverse("login")
    assert not is_logged_in(client)


def test_the_admin_has_no_password_form_of_its_own(client, db):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/admin/"


def test_a_session_ends_at_its_absolute_lifetime(client, pl_worker, settings):
    client.force_login(pl_worker)
    assert client.get(reverse("web:home")).status_code == 200
    session = client.session
    session[SIGNED_IN_AT] -= settings.SOCIUS_SESSION_MAX_AGE.total_seconds() + 1
    session.save()

    response = client.get(reverse("web:person_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_signing_out_everywhere_ends_this_and_every_other_session(client, pl_worker):
    from django.test import Client

    other = Client()
    other.force_login(pl_worker)
    client.force_login(pl_worker)
    session = other.session
    session[SIGNED_IN_AT] = (timezone.now() - dt.timedelta(minutes=5)).timestamp()
    session.save()
    session = client.session
    session[SIGNED_IN_AT] = (timezone.now() - dt.timedelta(minutes=5)).timestamp()
    session.save()

    response = client.post(reverse("web:account_sign_out_everywhere"))

    assert response["Location"] == reverse("login")
    assert client.get(reverse("web:person_list")).status_code == 302
    assert other.get(reverse("web:person_list")).status_code == 302


def test_a_login_after_signing_out_everywhere_works(client, pl_worker):
    client.force_login(pl_worker)
    client.post(reverse("web:account_sign_out_everywhere"))

    password_step(client, pl_worker)

    assert client.get(reverse("web:person_list")).status_code == 200


def test_own_sign_in_page_lists_tokens_and_revokes_one(client, pl_worker):
    token, _key = issue_api_token(pl_worker, "sync")
    client.force_login(pl_worker)

    page = client.get(reverse("web:account_security"))
    assert page.status_code == 200
    assert f"{token.prefix}…" in page.content.decode()

    response = client.post(reverse("web:token_revoke", args=[token.pk]))

    assert response["Location"] == reverse("web:account_security")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_staff_member_cannot_revoke_anothers_token(client, pl_worker, pl_worker2):
    token, _key = issue_api_token(pl_worker)
    client.force_login(pl_worker2)

    response = client.post(reverse("web:token_revoke", args=[token.pk]))

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_setting_up_an_authenticator_from_ones_own_page(client, pl_worker):
    client.force_login(pl_worker)
    assert client.get(reverse("web:account_authenticator")).status_code == 200
    device = TOTPDevice.objects.get(user=pl_worker)

    response = client.post(reverse("web:account_authenticator"), {"otp": code_of(device)})

    assert response.status_code == 200
    assert len(response.context["codes"]) == 10
    assert has_authenticator(pl_worker)


def test_the_administrator_turns_on_two_factors_for_social_workers(client, pl_admin, pl_centre):
    client.force_login(pl_admin)
    assert client.get(reverse("web:two_factor_roles")).status_code == 200

    response = client.post(reverse("web:two_factor_roles"), {"roles": ["social_worker", "administrator"]})

    assert response["Location"] == reverse("web:two_factor_roles")
    pl_centre.refresh_from_db()
    assert pl_centre.two_factor_roles == ["social_worker", "administrator"]


def test_the_administrator_signs_a_staff_member_out_and_resets_their_authenticator(client, pl_admin, pl_finance):
    enrolled(pl_finance)
    issue_api_token(pl_finance)
    client.force_login(pl_admin)

    page = client.get(reverse("web:staff_sign_in", args=[pl_finance.pk]))
    assert page.status_code == 200
    assert client.post(reverse("web:staff_sign_out_everywhere", args=[pl_finance.pk])).status_code == 302
    assert client.post(reverse("web:staff_reset_two_factor", args=[pl_finance.pk])).status_code == 302

    pl_finance.refresh_from_db()
    assert pl_finance.sessions_valid_after is not None
    assert not has_authenticator(pl_finance)
    assert ApiToken.objects.filter(user=pl_finance, revoked_at__isnull=True).count() == 0
    assert AuditEvent.objects.filter(object_type="user", object_id=pl_finance.pk, actor=pl_admin).count() == 2


def test_another_centres_staff_member_is_not_found(client, pl_finance, md_centre):
    from socius.accounts.roles import Role
    from socius.testing.factories import UserFactory

    md_admin = UserFactory(centre=md_centre, role=Role.ADMINISTRATOR)
    client.force_login(md_admin)

    assert client.get(reverse("web:staff_sign_in", args=[pl_finance.pk])).status_code == 404
    assert client.post(reverse("web:staff_sign_out_everywhere", args=[pl_finance.pk])).status_code == 404
    pl_finance.refresh_from_db()
    assert pl_finance.sessions_valid_after is None


def test_the_demo_note_on_the_login_page_says_the_demo_roles_use_the_password_alone(client, db):
    from socius.accounts.models import Centre

    assert 'id="demo-note"' not in client.get(reverse("login")).content.decode()
    Centre.objects.create(code="pl-moszczenica", name="Demo", jurisdiction="PL", two_factor_roles=[])

    assert 'id="demo-note"' in client.get(reverse("login")).content.decode()


def test_a_superuser_going_to_the_admin_sets_up_the_second_factor_first(client, db):
    from socius.accounts.models import User

    User.objects.create_superuser("root", password="root-pass-123")

    response = client.post(reverse("login"), {"username": "root", "password": "root-pass-123", "next": "/admin/"})

    assert response["Location"] == reverse("login_enrol")
    assert not is_logged_in(client)
    assert client.get("/admin/").status_code == 302
