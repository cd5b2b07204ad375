"""Each role's home: the director's centre figures, a team leader's team figures above their desk, finance's
flagged cases; the flags page; the caseload's totals and visit columns."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from socius.accounts.models import AuditEvent
from socius.casework.models import HomeVisit, VisitStatus
from socius.casework.statuses import CaseStatus
from socius.casework.tests.factories import CaseFactory
from socius.plans.models import CaseFlag, Consequence, FlagKind, SocialContract
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory, TeamFactory


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def team(pl_centre, pl_worker, pl_teamlead):
    team = TeamFactory(centre=pl_centre, name="Family")
    team.members.add(pl_worker, pl_teamlead)
    return team


@pytest.fixture
def case(pl_centre, pl_worker, team):
    household = HouseholdFactory(centre=pl_centre)
    MembershipFactory(household=household, person=PersonFactory(centre=pl_centre, first_name="Liwia", last_name="Kos"))
    return CaseFactory(
        centre=pl_centre, household=household, assigned_worker=pl_worker, team=team, status=CaseStatus.ACTIVE
    )


@pytest.fixture
def flag(case, pl_worker):
    today = timezone.localdate()
    contract = SocialContract.objects.create(
        case=case,
        variant="IA_IIA",
        worker=pl_worker,
        valid_from=today - dt.timedelta(days=30),
        valid_until=today + dt.timedelta(days=30),
    )
    return CaseFlag.objects.create(
        case=case,
        kind=FlagKind.CONTRACT_BREACHED,
        consequence=Consequence.SUSPEND_CASH_AID,
        contract=contract,
        raised_on=today,
    )


def test_the_director_gets_the_centres_figures_not_an_empty_desk(client, pl_director, case, flag):
    client.force_login(pl_director)
    response = client.get(reverse("web:home"))
    html = response.content.decode()
    assert 'id="h-figures"' in html and "The centre at a glance" in html
    assert response.context["figures"].open_cases == 1 and response.context["figures"].flagged_cases == 1
    assert f'href="{reverse("web:case_list")}?status=active&amp;worker=&amp;team="' in html
    assert reverse("web:case_flags") in html and reverse("web:caseload") in html
    assert 'id="h-desk-due"' not in html  # nothing due on the director's own cases: no empty desk


def test_a_team_leader_gets_their_teams_figures_and_their_desk(client, pl_teamlead, case):
    client.force_login(pl_teamlead)
    html = client.get(reverse("web:home")).content.decode()
    assert "Your teams at a glance" in html and 'id="h-desk-due"' in html


def test_a_worker_gets_no_figures(client, pl_worker, case):
    client.force_login(pl_worker)
    response = client.get(reverse("web:home"))
    assert response.context["figures"] is None and 'id="h-figures"' not in response.content.decode()


def test_finance_home_lists_the_flagged_cases_as_a_summary(client, pl_finance, case, flag):
    client.force_login(pl_finance)
    html = client.get(reverse("web:home")).content.decode()
    row = html[html.index(f'id="flag-{flag.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "<bdi>Liwia Kos (household)</bdi>" in row and case.reference in row
    assert "Suspend cash aid" in row and "Social contract breached" in row
    assert 'id="h-desk-due"' not in html and 'id="h-figures"' not in html
    assert AuditEvent.objects.filter(action="view", object_type="case_flag", object_id=flag.pk).count() == 1


def test_finance_home_without_flags_says_so(client, pl_finance, case):
    client.force_login(pl_finance)
    assert "No case is flagged for benefits." in client.get(reverse("web:home")).content.decode()


def test_the_flags_page_is_for_case_readers_and_finance_keeps_no_caseload(client, pl_finance, flag):
    client.force_login(pl_finance)
    response = client.get(reverse("web:case_flags"))
    assert response.status_code == 200 and f'id="flag-{flag.pk}"' in response.content.decode()
    assert client.get(reverse("web:caseload")).status_code == 403  # workload balancing is not finance's
    client.logout()
    assert client.get(reverse("web:case_flags")).status_code == 302


def test_caseload_totals_every_column_and_splits_visits_done_and_planned(
    client, pl_centre, pl_director, pl_worker, pl_worker2, team, case
):
    today = timezone.localdate()
    done = HomeVisit.objects.create(case=case, planned_on=today, status=VisitStatus.DONE, done_on=today)
    done.visitors.add(pl_worker, pl_worker2)
    month_end = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    HomeVisit.objects.create(case=case, planned_on=month_end).visitors.add(pl_worker)
    CaseFactory(centre=pl_centre, assigned_worker=pl_worker2, team=team)  # opened
    client.force_login(pl_director)
    response = client.get(reverse("web:caseload"))
    totals = response.context["totals"]
    assert totals == {
        "opened": 1,
        "active": 1,
        "suspended": 0,
        "open_cases": 2,
        "visits_this_month": 2,  # one visit, two workers: counted for each
        "visits_planned_this_month": 1,
    }
    rows = {r.worker: r for r in response.context["rows"]}
    assert (rows[pl_worker].visits_this_month, rows[pl_worker].visits_planned_this_month) == (1, 1)
    html = response.content.decode()
    assert "Visits done this month" in html and "Visits still planned this month" in html
    foot = html[html.index("<tfoot>") : html.index("</tfoot>")]
    assert foot.count('<td class="num">') == 7 and "<td></td>" not in foot  # every column, overdue included
