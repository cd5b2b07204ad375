"""Two-factor sign-in, sessions and API tokens as services (decision 0021)."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from socius.accounts.models import ApiToken, AuditEvent, Centre, default_two_factor_roles
from socius.accounts.roles import Role
from socius.accounts.sessions import sign_out_everywhere
from socius.accounts.signin import (
    authenticator_to_enrol,
    confirm_authenticator,
    has_authenticator,
    recovery_codes_left,
    regenerate_recovery_codes,
    requires_two_factor,
    reset_two_factor,
    set_two_factor_roles,
    verify_second_factor,
)
from socius.accounts.tests.helpers import make_user
from socius.accounts.tests.signin_helpers import allow_same_step_again, code_of, wrong_code
from socius.accounts.tokens import issue_api_token, list_api_tokens_for, revoke_api_token
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed


@pytest.fixture(autouse=True)
def no_otp_throttle(settings):
    # django-otp slows down repeated failures by seconds: the tests assert outcomes, not waits.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def md_admin(md_centre):
    return make_user("md_admin", md_centre, Role.ADMINISTRATOR)


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    device = authenticator_to_enrol(user)
    codes = confirm_authenticator(user, device.pk, code_of(device))
    device.refresh_from_db()
    return device, codes


def test_a_new_centre_asks_two_factors_of_the_director_finance_and_administrator(db):
    centre = Centre.objects.create(code="new", name="New", jurisdiction="PL")

    assert centre.two_factor_roles == ["director", "finance_officer", "administrator"] == default_two_factor_roles()


def test_who_needs_a_second_factor(pl_worker, pl_director, pl_finance, pl_admin, pl_auditor):
    assert [requires_two_factor(u) for u in (pl_worker, pl_director, pl_finance, pl_admin, pl_auditor)] == [
        False,
        True,
        True,
        True,
        False,
    ]


def test_the_deployments_superusers_always_sign_in_with_two_factors(db):
    from socius.accounts.models import User

    root = User.objects.create_superuser("root", password="root-pass-123")

    assert requires_two_factor(root) is True


def test_anyone_who_set_up_an_authenticator_is_asked_for_it(pl_worker):
    enrol(pl_worker)

    assert requires_two_factor(pl_worker) is True


def test_enrolment_confirms_the_device_and_makes_ten_recovery_codes(pl_finance):
    device, codes = enrol(pl_finance)

    assert device.confirmed is True
    assert len(codes) == 10 and len(set(codes)) == 10
    assert recovery_codes_left(pl_finance) == 10
    event = AuditEvent.objects.get(object_type="user", object_id=pl_finance.pk)
    assert event.changes == {"two_factor": [None, "authenticator"]}


def test_a_wrong_code_does_not_confirm_the_enrolment(pl_finance):
    device = authenticator_to_enrol(pl_finance)

    with pytest.raises(ValidationFailed) as exc:
        confirm_authenticator(pl_finance, device.pk, wrong_code(device))

    assert list(exc.value.errors) == ["otp"]
    device.refresh_from_db()
    assert device.confirmed is False
    assert has_authenticator(pl_finance) is False
    assert StaticToken.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_the_enrolment_shows_the_same_key_until_confirmed(pl_finance):
    assert authenticator_to_enrol(pl_finance).pk == authenticator_to_enrol(pl_finance).pk


def test_the_code_of_the_app_and_a_recovery_code_each_verify_and_a_recovery_code_only_once(pl_finance):
    device, codes = enrol(pl_finance)
    allow_same_step_again(pl_finance)
    device.refresh_from_db()

    assert verify_second_factor(pl_finance, code_of(device)).pk == device.pk
    assert verify_second_factor(pl_finance, codes[0]) is not None
    assert verify_second_factor(pl_finance, codes[0]) is None
    assert recovery_codes_left(pl_finance) == 9
    assert verify_second_factor(pl_finance, "") is None


def test_a_code_is_not_accepted_twice(pl_finance):
    device, _codes = enrol(pl_finance)  # the enrolment used the current step's code

    assert verify_second_factor(pl_finance, code_of(device)) is None


def test_new_recovery_codes_replace_the_old_ones(pl_finance):
    _device, old = enrol(pl_finance)

    new = regenerate_recovery_codes(pl_finance)

    assert not set(old) & set(new)
    assert verify_second_factor(pl_finance, old[1]) is None
    assert verify_second_factor(pl_finance, new[1]) is not None


def test_recovery_codes_need_an_authenticator(pl_worker):
    with pytest.raises(Conflict):
        regenerate_recovery_codes(pl_worker)
    assert StaticToken.objects.count() == 0


def test_the_administrator_resets_a_lost_authenticator_and_ends_sessions_and_tokens(pl_admin, pl_finance):
    enrol(pl_finance)
    issue_api_token(pl_finance)

    reset_two_factor(pl_admin, pl_finance.pk)

    pl_finance.refresh_from_db()
    assert has_authenticator(pl_finance) is False
    assert recovery_codes_left(pl_finance) == 0
    assert pl_finance.sessions_valid_after is not None
    assert ApiToken.objects.filter(user=pl_finance, revoked_at__isnull=True).count() == 0


def test_only_the_administrator_resets_and_only_in_their_centre(pl_director, pl_finance, md_admin):
    enrol(pl_finance)

    with pytest.raises(Forbidden):
        reset_two_factor(pl_director, pl_finance.pk)
    with pytest.raises(NotFound):
        reset_two_factor(md_admin, pl_finance.pk)
    assert has_authenticator(pl_finance) is True


def test_the_administrator_sets_the_two_factor_roles(pl_admin, pl_centre):
    set_two_factor_roles(pl_admin, ["social_worker", "director"])

    pl_centre.refresh_from_db()
    assert pl_centre.two_factor_roles == ["social_worker", "director"]
    event = AuditEvent.objects.get(object_type="centre")
    assert event.changes == {
        "two_factor_roles": [["director", "finance_officer", "administrator"], ["social_worker", "director"]]
    }


def test_an_unknown_role_is_refused_and_nothing_changes(pl_admin, pl_centre):
    with pytest.raises(ValidationFailed) as exc:
        set_two_factor_roles(pl_admin, ["director", "king"])

    assert list(exc.value.errors) == ["roles"]
    pl_centre.refresh_from_db()
    assert pl_centre.two_factor_roles == default_two_factor_roles()
    assert AuditEvent.objects.count() == 0


def test_the_director_may_not_change_the_two_factor_roles(pl_director, pl_centre):
    with pytest.raises(Forbidden):
        set_two_factor_roles(pl_director, [])
    pl_centre.refresh_from_db()
    assert pl_centre.two_factor_roles == default_two_factor_roles()


def test_signing_out_everywhere_stamps_the_user_and_revokes_the_tokens(pl_worker):
    issue_api_token(pl_worker, "one")
    issue_api_token(pl_worker, "two")

    sign_out_everywhere(pl_worker)

    pl_worker.refresh_from_db()
    assert pl_worker.sessions_valid_after is not None
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 0
    assert AuditEvent.objects.filter(changes__has_key="signed_out_everywhere").count() == 1


def test_another_staff_member_is_signed_out_only_by_their_centres_administrator(
    pl_admin, pl_worker, pl_director, md_admin
):
    with pytest.raises(Forbidden):
        sign_out_everywhere(pl_director, pl_worker.pk)
    with pytest.raises(NotFound):
        sign_out_everywhere(md_admin, pl_worker.pk)
    pl_worker.refresh_from_db()
    assert pl_worker.sessions_valid_after is None

    sign_out_everywhere(pl_admin, pl_worker.pk)

    pl_worker.refresh_from_db()
    assert pl_worker.sessions_valid_after is not None


def test_the_deployments_operators_are_out_of_a_centre_administrators_reach(pl_admin, pl_centre):
    operator = make_user("operator", pl_centre, Role.SOCIAL_WORKER)
    operator.is_staff = True
    operator.save(update_fields=["is_staff"])

    with pytest.raises(NotFound):
        sign_out_everywhere(pl_admin, operator.pk)
    with pytest.raises(NotFound):
        reset_two_factor(pl_admin, operator.pk)


def test_tokens_are_named_hashed_and_a_new_login_replaces_only_its_names_token(pl_worker):
    first, first_key = issue_api_token(pl_worker, "sync")
    other, _other_key = issue_api_token(pl_worker, "reports")
    second, _second_key = issue_api_token(pl_worker, "sync")

    assert first_key not in {t.digest for t in ApiToken.objects.all()}
    first.refresh_from_db()
    other.refresh_from_db()
    assert first.revoked_at is not None
    assert other.revoked_at is None
    assert [t.pk for t in list_api_tokens_for(pl_worker)] == [second.pk, other.pk, first.pk]


def test_a_token_is_revoked_by_its_user_or_the_administrator_once(pl_worker, pl_worker2, pl_admin):
    token, _key = issue_api_token(pl_worker)

    with pytest.raises(NotFound):
        revoke_api_token(pl_worker2, token.pk)
    revoke_api_token(pl_admin, token.pk)
    with pytest.raises(Conflict):
        revoke_api_token(pl_worker, token.pk)

    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_administrator_lists_a_staff_members_tokens_others_may_not(pl_worker, pl_worker2, pl_admin, md_admin):
    token, _key = issue_api_token(pl_worker)

    assert list(list_api_tokens_for(pl_admin, pl_worker.pk)) == [token]
    with pytest.raises(Forbidden):
        list_api_tokens_for(pl_worker2, pl_worker.pk)
    with pytest.raises(NotFound):
        list_api_tokens_for(md_admin, pl_worker.pk)
