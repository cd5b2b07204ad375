"""Moldova: ajutor social (Legea nr. 133/2008): the family's VLMG minus its average monthly income, 25 lei at least."""

from __future__ import annotations

from socius.rulebook.engine.benefits import ZERO, Facts, Result, Trace, formula
from socius.rulebook.packs.md.benefits.income import (
    average_monthly_income,
    check_adult_categories,
    counted_family,
)
from socius.rulebook.packs.md.benefits.vlmg import family_vlmg

CODE = "md.social_aid"
MINIMUM = "social_assistance/social_aid/minimum_amount"


def social_aid(facts: Facts, t: Trace, split_levels: bool) -> Result:
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
    if t.jurisdiction.has_parameter(MINIMUM, t.period):
        minimum = t.parameter("minimum_amount", MINIMUM)
        if amount < minimum:  # art. 6 al. (2): "mai mic de 25 de lei" -> 25 lei
            amount = minimum
    return Result(amount=t.money("amount", amount))


@formula(CODE, since="2008-10-01")
def social_aid_2008(facts: Facts, t: Trace) -> Result:
    """Law 133/2008 in force 1 Oct 2008 (first stage): one VLMG level for every member, weighted."""
    return social_aid(facts, t, split_levels=False)


@formula(CODE, since="2022-04-01")
def social_aid_2022(facts: Facts, t: Trace) -> Result:
    """HG 655/2022 (pct. 1-2): an adult level and a child level from 1 April 2022, weighted as before."""
    return social_aid(facts, t, split_levels=True)
