"""Moldova: one-off material aid from the local social support fund (Law 827/2000; Regulation of HG 1083/2000)."""

from __future__ import annotations

from socius.rulebook.engine.benefits import ZERO, Facts, Result, Trace, formula

CODE = "md.local_support_fund_aid"
CAP = "social_assistance/local_support_fund/cap_per_person/"
# HG 1083/2000 pct. 2 lists the needs the aid meets (food and essential goods, medicines and medical services,
# exceptional situations, …); the codes below are how the worker records the purpose asked.
PURPOSES = ("food", "medicines", "fuel", "repairs", "other")


@formula(CODE, since="2000-11-02")
def local_support_fund_aid(facts: Facts, t: Trace) -> Result:
    """The need asked, within the per-person cap for its purpose: the cap in law where the pack has one, else the
    cap set by the fund's administrative council (facts amount "fund_cap"), else the need as asked."""
    purpose = t.value("purpose", facts.purpose or "-")
    if purpose not in PURPOSES:
        t.refuse("purpose_not_covered")
        return Result(amount=ZERO)
    need = facts.amount("need")
    if need is None or need <= ZERO:
        t.refuse("no_need_stated")
        return Result(amount=ZERO)
    need = t.money("need", need)
    cap = None
    if t.jurisdiction.has_parameter(CAP + purpose, t.period):
        cap = t.parameter("cap_in_law", CAP + purpose)
    elif facts.amount("fund_cap") is not None:
        cap = t.money("cap_of_fund_council", facts.amount("fund_cap"))
    else:
        t.value("cap_not_found", True)
    if cap is not None and cap <= ZERO:
        t.refuse("fund_cap_exhausted")
        return Result(amount=ZERO)
    amount = need if cap is None else min(need, cap)
    return Result(amount=t.money("amount", amount), maximum=cap)
