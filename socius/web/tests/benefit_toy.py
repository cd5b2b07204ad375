"""A toy benefit declared under the Polish pack, so the benefit pages are tested apart from the real formulas."""

from __future__ import annotations

from decimal import Decimal

import pytest

from socius.rulebook.engine import benefits
from socius.rulebook.engine.benefits import BenefitDefinition, Facts, Input, Label, Result, Trace

ALL = ("ro", "lt", "ru", "en")


def _label(pl: str, en: str, **extra) -> Label:
    return Label(label=pl, translations=tuple(sorted({**dict.fromkeys(ALL, en + " *"), "en": en}.items())), **extra)


TOY = BenefitDefinition(
    code="pl.web_toy_allowance",
    country="PL",
    label="Zasiłek próbny",
    translations=(
        ("en", "Trial allowance"),
        ("lt", "Bandomoji pašalpa"),
        ("ro", "Ajutor de probă"),
        ("ru", "Пробное пособие"),
    ),
    legal_basis="art. 99 ustawy próbnej",
    payment="monthly",
    parameters=("casework/assessment/deadline",),
    steps={
        "deadline": _label("Termin wywiadu", "Interview deadline"),
        "income": _label("Dochód rodziny", "Family income", legal_basis="art. 8 ust. 3"),
        "need": _label("Kwota potrzeby", "Amount needed"),
        "amount": _label("Kwota zasiłku", "Amount of the allowance"),
        "abroad": _label("Członek za granicą", "Member abroad"),
    },
    reasons={"too_rich": _label("Dochód nie jest niższy od kryterium", "Income not below the criterion")},
    inputs={
        "need": Input(code="need", kind="amount", label=_label("Kwota potrzeby", "Amount needed"), required=True),
        "purpose": Input(
            code="purpose",
            kind="choice",
            label=_label("Cel", "Purpose"),
            options={"food": _label("żywność", "food"), "fuel": _label("opał", "fuel")},
        ),
    },
    member_flags={"abroad": _label("Przebywa za granicą", "Stays abroad")},
)


def toy_formula(facts: Facts, t: Trace) -> Result:
    t.parameter("deadline", "casework/assessment/deadline")
    income = t.money("income", sum((m.income or Decimal(0)) for m in facts.members))
    need = t.money("need", facts.amount("need", Decimal(0)))
    t.value("abroad", any(m.has("abroad") for m in facts.members))
    if income >= Decimal("1000"):
        t.refuse("too_rich")
    amount = t.money("amount", need - income / 2)
    return Result(amount=amount, minimum=Decimal("20"), maximum=amount)


def install(monkeypatch: pytest.MonkeyPatch) -> BenefitDefinition:
    """Declare the toy benefit in the Polish pack for one test (a fixture calls this)."""
    real = benefits.load_definitions

    def with_toy(pack_dir, country):
        found = real(pack_dir, country)
        return (*found, TOY) if country == "PL" else found

    monkeypatch.setattr(benefits, "load_definitions", with_toy)
    monkeypatch.setitem(benefits._FORMULAS, TOY.code, [])
    benefits.formula(TOY.code, since="2022-01-01")(toy_formula)
    return TOY
