"""Zasiłek okresowy (art. 38 u.p.s.): for a person living alone or a family whose income is *lower than*
("niższy od") the criterion.

Up to the difference between the criterion and the income (a person living alone: at most the single-person
cap, art. 38 ust. 2 pkt 1), and not less than the guaranteed share of that difference (50 %, art. 38 ust. 3),
never below the floor (20 zł, art. 147 ust. 3). The outcome's `minimum` and `maximum` are that range; the
centre decides within it, and `amount` proposes the maximum. Where the floor exceeds the difference, both
are the floor.
"""

from __future__ import annotations

from socius.rulebook.engine.benefits import ZERO, Facts, Result, Trace, formula
from socius.rulebook.packs.pl.benefits.income import as_counted, assess

CODE = "pl.periodic_allowance"
SHARE = "social_assistance/periodic_allowance/guaranteed_share"
FLOOR = "social_assistance/periodic_allowance/minimum"
CAP = "social_assistance/periodic_allowance/single_person_cap"


@formula(CODE, since="2012-10-01")
def periodic_allowance_2012(facts: Facts, t: Trace) -> Result:
    if not facts.members:
        t.refuse("no_household")
        return Result(amount=ZERO)
    a = assess(as_counted(facts), t)
    if not a.total < a.family_criterion:
        t.refuse("income_not_below_criterion" if a.single else "family_income_not_below_criterion")
        return Result(amount=ZERO)
    difference = t.money("difference", a.family_criterion - a.total)
    maximum = difference
    if a.single:
        maximum = min(difference, t.parameter("single_person_cap", CAP))
    share = t.parameter("guaranteed_share", SHARE)
    guaranteed = t.money("guaranteed_amount", difference * share / 100)
    floor = t.parameter("floor", FLOOR)
    minimum = t.money("minimum", max(min(guaranteed, maximum), floor))
    maximum = t.money("maximum", max(maximum, floor))
    return Result(amount=maximum, minimum=minimum, maximum=maximum)
