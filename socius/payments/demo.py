"""Demo funds, loaded for each demo centre before its benefit decisions (so their approval commits money):
funds that fit the country, with debtor accounts (synthetic IBANs with valid check digits), allocations for
the demo's year and the next, the fund of every benefit of the pack, and in Moldova the monthly transfer of
2,000 lei from the local social support fund to the social canteen of Oxentea. Written through the services.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from socius.accounts import demo as accounts_demo
from socius.accounts.models import Centre, Territory, User
from socius.benefits.demo import demo_iban
from socius.payments import funds
from socius.payments.models import Fund
from socius.rulebook.engine.jurisdiction import get_jurisdiction


@dataclass(frozen=True)
class DemoFund:
    code: str
    name: str
    kind: str
    allocation: str  # for the demo's year; the next year gets the same
    benefits: tuple[str, ...] = ()
    default: bool = False  # draws every benefit of the pack not named elsewhere
    project: bool = False  # runs for the demo's year only


FUNDS = {
    "PL": (
        DemoFund(
            "zlecone",
            "Zadania zlecone — dotacja celowa z budżetu państwa",
            "state_commissioned",
            "180000.00",
        ),
        DemoFund(
            "wlasne-dotacja",
            "Zadania własne — dotacja na zasiłki okresowe i stałe",
            "own_tasks",
            "950000.00",
            benefits=("pl.periodic_allowance", "pl.permanent_allowance"),
        ),
        DemoFund(
            "wlasne-gmina",
            "Zadania własne — środki gminy",
            "own_tasks",
            "420000.00",
            benefits=("pl.purpose_allowance",),
            default=True,
        ),
        DemoFund("asystent-rodziny", "Projekt „Asystent rodziny”", "project", "96000.00", project=True),
    ),
    "MD": (
        DemoFund(
            "buget-ajutor-social",
            "Bugetul de stat — ajutor social și ajutor pentru perioada rece a anului",
            "state_budget",
            "6500000.00",
            benefits=("md.social_aid", "md.cold_season_aid"),
            default=True,
        ),
        DemoFund(
            "fond-local",
            "Fondul local de susținere socială a populației",
            "local_support_fund",
            "420000.00",
            benefits=("md.local_support_fund_aid",),
        ),
        DemoFund("cantina-sociala", "Cantina socială", "social_canteen", "180000.00"),
    ),
    "LT": (
        DemoFund(
            "valstybes",
            "Valstybės biudžeto specialioji tikslinė dotacija",
            "state_budget",
            "310000.00",
            benefits=("lt.heating_compensation", "lt.water_compensation"),
        ),
        DemoFund(
            "savivaldybes",
            "Savivaldybės biudžetas — socialinė parama",
            "municipal",
            "640000.00",
            benefits=("lt.social_benefit",),
            default=True,
        ),
    ),
}

CANTEEN = {"payee": "Cantina socială Oxentea", "territory": "Oxentea", "amount": "2000.00"}


def load_funds_demo(centre: Centre, *, seed: int, today: dt.date | None = None) -> int:
    """Write one demo centre's funds; returns their number. Call before the benefits demo."""
    today = today or timezone.localdate()
    rng = random.Random(f"{seed}-{centre.jurisdiction}-funds")
    prefix = accounts_demo.USERNAME_PREFIXES[centre.jurisdiction]
    users = {u.username: u for u in User.objects.filter(centre=centre, username__startswith=prefix)}
    finance, director = users[f"{prefix}finance"], users[f"{prefix}director"]
    plans = FUNDS.get(centre.jurisdiction, ())
    created: dict[str, Fund] = {}
    for plan in plans:
        fund = funds.create_fund(
            finance,
            {
                "code": plan.code,
                "name": plan.name,
                "kind": plan.kind,
                "valid_from": dt.date(today.year, 1, 1) if plan.project else None,
                "valid_until": dt.date(today.year, 12, 31) if plan.project else None,
                "debtor_name": centre.name,
                "debtor_iban": demo_iban(centre.jurisdiction, rng),
            },
        )
        created[plan.code] = fund
        years = (today.year,) if plan.project else (today.year, today.year + 1)
        for year in years:
            funds.allocate(
                finance, fund.pk, {"year": year, "amount": plan.allocation, "decided_on": dt.date(year - 1, 12, 20)}
            )
    named = {benefit: plan.code for plan in plans for benefit in plan.benefits}
    default = next((plan.code for plan in plans if plan.default), None)
    for definition in get_jurisdiction(centre.jurisdiction).benefits():
        code = named.get(definition.code, default)
        if code:
            funds.set_benefit_fund(finance, definition.code, created[code].pk)
    if centre.jurisdiction == "MD" and "fond-local" in created:
        _canteen_transfer(centre, finance, director, created["fond-local"], today, rng)
    return len(created)


def _canteen_transfer(centre, finance, director, fund: Fund, today: dt.date, rng) -> None:
    """2,000 lei a month for the year from the local support fund to the social canteen of Oxentea."""
    territory = (
        Territory.objects.filter(jurisdiction="MD", name=CANTEEN["territory"])
        .order_by("id")
        .values_list("pk", flat=True)
    ).first()
    transfer = funds.propose_transfer(
        finance,
        {
            "fund": fund.pk,
            "payee_name": CANTEEN["payee"],
            "purpose": "Alimentarea persoanelor socialmente vulnerabile (cantina socială)",
            "channel": "bank_transfer",
            "iban": demo_iban("MD", rng),
            "amount": CANTEEN["amount"],
            "month_from": dt.date(today.year, 1, 1),
            "month_to": dt.date(today.year, 12, 1),
            "territory": territory,
        },
    )
    funds.approve_transfer(director, transfer.pk)


__all__ = ["FUNDS", "load_funds_demo"]
