"""Small factories for the bank files' tests: a fund with its debtor account, a run in a given state, and its
payments (each from a transfer of its own, so no benefit decision is needed)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from stdnum import iban as stdnum_iban

from socius.payments.models import Fund, Payment, PaymentRun, Transfer
from socius.testing.factories import PersonFactory

_seq = itertools.count(1)

BBAN_LENGTH = {"PL": 24, "LT": 16, "MD": 20}
CURRENCY = {"PL": "PLN", "LT": "EUR", "MD": "MDL"}


def make_iban(country: str, n: int | None = None) -> str:
    """A valid IBAN of the country (check digits computed), different for each `n`."""
    n = next(_seq) if n is None else n
    bban = str(n).rjust(BBAN_LENGTH[country], "0")
    if country == "MD":
        bban = "AG" + bban[2:]
    return country + stdnum_iban.calc_check_digits(f"{country}00{bban}") + bban


def make_fund(centre, *, code=None, currency=None, debtor_iban=None, debtor_bic="", debtor_name=None) -> Fund:
    country = centre.jurisdiction
    return Fund.objects.create(
        centre=centre,
        code=code or f"fund-{next(_seq)}",
        name="Zadania zlecone" if country == "PL" else "Fund",
        kind="state_budget",
        currency=currency or CURRENCY[country],
        debtor_name=debtor_name if debtor_name is not None else f"{centre.name}",
        debtor_iban=debtor_iban if debtor_iban is not None else make_iban(country),
        debtor_bic=debtor_bic,
    )


def make_run(centre, prepared_by, *, month=dt.date(2026, 12, 1), status="approved", number=None, kind="regular"):
    number = number or (PaymentRun.objects.filter(centre=centre, month=month).count() + 1)
    return PaymentRun.objects.create(
        centre=centre, month=month, number=number, kind=kind, status=status, prepared_by=prepared_by
    )


def make_payment(
    run,
    fund,
    *,
    person=None,
    channel="bank_transfer",
    iban=None,
    amount="100.00",
    payee_name=None,
    status="pending",
    purpose="Zasiłek okresowy",
    benefit="",
    end_to_end_id=None,
    with_person=True,
) -> Payment:
    n = next(_seq)
    if person is None and with_person:
        person = PersonFactory(centre=run.centre)
    if iban is None:
        iban = make_iban(run.centre.jurisdiction, n) if channel == "bank_transfer" else ""
    payee = payee_name or (person.full_name if person else f"Stołówka {n}")
    transfer = Transfer.objects.create(
        centre=run.centre,
        fund=fund,
        payee_name=payee,
        person=person,
        channel=channel,
        iban=iban,
        purpose=purpose,
        amount=Decimal(amount),
        currency=fund.currency,
        month_from=run.month,
        status="approved",
        proposed_by=run.prepared_by,
    )
    return Payment.objects.create(
        run=run,
        centre=run.centre,
        fund=fund,
        transfer=transfer,
        person=person,
        payee_name=payee,
        benefit=benefit,
        purpose=purpose,
        month=run.month,
        amount=Decimal(amount),
        currency=fund.currency,
        channel=channel,
        iban=iban,
        end_to_end_id=end_to_end_id or f"S{run.centre_id}-{run.pk}-{n}",
        status=status,
    )
