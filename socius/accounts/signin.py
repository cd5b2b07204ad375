"""Two-factor sign-in (decision 0021): who must use it, enrolling a TOTP authenticator, recovery codes, checking
a code, the centre's two-factor roles and the administrator's reset. Writes are atomic and audited."""

from __future__ import annotations

import base64

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import match_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from socius.accounts.audit import record_event
from socius.accounts.models import AuditAction, Centre, User
from socius.accounts.permissions import can_manage_sign_in_of, can_manage_staff, require
from socius.accounts.roles import Role
from socius.common.errors import Conflict, NotFound, ValidationFailed

RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "Socius"


# --- reads -----------------------------------------------------------------------------------------


def role_requires_two_factor(user: User) -> bool:
    """The user's role is one of the centre's two-factor roles."""
    centre = user.centre if user.centre_id else None
    return bool(centre and user.role in (centre.two_factor_roles or []))


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def requires_two_factor(user: User) -> bool:
    """A second factor is asked of the centre's two-factor roles, of the deployment's superusers (they reach Django's
    admin and every centre), and of anyone who has set up an authenticator."""
    return user.is_superuser or role_requires_two_factor(user) or has_authenticator(user)


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def secret_of(device: TOTPDevice) -> str:
    """The key in base32, as an authenticator app takes it typed in by hand (grouped by four for reading)."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _clean(code: str) -> str:
    return "".join(str(code or "").split()).replace("-", "").lower()


# --- the login's second step -----------------------------------------------------------------------


def verify_second_factor(user: User, code: str) -> Device | None:
    """The confirmed device (authenticator or recovery codes) that accepts the code, or None. A recovery code
    is used up; django-otp refuses a TOTP code used before and slows down repeated failures (throttling)."""
    cleaned = _clean(code)
    if not cleaned:
        return None
    return match_token(user, cleaned)


def authenticator_to_enrol(user: User) -> TOTPDevice:
    """The user's authenticator waiting to be confirmed (the same one on each visit, so the QR code shown does
    not change under the user's eyes), made when there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def confirm_authenticator(user: User, device_id: int, code: str) -> list[str]:
    """Confirm the authenticator with a code it shows: it replaces any previous one, and a fresh set of recovery
    codes is made; returns the codes (shown once, never again)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(pk=device_id, user=user, confirmed=False).first()
        if device is None:
            raise NotFound()
        if not device.verify_token(_clean(code)):
            raise ValidationFailed({"otp": [_("This code is not right. Enter the six digits the app shows now.")]})
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        record_event(
            user,
            AuditAction.UPDATE,
            object_type="user",
            object_id=user.pk,
            centre_id=user.centre_id,
            changes={"two_factor": [None, "authenticator"]},
        )
    return codes


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def regenerate_recovery_codes(user: User) -> list[str]:
    """New recovery codes for a user with an authenticator; the old ones stop working."""
    with transaction.atomic():
        if not has_authenticator(user):
            raise Conflict(_("Set up an authenticator app first."), code="no_authenticator")
        codes = _new_recovery_codes(user)
        record_event(
            user,
            AuditAction.UPDATE,
            object_type="user",
            object_id=user.pk,
            centre_id=user.centre_id,
            changes={"recovery_codes": [None, "renewed"]},
        )
    return codes


# --- the administrator -----------------------------------------------------------------------------


def reset_two_factor(actor: User, member_id) -> User:
    """Remove a staff member's authenticator and recovery codes (a lost phone): their next login sets up a new
    one if their role needs it. Their sessions and API tokens end too, since whoever holds the phone may hold them."""
    from socius.accounts.sessions import end_sessions_and_tokens

    require(actor, can_manage_staff)
    with transaction.atomic():
        member = User.objects.select_for_update().filter(pk=_int(member_id)).first()
        if member is None or not can_manage_sign_in_of(actor, member):
            raise NotFound()
        had = has_authenticator(member)
        TOTPDevice.objects.filter(user=member).delete()
        StaticDevice.objects.filter(user=member).delete()
        end_sessions_and_tokens(member)
        record_event(
            actor,
            AuditAction.UPDATE,
            object_type="user",
            object_id=member.pk,
            centre_id=actor.centre_id,
            changes={"two_factor": ["authenticator" if had else None, None]},
        )
    return member


TWO_FACTOR_ROLE_CHOICES = [(role.value, role.label) for role in Role]


def set_two_factor_roles(actor: User, roles) -> Centre:
    """The roles of the actor's centre that must sign in with a second factor (its administrator's choice)."""
    require(actor, can_manage_staff)
    known = {value for value, _label in TWO_FACTOR_ROLE_CHOICES}
    chosen = [str(role) for role in (roles or [])]
    unknown = [role for role in chosen if role not in known]
    if unknown:
        raise ValidationFailed({"roles": [_("Unknown role: %(role)s.") % {"role": ", ".join(unknown)}]})
    ordered = [value for value, _label in TWO_FACTOR_ROLE_CHOICES if value in set(chosen)]
    with transaction.atomic():
        centre = Centre.objects.select_for_update().get(pk=actor.centre_id)
        before = list(centre.two_factor_roles or [])
        if before == ordered:
            return centre
        centre.two_factor_roles = ordered
        centre.save(update_fields=["two_factor_roles"])
        record_event(
            actor,
            AuditAction.UPDATE,
            object_type="centre",
            object_id=centre.pk,
            centre_id=centre.pk,
            changes={"two_factor_roles": [before, ordered]},
        )
    return centre


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None
