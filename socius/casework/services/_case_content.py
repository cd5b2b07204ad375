"""The case a visit or activity is written on: locked, readable by the actor, open, worked by them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from socius.accounts.models import User
from socius.accounts.roles import WORK_CASES
from socius.casework.models import Case
from socius.casework.permissions import can_view_case_content
from socius.casework.services.cases import _locked_case
from socius.common.errors import Conflict, Forbidden


def locked_workable_case(actor: User, case_id) -> Case:
    """Call inside a transaction. NotFound outside the centre, Forbidden without content access or
    casework, Conflict when the case is closed."""
    case = _locked_case(actor, case_id)
    if not actor.can(WORK_CASES) or not can_view_case_content(actor, case):
        raise Forbidden()
    if not case.is_open:
        raise Conflict(
            _("Case %(reference)s is closed: reopen it first.") % {"reference": case.reference}, code="case_closed"
        )
    return case


def is_date(value) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def check_past_day(day, errors: dict, field: str, *, not_before: dt.date | None = None) -> None:
    if not is_date(day):
        errors[field] = [_("Enter a date.")]
    elif day > timezone.localdate():
        errors[field] = [_("The date cannot be in the future.")]
    elif not_before and day < not_before:
        errors[field] = [_("The date cannot be before the case was opened.")]
