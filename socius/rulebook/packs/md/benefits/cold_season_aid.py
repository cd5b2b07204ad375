"""Moldova: ajutor pentru perioada rece a anului (APRA, Law 133/2008 art. 15^1) per season, until its 2023 repeal."""

from __future__ import annotations

from socius.rulebook.engine.benefits import ZERO, Facts, Result, Trace, formula
from socius.rulebook.packs.md.benefits.income import (
    average_monthly_income,
    check_adult_categories,
    counted_family,
)
from socius.rulebook.packs.md.benefits.vlmg import family_vlmg

CODE = "md.cold_season_aid"
AMOUNT = "social_assistance/cold_season_aid/amount"
MULTIPLIER = "social_assistance/cold_season_aid/income_multiplier"
COLD_MONTHS = (1, 2, 3, 11, 12)  # art. 3 (Law 180/2010): "lunile ianuarie-martie şi noiembrie-decembrie"


def cold_season_aid(facts: Facts, t: Trace, split_levels: bool) -> Result:
    if t.value("cold_month", t.period.month in COLD_MONTHS) is False:
        t.refuse("outside_cold_season")
        return Result(amount=ZERO)
    family = counted_family(facts, t)
    if not check_adult_categories(facts, family, t):
        return Result(amount=ZERO)
    if facts.has("welfare_score_above_threshold"):
        t.refuse("welfare_score_above_threshold")
    vlmg = family_vlmg(family, t, split_levels)
    income = average_monthly_income(facts, family, t)
    t.value("social_aid_recipient", income < vlmg)
    multiplier = t.parameter("income_multiplier", MULTIPLIER)
    ceiling = t.money("income_ceiling", vlmg * multiplier)
    # art. 15^1 al. (1): recipients of ajutor social (income below the VLMG) and families above the VLMG but
    # below the VLMG × multiplier ("mai mic"). A family exactly at its VLMG is taken in (docs/unconfirmed-law/md.md).
    if not income < ceiling:
        t.refuse("income_not_below_ceiling")
        return Result(amount=ZERO)
    return Result(amount=t.parameter("amount", AMOUNT))


@formula(CODE, since="2010-11-01")
def cold_season_aid_2010(facts: Facts, t: Trace) -> Result:
    """Law 180/2010 added APRA to Law 133/2008; first season November 2010. One VLMG level."""
    return cold_season_aid(facts, t, split_levels=False)


@formula(CODE, since="2022-04-01")
def cold_season_aid_2022(facts: Facts, t: Trace) -> Result:
    """The family VLMG from the adult and child levels of HG 655/2022."""
    return cold_season_aid(facts, t, split_levels=True)


@formula(CODE, since="2023-11-01")
def cold_season_aid_repealed(facts: Facts, t: Trace) -> Result:
    """HG 806 of 27.10.2023 repealed the APRA amount (pct. 1-1 of HG 1167/2008): from the 2023/24 season the
    state compensates energy through "Ajutor la contor" instead. The period answers "not in force"."""
    t.value("repealed_by", "HG nr. 806 din 27.10.2023")
    t.value("replaced_by", "Ajutor la contor (compensatii.gov.md)")
    t.refuse("repealed_replaced_by_energy_compensation")
    return Result(amount=ZERO)
