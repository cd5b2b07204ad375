"""Būsto šildymo, geriamojo ir karšto vandens išlaidų kompensacijos (PSPNGĮ art. 10, 14).

Facts (named amounts of the request, for the month evaluated):
- `heating_cost`: the dwelling's heating cost for the month, EUR; `heated_area_m2`: its useful area.
  The cost is taken for the normative area at most (cost × normative area / area); the energy and fuel
  consumption norms are not applied (the worker enters the cost within them).
- `drinking_water_cost` and `hot_water_cost`: the month's costs, EUR; `drinking_water_m3` and
  `hot_water_m3` (optional): the quantities they are for, so each cost is taken for the normative quantity
  at most (drinking 2 / 1,5 / 1 m³, hot 1,5 / 1 / 0,5 m³ for the first, second, each further member).
Heating: compensated = cost − share × (income − VRP multiple × VRP × members; single: its own multiple).
Water: compensated = cost − share × income (2 % drinking, 5 % hot), each at least zero.
The income is counted as for the socialinė pašalpa (income.count_income). The activity condition of the
socialinė pašalpa is not applied to the compensations (not confirmed: docs/unconfirmed-law/lt.md).
"""

from __future__ import annotations

from decimal import Decimal

from socius.rulebook.engine.benefits import ZERO, Facts, Result, Trace, formula
from socius.rulebook.packs.lt.benefits.income import CountedIncome, P, check_property, count_income


def _per_member_norm(t: Trace, step: str, folder: str, members: int, single_name: str | None) -> Decimal:
    """A norm for the household: the single person's own norm, or the first + second + further members'."""
    if members == 1 and single_name:
        return t.parameter(step + "_single", folder + single_name)
    norm = t.parameter(step + "_first", folder + "first_member")
    if members >= 2:
        norm += t.parameter(step + "_second", folder + "second_member")
    if members >= 3:
        norm += t.parameter(step + "_further", folder + "further_members") * (members - 2)
    return norm


def _within_norm(cost: Decimal, used: Decimal | None, norm: Decimal) -> Decimal:
    if used is None or used <= norm or used <= ZERO:
        return cost
    return cost * norm / used


def _income(facts: Facts, t: Trace) -> CountedIncome | None:
    if not facts.members:
        t.refuse("no_members")
        return None
    income = count_income(facts, t)
    check_property(facts, t)
    return income


@formula("lt.heating_compensation", since="2015-01-01")
def heating_compensation(facts: Facts, t: Trace) -> Result:
    income = _income(facts, t)
    if income is None:
        return Result(amount=ZERO)
    cost = facts.amount("heating_cost")
    if cost is None or cost <= ZERO:
        t.refuse("no_heating_cost")
        return Result(amount=ZERO)
    t.money("heating_cost", cost)
    area = facts.amount("heated_area_m2")
    norm = _per_member_norm(t, "normative_area", P + "heating/normative_area/", income.members, "single")
    t.value("normative_area_total", norm, unit="m2")
    if area is not None:
        t.value("heated_area", area, unit="m2")
    cost_norm = t.money("heating_cost_normative", _within_norm(cost, area, norm))

    vrp = t.parameter("vrp", P + "vrp")
    if income.single:
        multiple = t.parameter("vrp_multiple_single", P + "heating/vrp_multiple_single")
        allowance = t.money("vrp_allowance", vrp * multiple)
    else:
        multiple = t.parameter("vrp_multiple_per_member", P + "heating/vrp_multiple_per_member")
        allowance = t.money("vrp_allowance", vrp * multiple * income.members)
    share = t.parameter("heating_income_share", P + "heating/income_share")
    payable = t.money("payable_by_household", share * max(income.total - allowance, ZERO))
    amount = t.money("amount", max(cost_norm - payable, ZERO))
    if amount <= ZERO:
        t.refuse("cost_not_above_share")
    return Result(amount=amount)


@formula("lt.water_compensation", since="2015-01-01")
def water_compensation(facts: Facts, t: Trace) -> Result:
    income = _income(facts, t)
    if income is None:
        return Result(amount=ZERO)
    drinking = facts.amount("drinking_water_cost")
    hot = facts.amount("hot_water_cost")
    if not ((drinking or ZERO) > ZERO or (hot or ZERO) > ZERO):
        t.refuse("no_water_cost")
        return Result(amount=ZERO)
    total = ZERO
    if drinking is not None and drinking > ZERO:
        t.money("drinking_water_cost", drinking)
        used = facts.amount("drinking_water_m3")
        if used is not None:
            norm = _per_member_norm(t, "drinking_water_norm", P + "water/drinking_water_norm/", income.members, None)
            t.value("drinking_water_norm_total", norm, unit="m3")
            t.value("drinking_water_used", used, unit="m3")
            drinking = t.money("drinking_water_cost_normative", _within_norm(drinking, used, norm))
        share = t.parameter("drinking_income_share", P + "water/drinking_income_share")
        payable = t.money("drinking_payable_by_household", share * income.total)
        total += t.money("drinking_compensation", max(drinking - payable, ZERO))
    if hot is not None and hot > ZERO:
        t.money("hot_water_cost", hot)
        used = facts.amount("hot_water_m3")
        if used is not None:
            norm = _per_member_norm(t, "hot_water_norm", P + "water/hot_water_norm/", income.members, None)
            t.value("hot_water_norm_total", norm, unit="m3")
            t.value("hot_water_used", used, unit="m3")
            hot = t.money("hot_water_cost_normative", _within_norm(hot, used, norm))
        share = t.parameter("hot_income_share", P + "water/hot_income_share")
        payable = t.money("hot_payable_by_household", share * income.total)
        total += t.money("hot_compensation", max(hot - payable, ZERO))
    amount = t.money("amount", total)
    if amount <= ZERO:
        t.refuse("cost_not_above_share")
    return Result(amount=amount)
