"""The dashboard's figures (socius.reporting.dashboard) from factories with known counts: where an event happened,
the centre's month bounds, the team filter, returned payments, a person paid from two funds, a case with two
circumstances, the territorial roll-up, and a fixed number of queries whatever the data size."""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from socius.accounts.roles import Role
from socius.casework.models import HomeVisit, VisitStatus
from socius.casework.statuses import CaseStatus
from socius.casework.tests.factories import CaseFactory, ContactFactory
from socius.common.errors import Forbidden, ValidationFailed
from socius.payments.models import FundAllocation, Payment
from socius.payments.tests.bankfiles_factories import make_fund, make_payment, make_run
from socius.reporting import charts
from socius.reporting.dashboard import class_of, classes_of, dashboard_filters, dashboard_for, trend_months
from socius.reporting.periods import parse_period
from socius.testing.factories import CentreFactory, PersonFactory, TeamFactory, TerritoryFactory, UserFactory

CHISINAU = zoneinfo.ZoneInfo("Europe/Chisinau")
ON = dt.date(2026, 10, 31)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def at(year, month, day, hour=12, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=CHISINAU)


@pytest.fixture
def area(md_centre):
    root = md_centre.territory
    cosnita = TerritoryFactory(jurisdiction="MD", level="community", name="Coșnița", parent=root)
    pohrebea = TerritoryFactory(jurisdiction="MD", level="village", name="Pohrebea", parent=cosnita)
    oxentea = TerritoryFactory(jurisdiction="MD", level="community", name="Oxentea", parent=root)
    oxentea_village = TerritoryFactory(jurisdiction="MD", level="village", name="Oxentea sat", parent=oxentea)
    return {"root": root, "cosnita": cosnita, "pohrebea": pohrebea, "oxentea": oxentea, "ox_village": oxentea_village}


@pytest.fixture
def staff(md_centre, md_director):
    t1 = TeamFactory(centre=md_centre, name="Team one")
    t2 = TeamFactory(centre=md_centre, name="Team two")
    w1 = UserFactory(centre=md_centre, role=Role.SOCIAL_WORKER, username="md_w1")
    w2 = UserFactory(centre=md_centre, role=Role.SOCIAL_WORKER, username="md_w2")
    lead = UserFactory(centre=md_centre, role=Role.TEAM_LEADER, username="md_lead")
    t1.members.add(w1, lead)
    t2.members.add(w2)
    return {"t1": t1, "t2": t2, "w1": w1, "w2": w2, "lead": lead, "director": md_director}


@pytest.fixture
def data(md_centre, area, staff):
    c = md_centre
    t1, t2, w1, w2 = staff["t1"], staff["t2"], staff["w1"], staff["w2"]
    # Contacts: three in Pohrebea in October (one at 00:30 on the 1st, centre's time), one in Oxentea sat, one
    # anonymous with no locality; one at 23:30 on 30 September (September); another centre's (never counted).
    for when in (at(2026, 10, 1, 0, 30), at(2026, 10, 15), at(2026, 10, 31, 23, 30)):
        ContactFactory(centre=c, occurred_at=when, territory=area["pohrebea"], handled_by=w1)
    ContactFactory(centre=c, occurred_at=at(2026, 10, 20), territory=area["ox_village"], handled_by=w2)
    ContactFactory(centre=c, occurred_at=at(2026, 10, 21), territory=None, handled_by=w2)
    ContactFactory(centre=c, occurred_at=at(2026, 9, 30, 23, 30), territory=area["pohrebea"], handled_by=w1)
    other = CentreFactory(jurisdiction="MD", territory=area["root"])
    ContactFactory(centre=other, occurred_at=at(2026, 10, 10), territory=area["pohrebea"])
    # Cases: worked in October: case1 (two circumstances) and case2; case3 closed in September.
    case1 = CaseFactory(
        centre=c,
        team=t1,
        assigned_worker=w1,
        territory=area["pohrebea"],
        circumstances=["poverty", "disability"],
        opened_on=dt.date(2026, 10, 5),
        status=CaseStatus.ACTIVE,
    )
    case2 = CaseFactory(
        centre=c,
        team=t2,
        assigned_worker=w2,
        territory=area["ox_village"],
        circumstances=["poverty"],
        opened_on=dt.date(2026, 9, 1),
        status=CaseStatus.ACTIVE,
    )
    CaseFactory(
        centre=c,
        team=t1,
        assigned_worker=w1,
        territory=area["pohrebea"],
        circumstances=["old_age"],
        opened_on=dt.date(2026, 8, 1),
        closed_on=dt.date(2026, 9, 15),
        closure_reason="goals_achieved",
        status=CaseStatus.CLOSED,
    )
    # Home visits: two done in October in Coșnița (one recorded at the community itself), one in Oxentea sat;
    # a cancelled one and one done in November are not counted.
    for case, place, done in (
        (case1, area["pohrebea"], dt.date(2026, 10, 6)),
        (case1, area["cosnita"], dt.date(2026, 10, 31)),
        (case2, area["ox_village"], dt.date(2026, 10, 1)),
        (case1, area["pohrebea"], dt.date(2026, 11, 1)),
    ):
        HomeVisit.objects.create(case=case, planned_on=done, done_on=done, status=VisitStatus.DONE, territory=place)
    HomeVisit.objects.create(
        case=case1, planned_on=dt.date(2026, 10, 7), status=VisitStatus.CANCELLED, territory=area["pohrebea"]
    )
    # Payments for October: a person paid from two funds (counts once in the total, once per fund), a returned
    # payment and a draft run's payment (neither counts).
    aid = make_fund(c, code="aid")
    cold = make_fund(c, code="cold")
    FundAllocation.objects.create(
        fund=aid, year=2026, kind="initial", amount=Decimal("1000.00"), decided_on=dt.date(2026, 1, 2), recorded_by=w1
    )
    run = make_run(c, w1, month=dt.date(2026, 10, 1), status="approved")
    draft = make_run(c, w1, month=dt.date(2026, 10, 1), status="draft", kind="extra")
    person = PersonFactory(centre=c)
    p1 = make_payment(run, aid, person=person, amount="300.00", benefit="ajutor_social")
    p2 = make_payment(run, cold, person=person, amount="100.00", benefit="ajutor_rece")
    p3 = make_payment(run, aid, amount="50.00", benefit="ajutor_social", status="returned")
    p4 = make_payment(draft, aid, amount="70.00", benefit="ajutor_social")
    Payment.objects.filter(pk__in=[p1.pk, p3.pk, p4.pk]).update(territory=area["pohrebea"])
    Payment.objects.filter(pk=p2.pk).update(territory=area["ox_village"])
    return {"case1": case1, "case2": case2, "aid": aid, "cold": cold}


def october(actor, **kwargs):
    return dashboard_for(actor, dashboard_filters(actor, period="2026-10", on=ON, **kwargs), on=ON)


def test_contacts_count_where_they_happened_in_the_centres_month(md_director, data, area):
    d = october(md_director)
    assert [(m.period.key, m.contacts, m.visits) for m in d.months[-2:]] == [("2026-09", 1, 0), ("2026-10", 5, 3)]
    result = d.territories
    assert result.measure == "contacts"
    assert [(n.name, n.value) for n in result.groups] == [("Coșnița", 3), ("Oxentea", 1)]
    assert [(n.name, n.value) for n in result.localities] == [("Pohrebea", 3), ("Oxentea sat", 1)]
    assert (result.total, result.unlocated) == (5, 1)


def test_home_visits_by_territory_count_the_community_node_in_its_group(md_director, data):
    result = october(md_director, measure="home_visits").territories
    assert [(n.name, n.value) for n in result.groups] == [("Coșnița", 2), ("Oxentea", 1)]
    assert (result.total, result.unlocated) == (3, 0)


def test_a_territory_narrows_every_figure_to_its_subtree(md_director, data, area):
    d = october(md_director, territory=area["cosnita"].pk)
    assert d.months[-1].contacts == 3 and d.months[-1].visits == 2
    assert [(n.name, n.value) for n in d.territories.groups] == [("Pohrebea", 3)]
    assert d.territories.total == 3 and d.territories.unlocated == 0
    assert {r.code: r.cases for r in d.reasons} == {"disability": 1, "poverty": 1}
    assert d.aid_total.amount == Decimal("300.00") and d.aid_total.persons == 1
    assert d.budget is None  # the budget is the whole centre's


def test_aid_counts_a_person_paid_from_two_funds_once_and_leaves_out_returned_and_draft(md_director, data):
    d = october(md_director)
    assert (d.aid_total.persons, d.aid_total.amount) == (1, Decimal("400.00"))
    assert [(a.label, a.persons, a.amount) for a in d.aid_by_fund] == [
        ("Fund", 1, Decimal("300.00")),
        ("Fund", 1, Decimal("100.00")),
    ]
    assert [(a.code, a.amount) for a in d.aid_by_benefit] == [
        ("ajutor_social", Decimal("300.00")),
        ("ajutor_rece", Decimal("100.00")),
    ]
    budget = {b.fund.code: b for b in d.budget}
    assert budget["aid"].allocation == Decimal("1000.00")
    assert budget["aid"].spent_in_period == Decimal("300.00") and budget["aid"].spent_to_date == Decimal("300.00")
    assert budget["aid"].share_spent == Decimal("30.0")
    assert budget["cold"].allocation == Decimal("0") and budget["cold"].share_spent is None


def test_amount_paid_by_territory(md_director, data):
    result = october(md_director, measure="amount_paid").territories
    assert [(n.name, n.value) for n in result.groups] == [
        ("Coșnița", Decimal("300.00")),
        ("Oxentea", Decimal("100.00")),
    ]
    assert result.total == Decimal("400.00") and result.is_money


def test_reasons_count_a_case_with_two_circumstances_under_each_and_once_in_the_total(md_director, data):
    d = october(md_director)
    assert (d.reasons[0].code, d.reasons[0].cases) == ("poverty", 2)  # most frequent first
    assert {r.code: r.cases for r in d.reasons} == {"poverty": 2, "disability": 1}
    assert d.cases_in_period == 2  # the case closed in September was not worked in October


def test_caseload_per_team_and_worker(md_director, data, staff):
    d = october(md_director)
    teams = {t.team.name: (t.members, t.open_cases, t.opened, t.closed) for t in d.teams}
    assert teams == {"Team one": (2, 1, 1, 0), "Team two": (1, 1, 0, 0)}
    workers = {line.worker.username: line.open_cases for line in d.caseload}
    assert workers["md_w1"] == 1 and workers["md_w2"] == 1
    assert d.open_cases == 2


def test_a_team_leader_sees_their_teams_only(data, staff):
    lead = staff["lead"]
    d = october(lead)
    assert d.team_ids == (staff["t1"].pk,)
    assert [t.team.name for t in d.teams] == ["Team one"]
    assert d.months[-1].contacts == 3  # handled by Team one's members
    assert d.months[-1].visits == 2  # of Team one's cases
    assert {r.code: r.cases for r in d.reasons} == {"poverty": 1, "disability": 1}
    assert d.aid_total.amount == Decimal("0")  # transfers have no case: none is a team's
    assert d.budget is None
    with pytest.raises(ValidationFailed) as refused:
        dashboard_filters(lead, period="2026-10", team=staff["t2"].pk, on=ON)
    assert set(refused.value.errors) == {"team"}


def test_a_team_leader_of_no_team_sees_nothing_of_the_centre(md_centre, data):
    lead = UserFactory(centre=md_centre, role=Role.TEAM_LEADER, username="md_lonely_lead")
    d = october(lead)
    assert d.team_ids == () and d.teams == () and d.caseload == ()
    assert (d.months[-1].contacts, d.months[-1].visits, d.cases_in_period, d.reasons) == (0, 0, 0, ())
    assert d.territories.total == 0 and d.aid_total.amount == Decimal("0")


def test_the_director_may_narrow_to_a_team(md_director, data, staff):
    d = october(md_director, team=staff["t2"].pk)
    assert d.months[-1].contacts == 2 and d.months[-1].visits == 1
    assert [t.team.name for t in d.teams] == ["Team two"]
    assert d.budget is None


def test_bad_filters_are_refused_on_their_fields(md_director, area):
    outside = TerritoryFactory(jurisdiction="PL", name="Elsewhere")
    with pytest.raises(ValidationFailed) as refused:
        dashboard_filters(md_director, period="2026-13", territory=outside.pk, team="x", measure="nope", on=ON)
    assert set(refused.value.errors) == {"period", "territory", "team", "measure"}


def test_a_worker_may_not_read_the_dashboard(md_worker):
    with pytest.raises(Forbidden):
        dashboard_filters(md_worker)


def test_the_trend_is_the_twelve_months_ending_with_the_period():
    months = trend_months(parse_period("2026-Q3"))
    assert (months[0].key, months[-1].key, len(months)) == ("2025-10", "2026-09", 12)


def test_the_number_of_queries_does_not_grow_with_the_data(md_director, data, area, staff):
    with CaptureQueriesContext(connection) as before:
        october(md_director)
    for day in range(1, 20):
        ContactFactory(
            centre=md_director.centre,
            occurred_at=at(2026, 10, day),
            territory=area["ox_village"],
            handled_by=staff["w2"],
        )
        CaseFactory(
            centre=md_director.centre, team=staff["t2"], territory=area["pohrebea"], opened_on=dt.date(2026, 10, day)
        )
    with CaptureQueriesContext(connection) as after:
        d = october(md_director)
    assert d.months[-1].contacts == 24
    assert len(after.captured_queries) == len(before.captured_queries)


def test_shade_classes():
    bounds = classes_of([0, 5, 10])
    assert [class_of(v, bounds) for v in (0, 1, 2, 5, 10)] == [0, 1, 1, 3, 5]
    assert classes_of([0, 0]) == [] and class_of(3, []) == 0


def test_charts_are_named_and_readable_without_colour():
    bars = str(charts.bar_chart_svg([("Poverty", 2), ("Disability", 1)], title="Reasons", chart_id="c1"))
    assert 'role="img"' in bars and '<title id="c1-title">Reasons</title>' in bars and ">2<" in bars
    trend = str(charts.trend_svg([("Contacts", [1, 2]), ("Visits", [0, 3])], ["Sep", "Oct"], title="T", chart_id="t"))
    assert 'stroke-dasharray="6 3"' in trend and "<circle" in trend and "<rect" in trend  # dash and marker differ
    area = charts.MapArea("Coșnița", "3", 5, "/x/?territory=1", (charts.MapArea("Pohrebea", "3", 5, None),))
    svg = str(charts.choropleth_svg([area], title="Map", chart_id="m"))
    assert 'aria-label="Coșnița: 3"' in svg and 'href="/x/?territory=1"' in svg and "url(#m-cross)" not in svg
    assert 'fill="#1a1a1a"' in svg  # the darkest class, a shade not a hue
    assert charts.bar_chart_svg([], title="x") == "" and charts.choropleth_svg([], title="x") == ""
