"""The justification of many proposals in one language: services.justification_from's text, with each step's
label, each value's formatting and each conclusion computed once and reused across the proposals that share
them (a recalculation's traces have a handful of shapes and repeat most of their values)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from socius.benefits.models_recalculation import RecalculationReason
from socius.common.formatting import format_money, format_value
from socius.rulebook.engine import benefits as engine
from socius.rulebook.engine.jurisdiction import benefit_definition


class Justifier:
    """`justifier(outcome)` == services.justification_from(outcome, language), cached per part."""

    def __init__(self, language: str | None):
        self.language = language
        self._labels: dict = {}
        self._values: dict = {}
        self._conclusions: dict = {}
        self._headings: dict = {}
        self._money: dict = {}

    def money(self, amount: Decimal, currency: str) -> str:
        """format_money(amount, currency, language), from the digits and a pattern found once per currency:
        the same text (tests compare them), without activating the language per amount."""
        pattern = self._money.get(currency)
        if pattern is None:
            pattern = self._money[currency] = self._money_pattern(currency)
        if pattern is False or amount < 0:
            return format_money(amount, currency, self.language)
        decimal_separator, thousand_separator, before, after = pattern
        value = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        whole, _dot, cents = f"{value:f}".partition(".")
        groups = []
        while len(whole) > 3:
            whole, group = whole[:-3], whole[-3:]
            groups.append(group)
        groups.append(whole)
        return f"{before}{thousand_separator.join(reversed(groups))}{decimal_separator}{cents}{after}"

    def _money_pattern(self, currency: str):
        with override(self.language):
            grouping = get_format("NUMBER_GROUPING")
            decimal_separator = get_format("DECIMAL_SEPARATOR")
            thousand_separator = get_format("THOUSAND_SEPARATOR")
        if grouping != 3:
            return False
        probe = format_money(Decimal("1234567.89"), currency, self.language)
        digits = f"1{thousand_separator}234{thousand_separator}567{decimal_separator}89"
        if probe.count(digits) != 1:
            return False
        before, after = probe.split(digits)
        return decimal_separator, thousand_separator, before, after

    def __call__(self, outcome: engine.Outcome) -> str:
        labels, values, currency = self._labels, self._values, outcome.currency
        lines = []
        for step in outcome.trace:
            label = labels.get(step.label)
            if label is None:
                label = labels[step.label] = step.label_in(self.language)
            plain = engine.plain_value(step.value)
            key = (plain, step.unit, currency)
            value = values.get(key)
            if value is None:
                value = self._money_value(plain, step.unit, currency)
                if value is None:
                    with override(self.language):
                        value = format_value(plain, step.unit, currency)
                if len(values) < 100_000:
                    values[key] = value
            basis = f" ({step.legal_basis})" if step.legal_basis else ""
            lines.append(f"{label}: {value}{basis}.")
        lines.append(self._conclusion(outcome))
        return "\n".join(lines)

    def _money_value(self, plain: str, unit: str, currency: str) -> str | None:
        """A money step's value as format_value writes it, or None for the other kinds."""
        if not unit or unit != currency or plain in ("true", "false"):
            return None
        try:
            return self.money(Decimal(plain), currency)
        except (InvalidOperation, ValueError):
            return None

    def _conclusion(self, outcome: engine.Outcome) -> str:
        key = (outcome.benefit, outcome.eligible, outcome.amount, outcome.currency, outcome.reasons)
        text = self._conclusions.get(key)
        if text is not None:
            return text
        language = self.language
        definition = benefit_definition(outcome.benefit)
        with override(language):
            if outcome.eligible:
                text = _("The conditions of %(benefit)s are met; the amount is %(amount)s.") % {
                    "benefit": definition.label_in(language),
                    "amount": self.money(outcome.amount, outcome.currency),
                }
            else:
                text = _("The conditions of %(benefit)s are not met: %(reasons)s.") % {
                    "benefit": definition.label_in(language),
                    "reasons": "; ".join(reason.label_in(language) for reason in outcome.reasons),
                }
        if len(self._conclusions) < 100_000:
            self._conclusions[key] = text
        return text

    def heading(self, month: dt.date, reasons: tuple[str, ...]) -> str:
        """The first line of a recalculation's proposal: from which month, and what changed."""
        key = (month, reasons)
        text = self._headings.get(key)
        if text is None:
            with override(self.language):
                text = _("Recalculated from %(month)s after a change of %(what)s.") % {
                    "month": month.strftime("%Y-%m"),
                    "what": ", ".join(str(RecalculationReason(r).label) for r in reasons) or _("the facts"),
                }
            self._headings[key] = text
        return text
