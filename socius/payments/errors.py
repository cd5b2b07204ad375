"""Errors of payments, raised by its services and answered at the edge (409 with the reason)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from socius.common.errors import Conflict, Forbidden
from socius.common.formatting import format_money


class BudgetExceeded(Conflict):
    """A decision, transfer or payment run would spend more than the fund has available for the year:
    names the fund, the amount missing and who can amend the allocation; nothing was written."""

    def __init__(self, fund, year: int, missing: Decimal, currency: str):
        self.fund_id = fund.pk
        self.fund_name = fund.name
        self.year = year
        self.missing = missing
        self.currency = currency
        super().__init__(
            _(
                "The fund “%(fund)s” has too little for %(year)s: %(missing)s is missing. "
                "The director or a finance officer can amend the fund's allocation."
            )
            % {"fund": fund.name, "year": year, "missing": format_money(missing, currency)},
            code="budget_exceeded",
        )


class FundNotOpen(Conflict):
    """A decision or transfer would commit months for which its fund is closed, or a fund that is no longer active
    (a project's fund runs for its period): names the fund and its period; nothing was written."""

    def __init__(self, fund, month):
        self.fund_id = fund.pk
        self.month = month
        if not fund.is_active:
            message = _(
                "The fund “%(fund)s” is closed. The director or a finance officer can set another fund for the "
                "benefit, or reopen the fund."
            ) % {"fund": fund.name}
        else:
            message = _(
                "The fund “%(fund)s” does not pay for %(month)s: it runs from %(start)s until %(end)s. The director "
                "or a finance officer can set another fund for the benefit."
            ) % {
                "fund": fund.name,
                "month": formats.date_format(month, "YEAR_MONTH_FORMAT"),
                "start": formats.date_format(fund.valid_from, "SHORT_DATE_FORMAT") if fund.valid_from else "—",
                "end": formats.date_format(fund.valid_until, "SHORT_DATE_FORMAT") if fund.valid_until else "—",
            }
        super().__init__(message, code="fund_not_open")


class FourEyesPayments(Forbidden):
    """Nobody approves the run or transfer they prepared or proposed."""

    message = _("Nobody approves what they prepared: another person with the right must approve it.")
