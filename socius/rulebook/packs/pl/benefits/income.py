"""Income as u.p.s. counts it (art. 8 ust. 3–13), for the PL benefit formulas.

- Reference month (art. 8 ust. 3): the month before the application (`Facts.application_on`, else the
  period evaluated); the application month itself when income was lost (`Facts.income_lost`).
- Kinds: `income_kinds.yaml` beside the pack says which kinds count; the excluded ones (art. 8 ust. 4 and
  other acts) are left out and traced as one sum. A kind the file does not know counts, as "other" does.
- Deductions (art. 8 ust. 3 pkt 1–3: income tax, insurance contributions, alimony paid to others) are each
  record's `deductions`; a member's income is never below zero.
- A one-off income above `threshold_multiple` × the criterion of the person living alone or of the family
  (the caller passes the one that applies) counts in equal parts over `spread_months` months from the month
  received (art. 8 ust. 11); a one-off at or below it counts in the month received only.
- An income due for several months (`covers_months`, art. 8 ust. 12) counts in equal parts over them, from
  the record's month (the first month of the period it is due for).
- `farm_land` records hold converted hectares: hectares × the income from 1 ha (art. 8 ust. 9) in force in
  the period evaluated.
- `Member.income`, when given, is the member's income already counted this way; the records are then not
  read.

Equal parts are rounded to the grosz (half up), so sums are exact and independent of member order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from socius.rulebook.engine.benefits import ZERO, Facts, IncomeRecord, Member, Trace, months_before
from socius.rulebook.engine.data import PackDataError, load_yaml, require_text
from socius.rulebook.engine.translations import Translations, read_translations, text_in

PACK_DIR = Path(__file__).resolve().parent.parent
GROSZ = Decimal("0.01")

FARM_PER_HECTARE = "social_assistance/farm_income_per_hectare"
ONE_OFF_MULTIPLE = "social_assistance/one_off_income/threshold_multiple"
ONE_OFF_MONTHS = "social_assistance/one_off_income/spread_months"


@dataclass(frozen=True)
class IncomeKind:
    """An income kind of the PL pack, for the income table of a form (label in the reader's language)."""

    code: str
    label: str
    translations: Translations
    counted: bool
    unit: str  # "PLN", or "ha" for converted hectares of farm land
    legal_basis: str
    source: str = ""
    confirmed: bool = True

    def label_in(self, language: str | None) -> str:
        return text_in(self.label, self.translations, language)


@dataclass(frozen=True)
class Deduction:
    code: str
    label: str
    translations: Translations
    legal_basis: str

    def label_in(self, language: str | None) -> str:
        return text_in(self.label, self.translations, language)


@cache
def _document() -> dict:
    path = PACK_DIR / "income_kinds.yaml"
    document = load_yaml(path)
    if not isinstance(document, dict) or not isinstance(document.get("kinds"), list):
        raise PackDataError(f"{path}: expected a mapping with a 'kinds' list")
    return document


@cache
def income_kinds() -> tuple[IncomeKind, ...]:
    """Every kind the pack understands, counted ones first, in the file's order."""
    path = PACK_DIR / "income_kinds.yaml"
    kinds = []
    for index, raw in enumerate(_document()["kinds"]):
        where = f"{path}: kinds[{index}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("counted"), bool):
            raise PackDataError(f"{where}: expected a mapping with counted: true or false")
        kinds.append(
            IncomeKind(
                code=require_text(raw, "code", where),
                label=require_text(raw, "label", where),
                translations=read_translations(raw, where),
                counted=raw["counted"],
                unit=require_text(raw, "unit", where),
                legal_basis=require_text(raw, "legal_basis", where),
                source=(raw.get("source") or "").strip(),
                confirmed=raw.get("confirmed", True) is True,
            )
        )
    return tuple(kinds)


@cache
def deductions() -> tuple[Deduction, ...]:
    path = PACK_DIR / "income_kinds.yaml"
    return tuple(
        Deduction(
            code=require_text(raw, "code", f"{path}: deductions[{i}]"),
            label=require_text(raw, "label", f"{path}: deductions[{i}]"),
            translations=read_translations(raw, f"{path}: deductions[{i}]"),
            legal_basis=require_text(raw, "legal_basis", f"{path}: deductions[{i}]"),
        )
        for i, raw in enumerate(_document().get("deductions") or ())
    )


def exclusions_complete() -> bool:
    """False while art. 8 ust. 4 is known only in part (docs/unconfirmed-law/pl.md)."""
    return _document().get("exclusions_complete") is True


def excluded_kinds() -> frozenset[str]:
    return frozenset(kind.code for kind in income_kinds() if not kind.counted)


def reference_month(facts: Facts) -> dt.date:
    """Art. 8 ust. 3: the month before the application; the application month after a loss of income."""
    applied = (facts.application_on or facts.period).replace(day=1)
    return applied if facts.income_lost else months_before(applied, 1)[0]


@dataclass(frozen=True)
class HouseholdIncome:
    month: dt.date  # the reference month
    members: tuple[Decimal, ...]  # each member's counted income, in the facts' order
    excluded: Decimal  # left out by kind
    deducted: Decimal  # tax, contributions, alimony paid

    @property
    def total(self) -> Decimal:
        return sum(self.members, ZERO)

    @property
    def size(self) -> int:
        return len(self.members)


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def grosz_down(amount: Decimal) -> Decimal:
    return amount.quantize(GROSZ, rounding=ROUND_DOWN)


def _share(amount: Decimal, parts: int) -> Decimal:
    return (amount / parts).quantize(GROSZ, rounding=ROUND_HALF_UP)


def count_income(facts: Facts, t: Trace, one_off_criterion: Decimal) -> HouseholdIncome:
    """The household's income for the reference month, traced; `one_off_criterion` is the single-person or
    family criterion that art. 8 ust. 11 measures a one-off income against."""
    month = reference_month(facts)
    t.value("reference_month", month.strftime("%Y-%m"))
    records = [record for member in facts.members if member.income is None for record in member.incomes]
    per_hectare = None
    if any(record.kind == "farm_land" for record in records):
        per_hectare = t.parameter("farm_income_per_hectare", FARM_PER_HECTARE)
    threshold = months = None
    if any(record.one_off for record in records):
        multiple = t.parameter("one_off_threshold_multiple", ONE_OFF_MULTIPLE)
        months = int(t.parameter("one_off_spread_months", ONE_OFF_MONTHS))
        threshold = t.money("one_off_threshold", multiple * one_off_criterion)
    skip = excluded_kinds()
    excluded = deducted = ZERO
    incomes = []
    for member in facts.members:
        if member.income is not None:
            incomes.append(max(member.income, ZERO))
            continue
        total = ZERO
        for record in member.incomes:
            counted = _in_month(record, month, per_hectare, threshold, months)
            if counted is None:
                continue
            if record.kind in skip:
                excluded += counted[0]
                continue
            total += counted[0] - counted[1]
            deducted += counted[1]
        incomes.append(max(total, ZERO))
    if excluded:
        t.money("excluded_income", excluded)
    if deducted:
        t.money("deductions", deducted)
    return HouseholdIncome(month=month, members=tuple(incomes), excluded=excluded, deducted=deducted)


def _in_month(
    record: IncomeRecord,
    month: dt.date,
    per_hectare: Decimal | None,
    threshold: Decimal | None,
    spread: int | None,
) -> tuple[Decimal, Decimal] | None:
    """(amount, deductions) of the record that fall in `month`, or None when none does."""
    received = record.month or month
    offset = _month_index(month) - _month_index(received)
    if record.kind == "farm_land":
        return (record.amount * per_hectare, ZERO) if offset == 0 and per_hectare is not None else None
    net = record.amount - record.deductions
    if record.one_off and threshold is not None and spread and net > threshold:
        if 0 <= offset < spread:
            return _share(record.amount, spread), _share(record.deductions, spread)
        return None
    parts = max(record.covers_months, 1)
    if parts > 1 and not record.one_off:
        if 0 <= offset < parts:
            return _share(record.amount, parts), _share(record.deductions, parts)
        return None
    return (record.amount, record.deductions) if offset == 0 else None


def household_is_single(facts: Facts) -> bool:
    """A household of one is a person living alone (osoba samotnie gospodarująca, art. 6 pkt 10)."""
    return len(facts.members) == 1


def as_counted(facts: Facts) -> Facts:
    """The facts as the law counts the household: with the flag `single_person` (the applicant keeps house
    alone, art. 6 pkt 10, whoever else lives at the address) only the applicant."""
    if facts.has("single_person") and len(facts.members) > 1:
        return dataclasses.replace(facts, members=(applicant(facts),))
    return facts


def applicant_index(facts: Facts) -> int:
    for index, member in enumerate(facts.members):
        if member.role == "applicant":
            return index
    return 0


def applicant(facts: Facts) -> Member:
    return facts.members[applicant_index(facts)]


SINGLE_CRITERION = "social_assistance/income_criterion/single_person"
PER_PERSON_CRITERION = "social_assistance/income_criterion/per_person"


@dataclass(frozen=True)
class Assessment:
    """The criteria and income a PL benefit compares, as traced."""

    single: bool  # a person living alone (one member)
    criterion: Decimal  # the single-person criterion, or the per-person criterion of a family
    family_criterion: Decimal  # the criterion the household's total income is held against (single: criterion)
    income: HouseholdIncome
    per_person: Decimal  # the household's income per person, rounded down to the grosz (single: the income)

    @property
    def total(self) -> Decimal:
        return self.income.total


def assess(facts: Facts, t: Trace) -> Assessment:
    """Read the criterion that applies, count the income of the reference month, and trace both.

    The caller passes `as_counted(facts)`: with the flag `single_person` only the applicant counts."""
    single = household_is_single(facts)
    if single:
        criterion = family_criterion = t.parameter("criterion_single", SINGLE_CRITERION)
    else:
        criterion = t.parameter("criterion_per_person", PER_PERSON_CRITERION)
        size = t.value("household_size", len(facts.members))
        family_criterion = t.money("family_criterion", criterion * size)
    income = count_income(facts, t, one_off_criterion=family_criterion)
    # Incomes are shown rounded down to the grosz: lower than a criterion (in whole grosze) exactly when the
    # unrounded figure is, so the trace never shows an income at the criterion beside an entitlement.
    currency = t.jurisdiction.currency
    if single:
        per_person = t.value("person_income", grosz_down(income.total), unit=currency)
    else:
        t.value("family_income", grosz_down(income.total), unit=currency)
        per_person = t.value("income_per_person", grosz_down(income.total / income.size), unit=currency)
    return Assessment(single, criterion, family_criterion, income, per_person)
