"""How the payment pages say things: the anomalies of a run in words, the moves a reader may make (and why
not, four eyes included), payments as rows with their IBAN as the reader may read it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from socius.common.formatting import format_money
from socius.payments import permissions, runs
from socius.payments.models import Payment, PaymentRun
from socius.payments.statuses import RUN_TRANSITIONS, RunStatus
from socius.rulebook.engine.benefits import UnknownBenefit
from socius.rulebook.engine.jurisdiction import benefit_definition
from socius.web.forms_payments import month_label

# The check list's kinds of anomaly (socius.payments.runs.find_anomalies), as a heading; the sentence with
# its figures is runs.anomaly_message.
ANOMALIES = {
    "no_iban": gettext_lazy("A bank transfer without an IBAN"),
    "iban_invalid": gettext_lazy("An IBAN that is not valid"),
    "amount_changed": gettext_lazy("The amount changed since last month"),
    "paid_twice": gettext_lazy("Paid twice in one month"),
    "paid_in_two_centres": gettext_lazy("Also paid by another centre"),
    "no_fund": gettext_lazy("The benefit draws on no fund"),
    "fund_short": gettext_lazy("The fund has too little available"),
    "more": gettext_lazy("More of the same kind"),
}


def benefit_label(code: str) -> str:
    if not code:
        return ""
    try:
        return benefit_definition(code).label_in(get_language())
    except UnknownBenefit:
        return code


def anomaly_label(code: str) -> str:
    return str(ANOMALIES.get(code, code.replace("_", " ")))


@dataclass
class AnomalyRow:
    code: str
    label: str
    detail: str
    payment: Payment | None
    blocking: bool = False


def anomaly_rows(run: PaymentRun) -> list[AnomalyRow]:
    """The run's check list, each anomaly with its payment (one query)."""
    items = [a for a in (run.anomalies or []) if isinstance(a, dict)]
    ids = {a.get("payment") for a in items if a.get("payment")}
    payments = Payment.objects.filter(run_id=run.pk).in_bulk(list(ids)) if ids else {}
    rows = [
        AnomalyRow(
            code=str(a.get("code", "")),
            label=anomaly_label(str(a.get("code", ""))),
            detail=runs.anomaly_message(_readable_amounts(a)),
            blocking=runs.is_blocking(a),
            payment=payments.get(a.get("payment")),
        )
        for a in items
    ]
    return sorted(rows, key=lambda r: (not r.blocking, r.label, r.payment.payee_name if r.payment else ""))


_AMOUNTS = ("previous", "amount", "missing")


def _number(value) -> str:
    """An amount as the reader's language writes it, two decimals ("5 991,93"); as stored if not a number."""
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    return number_format(amount, 2, use_l10n=True, force_grouping=True)


def _readable_amounts(anomaly: dict) -> dict:
    """The anomaly's amounts in the reader's number format (the run stores them as plain decimals; runs'
    anomaly_message names the benefit)."""
    params = dict(anomaly.get("params") or {})
    for key in _AMOUNTS:
        if params.get(key) not in (None, ""):
            params[key] = _number(params[key])
    return {**anomaly, "params": params}


def anomaly_persons(rows: list[AnomalyRow]) -> list[int]:
    return [r.payment.person_id for r in rows if r.payment is not None and r.payment.person_id]


@dataclass
class Move:
    action: str
    label: str
    allowed: bool
    why_not: str = ""
    danger: bool = False


def run_actions(actor, run: PaymentRun) -> list[Move]:
    """The moves of the run's state this reader may make, and those they may not with the reason (four eyes
    shown before anybody tries)."""
    moves = RUN_TRANSITIONS.get(run.status, frozenset())
    prepares = permissions.can_prepare_payments(actor)
    approves = permissions.can_approve_payments(actor)
    out: list[Move] = []
    if run.status == RunStatus.DRAFT and prepares:
        out.append(Move("check", _("Check the run"), True))
    if run.status == RunStatus.CHECKED:
        if prepares:
            out.append(Move("draft", _("Back to draft"), True))
        if approves and actor.pk in (run.prepared_by_id, run.checked_by_id):
            out.append(
                Move(
                    "approve",
                    _("Approve the run"),
                    False,
                    _("You prepared or checked this run: another person with the right to approve must approve it."),
                )
            )
        elif approves:
            out.append(Move("approve", _("Approve the run"), True))
        else:
            out.append(
                Move(
                    "approve",
                    _("Approve the run"),
                    False,
                    _("Waiting for approval by the director or a person the director authorised (four eyes)."),
                )
            )
    # An exported run's files are downloaded again below; exporting writes them once.
    if run.status == RunStatus.APPROVED and prepares:
        out.append(Move("export", _("Export the bank files"), True))
    if RunStatus.CANCELLED in moves and prepares:
        out.append(Move("cancel", _("Cancel the run"), True, danger=True))
    return out


def payment_rows(actor, payments) -> list[Payment]:
    """Payments with what the page shows of them: the IBAN as the reader may read it, the benefit's name,
    the amount in the reader's format."""
    rows = list(payments)
    for p in rows:
        p.iban_shown = permissions.iban_for(actor, p.iban) if p.iban else ""
        p.benefit_label = benefit_label(p.benefit) if p.benefit else (p.purpose or "")
        p.amount_text = format_money(p.amount, p.currency)
        p.month_text = month_label(p.month)
    return rows


def centre_currency(actor) -> str:
    """The currency of the reader's centre (its jurisdiction's pack): runs' totals are in it."""
    from socius.rulebook import get_jurisdiction

    return get_jurisdiction(actor.centre.jurisdiction).currency
