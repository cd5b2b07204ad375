"""Helpers of the sign-in tests: the code an authenticator app would show now (django-otp's own TOTP)."""

from __future__ import annotations

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def code_of(device: TOTPDevice) -> str:
    """The six digits the app shows now for this device."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{value:0{device.digits}d}"


def allow_same_step_again(user) -> None:
    """django-otp refuses a code of a time step already used (replay): a test that signs in twice within the same
    30 seconds forgets the step used, instead of waiting for the next one."""
    TOTPDevice.objects.filter(user=user).update(last_t=-1)


def wrong_code(device: TOTPDevice) -> str:
    right = code_of(device)
    return f"{(int(right) + 1) % 10**device.digits:0{device.digits}d}"
