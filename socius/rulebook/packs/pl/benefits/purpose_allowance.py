"""Zasiłek celowy and specjalny zasiłek celowy (art. 39–41 u.p.s.): one-off, for a stated necessary need.

- Within the criterion: the general right to cash benefits needs an income that *does not exceed* ("nie
  przekracza", ≤) the criterion of the person living alone or of the family (art. 8 ust. 1). The amount is the
  need stated (`Facts.amount("need")`); the law sets no minimum or maximum, the centre decides.
- Above it, only in a particularly justified case (`Facts.has("special_case")`): specjalny zasiłek celowy,
  at most the single-person criterion or the family criterion (art. 41 pkt 1); `maximum` is that cap.
- After a random event or a natural or ecological disaster (`Facts.has("random_event")`, art. 40) it may be
  granted regardless of income (wording not verified in ISAP: docs/unconfirmed-law/pl.md).
"""

from __future__ import annotations

from socius.rulebook.engine.benefits import ZERO, Facts, Result, Trace, formula
from socius.rulebook.packs.pl.benefits.income import as_counted, assess

CODE = "pl.purpose_allowance"


@formula(CODE, since="2012-10-01")
def purpose_allowance_2012(facts: Facts, t: Trace) -> Result:
    if facts.purpose:
        t.value("purpose", facts.purpose)
    need = facts.amount("need")
    if need is None or need <= ZERO:
        t.refuse("need_not_stated")
        return Result(amount=ZERO)
    need = t.money("need", need)
    if not facts.members:
        t.refuse("no_household")
        return Result(amount=ZERO)
    a = assess(as_counted(facts), t)
    if facts.has("random_event"):
        t.value("random_event", True)
        return Result(amount=t.money("amount", need))
    if t.value("income_within_criterion", a.total <= a.family_criterion):
        return Result(amount=t.money("amount", need))
    if not facts.has("special_case"):
        t.refuse("income_above_criterion")
        return Result(amount=ZERO)
    t.value("special_case", True)
    cap = t.money("special_cap", a.family_criterion)
    return Result(amount=t.money("amount", min(need, cap)), maximum=cap)
