"""What the services' writes share: input checks naming the field, the catalogue of the centre's pack, the
audit row."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from socius.accounts.audit import record_event
from socius.common.validation import as_int, check_date, check_text, is_date, raise_if, text  # noqa: F401 (used by the services' writes)


def check_decimal(
    errors: dict,
    field: str,
    value,
    *,
    required: bool = True,
    positive: bool = False,
    maximum: Decimal = Decimal("999999999.99"),
) -> Decimal | None:
    """A Decimal with at most two places, not negative (positive when asked), not above `maximum`."""
    if value in (None, "") and not required:
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value)) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        number = None
    if isinstance(value, float | bool) or number is None or not number.is_finite():
        errors[field] = [_("Enter a number.")]
        return None
    if number < 0 or (positive and number == 0):
        errors[field] = [_("Enter a number greater than zero.") if positive else _("The number cannot be negative.")]
        return None
    if number > maximum:
        errors[field] = [_("Enter a number no greater than %(max)s.") % {"max": maximum}]
        return None
    if number != number.quantize(Decimal("0.01")):
        errors[field] = [_("Use at most two decimal places.")]
        return None
    return number.quantize(Decimal("0.01"))


def audit(actor, action: str, object_type: str, object_id: int, *, centre_id: int, person_ids=(), changes=None):
    record_event(
        actor,
        action,
        object_type=object_type,
        object_id=object_id,
        centre_id=centre_id,
        person_ids=[p for p in person_ids if p],
        changes=changes or {},
    )
