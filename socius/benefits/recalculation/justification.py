"""The justification of many proposals in one language: services.justification_from's text, with each step's
label, each value's formatting and each conclusion computed once and reused across the proposals that share
them (a recalculation's traces have a handful of shapes and repeat most of their values)."""

from __future__ import annotations

import datetime as dt

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
                with override(self.language):
                    value = values[key] = format_value(plain, step.unit, currency)
            basis = f" ({step.legal_basis})" if step.legal_basis else ""
            lines.append(f"{label}: {value}{basis}.")
        lines.append(self._conclusion(outcome))
        return "\n".join(lines)

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
                    "amount": format_money(outcome.amount, outcome.currency, language),
                }
            else:
                text = _("The conditions of %(benefit)s are not met: %(reasons)s.") % {
                    "benefit": definition.label_in(language),
                    "reasons": "; ".join(reason.label_in(language) for reason in outcome.reasons),
                }
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
