"""Moldova: the family as Law 133/2008 counts it, its adults' categories, and its average monthly global income."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from socius.rulebook.engine.benefits import ZERO, Facts, Member, Trace, months_before
from socius.rulebook.engine.data import PackDataError, as_date, load_yaml

RULES_FILE = Path(__file__).resolve().parent.parent / "income_rules.yaml"
REFERENCE_MONTHS = "social_assistance/income/reference_months"
WAGE_DISREGARD = "social_assistance/income/wage_disregard_per_member"
WAGE_KINDS = frozenset({"employment"})  # salariu: the income the per-member disregard applies to
ADULT_AGE = 18  # Codul civil art. 20: full capacity at 18; a child is a member under 18


@dataclass(frozen=True)
class IncomeRules:
    valid_from: dt.date
    legal_basis: str
    excluded_income_kinds: frozenset[str]
    excluded_member_flags: frozenset[str]
    category_flags: frozenset[str]
    category_fields: tuple[str, ...]
    earning_income_kinds: frozenset[str]
    wage_ignored_member_flags: frozenset[str] = frozenset()


@cache
def _all_rules() -> tuple[IncomeRules, ...]:
    document = load_yaml(RULES_FILE)
    versions = []
    for index, raw in enumerate(document.get("versions") or ()):
        where = f"{RULES_FILE}: versions[{index}]"
        categories = raw.get("adult_categories") or {}
        versions.append(
            IncomeRules(
                valid_from=as_date(raw.get("valid_from"), f"{where}.valid_from"),
                legal_basis=str(raw.get("legal_basis") or ""),
                excluded_income_kinds=frozenset((raw.get("excluded_income_kinds") or {}).get("kinds") or ()),
                excluded_member_flags=frozenset((raw.get("excluded_member_flags") or {}).get("flags") or ()),
                category_flags=frozenset(categories.get("flags") or ()),
                category_fields=tuple(categories.get("member_fields") or ()),
                earning_income_kinds=frozenset(categories.get("earning_income_kinds") or ()),
                wage_ignored_member_flags=frozenset((raw.get("wage_ignored_member_flags") or {}).get("flags") or ()),
            )
        )
    if not versions:
        raise PackDataError(f"{RULES_FILE}: no versions")
    return tuple(sorted(versions, key=lambda rules: rules.valid_from))


def rules_on(day: dt.date) -> IncomeRules:
    chosen = None
    for rules in _all_rules():
        if rules.valid_from <= day:
            chosen = rules
    if chosen is None:
        raise PackDataError(f"MD income rules: none in force on {day}")
    return chosen


def is_child(member: Member, on: dt.date) -> bool:
    age = member.age_on(on)
    if age is None:
        return member.role == "child"
    return age < ADULT_AGE


def describe(member: Member, index: int) -> str:
    """How a refusal names a member: their place in the household and role (the facts carry no names)."""
    born = f", {member.birth_date.isoformat()}" if member.birth_date else ""
    return f"household[{index}] ({member.role}{born})"


@dataclass(frozen=True)
class Family:
    adults: tuple[Member, ...]
    children: tuple[Member, ...]

    @property
    def members(self) -> tuple[Member, ...]:
        return self.adults + self.children


def counted_family(facts: Facts, t: Trace) -> Family:
    """The members counted (HG 1167/2008): those abroad, in custody, conscripts or kept by the state are left out."""
    rules = rules_on(t.period)
    counted = [member for member in facts.members if not (member.flags & rules.excluded_member_flags)]
    t.value("members_counted", len(counted), legal_basis=rules.legal_basis)
    left_out = len(facts.members) - len(counted)
    if left_out:
        t.value("members_left_out", left_out, legal_basis=rules.legal_basis)
    adults = tuple(member for member in counted if not is_child(member, t.period))
    children = tuple(member for member in counted if is_child(member, t.period))
    return Family(adults=adults, children=children)


def check_adult_categories(facts: Facts, family: Family, t: Trace) -> bool:
    """Art. 5: every counted adult is of pension age, disabled, a registered unemployed, pregnant from week 30 or
    caring for a child under 3, caring for a member who needs care, or earning. Refuses naming each who is not."""
    rules = rules_on(t.period)
    if not family.adults:
        t.refuse("no_adult_member")
        return False
    fits = True
    for index, member in enumerate(facts.members):
        if member in family.adults and not _fits_a_category(member, rules):
            t.value("adult_without_category", describe(member, index), legal_basis=rules.legal_basis)
            fits = False
    if not fits:
        t.refuse("adult_not_in_category")
    return fits


def _fits_a_category(member: Member, rules: IncomeRules) -> bool:
    if member.flags & rules.category_flags:
        return True
    if any(getattr(member, name, False) for name in rules.category_fields):
        return True
    return any(record.kind in rules.earning_income_kinds for record in member.incomes)


def average_monthly_income(facts: Facts, family: Family, t: Trace) -> Decimal:
    """The family's venit global mediu lunar: each counted member's monthly income, typed records averaged over
    the reference months before the application month, excluded kinds left out (art. 8), each member's wage less
    the wage disregard (HG 1167/2008), a recently employed member's wage not counted (HG 655/2022)."""
    rules = rules_on(t.period)
    count = int(t.parameter("reference_months", REFERENCE_MONTHS))
    anchor = (facts.application_on or facts.period).replace(day=1)
    months = set(months_before(anchor, count))
    earners = [member for member in family.members if any(r.kind in WAGE_KINDS for r in member.incomes)]
    disregard = ZERO
    if earners and t.jurisdiction.has_parameter(WAGE_DISREGARD, t.period):
        disregard = t.parameter("wage_disregard", WAGE_DISREGARD)
    total = ZERO
    for member in family.members:
        if member.income is not None:
            total += member.income  # already the monthly income as the law counts it
        wage = _monthly(member, months, count, rules, wages=True)
        if member.flags & rules.wage_ignored_member_flags:
            wage = ZERO
        total += max(wage - disregard, ZERO) + _monthly(member, months, count, rules, wages=False)
    return t.money("family_income", total)


def _monthly(member: Member, months: set[dt.date], count: int, rules: IncomeRules, wages: bool) -> Decimal:
    """A member's monthly income from typed records: undated records as they are, dated ones averaged."""
    undated = dated = ZERO
    for record in member.incomes:
        if record.kind in rules.excluded_income_kinds or (record.kind in WAGE_KINDS) != wages:
            continue
        if record.kind == "farm_land":
            continue  # hectares, not money: MD counts land income as money income declared under another kind
        net = record.amount - record.deductions
        if record.month is None:
            undated += net
        elif record.month in months:
            dated += net
    return undated + dated / count
