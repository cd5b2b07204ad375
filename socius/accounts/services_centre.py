"""Writes for a centre's own settings: its name and the letterhead of the documents it issues (audited)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from socius.accounts.audit import diff, record_event, snapshot
from socius.accounts.models import AuditAction, Centre, User
from socius.accounts.permissions import can_manage_staff, require
from socius.common.errors import ValidationFailed

CENTRE_SETTINGS_FIELDS = ("name", "address", "locality", "phone", "email")
# Digits with the usual separators and an optional leading "+": "+48 22 123 45 67", "(022) 22-33-44".
_PHONE = re.compile(r"^\+?[0-9()\-./ ]{3,}$")


def _check(data: dict) -> dict[str, list]:
    errors: dict[str, list] = {}
    for name in CENTRE_SETTINGS_FIELDS:
        value = data[name]
        if len(value) > Centre._meta.get_field(name).max_length:
            errors[name] = [_("This text is too long (at most %(max)d characters).") % {"max": _max(name)}]
    if not data["name"] and "name" not in errors:
        errors["name"] = [_("Enter the centre's name.")]
    if data["phone"] and "phone" not in errors and not _PHONE.match(data["phone"]):
        errors["phone"] = [_("Enter a phone number: digits, spaces and + ( ) - only.")]
    if data["email"] and "email" not in errors:
        try:
            validate_email(data["email"])
        except ValidationError:
            errors["email"] = [_("Enter a valid e-mail address.")]
    return errors


def _max(name: str) -> int:
    return Centre._meta.get_field(name).max_length


def update_centre_settings(actor: User, data: dict) -> Centre:
    """Change the actor's own centre's name and letterhead (address, place of issue, phone, e-mail)."""
    require(actor, can_manage_staff)
    with transaction.atomic():
        centre = Centre.objects.select_for_update().get(pk=actor.centre_id)
        merged = {name: str(getattr(centre, name) or "") for name in CENTRE_SETTINGS_FIELDS}
        merged.update({k: " ".join(str(v or "").split()) for k, v in data.items() if k in CENTRE_SETTINGS_FIELDS})
        errors = _check(merged)
        if errors:
            raise ValidationFailed(errors)
        before = snapshot(centre, CENTRE_SETTINGS_FIELDS)
        for name, value in merged.items():
            setattr(centre, name, value)
        changes = diff(before, snapshot(centre, CENTRE_SETTINGS_FIELDS))
        if not changes:
            return centre
        centre.save(update_fields=list(changes))
        record_event(
            actor, AuditAction.UPDATE, object_type="centre", object_id=centre.pk, centre_id=centre.pk, changes=changes
        )
    return centre
