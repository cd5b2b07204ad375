"""The statutory statistics from factories with known counts: MRPiPS-03 (a decision spanning the half-year, a person
in two forms of help, a family with two reasons, family types, social work only, commissioned vs own tasks, a
returned payment, another centre, a territory scope), LT cash assistance and MD yearly aid; and for every indicator,
group and part the drill-down's length equals the figure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from socius.accounts.models import Territory
from socius.reporting.indicators import NO_LOCALITY, Unit, build_scope, get_indicator, indicators_for
from socius.reporting.periods import parse_period
from socius.reporting.tests.statutory_support import World
from socius.testing.factories import CentreFactory, TerritoryFactory

pytestmark = pytest.mark.django_db

H1 = parse_period("2026-H1")
JAN, FEB, MAR, JUN, JUL, DEC25 = (dt.date(2026, m, 1) for m in (1, 2, 3, 6, 7, 12))
DEC25 = dt.date(2025, 12, 1)


def _scope(centre, period=H1, territory=None):
    return build_scope(centre, period.start, period.end, territory)


def fig(code, scope):
    return get_indicator(code).compute(scope)


@pytest.fixture
def pl(pl_centre):
    world = World(pl_centre)
    world.village_a = TerritoryFactory(jurisdiction="PL", level="village", name="A", parent=pl_centre.territory)
    world.village_b = TerritoryFactory(jurisdiction="PL", level="village", name="B", parent=pl_centre.territory)
    return world


def test_decision_spanning_the_half_year_counts_only_its_months_in_the_period(pl):
    household, people = pl.household(adults=2, children=1)
    case = pl.case(household=household, territory=pl.village_a, circumstances=["poverty"])
    decision = pl.decision(case, "pl.periodic_allowance", members=people, amount="400.00", start=DEC25)
    for month in (DEC25, JAN, FEB, MAR):
        pl.pay(decision, month)
    scope = _scope(pl.centre)
    assert fig("mrpips03_own_benefits", scope).total == 3
    assert fig("mrpips03_own_amount", scope).total == Decimal("1200.00")
    assert fig("mrpips03_own_amount", scope).value(pl.village_a.pk, "periodic_allowance") == Decimal("1200.00")
    assert fig("mrpips03_own_persons", scope).total == 1
    assert fig("mrpips03_own_families", scope).total == 1
    assert fig("mrpips03_own_family_members", scope).total == 3
    year = _scope(pl.centre, parse_period("2025"))
    assert fig("mrpips03_own_benefits", year).total == 1


def test_person_in_two_forms_of_help_counts_under_each_and_once_in_the_total(pl):
    person = pl.household(adults=1)[1][0]
    case = pl.case(person=person, territory=pl.village_a)
    periodic = pl.decision(case, "pl.periodic_allowance", amount="300.00")
    purpose = pl.decision(case, "pl.purpose_allowance", amount="250.00", start=FEB)
    pl.pay(periodic, JAN)
    pl.pay(periodic, FEB)
    pl.pay(purpose, FEB)
    persons = fig("mrpips03_own_persons", _scope(pl.centre))
    assert persons.total == 1
    assert persons.value(None, "periodic_allowance") == 1
    assert persons.value(None, "purpose_allowance") == 1
    assert persons.value(None, "permanent_allowance") == 0
    assert fig("mrpips03_own_benefits", _scope(pl.centre)).total == 3


def test_commissioned_fund_payments_count_in_the_commissioned_section_only(pl):
    person = pl.household(adults=1)[1][0]
    case = pl.case(person=person)
    purpose = pl.decision(case, "pl.purpose_allowance", amount="1000.00", start=MAR)
    pl.pay(purpose, MAR, fund_kind="state_commissioned")
    scope = _scope(pl.centre)
    assert fig("mrpips03_commissioned_amount", scope).value(None, "purpose_allowance_disaster") == Decimal("1000.00")
    assert fig("mrpips03_commissioned_persons", scope).total == 1
    assert fig("mrpips03_own_persons", scope).total == 0


def test_returned_cancelled_and_unapproved_payments_do_not_count(pl):
    person = pl.household(adults=1)[1][0]
    decision = pl.decision(pl.case(person=person), "pl.periodic_allowance", amount="100.00")
    pl.pay(decision, JAN, status="returned")
    pl.pay(decision, FEB, run_status="draft", status="pending")
    pl.pay(decision, MAR, status="cancelled")
    pl.pay(decision, JUN)
    scope = _scope(pl.centre)
    assert fig("mrpips03_own_benefits", scope).total == 1
    assert fig("mrpips03_own_amount", scope).total == Decimal("100.00")


def test_family_with_two_reasons_counts_under_each_and_once_in_the_total(pl):
    household, people = pl.household(adults=2, children=3)
    case = pl.case(household=household, circumstances=["poverty", "unemployment"])
    pl.pay(pl.decision(case, "pl.periodic_allowance", members=people), JAN)
    scope = _scope(pl.centre)
    families = fig("mrpips03_reasons_families", scope)
    assert (families.total, families.value(None, "poverty"), families.value(None, "unemployment")) == (1, 1, 1)
    assert families.value(None, "homelessness") == 0
    persons = fig("mrpips03_reasons_persons", scope)
    assert (persons.total, persons.value(None, "poverty")) == (5, 5)
    types = fig("mrpips03_family_types_families", scope)
    assert [p.code for p in types.parts if p.total] == ["persons_5", "with_children", "children_3"]


def test_single_parent_and_pensioner_families(pl):
    household, people = pl.household(adults=1, children=2)
    pl.pay(pl.decision(pl.case(household=household), "pl.periodic_allowance", members=people), JAN)
    old, pensioners = pl.household(adults=2, pensioners=True)
    pl.pay(pl.decision(pl.case(household=old), "pl.permanent_allowance", members=pensioners), FEB)
    types = fig("mrpips03_family_types_families", _scope(pl.centre))
    assert types.value(None, "single_parent") == 1
    assert types.value(None, "pensioners") == 1
    assert types.value(None, "persons_3") == 1
    assert types.value(None, "persons_2") == 1
    assert types.total == 2


def test_social_work_only_families_are_helped_without_a_benefit(pl):
    household, _people = pl.household(adults=2)
    only_work = pl.case(household=household)
    pl.social_work(only_work, dt.date(2026, 6, 30))
    pl.social_work(only_work, dt.date(2026, 7, 1))  # the next half-year
    person = pl.household(adults=1)[1][0]
    both = pl.case(person=person)
    pl.pay(pl.decision(both, "pl.periodic_allowance"), JAN)
    pl.social_work(both, JAN)
    helped = fig("mrpips03_helped_families", _scope(pl.centre))
    assert helped.total == 2
    assert helped.value(None, "benefits") == 1
    assert helped.value(None, "social_work") == 2
    assert helped.value(None, "social_work_only") == 1
    assert fig("mrpips03_helped_persons", _scope(pl.centre)).value(None, "social_work_only") == 2


def test_social_contracts_in_force_during_the_period(pl):
    case = pl.case(person=pl.household(adults=1)[1][0])
    pl.contract(case, signed_on=dt.date(2025, 11, 5), valid_from=dt.date(2025, 11, 5), valid_until=dt.date(2026, 2, 1))
    pl.contract(case, signed_on=dt.date(2026, 6, 30), valid_from=dt.date(2026, 6, 30), valid_until=dt.date(2026, 9, 1))
    pl.contract(case, signed_on=dt.date(2026, 7, 1), valid_from=dt.date(2026, 7, 1), valid_until=dt.date(2026, 9, 1))
    pl.contract(case, signed_on=dt.date(2025, 1, 5), valid_from=dt.date(2025, 1, 5), valid_until=dt.date(2025, 12, 31))
    contracts = fig("mrpips03_social_contracts", _scope(pl.centre))
    assert (contracts.total, contracts.value(None, "signed_in_period")) == (2, 1)


def test_counts_where_paid_territory_scope_and_another_centre(pl):
    person = pl.household(adults=1)[1][0]
    decision = pl.decision(pl.case(person=person, territory=pl.village_a), "pl.periodic_allowance", amount="100.00")
    pl.pay(decision, JAN, territory=pl.village_a)
    pl.pay(decision, FEB, territory=pl.village_b)  # moved: counts where paid
    pl.pay(decision, MAR, territory=None)
    other = World(CentreFactory(jurisdiction="PL", territory=TerritoryFactory(jurisdiction="PL")))
    stranger = other.household(adults=1)[1][0]
    other.pay(other.decision(other.case(person=stranger), "pl.periodic_allowance"), JAN)
    whole = fig("mrpips03_own_benefits", _scope(pl.centre))
    assert whole.total == 3
    assert (whole.value(pl.village_a.pk), whole.value(pl.village_b.pk), whole.value(NO_LOCALITY)) == (1, 1, 1)
    persons = fig("mrpips03_own_persons", _scope(pl.centre))
    assert (persons.total, persons.value(pl.village_a.pk), persons.value(pl.village_b.pk)) == (1, 1, 1)
    village = _scope(pl.centre, territory=Territory.objects.get(pk=pl.village_b.pk))
    assert fig("mrpips03_own_benefits", village).total == 1
    assert fig("mrpips03_own_amount", village).total == Decimal("100.00")


def _assert_drilldown_matches(kind, scope):
    checked = 0
    for indicator in indicators_for(kind):
        figure = indicator.compute(scope)
        for group in [None, *[g.id for g in scope.groups]]:
            for part in [None, *[p.code for p in figure.parts]]:
                rows = indicator.records(scope, group, part)
                if indicator.unit == Unit.MONEY:
                    got = sum((getattr(r, indicator.amount_field) for r in rows), Decimal("0"))
                else:
                    got = rows.count()
                assert got == figure.value(group, part), (indicator.code, group, part)
                checked += 1
    return checked


def test_drilldown_length_equals_the_figure_for_every_mrpips_indicator_group_and_part(pl):
    household, people = pl.household(adults=2, children=2)
    case = pl.case(household=household, territory=pl.village_a, circumstances=["poverty", "disability"])
    decision = pl.decision(case, "pl.periodic_allowance", members=people)
    pl.pay(decision, JAN, territory=pl.village_a)
    pl.pay(decision, FEB, territory=pl.village_b)
    single = pl.household(adults=1)[1][0]
    pl.pay(pl.decision(pl.case(person=single, territory=None), "pl.purpose_allowance"), MAR, territory=None)
    pl.pay(pl.decision(pl.case(person=single), "pl.purpose_allowance"), MAR, fund_kind="state_commissioned")
    pl.social_work(pl.case(household=pl.household(adults=3)[0], territory=pl.village_b), FEB)
    pl.contract(case, signed_on=JAN, valid_from=JAN, valid_until=JUL)
    assert _assert_drilldown_matches("mrpips_03", _scope(pl.centre)) > 100
    assert _assert_drilldown_matches("ozps", _scope(pl.centre, parse_period("2026"))) > 100


def test_lt_cash_assistance_by_family_type(lt_centre):
    lt = World(lt_centre)
    q1 = parse_period("2026-Q1")
    household, people = lt.household(adults=2, children=3, on=dt.date(2026, 3, 31))
    case = lt.case(household=household)
    benefit = lt.decision(case, "lt.social_benefit", members=people, amount="210.50")
    for month in (JAN, FEB, MAR, dt.date(2026, 4, 1)):
        lt.pay(benefit, month, fund_kind="state_budget")
    heating = lt.decision(case, "lt.heating_compensation", members=people, amount="40.00")
    lt.pay(heating, FEB, fund_kind="state_budget")
    alone = lt.household(adults=1)[1][0]
    lt.pay(lt.decision(lt.case(person=alone), "lt.social_benefit", amount="100.00"), JAN, fund_kind="state_budget")
    scope = _scope(lt_centre, q1)
    families = fig("lt_cash_social_benefit_families", scope)
    assert (families.total, families.value(None, "with_children"), families.value(None, "large")) == (2, 1, 1)
    assert families.value(None, "single") == 1
    assert fig("lt_cash_social_benefit_family_members", scope).total == 6
    amount = fig("lt_cash_social_benefit_amount", scope)
    assert amount.total == Decimal("731.50")
    assert amount.value(None, "large") == Decimal("631.50")
    assert fig("lt_cash_heating_compensation_families", scope).total == 1
    assert _assert_drilldown_matches("lt_cash_assistance", scope) > 20


def test_md_yearly_social_aid_and_cold_season_aid(md_centre):
    md = World(md_centre)
    household, people = md.household(adults=2, children=1, on=dt.date(2026, 12, 31))
    case = md.case(household=household)
    aid = md.decision(case, "md.social_aid", members=people, amount="1500.00", start=dt.date(2025, 11, 1))
    for month in (dt.date(2025, 12, 1), JAN, FEB):
        md.pay(aid, month, fund_kind="state_budget")
    apra = md.decision(case, "md.cold_season_aid", members=people, amount="700.00")
    md.pay(apra, JAN, fund_kind="state_budget")
    md.pay(apra, FEB, fund_kind="state_budget", status="returned")
    scope = _scope(md_centre, parse_period("2026"))
    assert fig("md_yearly_social_aid_amount", scope).total == Decimal("3000.00")
    assert fig("md_yearly_social_aid_families", scope).value(None, "with_children") == 1
    assert fig("md_yearly_social_aid_family_members", scope).total == 3
    assert fig("md_yearly_cold_season_aid_amount", scope).total == Decimal("700.00")
    assert _assert_drilldown_matches("md_yearly_aid", scope) > 10


def test_every_indicator_has_a_section_title_and_layout_rows_have_sources():
    from socius.reporting.indicators import SECTIONS
    from socius.reporting.statutory.layouts import layout

    for kind in ("mrpips_03", "ozps", "lt_cash_assistance", "md_yearly_aid"):
        for indicator in indicators_for(kind):
            assert indicator.section in SECTIONS, indicator.code
    for code in ("mrpips_03", "lt_cash_assistance", "md_yearly_aid"):
        lay = layout(code)
        items = [*lay.measures, *lay.sections, *lay.family_types]
        items += [row for section in lay.sections for row in lay.rows(section)]
        assert all(item.source for item in items), code
        assert all(item.label_in("en") != item.label for item in items if item.translations)
