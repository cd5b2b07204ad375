"""Case page: home visits (plan, record as done with the next one, cancel) and social work; the home page's
"This week" panel."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from socius.casework.models import CaseEvent, CaseEventKind, HomeVisit, SocialWorkActivity, VisitStatus
from socius.casework.services import plan_visit
from socius.casework.tests.factories import CaseFactory
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory, TeamFactory

OPEN_ALL = {"open": "all"}  # the case page with every section drawn (they load lazily otherwise)


@pytest.fixture
def family_team(pl_centre, pl_worker, pl_worker2, pl_teamlead):
    team = TeamFactory(centre=pl_centre, problem_group="family", name="Family")
    team.members.add(pl_worker, pl_worker2, pl_teamlead)
    return team


@pytest.fixture
def member(pl_centre):
    return PersonFactory(centre=pl_centre, first_name="Ewa", last_name="Kowalska")


@pytest.fixture
def case(pl_centre, pl_worker, family_team, member):
    household = HouseholdFactory(centre=pl_centre, street_address="ul. Lipowa 7")
    MembershipFactory(household=household, person=member, valid_from=dt.date(2020, 1, 1))
    return CaseFactory(centre=pl_centre, household=household, assigned_worker=pl_worker, team=family_team)


def login(client, user):
    client.force_login(user)
    return client


def test_case_page_shows_both_sections_and_forms(client, pl_worker, case):
    response = login(client, pl_worker).get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="h-visits"' in html and 'id="h-social-work"' in html
    assert reverse("web:case_visit_plan", args=[case.pk]) in html
    assert reverse("web:case_activity_record", args=[case.pk]) in html
    assert "Ewa" in html  # a participant to tick


def test_plan_record_done_with_next_visit(client, pl_worker, case):
    login(client, pl_worker)
    response = client.post(
        reverse("web:case_visit_plan", args=[case.pk]), {"planned_on": "2025-03-03", "purpose": "First look"}
    )
    assert response.status_code == 302
    visit = HomeVisit.objects.get(case=case)
    assert visit.place.startswith("ul. Lipowa 7") and list(visit.visitors.all()) == [pl_worker]
    page = client.get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL).content.decode()
    assert reverse("web:case_visit_done", args=[visit.pk]) in page

    response = client.post(
        reverse("web:case_visit_done", args=[visit.pk]),
        {"done_on": "2025-03-03", "outcome": "Cold flat", "next_visit_on": "2025-04-01"},
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE and visit.next_visit.planned_on == dt.date(2025, 4, 1)
    kinds = list(CaseEvent.objects.filter(case=case).order_by("id").values_list("kind", flat=True))
    assert kinds[-3:] == [CaseEventKind.VISIT_PLANNED, CaseEventKind.VISIT_DONE, CaseEventKind.VISIT_PLANNED]


def test_done_without_outcome_is_a_field_error(client, pl_worker, case):
    visit = plan_visit(pl_worker, case.pk, {"planned_on": dt.date(2025, 3, 3)})
    response = login(client, pl_worker).post(
        reverse("web:case_visit_done", args=[visit.pk]), {"done_on": "2025-03-03", "outcome": ""}
    )
    assert response.status_code == 400
    assert f'id="done{visit.pk}_outcome-errors"' in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED


def test_plan_with_bad_date_is_400_and_writes_nothing(client, pl_worker, case):
    response = login(client, pl_worker).post(reverse("web:case_visit_plan", args=[case.pk]), {"planned_on": "x"})
    assert response.status_code == 400
    assert not HomeVisit.objects.exists()


def test_cancel_then_done_again_is_409(client, pl_worker, case):
    visit = plan_visit(pl_worker, case.pk, {"planned_on": dt.date(2025, 3, 3)})
    login(client, pl_worker)
    assert client.post(reverse("web:case_visit_cancel", args=[visit.pk]), {"reason": "Away"}).status_code == 302
    response = client.post(reverse("web:case_visit_cancel", args=[visit.pk]), {})
    assert response.status_code == 409
    response = client.post(reverse("web:case_visit_done", args=[visit.pk]), {"done_on": "2025-03-03", "outcome": "x"})
    assert response.status_code == 409
    visit.refresh_from_db()
    assert (visit.status, visit.cancel_reason) == ("cancelled", "Away")


def test_other_worker_gets_403_other_centre_404(client, pl_worker2, md_worker, case, pl_worker):
    visit = plan_visit(pl_worker, case.pk, {"planned_on": dt.date(2025, 3, 3)})
    login(client, pl_worker2)
    page = client.get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL).content.decode()
    assert 'id="h-visits"' not in page
    assert client.post(reverse("web:case_visit_plan", args=[case.pk]), {"planned_on": "2025-03-03"}).status_code == 403
    assert client.post(reverse("web:case_activity_record", args=[case.pk]), {}).status_code == 403
    login(client, md_worker)
    assert client.post(reverse("web:case_visit_plan", args=[case.pk]), {"planned_on": "2025-03-03"}).status_code == 404
    assert client.post(reverse("web:case_visit_cancel", args=[visit.pk]), {}).status_code == 404
    assert HomeVisit.objects.count() == 1


def test_finance_officer_cannot_post(client, pl_finance, case):
    assert login(client, pl_finance).post(reverse("web:case_visit_plan", args=[case.pk]), {}).status_code == 403


def test_get_is_refused(client, pl_worker, case):
    assert login(client, pl_worker).get(reverse("web:case_visit_plan", args=[case.pk])).status_code == 405


def test_record_activity(client, pl_worker, case, member):
    response = login(client, pl_worker).post(
        reverse("web:case_activity_record", args=[case.pk]),
        {
            "type": "counselling",
            "performed_on": "2025-03-04",
            "duration_minutes": "30",
            "participants": [member.pk],
            "notes": "Debts",
        },
    )
    assert response.status_code == 302
    activity = SocialWorkActivity.objects.get()
    assert (activity.type, activity.duration_minutes, activity.performed_by) == ("counselling", 30, pl_worker)
    assert list(activity.participants.all()) == [member]
    page = client.get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL).content.decode()
    assert "Counselling" in page and "Debts" in page


@pytest.mark.parametrize("minutes", ["0", "601", ""])
def test_activity_duration_out_of_bounds_is_400(client, pl_worker, case, minutes):
    response = login(client, pl_worker).post(
        reverse("web:case_activity_record", args=[case.pk]),
        {"type": "counselling", "performed_on": "2025-03-04", "duration_minutes": minutes},
    )
    assert response.status_code == 400
    assert 'id="activity_duration_minutes-errors"' in response.content.decode()
    assert not SocialWorkActivity.objects.exists()


def test_closed_case_offers_no_forms_and_refuses_with_409(client, pl_worker, case):
    case.status, case.closure_reason, case.closed_on = "closed", "other", dt.date(2025, 2, 1)
    case.save()
    login(client, pl_worker)
    page = client.get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL).content.decode()
    assert reverse("web:case_visit_plan", args=[case.pk]) not in page
    response = client.post(reverse("web:case_visit_plan", args=[case.pk]), {"planned_on": "2025-03-03"})
    assert response.status_code == 409
    assert not HomeVisit.objects.exists()


def test_home_page_this_week_panel(client, pl_worker, case, pl_finance):
    today = timezone.localdate()
    overdue = plan_visit(pl_worker, case.pk, {"planned_on": today - dt.timedelta(days=10)})
    soon = plan_visit(pl_worker, case.pk, {"planned_on": today})
    later = plan_visit(pl_worker, case.pk, {"planned_on": today + dt.timedelta(days=8)})
    html = login(client, pl_worker).get(reverse("web:home")).content.decode()
    assert 'id="h-this-week"' in html
    assert f"#visit-{overdue.pk}" in html and f"#visit-{soon.pk}" in html
    assert f"#visit-{later.pk}" not in html
    html = login(client, pl_finance).get(reverse("web:home")).content.decode()
    assert 'id="h-this-week"' not in html


def test_timeline_describes_visits_and_social_work(client, pl_worker, case):
    from socius.casework.services import record_activity

    plan_visit(pl_worker, case.pk, {"planned_on": dt.date(2025, 3, 3)})
    record_activity(
        pl_worker, case.pk, {"type": "advocacy", "performed_on": dt.date(2025, 3, 4), "duration_minutes": 25}
    )
    html = login(client, pl_worker).get(reverse("web:case_detail", args=[case.pk]), OPEN_ALL).content.decode()
    assert "Home visit planned" in html and "Social work recorded" in html
    assert "Advocacy, " in html and "25 min" in html


def test_caseload_page_shows_visits_this_month(client, pl_worker, pl_teamlead, case):
    from socius.casework.services import record_visit_done

    visit = plan_visit(pl_worker, case.pk, {"planned_on": timezone.localdate()})
    record_visit_done(pl_worker, visit.pk, {"outcome": "ok"})
    html = login(client, pl_teamlead).get(reverse("web:caseload")).content.decode()
    assert "Visits done this month" in html
