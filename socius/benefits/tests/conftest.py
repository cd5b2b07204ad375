"""Benefits fixtures: a PL family case held by pl_worker, a completed interview, and toy benefits in a copy of
the PL pack (so the tests hold while the real formulas are being written, and pin exact amounts)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from socius.assessments.models import Assessment, AssessmentStatus
from socius.casework.tests.factories import CaseFactory
from socius.rulebook.engine import benefits as engine
from socius.rulebook.engine import jurisdiction as registry
from socius.rulebook.engine.benefits import Facts, Result, Trace, months_before, sum_incomes
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory, TeamFactory

APPLIED = dt.date(2025, 3, 3)
MARCH = dt.date(2025, 3, 1)
FEBRUARY = dt.date(2025, 2, 1)

TOY_YAML = """\
code: pl.toy_allowance
label: "Zasiłek próbny"
translations: {ro: "Alocație de probă", lt: "Bandomoji pašalpa", ru: "Пробное пособие", en: "Toy allowance"}
legal_basis: "art. 1 ustawy próbnej"
payment: monthly
parameters: [toy/criterion]
steps:
  criterion: {label: "Kryterium", translations: {ro: "Criteriu", lt: "Kriterijus", ru: "Критерий", en: "Criterion"}}
  income: {label: "Dochód rodziny", translations: {ro: "Venit", lt: "Pajamos", ru: "Доход", en: "Family income"},
           legal_basis: "art. 8 u.p.s."}
  amount: {label: "Kwota", translations: {ro: "Suma", lt: "Suma", ru: "Сумма", en: "Amount"}}
reasons:
  income_not_below_criterion:
    label: "Dochód nie jest niższy od kryterium"
    translations: {ro: "Venit prea mare", lt: "Per didelės pajamos", ru: "Доход не ниже критерия", en: "Income not below the criterion"}
"""

TOY_AID_YAML = """\
code: pl.toy_aid
label: "Zasiłek celowy próbny"
translations: {ro: "Ajutor de probă", lt: "Bandomoji parama", ru: "Пробная помощь", en: "Toy aid"}
legal_basis: "art. 2 ustawy próbnej"
payment: one_off
parameters: []
steps:
  need: {label: "Potrzeba", translations: {ro: "Nevoie", lt: "Poreikis", ru: "Нужда", en: "Need"}}
reasons:
  no_need: {label: "Brak potrzeby", translations: {ro: "Nicio nevoie", lt: "Nėra poreikio", ru: "Нет нужды", en: "No need"}}
"""

TOY_DOCUMENTS = """\
benefits:
  pl.toy_allowance:
    - code: income_statement
      label: "Oświadczenie o dochodach"
      translations: {ro: "Declarație de venit", lt: "Pajamų deklaracija", ru: "Декларация о доходах", en: "Income statement"}
    - code: medical_certificate
      label: "Zaświadczenie lekarskie"
      translations: {ro: "Certificat medical", lt: "Medicininė pažyma", ru: "Медицинская справка", en: "Medical certificate"}
      required: false
"""

CRITERION_YAML = """\
description: toy criterion
unit: PLN
legal_basis: "art. 8 ust. 1 u.p.s."
values:
  2024-01-01: {value: "776.00", source: "Dz.U. 2024 próba"}
  2025-06-01: {value: "800.00", source: "Dz.U. 2025 próba"}
"""


def toy_allowance(facts: Facts, t: Trace) -> Result:
    """The family's income of the month before the period against a criterion per person; a range from
    20.00 to the difference (like PL art. 38)."""
    criterion = t.parameter("criterion", "toy/criterion") * len(facts.members)
    months = months_before(facts.period, 1)
    income = t.money("income", sum(sum_incomes(m.incomes, months) + (m.income or 0) for m in facts.members))
    if income >= criterion:
        t.refuse("income_not_below_criterion")
        return Result(amount=Decimal("0"))
    amount = t.money("amount", criterion - income)
    return Result(amount=amount, minimum=Decimal("20.00"), maximum=amount)


def toy_aid(facts: Facts, t: Trace) -> Result:
    need = t.money("need", facts.amount("need", Decimal("0")))
    if need <= 0:
        t.refuse("no_need")
    return Result(amount=need)


@pytest.fixture(autouse=True)
def toy_pack(tmp_path: Path, monkeypatch):
    """The PL pack copied with the toy benefits and their criterion added, registered as PL."""
    real = registry.get_jurisdiction("PL")
    pack_dir = tmp_path / "pl"
    shutil.copytree(real.data_dir, pack_dir, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (pack_dir / "benefits").mkdir(exist_ok=True)
    (pack_dir / "benefits" / "toy_allowance.yaml").write_text(TOY_YAML)
    (pack_dir / "benefits" / "toy_aid.yaml").write_text(TOY_AID_YAML)
    docs = pack_dir / "benefits" / "documents.yaml"
    if docs.exists():
        docs.write_text(docs.read_text().replace("benefits:\n", TOY_DOCUMENTS, 1))
    else:
        docs.write_text(TOY_DOCUMENTS)
    (pack_dir / "parameters" / "toy").mkdir(parents=True)
    (pack_dir / "parameters" / "toy" / "criterion.yaml").write_text(CRITERION_YAML)
    pack = dataclasses.replace(real, data_dir=pack_dir, rules_version="pl-test-1")
    monkeypatch.setitem(registry._REGISTRY, "PL", pack)
    monkeypatch.setitem(engine._FORMULAS, "pl.toy_allowance", [(dt.date(2020, 1, 1), toy_allowance)])
    monkeypatch.setitem(engine._FORMULAS, "pl.toy_aid", [(dt.date(2020, 1, 1), toy_aid)])
    return pack


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def family_team(pl_centre, pl_worker, pl_worker2, pl_teamlead):
    team = TeamFactory(centre=pl_centre, problem_group="family", name="Family")
    team.members.add(pl_worker, pl_worker2, pl_teamlead)
    return team


@pytest.fixture
def household(pl_centre):
    return HouseholdFactory(centre=pl_centre)


@pytest.fixture
def mother(pl_centre, household):
    person = PersonFactory(centre=pl_centre, first_name="Anna", last_name="Nowak", birth_date=dt.date(1980, 5, 1))
    MembershipFactory(household=household, person=person, relationship="head", valid_from=dt.date(2020, 1, 1))
    return person


@pytest.fixture
def son(pl_centre, household):
    person = PersonFactory(centre=pl_centre, first_name="Jan", last_name="Nowak", birth_date=dt.date(2010, 7, 1))
    MembershipFactory(household=household, person=person, relationship="child", valid_from=dt.date(2020, 1, 1))
    return person


@pytest.fixture
def case(pl_centre, pl_worker, family_team, household, mother, son):
    return CaseFactory(centre=pl_centre, household=household, assigned_worker=pl_worker, team=family_team)


@pytest.fixture
def interview(case, pl_worker):
    """A completed environmental interview, recent enough for a decision proposed in March 2025."""
    return Assessment.objects.create(
        case=case,
        instrument_code="pl.rws",
        instrument_version="2021",
        kind="initial",
        status=AssessmentStatus.COMPLETED,
        need_identified_on=dt.date(2025, 2, 10),
        completed_on=dt.date(2025, 2, 20),
        created_by=pl_worker,
    )


PL_IBAN = "PL61109010140000071219812874"


@pytest.fixture
def recent_interview(interview):
    """The interview completed a week ago: API calls propose on the real today."""
    from django.utils import timezone

    interview.completed_on = timezone.localdate() - dt.timedelta(days=7)
    interview.save(update_fields=["completed_on"])
    return interview
