"""Lithuania: how the cash social assistance law counts a household's income, and who must be active.

Piniginės socialinės paramos nepasiturintiems gyventojams įstatymas (PSPNGĮ, No. IX-1675, new version
XI-1772 from 2012-01-01):

- art. 18(1)(2) and 20(3): the income is the monthly average of the `reference_months` calendar months
  before the month from which support is granted; the grant month itself is used when an income source
  or the family changed, a one-off payment was received, or several months' payments came at once
  (facts: `income_lost`, flags `income_source_changed`, `family_changed`, `several_months_paid_at_once`,
  or a one-off record in the grant month);
- art. 17(1): what counts; the kinds in `EXCLUDED_KINDS` do not (child benefit "vaiko pinigai" is the
  engine's `family_benefit`);
- art. 17(2): a share (20 %, 25 %, 35 % or 40 % by family composition) of employment income,
  business-certificate income, 70 % of individual-activity income, and the unemployment insurance and
  job-search benefits is not counted, except for persons under 18;
- the activity condition for the socialinė pašalpa: every adult (and child aged 16–18) works, is
  registered with the Employment Service, studies, is of pension age, cares for a child or a disabled
  person, … (`ACTIVITY_FLAGS`), or the household is refused, naming the member.

A member's `income` (the API's shortcut) is the monthly income as the law counts it for the period: it is
taken as given, without exclusions or the disregard. Typed `incomes` are averaged and disregarded here.
Farm land (hectares) is not converted to income by this pack: such records are left out and the trace
says so (docs/unconfirmed-law/lt.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from socius.rulebook.engine.benefits import ZERO, Facts, Member, Trace, months_before

P = "social_assistance/"

# art. 17(1): income kinds not counted. family_benefit = išmoka vaikui (vaiko pinigai); the others are
# this pack's own kinds for the support itself and for benefits the law leaves out.
EXCLUDED_KINDS = (
    "family_benefit",
    "child_benefit",
    "social_benefit",  # socialinė pašalpa itself
    "housing_compensation",  # būsto šildymo ir vandens išlaidų kompensacijos
    "targeted_compensation",  # tikslinės kompensacijos (slaugos, priežiūros)
    "social_scholarship",  # socialinė stipendija
    "farm_land",  # hectares, not money: not converted by this pack
)
# art. 17(2): kinds the disregard applies to (business_certificate = verslo liudijimas, self_employment =
# individual activity under an activity certificate, of which only a share is disregard-eligible).
DISREGARD_KINDS = ("employment", "business_certificate", "unemployment_benefit", "job_search_benefit")
INDIVIDUAL_ACTIVITY_KIND = "self_employment"

# The activity condition: any one of these satisfies it for a member (Member.unemployed = registered with
# the Employment Service; Member.unable_to_work / disabled = lost working capacity or disability).
ACTIVITY_FLAGS = frozenset(
    {
        "works",  # dirba (2/3 of the maximum working time until 2026-06-01)
        "registered_unemployed",  # registruotas Užimtumo tarnyboje
        "studying",  # mokosi / studijuoja (until 24)
        "pension_age",  # sukakęs senatvės pensijos amžių
        "receives_pension",
        "caring_for_child",  # prižiūri vaiką iki 3 metų ar kelis vaikus
        "caring_for_disabled",  # slaugo ar prižiūri asmenį su negalia
        "in_hospital",  # gydosi stacionare
        "pregnant",  # nėščia (from 70 days before the birth)
        "activity_exemption",  # another statutory ground, recorded by the worker
    }
)
PENSION_KINDS = ("pension", "disability_pension")


@dataclass(frozen=True)
class CountedIncome:
    members: int
    children: int
    single: bool  # vienas gyvenantis asmuo
    total: Decimal  # the household's counted average monthly income
    per_person: Decimal


def is_minor(member: Member, facts: Facts, under: int = 18) -> bool:
    age = member.age_on(facts.period)
    if age is None:
        return member.role == "child"
    return age < under


def uses_grant_month(facts: Facts) -> bool:
    """art. 18(1)(2): the grant month replaces the reference months."""
    if facts.income_lost or facts.has("income_source_changed") or facts.has("family_changed"):
        return True
    if facts.has("several_months_paid_at_once"):
        return True
    return any(record.one_off and record.month == facts.period for m in facts.members for record in m.incomes)


def count_income(facts: Facts, t: Trace) -> CountedIncome:
    """The household's average monthly income as art. 17–18 count it, traced step by step."""
    members = len(facts.members)
    children = sum(1 for member in facts.members if is_minor(member, facts))
    adults = members - children
    single = members == 1
    t.value("household_size", members)
    t.value("children", children)

    count = int(t.parameter("reference_months", P + "income/reference_months"))
    months = (facts.period,) if uses_grant_month(facts) else months_before(facts.period, count)
    t.value("income_months", ", ".join(month.strftime("%Y-%m") for month in months))

    if children == 0:
        rate_name = "no_children"
    elif children >= 3:
        rate_name = "three_or_more_children"
    elif adults == 1:
        rate_name = "single_parent_one_or_two_children"
    else:
        rate_name = "one_or_two_children"

    given = ZERO  # the members' `income` shortcuts: already monthly and counted
    gross = ZERO
    eligible = ZERO
    left_out = False
    activity_base = None
    for member in facts.members:
        if not member.incomes:
            given += member.income or ZERO
            continue
        adult = not is_minor(member, facts)
        for record in member.incomes:
            if record.month is not None and record.month not in months:
                continue
            if record.kind in EXCLUDED_KINDS:
                left_out = True
                continue
            # A record without a month is "the monthly income": it counts in each of the months.
            net = (record.amount - record.deductions) * (1 if record.month is not None else len(months))
            gross += net
            if not adult:
                continue
            if record.kind in DISREGARD_KINDS:
                eligible += net
            elif record.kind == INDIVIDUAL_ACTIVITY_KIND:
                if activity_base is None:
                    activity_base = t.parameter(
                        "individual_activity_base", P + "income/employment_disregard/individual_activity_base"
                    )
                eligible += net * activity_base
    # Dividing the sums over the months averages them.
    average = gross / len(months) + given
    eligible_average = eligible / len(months)
    if left_out:
        t.value("excluded_income_left_out", True)
    t.money("income_average", average)
    disregarded = ZERO
    if eligible_average > ZERO:
        rate = t.parameter("employment_disregard", P + "income/employment_disregard/" + rate_name)
        disregarded = eligible_average * rate
        t.money("income_disregarded", disregarded)
    # Rounded once, from the exact figures: a cent less income never counts as more (the traced average and
    # disregard are each rounded for display and may differ from this by a cent).
    total = t.money("income_counted", max(average - disregarded, ZERO))
    per_person = t.money("income_per_person", total / members)
    return CountedIncome(members=members, children=children, single=single, total=total, per_person=per_person)


def check_activity(facts: Facts, t: Trace) -> None:
    """Refuse, naming each member (by number in the household list), who meets no activity condition."""
    for number, member in enumerate(facts.members, start=1):
        if is_minor(member, facts, under=16):
            continue
        if member.unemployed or member.unable_to_work or member.disabled:
            continue
        if member.flags & ACTIVITY_FLAGS:
            continue
        if any(record.kind in PENSION_KINDS for record in member.incomes):
            continue
        t.value("activity_condition_not_met", number)
        t.refuse("activity_condition_not_met", member=number)


def check_property(facts: Facts, t: Trace) -> None:
    """The property test (turto vertės normatyvas) is assessed by the worker and given as a flag."""
    if facts.has("property_above_normative"):
        t.refuse("property_above_normative")
