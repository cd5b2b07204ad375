"""Input checks that name the field, shared by the services of several apps: each adds its message to `errors`
under the field's name, and `raise_if` raises them all at once as ValidationFailed (nothing written)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Model
from django.utils.translation import gettext as _

from socius.common.errors import ValidationFailed


def as_int(value) -> int | None:
    try:
        return int(value.pk if isinstance(value, Model) else value)
    except (TypeError, ValueError):
        return None


def is_date(value) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def check_date(errors: dict, field: str, value, *, required: bool = True, not_before: dt.date | None = None) -> None:
    if value is None and not required:
        return
    if not is_date(value):
        errors[field] = [_("Enter a date.")]
    elif not_before is not None and value < not_before:
        errors[field] = [_("The date cannot be before %(day)s.") % {"day": not_before.isoformat()}]


def check_text(errors: dict, field: str, value, *, max_length: int | None = None, required: bool = True) -> str:
    cleaned = text(value)
    if required and not cleaned:
        errors[field] = [_("This field is required.")]
    elif max_length is not None and len(cleaned) > max_length:
        errors[field] = [_("Use at most %(n)s characters.") % {"n": max_length}]
    return cleaned


def raise_if(errors: dict) -> None:
    if errors:
        raise ValidationFailed(errors)
