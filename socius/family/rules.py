"""What the centre's jurisdiction pack says about the family assistant programme, on a day: the caseload cap,
how often the family is assessed, how long it is monitored after the work closes (dated parameters under
`parameters/family_support/`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from socius.common.errors import Conflict
from socius.rulebook import get_jurisdiction
from socius.rulebook.engine.parameters import ParameterError

CASELOAD_CAP = "family_support/caseload_cap"
ASSESSMENT_INTERVAL = "family_support/assessment_interval_months"
MONITORING = "family_support/monitoring_months"


@dataclass(frozen=True)
class ParamInfo:
    """A parameter's value in force on a day, with what a page needs to explain it."""

    value: int
    legal_basis: str
    source: str
    valid_from: dt.date
    confirmed: bool = True

    def __int__(self) -> int:
        return self.value


def _jurisdiction_of(centre) -> str:
    # A Centre, or its jurisdiction code ("PL"): batch readers hold only the code.
    return centre if isinstance(centre, str) else centre.jurisdiction


class NoRuleInForce(Conflict):
    """The pack has no value of the parameter on the day asked (before the law's first date, or never found)."""

    def __init__(self, name: str, on: dt.date):
        self.parameter = name
        self.on = on
        super().__init__(
            _("The rules of this centre's jurisdiction give no value for “%(name)s” on %(day)s.")
            % {"name": name, "day": on.isoformat() if isinstance(on, dt.date) else on},
            code="no_rule_in_force",
        )


def _param(centre, name: str, on: dt.date) -> ParamInfo:
    try:
        value = get_jurisdiction(_jurisdiction_of(centre)).parameter_in_force(name, on)
    except (ParameterError, KeyError, LookupError):
        raise NoRuleInForce(name, on) from None
    return ParamInfo(
        value=int(value.value),
        legal_basis=value.legal_basis,
        source=value.source,
        valid_from=value.valid_from,
        confirmed=value.confirmed,
    )


def caseload_cap(centre, on: dt.date) -> ParamInfo:
    """The most families one assistant may work with at the same time (PL art. 15 ust. 4: 20, later 15)."""
    return _param(centre, CASELOAD_CAP, on)


def assessment_interval_months(centre, on: dt.date) -> ParamInfo:
    """The family's situation is assessed at least this often, in months (PL art. 15 ust. 1: 6)."""
    return _param(centre, ASSESSMENT_INTERVAL, on)


def monitoring_months(centre, on: dt.date) -> ParamInfo:
    """How long the family is monitored after the work closes, in months (0: the enrolment closes at once)."""
    return _param(centre, MONITORING, on)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's last day (31 Aug + 6 months = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover
