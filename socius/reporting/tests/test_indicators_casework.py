"""Casework indicators of the monthly activity report, computed from factories with known counts: the month's
edges in the centre's time, where events happened (a family that moved), anonymous contacts, cancelled visits,
other centres, a territory's subtree, the drill-down's length against every figure, and who sees which rows."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from socius.accounts.roles import Role
from socius.casework.models import CaseEvent, CaseEventKind, ContactChannel, HomeVisit, ReferralDirection, VisitStatus
from socius.casework.statuses import CaseStatus, ClosureReason, ReferralStatus
from socius.casework.tests.factories import CaseFactory, ContactFactory
from socius.casework.tests.factories_referrals import PartnerFactory, ReferralFactory
from socius.plans.models import ContractVariant, SocialContract
from socius.plans.statuses import ContractStatus
from socius.reporting import indicators_casework as ic
from socius.reporting.indicators import NO_LOCALITY, build_scope, fingerprint, get_indicator, indicators_for
from socius.reporting.statuses import ReportKind
from socius.testing.factories import (
    CentreFactory,
    HouseholdFactory,
    MembershipFactory,
    PersonFactory,
    TeamFactory,
    TerritoryFactory,
    UserFactory,
)

CHISINAU = zoneinfo.ZoneInfo("Europe/Chisinau")
OCT = (dt.date(2026, 10, 1), dt.date(2026, 11, 1))
CODES = [i.code for i in ic.INDICATORS]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=CHISINAU)


@dataclass
class World:
    centre: object
    root: object
    a: object  # a community
    a1: object  # a village of it
    b: object  # another community
    worker: object
    worker2: object
    director: object
    finance: object
    team: object
    h1: object  # a household that moved from A to B in October
    h1_members: list
    person: object  # a person living alone
    h3: object
    case1: object  # h1's case, held by `worker`
    case1b: object  # h1's second case, held by `worker2`
    case_p: object  # the single person's case
    case3: object  # h3's case, no locality recorded
    other_centre: object
    other_director: object


def visit(case, *, done_on=None, territory=None, status=VisitStatus.DONE, visitors=()):
    v = HomeVisit.objects.create(
        case=case,
        planned_on=done_on or dt.date(2026, 10, 20),
        done_on=done_on if status == VisitStatus.DONE else None,
        status=status,
        territory=territory,
    )
    v.visitors.set(visitors)
    return v


@pytest.fixture
def world(md_centre):
    root = md_centre.territory
    a = TerritoryFactory(jurisdiction="MD", level="community", name="Coșnița", parent=root)
    a1 = TerritoryFactory(jurisdiction="MD", level="village", name="Pohrebea", parent=a)
    b = TerritoryFactory(jurisdiction="MD", level="community", name="Oxentea", parent=root)
    team = TeamFactory(centre=md_centre, name="Community social assistance")
    worker = UserFactory(centre=md_centre, role=Role.SOCIAL_WORKER, username="md_w1", first_name="Ana")
    worker2 = UserFactory(centre=md_centre, role=Role.SOCIAL_WORKER, username="md_w2")
    team.members.add(worker, worker2)
    director = UserFactory(centre=md_centre, role=Role.DIRECTOR, username="md_dir")
    finance = UserFactory(centre=md_centre, role=Role.FINANCE_OFFICER, username="md_fin")
    h1 = HouseholdFactory(centre=md_centre, territory=b)  # lives in B today: moved from A in October
    mother = PersonFactory(centre=md_centre, first_name="Maria", last_name="Rusu")
    son = PersonFactory(centre=md_centre, first_name="Ion", last_name="Rusu")
    MembershipFactory(household=h1, person=mother, relationship="head")
    MembershipFactory(household=h1, person=son, relationship="child")
    person = PersonFactory(centre=md_centre, first_name="Elena", last_name="Ceban")
    h3 = HouseholdFactory(centre=md_centre)
    old = dt.date(2025, 3, 1)
    common = {"centre": md_centre, "team": team, "opened_on": old, "status": CaseStatus.ACTIVE}
    case1 = CaseFactory(household=h1, assigned_worker=worker, territory=a1, **common)
    case1b = CaseFactory(household=h1, assigned_worker=worker2, territory=a1, **common)
    case_p = CaseFactory(household=None, person=person, assigned_worker=worker2, territory=b, **common)
    case3 = CaseFactory(household=h3, assigned_worker=worker2, territory=None, **common)
    other_root = TerritoryFactory(jurisdiction="MD", level="district", name="Criuleni")
    other_centre = CentreFactory(code="md-other", jurisdiction="MD", territory=other_root)
    other_director = UserFactory(centre=other_centre, role=Role.DIRECTOR, username="md_other_dir")
    return World(
        md_centre, root, a, a1, b, worker, worker2, director, finance, team, h1, [mother, son], person, h3,
        case1, case1b, case_p, case3, other_centre, other_director,
    )  # fmt: skip


def scope_of(w: World, territory=None, period=OCT):
    return build_scope(w.centre, period[0], period[1], territory)


def figure(code, scope):
    return get_indicator(code).compute(scope)


def by_name(scope, fig) -> dict[str, int]:
    """{group name: value} for the groups with something (readable assertions)."""
    return {g.name: fig.by_group[g.id] for g in scope.groups if fig.by_group.get(g.id)}


NOT_RECORDED = "Locality not recorded"


# --- registration -------------------------------------------------------------------------------------------


def test_the_casework_indicators_are_registered_for_the_monthly_report_in_their_sections():
    monthly = [i.code for i in indicators_for(ReportKind.MONTHLY_ACTIVITY)]
    assert set(CODES) <= set(monthly)
    casework = [c for c in monthly if get_indicator(c).section == "casework"]
    assert casework[:3] == ["contacts", "home_visits", "beneficiaries_visited"]
    cases = [c for c in monthly if c in CODES and get_indicator(c).section == "cases"]
    assert cases == [
        "cases_opened", "cases_closed", "contracts_signed", "contracts_breached", "referrals_sent",
        "referrals_answered",
    ]  # fmt: skip
    for code in CODES:
        indicator = get_indicator(code)
        assert indicator.kinds == frozenset({ReportKind.MONTHLY_ACTIVITY})
        assert str(indicator.definition) and str(indicator.label)
        assert indicator.audit_object_type in {"contact", "home_visit", "case", "social_contract", "referral"}


# --- contacts -----------------------------------------------------------------------------------------------


@pytest.fixture
def contacts(world):
    w = world
    made = {
        # The month's first moment and last moments, in Chișinău's time.
        "first_moment": ContactFactory(centre=w.centre, occurred_at=local(2026, 10, 1, 0, 0), territory=w.a1),
        "last_moment": ContactFactory(centre=w.centre, occurred_at=local(2026, 10, 31, 23, 59, 59), territory=w.a),
        "before": ContactFactory(centre=w.centre, occurred_at=local(2026, 9, 30, 23, 59, 59), territory=w.a),
        "after": ContactFactory(centre=w.centre, occurred_at=local(2026, 11, 1, 0, 0), territory=w.a),
        # 22:30 UTC on 31 October is 23:30 in Warsaw but already 1 November in Chișinău: November's.
        "utc_edge": ContactFactory(
            centre=w.centre, occurred_at=dt.datetime(2026, 10, 31, 22, 30, tzinfo=dt.UTC), territory=w.a
        ),
        # Anonymous (no person, no household), by phone, in B.
        "anonymous": ContactFactory(
            centre=w.centre, occurred_at=local(2026, 10, 12, 10), channel=ContactChannel.PHONE, territory=w.b
        ),
        # The family heard in A (before moving to B) counts in A.
        "moved": ContactFactory(
            centre=w.centre,
            occurred_at=local(2026, 10, 5, 9),
            household=w.h1,
            territory=w.a1,
            channel=ContactChannel.HOME,
        ),
        "no_locality": ContactFactory(centre=w.centre, occurred_at=local(2026, 10, 20, 9), territory=None),
        "other_centre": ContactFactory(centre=w.other_centre, occurred_at=local(2026, 10, 20, 9)),
    }
    made["moved"].persons.set(w.h1_members)
    return made


def test_contacts_count_in_the_centres_time_anonymous_ones_included_where_they_happened(world, contacts):
    scope = scope_of(world)
    fig = figure("contacts", scope)
    assert fig.total == 5  # first and last moments, anonymous, moved, no locality
    assert world.h1.territory == world.b  # the family heard in A lives in B now: its contact stays in A
    assert by_name(scope, fig) == {"Coșnița": 3, "Oxentea": 1, NOT_RECORDED: 1}
    parts = {p.code: p.total for p in fig.parts}
    assert parts == {"office": 3, "phone": 1, "home": 1, "outreach": 0, "email": 0, "letter": 0}
    assert [p.code for p in fig.parts] == [c for c, _l in ContactChannel.choices]
    assert next(p for p in fig.parts if p.code == "phone").by_group == {world.b.pk: 1}


def test_contacts_records_are_the_figures_rows(world, contacts):
    scope = scope_of(world)
    records = set(get_indicator("contacts").records(scope, None, None))
    assert records == {contacts[k] for k in ("first_moment", "last_moment", "anonymous", "moved", "no_locality")}
    assert set(get_indicator("contacts").records(scope, NO_LOCALITY, None)) == {contacts["no_locality"]}
    assert list(get_indicator("contacts").records(scope, None, "phone")) == [contacts["anonymous"]]


def test_november_takes_the_contacts_of_its_first_local_moments(world, contacts):
    fig = figure("contacts", scope_of(world, period=(dt.date(2026, 11, 1), dt.date(2026, 12, 1))))
    assert fig.total == 2  # "after" and "utc_edge"


def test_contacts_of_a_territory_scope_are_its_subtree_only(world, contacts):
    scope = scope_of(world, territory=world.a)
    assert [g.name for g in scope.groups] == ["Pohrebea", NOT_RECORDED]
    fig = figure("contacts", scope)
    assert fig.total == 3  # B's and the unrecorded locality's are out
    assert fig.by_group == {world.a1.pk: 2, NO_LOCALITY: 1}  # NO_LOCALITY here: recorded at A itself


def test_contacts_persons_of_names_the_persons_heard_and_nobody_for_an_anonymous_one(world, contacts):
    indicator = get_indicator("contacts")
    rows = list(indicator.records(scope_of(world), None, None))
    assert indicator.persons_of(rows) == sorted(p.pk for p in world.h1_members)
    assert indicator.persons_of([contacts["anonymous"]]) == []


# --- home visits and beneficiaries visited ------------------------------------------------------------------


@pytest.fixture
def visits(world):
    w = world
    made = {
        "first_day": visit(w.case1, done_on=dt.date(2026, 10, 1), territory=w.a1, visitors=[w.worker]),
        "last_day": visit(w.case1, done_on=dt.date(2026, 10, 31), territory=w.a1, visitors=[w.worker, w.worker2]),
        # The family's second case, visited in A too: the same beneficiary.
        "second_case": visit(w.case1b, done_on=dt.date(2026, 10, 3), territory=w.a1),
        # The family moved to B mid-month: a visit there counts in B.
        "after_move": visit(w.case1, done_on=dt.date(2026, 10, 20), territory=w.b),
        "person": visit(w.case_p, done_on=dt.date(2026, 10, 9), territory=w.b),
        "no_locality": visit(w.case3, done_on=dt.date(2026, 10, 9), territory=None),
        "before": visit(w.case1, done_on=dt.date(2026, 9, 30), territory=w.a1),
        "after": visit(w.case1, done_on=dt.date(2026, 11, 1), territory=w.a1),
        "cancelled": visit(w.case1, status=VisitStatus.CANCELLED, territory=w.a1),
        "planned": visit(w.case_p, status=VisitStatus.PLANNED, territory=w.b),
    }
    other_case = CaseFactory(centre=w.other_centre, territory=w.other_centre.territory)
    made["other_centre"] = visit(other_case, done_on=dt.date(2026, 10, 9), territory=w.other_centre.territory)
    return made


def test_home_visits_count_visits_done_in_the_month_where_they_happened(world, visits):
    scope = scope_of(world)
    fig = figure("home_visits", scope)
    assert fig.total == 6
    assert by_name(scope, fig) == {"Coșnița": 3, "Oxentea": 2, NOT_RECORDED: 1}
    done = set(get_indicator("home_visits").records(scope, None, None))
    names = ("first_day", "last_day", "second_case", "after_move", "person", "no_locality")
    assert done == {visits[k] for k in names}


def test_beneficiaries_visited_are_distinct_households_or_single_persons(world, visits):
    scope = scope_of(world)
    fig = figure("beneficiaries_visited", scope)
    # h1 (three visits in A under two cases, one in B after moving), the person in B, h3 unrecorded.
    assert fig.total == 3
    assert by_name(scope, fig) == {"Coșnița": 1, "Oxentea": 2, NOT_RECORDED: 1}
    records = get_indicator("beneficiaries_visited").records(scope, world.a.pk, None)
    assert list(records) == [visits["first_day"]]  # each beneficiary's first visit of the month


def test_a_household_and_a_person_with_the_same_id_are_two_beneficiaries(world):
    household = HouseholdFactory(centre=world.centre)
    person = PersonFactory(centre=world.centre)
    # Whatever ids the database gave, the key keeps households and persons apart.
    case_h = CaseFactory(centre=world.centre, household=household, territory=world.b, team=world.team)
    case_p = CaseFactory(centre=world.centre, household=None, person=person, territory=world.b, team=world.team)
    HomeVisit.objects.filter(pk__in=[]).delete()
    visit(case_h, done_on=dt.date(2026, 10, 2), territory=world.b)
    visit(case_p, done_on=dt.date(2026, 10, 2), territory=world.b)
    assert figure("beneficiaries_visited", scope_of(world)).total == 2


def test_visits_of_a_territory_scope_leave_out_other_communities_and_unrecorded_ones(world, visits):
    scope = scope_of(world, territory=world.a)
    assert figure("home_visits", scope).total == 3
    assert figure("home_visits", scope).by_group == {world.a1.pk: 3}
    assert figure("beneficiaries_visited", scope).total == 1
    b_scope = scope_of(world, territory=world.b)  # a leaf: one column, itself
    assert [g.name for g in b_scope.groups] == ["Oxentea"]
    assert figure("home_visits", b_scope).by_group == {world.b.pk: 2}
    assert figure("beneficiaries_visited", b_scope).total == 2


def test_visits_persons_of_names_the_household_members_or_the_person(world, visits):
    indicator = get_indicator("home_visits")
    assert indicator.persons_of([visits["first_day"]]) == sorted(p.pk for p in world.h1_members)
    assert indicator.persons_of([visits["person"]]) == [world.person.pk]


def test_visits_visible_narrows_to_the_cases_the_reader_may_read(world, visits):
    indicator = get_indicator("home_visits")
    records = indicator.records(scope_of(world), None, None)
    assert indicator.visible(world.director, records).count() == 6
    # worker holds case1 only: its three visits of October.
    shown = set(indicator.visible(world.worker, records))
    assert shown == {visits["first_day"], visits["last_day"], visits["after_move"]}
    assert indicator.visible(world.finance, records).count() == 0  # no case content
    assert indicator.visible(world.other_director, records).count() == 0


# --- cases opened and closed --------------------------------------------------------------------------------


@pytest.fixture
def cases(world):
    w = world

    def case(opened_on, territory, circumstances, **kwargs):
        return CaseFactory(
            centre=kwargs.pop("centre", w.centre),
            team=w.team,
            assigned_worker=kwargs.pop("assigned_worker", w.worker2),
            opened_on=opened_on,
            territory=territory,
            circumstances=circumstances,
            **kwargs,
        )

    made = {
        "opened_a": case(
            dt.date(2026, 10, 1), w.a1, ["poverty", "disability"], assigned_worker=w.worker, household=w.h1
        ),
        "opened_b": case(dt.date(2026, 10, 31), w.b, ["poverty"]),
        "opened_none": case(dt.date(2026, 10, 15), None, ["large_family"]),
        "opened_before": case(dt.date(2026, 9, 30), w.a, ["poverty"]),
        "opened_after": case(dt.date(2026, 11, 1), w.a, ["poverty"]),
        "closed_last_day": case(
            dt.date(2026, 2, 1), w.b, ["old_age"], household=None, person=w.person, status=CaseStatus.CLOSED, closed_on=dt.date(2026, 10, 31),
            closure_reason=ClosureReason.GOALS_ACHIEVED,
        ),
        "closed_reopened": case(dt.date(2026, 2, 1), w.a, ["poverty", "unemployment"]),
        "closed_after": case(
            dt.date(2026, 2, 1), w.b, ["poverty"], status=CaseStatus.CLOSED, closed_on=dt.date(2026, 11, 1),
            closure_reason=ClosureReason.MOVED_AWAY,
        ),
        "reopened_from_september": case(dt.date(2026, 2, 1), w.a, ["poverty"]),
        "other_centre": case(
            dt.date(2026, 10, 10), None, ["poverty"], centre=w.other_centre,
            assigned_worker=w.other_director,
        ),
    }  # fmt: skip
    # Closed on 10 October, reopened since: the row is open again, the timeline keeps the closure.
    for name, closed_on in (("closed_reopened", "2026-10-10"), ("reopened_from_september", "2026-09-20")):
        CaseEvent.objects.create(
            case=made[name],
            kind=CaseEventKind.STATUS_CHANGED,
            data={
                "from": "closed", "to": "active", "on": "2026-11-03", "previous_closure_reason": "moved_away",
                "previous_closed_on": closed_on, "reason": "came back",
            },
        )  # fmt: skip
    return made


def test_cases_opened_count_once_in_the_total_and_under_each_circumstance(world, cases):
    scope = scope_of(world)
    fig = figure("cases_opened", scope)
    assert fig.total == 3
    assert by_name(scope, fig) == {"Coșnița": 1, "Oxentea": 1, NOT_RECORDED: 1}
    parts = {p.code: (p.total, p.by_group) for p in fig.parts}
    assert parts == {
        "poverty": (2, {world.a.pk: 1, world.b.pk: 1}),
        "large_family": (1, {NO_LOCALITY: 1}),
        "disability": (1, {world.a.pk: 1}),
    }
    # In the pack's order, with the pack's label in the reader's language.
    assert [p.code for p in fig.parts] == ["poverty", "large_family", "disability"]
    assert next(p for p in fig.parts if p.code == "large_family").label == "families with three or more children"
    with translation.override("ro"):
        ro = figure("cases_opened", scope)
    assert next(p for p in ro.parts if p.code == "large_family").label != "families with three or more children"


def test_cases_closed_include_those_reopened_since_and_not_the_next_months(world, cases):
    scope = scope_of(world)
    fig = figure("cases_closed", scope)
    assert fig.total == 2
    assert set(get_indicator("cases_closed").records(scope, None, None)) == {
        cases["closed_last_day"],
        cases["closed_reopened"],
    }
    assert {p.code: p.total for p in fig.parts} == {"poverty": 1, "unemployment": 1, "old_age": 1}
    assert figure("cases_closed", scope_of(world, period=(dt.date(2026, 9, 1), OCT[0]))).total == 1


def test_cases_visible_only_to_who_may_read_their_content(world, cases):
    indicator = get_indicator("cases_opened")
    records = indicator.records(scope_of(world), None, "poverty")
    assert indicator.visible(world.director, records).count() == 2
    assert list(indicator.visible(world.worker, records)) == [cases["opened_a"]]
    assert indicator.visible(world.finance, records).count() == 0
    assert indicator.visible(world.other_director, records).count() == 0


# --- social contracts ---------------------------------------------------------------------------------------


def contract(case, worker, *, status, signed_on=None, ended_on=None):
    return SocialContract.objects.create(
        case=case,
        variant=ContractVariant.GENERAL,
        worker=worker,
        valid_from=dt.date(2026, 9, 1),
        valid_until=dt.date(2027, 3, 1),
        status=status,
        signed_on=signed_on,
        ended_on=ended_on,
    )


@pytest.fixture
def contracts(world):
    w = world
    made = {
        "signed_first_day": contract(w.case1, w.worker, status=ContractStatus.IN_PROGRESS, signed_on=OCT[0]),
        "signed_and_breached": contract(
            w.case_p, w.worker2, status=ContractStatus.BREACHED, signed_on=dt.date(2026, 10, 2),
            ended_on=dt.date(2026, 10, 31),
        ),
        "breached_signed_before": contract(
            w.case3, w.worker2, status=ContractStatus.BREACHED, signed_on=dt.date(2026, 8, 2),
            ended_on=dt.date(2026, 10, 1),
        ),
        "terminated": contract(
            w.case1b, w.worker2, status=ContractStatus.TERMINATED, signed_on=dt.date(2026, 8, 2),
            ended_on=dt.date(2026, 10, 10),
        ),
        "refused": contract(w.case1, w.worker, status=ContractStatus.REFUSED, ended_on=dt.date(2026, 10, 10)),
        "draft": contract(w.case1, w.worker, status=ContractStatus.DRAFT),
        "breached_in_november": contract(
            w.case1, w.worker, status=ContractStatus.BREACHED, signed_on=dt.date(2026, 10, 31),
            ended_on=dt.date(2026, 11, 1),
        ),
    }  # fmt: skip
    made["signed_first_day"].clients.set(w.h1_members[:1])
    other_case = CaseFactory(centre=w.other_centre)
    contract(other_case, other_case.assigned_worker, status=ContractStatus.SIGNED, signed_on=dt.date(2026, 10, 5))
    return made


def test_contracts_signed_and_breached(world, contracts):
    scope = scope_of(world)
    signed = figure("contracts_signed", scope)
    assert signed.total == 3  # first day, signed-and-breached, signed on the last day (breached in November)
    assert by_name(scope, signed) == {"Coșnița": 2, "Oxentea": 1}
    breached = figure("contracts_breached", scope)
    assert breached.total == 2
    assert by_name(scope, breached) == {"Oxentea": 1, NOT_RECORDED: 1}
    assert set(get_indicator("contracts_breached").records(scope, None, None)) == {
        contracts["signed_and_breached"],
        contracts["breached_signed_before"],
    }


def test_contracts_visible_and_persons(world, contracts):
    indicator = get_indicator("contracts_signed")
    records = indicator.records(scope_of(world), None, None)
    assert set(indicator.visible(world.worker, records)) == {
        contracts["signed_first_day"],
        contracts["breached_in_november"],
    }
    assert indicator.visible(world.finance, records).count() == 0
    assert indicator.persons_of([contracts["signed_first_day"]]) == sorted(p.pk for p in world.h1_members)


# --- referrals ----------------------------------------------------------------------------------------------


@pytest.fixture
def referrals(world):
    w = world
    partner = PartnerFactory(centre=w.centre, name="Gimnaziul Coșnița")

    def referral(case, sent_on, **kwargs):
        return ReferralFactory(
            case=case, partner=partner, sent_on=sent_on, response_due_on=sent_on + dt.timedelta(days=14), **kwargs
        )

    made = {
        "sent": referral(w.case1, dt.date(2026, 10, 1)),
        "sent_closed_unanswered": referral(
            w.case_p, dt.date(2026, 10, 31), status=ReferralStatus.CLOSED, outcome="Withdrawn",
            closed_on=dt.date(2026, 11, 2),
        ),
        "sent_before_answered": referral(
            w.case3, dt.date(2026, 9, 15), status=ReferralStatus.ANSWERED, outcome="Place offered",
            answered_on=dt.date(2026, 10, 31),
        ),
        "answered_and_closed": referral(
            w.case1, dt.date(2026, 10, 5), status=ReferralStatus.CLOSED, outcome="Done",
            answered_on=dt.date(2026, 10, 6), closed_on=dt.date(2026, 10, 7),
        ),
        "incoming": referral(w.case1, dt.date(2026, 10, 8), direction=ReferralDirection.INCOMING),
        "next_month": referral(w.case1, dt.date(2026, 11, 1)),
    }  # fmt: skip
    ReferralFactory(
        case=CaseFactory(centre=w.other_centre), sent_on=dt.date(2026, 10, 8), response_due_on=dt.date(2026, 10, 22)
    )
    return made


def test_referrals_sent_and_answered(world, referrals):
    scope = scope_of(world)
    sent = figure("referrals_sent", scope)
    assert sent.total == 3
    assert by_name(scope, sent) == {"Coșnița": 2, "Oxentea": 1}
    answered = figure("referrals_answered", scope)
    assert answered.total == 2
    assert set(get_indicator("referrals_answered").records(scope, None, None)) == {
        referrals["sent_before_answered"],
        referrals["answered_and_closed"],
    }
    assert by_name(scope, answered) == {"Coșnița": 1, NOT_RECORDED: 1}


def test_referrals_visible_to_who_reads_the_case(world, referrals):
    indicator = get_indicator("referrals_sent")
    records = indicator.records(scope_of(world), None, None)
    assert set(indicator.visible(world.worker, records)) == {referrals["sent"], referrals["answered_and_closed"]}
    assert indicator.visible(world.director, records).count() == 3
    assert indicator.visible(world.finance, records).count() == 0
    assert indicator.persons_of([referrals["sent_closed_unanswered"]]) == [world.person.pk]


# --- every indicator, every group and part ------------------------------------------------------------------


@pytest.fixture
def everything(contacts, visits, cases, contracts, referrals):
    return True


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("territory", [None, "a", "b"])
def test_the_drill_down_has_as_many_rows_as_every_figure_group_and_part(world, everything, code, territory):
    scope = scope_of(world, territory=getattr(world, territory) if territory else None)
    indicator = get_indicator(code)
    fig = indicator.compute(scope)
    assert fig.total > 0 or territory
    assert indicator.records(scope, None, None).count() == fig.total
    assert sum(fig.by_group.values()) >= fig.total
    for group in scope.groups:
        assert indicator.records(scope, group.id, None).count() == fig.value(group.id), group.name
        for part in fig.parts:
            assert indicator.records(scope, group.id, part.code).count() == fig.value(group.id, part.code)
    for part in fig.parts:
        assert indicator.records(scope, None, part.code).count() == fig.value(None, part.code), part.code


@pytest.mark.parametrize("code", CODES)
def test_every_column_renders_for_a_page_in_a_bounded_number_of_queries(world, everything, code):
    indicator = get_indicator(code)
    rows = list(indicator.visible(world.director, indicator.records(scope_of(world), None, None)))
    assert rows
    with CaptureQueriesContext(connection) as queries:
        cells = [[(col.text(r), col.link(r) if col.link else None) for col in indicator.columns] for r in rows]
        persons = indicator.persons_of(rows)
    assert len(queries) <= 2, [q["sql"] for q in queries]
    assert all(isinstance(text, str) and text for row in cells for text, _link in row)
    assert all(link.startswith("/") for row in cells for _text, link in row if link)
    assert persons and all(isinstance(p, int) for p in persons)


def test_columns_show_the_client_the_locality_and_the_local_time(world, contacts, visits):
    contact = get_indicator("contacts")
    row = contact.records(scope_of(world), NO_LOCALITY, None).get()
    assert [str(c.label) for c in contact.columns] == ["Date and time", "Channel", "Persons", "Locality", "Handled by"]
    texts = [c.text(row) for c in contact.columns]
    assert texts[2] == "Anonymous contact" and texts[3] == NOT_RECORDED
    last = contact.records(scope_of(world), world.a.pk, None).filter(pk=contacts["last_moment"].pk).get()
    assert "23:59" in contact.columns[0].text(last)
    home = get_indicator("home_visits")
    first = home.records(scope_of(world), world.a.pk, None).first()
    assert home.columns[2].text(first) == "Maria Rusu (household)"
    assert home.columns[3].text(first) == "Pohrebea"
    assert home.columns[1].link(first) == f"/cases/{world.case1.pk}/"


def test_a_record_corrected_after_approval_changes_the_fingerprint_not_the_count(world, visits):
    scope = scope_of(world)
    indicator = get_indicator("home_visits")
    before = fingerprint(indicator, scope)
    moved = visits["after_move"]
    moved.territory = world.a1
    moved.save()
    after = fingerprint(indicator, scope)
    assert after["count"] == before["count"] == 6
    assert after["digest"] != before["digest"]
    assert by_name(scope, indicator.compute(scope)) == {"Coșnița": 4, "Oxentea": 1, NOT_RECORDED: 1}


@pytest.mark.parametrize("code", CODES)
def test_a_drill_down_page_is_audited_under_every_person_it_names(world, everything, code):
    from socius.accounts.audit import persons_of_events, record_list_view
    from socius.accounts.models import AuditEvent

    indicator = get_indicator(code)
    rows = list(indicator.visible(world.director, indicator.records(scope_of(world), None, None)))
    named = indicator.persons_of(rows)
    event = record_list_view(world.director, object_type=indicator.audit_object_type, person_ids=named)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.object_type == indicator.audit_object_type and stored.actor_id == world.director.pk
    assert sorted(persons_of_events([stored])[stored.pk]) == named


def test_the_report_reads_the_casework_figures_with_their_twelve_months(world, visits, contacts):
    from socius.reporting.models import Report
    from socius.reporting.report import report_data

    report = Report.objects.create(
        centre=world.centre,
        kind=ReportKind.MONTHLY_ACTIVITY,
        period="2026-10",
        period_start=OCT[0],
        period_end=OCT[1],
        territory=world.a,
    )
    data = report_data(world.director, report)
    assert data.row("home_visits").figure.total == 3
    assert data.row("contacts").figure.by_group == {world.a1.pk: 2, NO_LOCALITY: 1}
    history = data.row("home_visits").history
    assert [p.key for p, _v in history][-2:] == ["2026-08", "2026-09"]
    assert len(history) == 12 and {p.key: v for p, v in history}["2026-09"] == 1  # the visit on 30 Sep
