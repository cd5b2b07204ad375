"""The home page's desk panel, the household timeline page, and the desk and timeline API endpoints."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from socius.accounts.models import AuditEvent
from socius.casework.models import HomeVisit
from socius.casework.tests.factories import CaseFactory
from socius.desk.tests.test_desk import populate
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory, TeamFactory


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def family_team(pl_centre, pl_worker, pl_worker2, pl_teamlead):
    team = TeamFactory(centre=pl_centre, problem_group="family", name="Family")
    team.members.add(pl_worker, pl_worker2, pl_teamlead)
    return team


@pytest.fixture
def household(pl_centre):
    household = HouseholdFactory(centre=pl_centre)
    person = PersonFactory(centre=pl_centre, first_name="Anna", last_name="Nowak")
    MembershipFactory(household=household, person=person, valid_from=dt.date(2020, 1, 1))
    return household


@pytest.fixture
def case(pl_centre, pl_worker, family_team, household):
    return CaseFactory(centre=pl_centre, household=household, assigned_worker=pl_worker, team=family_team)


def test_home_shows_the_whole_desk(client, pl_worker, case, django_assert_max_num_queries):
    populate(case, pl_worker)
    today = timezone.localdate()
    HomeVisit.objects.create(case=case, planned_on=today).visitors.add(pl_worker)
    client.force_login(pl_worker)
    client.get(reverse("web:home"))
    with django_assert_max_num_queries(24):
        response = client.get(reverse("web:home"))
    html = response.content.decode()
    assert response.status_code == 200
    for heading in ("h-this-week", "h-desk-interviews", "h-desk-actions", "h-desk-contracts", "h-desk-referrals"):
        assert f'id="{heading}"' in html
    assert 'id="h-desk-contacts"' in html and "Szkoła nr 1" in html
    assert case.reference in html


def test_home_without_casework_has_no_desk(client, pl_finance):
    client.force_login(pl_finance)
    html = client.get(reverse("web:home")).content.decode()
    assert 'id="h-desk-due"' not in html


def test_household_page_links_to_timeline(client, pl_worker, household):
    client.force_login(pl_worker)
    html = client.get(reverse("web:household_detail", args=[household.pk])).content.decode()
    assert reverse("web:household_timeline", args=[household.pk]) in html


def test_timeline_page_lists_and_filters(client, pl_worker, case, household, django_assert_max_num_queries):
    populate(case, pl_worker)
    client.force_login(pl_worker)
    url = reverse("web:household_timeline", args=[household.pk])
    # 27: the menu asks once whether the worker is authorised to approve decisions (benefits.ApproverAuthorisation);
    # payments add two (whether the reader is an authorised payment approver, and the payments); the family's
    # rows two (its events, the users they name); the services' two (the decisions, the months of their deliveries).
    # +4: two audit events' places in their centre's hash chain (decision 0020)
    with django_assert_max_num_queries(35):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Home visit" in html and "Help plan created" in html and "Contact: " in html
    html = client.get(url, {"kind": ["visit"]}).content.decode()
    assert "Home visit (" in html and "Help plan created" not in html
    assert 'value="visit" checked' in html
    assert AuditEvent.objects.filter(actor=pl_worker, object_type="case", object_id=case.pk).exists()


def test_timeline_page_other_worker_sees_only_lifecycle(client, pl_worker, pl_worker2, case, household):
    populate(case, pl_worker)
    client.force_login(pl_worker2)
    html = client.get(reverse("web:household_timeline", args=[household.pk])).content.decode()
    assert "Case opened" in html and "details restricted" in html
    assert "Home visit (" not in html and "Help plan created" not in html


def test_timeline_page_other_centre_404_and_no_capability_403(client, pl_worker, pl_admin, md_centre, household):
    client.force_login(pl_worker)
    other = HouseholdFactory(centre=md_centre)
    assert client.get(reverse("web:household_timeline", args=[other.pk])).status_code == 404
    client.force_login(pl_admin)
    if not pl_admin.can("view_cases"):
        assert client.get(reverse("web:household_timeline", args=[household.pk])).status_code == 403


def test_timeline_page_anonymous_redirects(client, household):
    response = client.get(reverse("web:household_timeline", args=[household.pk]))
    assert response.status_code == 302


def test_person_page_links_to_the_persons_timeline_which_lists_their_contacts(client, pl_worker, case, household):
    populate(case, pl_worker)
    person = household.memberships.get().person
    contact = case.household.contacts.first()
    contact.persons.set([person])
    client.force_login(pl_worker)
    detail = client.get(reverse("web:person_detail", args=[person.pk])).content.decode()
    assert reverse("web:person_timeline", args=[person.pk]) in detail

    html = client.get(reverse("web:person_timeline", args=[person.pk])).content.decode()

    assert reverse("web:contact_detail", args=[contact.pk]) in html and "Help plan created" in html
    api = APIClient()
    api.force_authenticate(pl_worker)
    body = api.get(f"/api/v1/persons/{person.pk}/timeline/", {"kind": "contact"}).json()
    assert [i["kind"] for i in body] == ["contact"]
    assert api.get(f"/api/v1/persons/{person.pk}/timeline/", {"kind": "gossip"}).status_code == 400
    assert api.get("/api/v1/persons/999999/timeline/").status_code == 404


# --- API -----------------------------------------------------------------------------------------


def test_api_household_timeline(client, pl_worker, case, household):
    populate(case, pl_worker)
    client.force_login(pl_worker)
    url = f"/api/v1/households/{household.pk}/timeline/"
    data = client.get(url).json()
    assert {item["kind"] for item in data} >= {"contact", "visit", "plan", "contract", "referral"}
    assert [i["at"] for i in data] == sorted((i["at"] for i in data), reverse=True)
    data = client.get(url, {"kind": ["referral"], "limit": 1}).json()
    assert len(data) == 1 and data[0]["kind"] == "referral" and data[0]["case_reference"] == case.reference


def test_api_household_timeline_bad_input_and_scope(client, pl_worker, md_centre, household):
    client.force_login(pl_worker)
    url = f"/api/v1/households/{household.pk}/timeline/"
    response = client.get(url, {"kind": "bogus", "limit": "0"})
    assert response.status_code == 400
    assert "kind" in response.json() and "limit" in response.json()
    other = HouseholdFactory(centre=md_centre)
    assert client.get(f"/api/v1/households/{other.pk}/timeline/").status_code == 404


def test_api_household_timeline_restricted_for_summary_reader(client, pl_worker, pl_worker2, case, household):
    populate(case, pl_worker)
    client.force_login(pl_worker2)
    data = client.get(f"/api/v1/households/{household.pk}/timeline/").json()
    case_items = [i for i in data if i["kind"] != "contact"]
    assert case_items and all(i["restricted"] and i["kind"] == "case" for i in case_items)


def test_api_desk(client, pl_worker, case):
    populate(case, pl_worker)
    client.force_login(pl_worker)
    data = client.get("/api/v1/desk/").json()
    assert set(data) == {
        "day",
        "interviews",
        "visits",
        "plan_actions",
        "contract_deadlines",
        "referrals",
        "proposals_to_approve",
        "decisions_ending",
        "family_plan_items",
        "family_assessments",
        "follow_up_tasks",
        "child_reviews",
        "recent_contacts",
    }
    assert data["referrals"] and data["referrals"][0]["case_reference"] == case.reference
    assert len(data["recent_contacts"]) == 1


def test_api_desk_refused_without_casework_and_anonymous(client, pl_finance):
    assert client.get("/api/v1/desk/").status_code in (401, 403)
    client.force_login(pl_finance)
    assert client.get("/api/v1/desk/").status_code == 403


def test_caseload_page_and_api_show_overdue_items_per_worker(client, pl_teamlead, pl_worker, case):
    populate(case, pl_worker)  # everything due around 3 March 2025: long overdue today

    client.force_login(pl_teamlead)
    html = client.get(reverse("web:caseload")).content.decode()
    body = APIClient()
    body.force_authenticate(pl_teamlead)
    rows = {r["worker"]: r for r in body.get("/api/v1/caseload/").json()}

    assert rows[pl_worker.pk]["overdue"] == {
        "visits": 2,
        "interviews": 2,
        "plan_actions": 2,
        "obligations": 1,
        "referrals": 1,
        "total": 8,
    }
    assert "Overdue" in html and "2 visits" in html and "1 contract obligation" in html
    assert '<td class="num overdue"><strong>8</strong>' in html
