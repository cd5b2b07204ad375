"""Case lists (summaries, filters, no N+1), caseload per worker (one aggregate query) and the timeline."""

import datetime as dt

import pytest
from django.core.paginator import Paginator

from socius.accounts.roles import Role
from socius.casework.models import CaseEvent, CaseShare
from socius.casework.selectors import caseload_by_worker, get_case_content_for, list_cases_for
from socius.casework.services import change_case_status, open_case, reassign_cases
from socius.casework.statuses import ClosureReason
from socius.casework.tests.factories import CaseFactory
from socius.common.errors import Forbidden, NotFound
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory, TeamFactory, UserFactory


def _closed(**kwargs):
    return CaseFactory(
        status="closed", closure_reason=ClosureReason.MOVED_AWAY, closed_on=dt.date(2025, 2, 2), **kwargs
    )


def test_list_is_scoped_to_the_centre_and_filters(pl_centre, md_centre, pl_worker, pl_worker2, family_team, other_team):
    a = CaseFactory(centre=pl_centre, assigned_worker=pl_worker, team=family_team, opened_on=dt.date(2025, 1, 1))
    b = CaseFactory(centre=pl_centre, assigned_worker=pl_worker2, team=other_team, opened_on=dt.date(2025, 2, 1))
    c = _closed(centre=pl_centre, assigned_worker=pl_worker, team=family_team, opened_on=dt.date(2025, 1, 5))
    CaseFactory(centre=md_centre)

    ids = lambda rows: [r.id for r in rows]  # noqa: E731
    assert ids(list_cases_for(pl_worker)) == [b.pk, c.pk, a.pk]
    assert ids(list_cases_for(pl_worker, open_only=True)) == [b.pk, a.pk]
    assert ids(list_cases_for(pl_worker, status="closed")) == [c.pk]
    assert ids(list_cases_for(pl_worker, worker=pl_worker)) == [c.pk, a.pk]
    assert ids(list_cases_for(pl_worker, team=other_team.pk)) == [b.pk]
    assert ids(list_cases_for(pl_worker, household=a.household)) == [a.pk]
    rows = list(list_cases_for(pl_worker))
    assert [r.can_view_content for r in rows] == [False, True, True]


def test_a_persons_cases_include_those_of_their_current_household(pl_centre, pl_worker, family_team):
    person = PersonFactory(centre=pl_centre)
    household = HouseholdFactory(centre=pl_centre)
    MembershipFactory(household=household, person=person)
    own = CaseFactory(centre=pl_centre, household=None, person=person, assigned_worker=pl_worker, team=family_team)
    family = CaseFactory(centre=pl_centre, household=household, assigned_worker=pl_worker, team=family_team)
    CaseFactory(centre=pl_centre, assigned_worker=pl_worker, team=family_team)

    assert {r.id for r in list_cases_for(pl_worker, person=person)} == {own.pk, family.pk}


def test_listing_a_page_of_cases_takes_a_bounded_number_of_queries(
    pl_centre, pl_worker, pl_teamlead, family_team, django_assert_max_num_queries
):
    workers = [UserFactory(centre=pl_centre) for _ in range(5)]
    for i in range(30):
        case = CaseFactory(centre=pl_centre, assigned_worker=workers[i % 5], team=family_team)
        if i % 3 == 0:
            CaseShare.objects.create(case=case, user=pl_worker)
    actor = type(pl_teamlead).objects.get(pk=pl_teamlead.pk)  # a fresh object: nothing cached

    with django_assert_max_num_queries(4):  # the page, its households' names, the actor's teams (+ a count)
        page = Paginator(list_cases_for(actor), 25).page(1)
        rows = list(page.object_list)
        labels = [
            (r.reference, r.assigned_worker.username, r.team.name, r.household.pk, r.can_view_content) for r in rows
        ]

    assert len(labels) == 25
    assert all(r.can_view_content for r in rows)  # team leader of the team
    with django_assert_max_num_queries(3):  # the user, the page, its households' names
        rows = list(list_cases_for(type(pl_worker).objects.get(pk=pl_worker.pk))[:30])
        shared = [r.can_view_content for r in rows]
    assert sum(shared) == 10


def test_caseload_counts_open_cases_per_worker_of_the_leaders_team(
    pl_centre, pl_worker, pl_worker2, pl_teamlead, family_team, other_team, django_assert_max_num_queries
):
    outsider = UserFactory(centre=pl_centre, role=Role.SOCIAL_WORKER)
    outsider.teams.add(other_team)
    for _ in range(3):
        CaseFactory(centre=pl_centre, assigned_worker=pl_worker, team=family_team, status="active")
    CaseFactory(centre=pl_centre, assigned_worker=pl_worker, team=other_team, status="suspended")
    CaseFactory(centre=pl_centre, assigned_worker=pl_worker2, team=family_team)
    _closed(centre=pl_centre, assigned_worker=pl_worker2, team=family_team)
    CaseFactory(centre=pl_centre, assigned_worker=outsider, team=other_team)
    pl_worker.teams.add(other_team)  # in two teams: must not be counted twice
    actor = type(pl_teamlead).objects.get(pk=pl_teamlead.pk)

    with django_assert_max_num_queries(5):  # teams, workers, cases by status, visits done and planned by visitor
        rows = caseload_by_worker(actor)

    table = {r.worker.username: (r.opened, r.active, r.suspended, r.open_cases) for r in rows}
    assert table == {"pl_worker": (0, 3, 1, 4), "pl_worker2": (1, 0, 0, 1), "pl_teamlead": (0, 0, 0, 0)}


def test_the_director_sees_the_whole_centre_and_may_narrow_to_a_team(
    pl_centre, pl_director, pl_worker, family_team, other_team, md_centre, django_assert_max_num_queries
):
    CaseFactory(centre=pl_centre, assigned_worker=pl_worker, team=family_team)
    with django_assert_max_num_queries(4):  # workers, cases by status, visits done and planned by visitor
        everyone = {r.worker.username for r in caseload_by_worker(pl_director)}
    assert {"pl_worker", "pl_worker2", "pl_teamlead", "pl_director"} <= everyone
    assert "pl_finance" not in everyone
    assert {r.worker.username for r in caseload_by_worker(pl_director, team=other_team)} == set()
    with pytest.raises(NotFound):
        caseload_by_worker(pl_director, team=TeamFactory(centre=md_centre))


def test_caseload_is_for_team_leaders_and_directors(pl_worker, other_teamlead, family_team):
    with pytest.raises(Forbidden):
        caseload_by_worker(pl_worker)
    with pytest.raises(Forbidden):
        caseload_by_worker(other_teamlead, team=family_team)


def test_every_change_writes_a_case_event_in_order(pl_worker, pl_teamlead, pl_worker2, pl_household, family_team):
    case = open_case(
        pl_worker, {"household": pl_household, "circumstances": ["poverty"], "opened_on": dt.date(2025, 1, 2)}
    )
    change_case_status(pl_worker, case.pk, "active")
    reassign_cases(pl_teamlead, [case.pk], pl_worker2, reason="Holiday cover")
    change_case_status(pl_worker2, case.pk, "closed", reason=ClosureReason.GOALS_ACHIEVED)

    content = get_case_content_for(pl_worker2, case.pk)
    events = list(CaseEvent.objects.filter(case=content).select_related("actor").order_by("at", "id"))
    assert [e.kind for e in events] == ["opened", "status_changed", "reassigned", "status_changed"]
    assert [e.actor.username for e in events] == ["pl_worker", "pl_worker", "pl_teamlead", "pl_worker2"]
