"""Socialinė pašalpa (PSPNGĮ art. 8–9): the single person's and the family's monthly social benefit.

Right: the average monthly income per person is lower than ("mažesnės už") the threshold multiple of
the VRP, the property is within the normative, and every adult meets the activity condition.
Amount:
- a single person (vienas gyvenantis asmuo): coefficient × VRP − income, the coefficient by the month of
  receipt (1–6, 7–12, after 12; `Member.benefit_months_received` counts the months already received);
- persons living together: D = base multiple × VRP − income per person; the first member receives 100 %
  of D, the second 90 %, the third and each further 70 %.
Every multiple and share is a dated parameter, so the reform from "1 VRP, 100/80/70 %" to
"1,1 VRP, 1,4/1,2/1,1 and 100/90/70 %" is a change of parameters, not of this function.
Rounding: each member's share is rounded to the cent half up and the shares are summed (no national rule
found; docs/unconfirmed-law/lt.md).
"""

from __future__ import annotations

from socius.rulebook.engine.benefits import ZERO, Facts, Result, Trace, formula
from socius.rulebook.packs.lt.benefits.income import P, check_activity, check_property, count_income

SB = P + "social_benefit/"


@formula("lt.social_benefit", since="2015-01-01")
def social_benefit(facts: Facts, t: Trace) -> Result:
    if not facts.members:
        t.refuse("no_members")
        return Result(amount=ZERO)
    income = count_income(facts, t)
    check_activity(facts, t)
    check_property(facts, t)

    vrp = t.parameter("vrp", P + "vrp")
    multiple = t.parameter("threshold_multiple", SB + "entitlement_threshold")
    threshold = t.money("threshold", vrp * multiple)
    if not income.per_person < threshold:  # "mažesnės už": an income at the threshold gives no right
        t.refuse("income_not_below_threshold")

    if income.single:
        received = facts.members[0].benefit_months_received
        t.value("months_received", received)
        if received < 6:
            name = "coefficient_months_1_6"
        elif received < 12:
            name = "coefficient_months_7_12"
        else:
            name = "coefficient_after_12_months"
        coefficient = t.parameter("single_coefficient", SB + "single_person/" + name)
        base = t.money("single_base", vrp * coefficient)
        return Result(amount=t.money("amount", max(base - income.total, ZERO)))

    base_multiple = t.parameter("family_base_multiple", SB + "family_share/base_multiple")
    base = t.money("family_base", vrp * base_multiple)
    difference = t.money("difference", max(base - income.per_person, ZERO))
    first = t.money("share_first", difference * t.parameter("first_share", SB + "family_share/first_member"))
    second = t.money("share_second", difference * t.parameter("second_share", SB + "family_share/second_member"))
    further = income.members - 2
    total = first + second
    if further:
        t.value("further_members", further)
        each = t.money(
            "share_further_each", difference * t.parameter("further_share", SB + "family_share/further_members")
        )
        total += each * further
    return Result(amount=t.money("amount", total))
