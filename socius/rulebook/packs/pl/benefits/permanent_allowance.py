"""Zasiłek stały (art. 37 u.p.s.): for an adult unable to work because of age or totally unable to work.

Entitled when the income is *lower than* ("niższy od") the criterion: a person living alone against the
single-person criterion; a person in a family when both their own income and the income per person are lower
than the per-person criterion. Amount: the criterion times `criterion_share` minus the income (per-capita
income in a family), a person living alone capped at the maximum, never below the minimum.

- from 2012-10-01: share 100 % (criterion − income), minimum 30 zł, maximum by the verification regulations;
- from 2024-01-01 (act of 28 July 2023): 130 % of the criterion − income, minimum 100 zł, maximum 1000 zł
  (1229 zł from 2025-01-01).
The figures are dated parameters; the two versions mark the law each outcome applied.
"""

from __future__ import annotations

from socius.rulebook.engine.benefits import ZERO, Facts, Result, Trace, formula
from socius.rulebook.packs.pl.benefits.income import applicant_index, as_counted, assess, grosz_down

CODE = "pl.permanent_allowance"
SHARE = "social_assistance/permanent_allowance/criterion_share"
MAXIMUM = "social_assistance/permanent_allowance/maximum"
MINIMUM = "social_assistance/permanent_allowance/minimum"
ADULT_AGE = 18  # pełnoletność, art. 10 § 1 Kodeksu cywilnego
# Benefits zasiłek stały is not paid alongside (member flags).
CONCURRENT = frozenset({"social_pension", "nursing_benefit", "special_care_allowance", "carer_allowance"})


def _permanent_allowance(facts: Facts, t: Trace) -> Result:
    if not facts.members:
        t.refuse("no_household")
        return Result(amount=ZERO)
    facts = as_counted(facts)
    index = applicant_index(facts)
    person = facts.members[index]
    age = person.age_on(t.period)
    if age is not None:
        t.value("applicant_age", age)
        if age < ADULT_AGE:
            t.refuse("minor")
    if not person.unable_to_work:
        t.refuse("able_to_work")
    if person.flags & CONCURRENT:
        t.refuse("concurrent_benefit")

    a = assess(facts, t)
    if a.single:
        if not a.total < a.criterion:
            t.refuse("income_not_below_criterion")
    else:
        own = t.value("own_income", grosz_down(a.income.members[index]), unit=t.jurisdiction.currency)
        if not own < a.criterion:
            t.refuse("own_income_not_below_criterion")
        if not a.total < a.family_criterion:  # per-capita income < per-person criterion, without rounding
            t.refuse("income_per_person_not_below_criterion")
    if t.refused:
        return Result(amount=ZERO)

    share = t.parameter("criterion_share", SHARE)
    base = t.money("base_amount", a.criterion * share / 100)
    amount = t.money("difference", base - a.per_person)
    if a.single:
        amount = min(amount, t.parameter("maximum", MAXIMUM))
    amount = max(amount, t.parameter("minimum", MINIMUM))
    return Result(amount=t.money("amount", amount))


@formula(CODE, since="2012-10-01")
def permanent_allowance_2012(facts: Facts, t: Trace) -> Result:
    """Criterion − income, minimum 30 zł, maximum by regulation (the criteria of 17 July 2012 on)."""
    return _permanent_allowance(facts, t)


@formula(CODE, since="2024-01-01")
def permanent_allowance_2024(facts: Facts, t: Trace) -> Result:
    """130 % of the criterion − income, minimum 100 zł, maximum 1000 zł (act of 28 July 2023)."""
    return _permanent_allowance(facts, t)
