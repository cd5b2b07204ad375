"""Moldova: ajutor social (Legea nr. 133/2008): the family's VLMG minus its average monthly income, 25 lei at least."""

from __future__ import annotations

from decimal import Decimal

from socius.rulebook.engine.benefits import ZERO, Facts, Result, Trace, formula
from socius.rulebook.packs.md.benefits.income import (
    Family,
    average_monthly_income,
    check_adult_categories,
    counted_family,
)
from socius.rulebook.packs.md.benefits.vlmg import family_vlmg

CODE = "md.social_aid"
MINIMUM = "social_assistance/social_aid/minimum_amount"
REDUCTION = "social_assistance/social_aid/"
HUNDRED = Decimal("100")


def social_aid(facts: Facts, t: Trace, split_levels: bool, unemployment_cuts: bool = False) -> Result:
    family = counted_family(facts, t)
    if not check_adult_categories(facts, family, t):
        return Result(amount=ZERO)
    if facts.has("welfare_score_above_threshold"):
        # art. 3: a needy family also scores at or below the welfare threshold (computed by the information system)
        t.refuse("welfare_score_above_threshold")
    vlmg = family_vlmg(family, t, split_levels)
    income = average_monthly_income(facts, family, t)
    # art. 3 and art. 5: the income must be lower ("mai mic") than the VLMG; equal is not enough.
    if not income < vlmg:
        t.refuse("income_not_below_vlmg")
        return Result(amount=ZERO)
    amount = t.money("difference", vlmg - income)
    if unemployment_cuts:
        amount = _cut_for_long_unemployment(family, amount, t)
    if t.jurisdiction.has_parameter(MINIMUM, t.period):
        minimum = t.parameter("minimum_amount", MINIMUM)
        if amount < minimum:  # art. 6 al. (2): "mai mic de 25 de lei" -> 25 lei
            amount = minimum
    return Result(amount=t.money("amount", amount))


def _cut_for_long_unemployment(family: Family, amount: Decimal, t: Trace) -> Decimal:
    """HG 655/2022: a family with a member registered as unemployed loses 20 % of the aid from the 7th month and
    40 % from the 10th (months counted by Member.benefit_months_received of the unemployed member)."""
    months = max((member.benefit_months_received for member in family.adults if member.unemployed), default=0)
    if not months:
        return amount
    t.value("months_unemployed_in_programme", months)
    if months >= t.parameter("second_term_from_month", REDUCTION + "reduction_second_term_from_month"):
        cut = t.parameter("reduction", REDUCTION + "reduction_after_second_term")
    elif months >= t.parameter("first_term_from_month", REDUCTION + "reduction_first_term_from_month"):
        cut = t.parameter("reduction", REDUCTION + "reduction_after_first_term")
    else:
        return amount
    return t.money("reduced_amount", amount * (HUNDRED - cut) / HUNDRED)


@formula(CODE, since="2008-10-01")
def social_aid_2008(facts: Facts, t: Trace) -> Result:
    """Law 133/2008 in force 1 Oct 2008 (first stage): one VLMG level for every member, weighted."""
    return social_aid(facts, t, split_levels=False)


@formula(CODE, since="2022-04-01")
def social_aid_2022(facts: Facts, t: Trace) -> Result:
    """HG 655/2022 (pct. 1-2): an adult level and a child level from 1 April 2022, weighted as before."""
    return social_aid(facts, t, split_levels=True)


@formula(CODE, since="2022-10-01")
def social_aid_2022_10(facts: Facts, t: Trace) -> Result:
    """HG 655/2022 amending the Regulation, in force 1 Oct 2022: cuts for long registered unemployment (the
    wage disregard of 500 lei and the recently employed rule are income rules, dated in their own data)."""
    return social_aid(facts, t, split_levels=True, unemployment_cuts=True)
