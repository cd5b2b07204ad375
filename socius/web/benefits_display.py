"""An evaluation's outcome and trace as the benefit pages and the decision PDF show them.

Works on the API's shape (`Outcome.as_dict`), so a stored proposal's trace and a fresh calculation read
alike. Labels are taken again from the benefit's YAML by code, in the reader's language, with the statutory
wording beside where it differs; amounts in the pack's currency are formatted as money, other figures as
numbers of the reader's language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from socius.common.formatting import format_money, format_value
from socius.rulebook.engine.benefits import BenefitDefinition, Outcome


@dataclass(frozen=True)
class TraceRow:
    code: str
    label: str
    statutory_label: str  # empty when the same as `label`
    value: str
    parameter: str
    valid_from: dt.date | None
    legal_basis: str
    source: str
    confirmed: bool


@dataclass(frozen=True)
class OutcomeView:
    benefit: str
    benefit_label: str
    legal_basis: str
    period: dt.date
    eligible: bool
    amount: str
    minimum: str
    maximum: str
    currency: str
    reasons: list[tuple[str, str]]  # (label in the reader's language, statutory wording when it differs)
    trace: list[TraceRow]
    version: dt.date | None
    rules_version: str

    @property
    def has_unconfirmed(self) -> bool:
        return any(not row.confirmed for row in self.trace)


def _date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def trace_rows(trace: list[dict], definition: BenefitDefinition | None, currency: str, language: str) -> list[TraceRow]:
    rows = []
    for step in trace:
        label, statutory = step.get("label") or step.get("code", ""), step.get("statutory_label") or ""
        if definition is not None and step.get("code") in definition.steps:
            own = definition.steps[step["code"]]
            label, statutory = own.label_in(language), own.label
        rows.append(
            TraceRow(
                code=step.get("code", ""),
                label=label,
                statutory_label="" if statutory == label else statutory,
                value=format_value(str(step.get("value", "")), step.get("unit") or "", currency),
                parameter=step.get("parameter") or "",
                valid_from=_date(step.get("valid_from")),
                legal_basis=step.get("legal_basis") or "",
                source=step.get("source") or "",
                confirmed=step.get("confirmed", True) is not False,
            )
        )
    return rows


def reasons_of(reasons: list[dict], definition: BenefitDefinition | None, language: str) -> list[tuple[str, str]]:
    shown = []
    for reason in reasons:
        label, statutory = reason.get("label") or reason.get("code", ""), reason.get("statutory_label") or ""
        if definition is not None and reason.get("code") in definition.reasons:
            own = definition.reasons[reason["code"]]
            label, statutory = own.label_in(language), own.label
        shown.append((label, "" if statutory == label else statutory))
    return shown


def view_of(data: dict, definition: BenefitDefinition | None, language: str) -> OutcomeView:
    """An outcome in the API's shape (fresh, or stored with a proposal) as the pages show it."""
    currency = data.get("currency") or ""

    def money(value) -> str:
        return "" if value in (None, "") else format_money(Decimal(str(value)), currency)

    period = data.get("period") or ""
    return OutcomeView(
        benefit=data.get("benefit", ""),
        benefit_label=definition.label_in(language) if definition else data.get("benefit", ""),
        legal_basis=definition.legal_basis if definition else "",
        period=_date(period + "-01" if len(period) == 7 else period) or dt.date.min,
        eligible=bool(data.get("eligible")),
        amount=money(data.get("amount")),
        minimum=money(data.get("minimum")),
        maximum=money(data.get("maximum")),
        currency=currency,
        reasons=reasons_of(data.get("reasons") or [], definition, language),
        trace=trace_rows(data.get("trace") or [], definition, currency, language),
        version=_date(data.get("version")),
        rules_version=data.get("rules_version") or "",
    )


def outcome_view(outcome: Outcome, definition: BenefitDefinition | None, language: str) -> OutcomeView:
    return view_of(outcome.as_dict(language), definition, language)
