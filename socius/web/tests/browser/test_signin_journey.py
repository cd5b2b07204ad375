"""Browser: two-factor sign-in (decision 0021) — pl-admin turns it on for finance; pl-finance, at her next login,
sets up an authenticator right there (the test computes the app's code from the key shown, with django-otp's TOTP),
keeps her recovery codes and is in; at the login after, a wrong code is refused and the right one lets her in."""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from socius.accounts.models import Centre
from socius.accounts.roles import Role
from socius.testing.factories import CentreFactory, TerritoryFactory, UserFactory
from socius.web.tests.browser.test_journeys import shot

PASSWORD = "pass-word-123"  # UserFactory's


@pytest.fixture
def centre_without_two_factors(transactional_db, settings):
    # django-otp slows down a retry after a wrong code by a second: the test asserts outcomes, not waits.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    root = TerritoryFactory(jurisdiction="PL", level="municipality", name="Moszczenica")
    centre = CentreFactory(
        code="pl-signin", name="GOPS Moszczenica", jurisdiction="PL", territory=root, two_factor_roles=[]
    )
    UserFactory(username="pl-admin", centre=centre, role=Role.ADMINISTRATOR, first_name="Adam", last_name="Nowak")
    UserFactory(username="pl-finance", centre=centre, role=Role.FINANCE_OFFICER, first_name="Ewa", last_name="Lis")
    return centre


def code_for(secret: str, *, wrong: bool = False) -> str:
    """What an authenticator app shows for the key typed in by hand (RFC 6238: 30 s steps, 6 digits)."""
    text = secret.replace(" ", "")
    key = base64.b32decode(text + "=" * (-len(text) % 8))
    value = totp(key, step=30, t0=0, digits=6)
    if wrong:
        value = (value + 1) % 1_000_000
    return f"{value:06d}"


def password_step(page: Page, username: str) -> None:
    page.goto("/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator(".login-box form button[type=submit]").click()


def test_finance_signs_in_with_two_factors(page: Page, centre_without_two_factors):
    # The administrator turns two-factor sign-in on for finance.
    password_step(page, "pl-admin")
    expect(page.locator("form[action='/logout/']")).to_be_visible()
    page.goto("/admin-centre/sign-in/")
    page.get_by_label("Finance officer").check()
    page.locator("#save-two-factor-roles").click()
    expect(page.locator(".messages")).to_contain_text("The two-factor sign-in roles have been saved.")
    assert Centre.objects.get(code="pl-signin").two_factor_roles == ["finance_officer"]
    page.locator("form[action='/logout/'] button").click()

    # Finance's password alone no longer opens Socius: she sets up her authenticator right there.
    password_step(page, "pl-finance")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.locator("#totp-qr svg")).to_be_visible()
    expect(page.locator("form[action='/logout/']")).to_have_count(0)
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Code from the app").fill(code_for(secret))
    page.locator("#enrol-submit").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    shot(page, "signin-recovery-codes")
    page.locator("#codes-continue").click()
    expect(page.locator("form[action='/logout/']")).to_be_visible()
    page.locator("form[action='/logout/'] button").click()

    # The next login asks the code: a wrong one is refused, the right one lets her in.
    password_step(page, "pl-finance")
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in")
    page.get_by_label("Code").fill(code_for(secret, wrong=True))
    page.locator("#code-submit").click()
    expect(page.locator("#error-summary")).to_contain_text("This code is not right.")
    expect(page.locator("form[action='/logout/']")).to_have_count(0)
    # The enrolment used this 30-second step's code; django-otp takes each step once (against replay).
    TOTPDevice.objects.filter(user__username="pl-finance").update(last_t=-1)
    page.get_by_label("Code").fill(code_for(secret))
    page.locator("#code-submit").click()
    expect(page.locator("form[action='/logout/']")).to_be_visible()
    shot(page, "signin-finance-in")
