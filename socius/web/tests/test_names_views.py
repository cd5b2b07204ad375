"""Casework that names people: the desk, the case list, person and household pages, the contact form,
and user text isolated from the text around it (<bdi>)."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from socius.accounts.models import AuditEvent
from socius.casework.models import HomeVisit
from socius.casework.statuses import CaseStatus
from socius.casework.tests.factories import CaseFactory
from socius.registry.models import Relationship
from socius.registry.selectors import attach_household_heads
from socius.testing.factories import (
    HouseholdFactory,
    MembershipFactory,
    PersonFactory,
    TeamFactory,
    TerritoryFactory,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def team(pl_centre, pl_worker, pl_worker2):
    team = TeamFactory(centre=pl_centre, name="Family")
    team.members.add(pl_worker, pl_worker2)
    return team


@pytest.fixture
def household(pl_centre):
    household = HouseholdFactory(centre=pl_centre, street_address="ul. Polna 3")
    child = PersonFactory(centre=pl_centre, first_name="Jan", last_name="Wiśniewski")
    head = PersonFactory(centre=pl_centre, first_name="Liwia", last_name="Janiszewska")
    # The child joined first: the head still names the household.
    MembershipFactory(
        household=household, person=child, relationship=Relationship.CHILD, valid_from=dt.date(2019, 1, 1)
    )
    MembershipFactory(household=household, person=head, relationship=Relationship.HEAD, valid_from=dt.date(2020, 1, 1))
    household.head = head
    return household


@pytest.fixture
def case(pl_centre, pl_worker, team, household):
    return CaseFactory(centre=pl_centre, household=household, assigned_worker=pl_worker, team=team)


# --- who names a household ---------------------------------------------------------------------------


def test_a_household_is_named_by_its_head_else_its_longest_standing_member(pl_centre, household):
    headless = HouseholdFactory(centre=pl_centre)
    first = PersonFactory(centre=pl_centre, first_name="Ewa", last_name="Nowak")
    MembershipFactory(
        household=headless, person=first, relationship=Relationship.SPOUSE, valid_from=dt.date(2018, 1, 1)
    )
    MembershipFactory(
        household=headless,
        person=PersonFactory(centre=pl_centre),
        relationship=Relationship.CHILD,
        valid_from=dt.date(2021, 1, 1),
    )
    empty = HouseholdFactory(centre=pl_centre)
    attach_household_heads([household, headless, empty, None])
    assert household.display_name == "Liwia Janiszewska (household)"
    assert headless.display_name == "Ewa Nowak (household)"
    assert empty.head_member is None and empty.display_name == f"Household {empty.pk}"


def test_a_former_member_no_longer_names_the_household(pl_centre):
    household = HouseholdFactory(centre=pl_centre)
    MembershipFactory(
        household=household,
        person=PersonFactory(centre=pl_centre, first_name="Old", last_name="Head"),
        valid_from=dt.date(2010, 1, 1),
        valid_until=dt.date(2020, 1, 1),
    )
    attach_household_heads([household])
    assert household.head_member is None


# --- the desk and the case list ----------------------------------------------------------------------


def test_desk_rows_name_the_family_not_the_worker(client, pl_worker, case, household):
    visit = HomeVisit.objects.create(case=case, planned_on=timezone.localdate(), place="Rękoraj 31")
    visit.visitors.add(pl_worker)
    pl_worker.first_name, pl_worker.last_name = "Katarzyna", "Wójcik"
    pl_worker.save()
    client.force_login(pl_worker)
    html = client.get(reverse("web:home")).content.decode()
    row = html[html.index('class="desk-visit') :]
    row = row[: row.index("</li>")]
    assert "<bdi>Liwia Janiszewska (household)</bdi>" in row
    assert case.reference in row
    assert "Katarzyna" not in row  # the worker's own name is not repeated on their own desk


def test_desk_row_names_other_visitors(client, pl_worker, pl_worker2, case):
    visit = HomeVisit.objects.create(case=case, planned_on=timezone.localdate())
    visit.visitors.add(pl_worker, pl_worker2)
    pl_worker2.first_name, pl_worker2.last_name = "Zofia", "Kruk"
    pl_worker2.save()
    client.force_login(pl_worker)
    html = client.get(reverse("web:home")).content.decode()
    assert "with <bdi>Zofia Kruk</bdi>" in html


def test_api_desk_names_the_client(client, pl_worker, case):
    HomeVisit.objects.create(case=case, planned_on=timezone.localdate()).visitors.add(pl_worker)
    client.force_login(pl_worker)
    visits = client.get("/api/v1/desk/").json()["visits"]
    assert visits == [
        {
            "case_id": case.pk,
            "case_reference": case.reference,
            "client_name": "Liwia Janiszewska (household)",
            "due_on": timezone.localdate().isoformat(),
            "overdue": False,
            "title": "",
        }
    ]


def test_case_list_names_households_and_persons(client, pl_centre, pl_worker, team, case):
    alone = PersonFactory(centre=pl_centre, first_name="Marek", last_name="Sowa")
    CaseFactory(centre=pl_centre, household=None, person=alone, assigned_worker=pl_worker, team=team)
    client.force_login(pl_worker)
    html = client.get(reverse("web:case_list")).content.decode()
    assert "<bdi>Liwia Janiszewska (household)</bdi>" in html
    assert "<bdi>Marek Sowa</bdi>" in html


def test_case_list_names_a_page_of_households_in_a_fixed_number_of_queries(
    client, pl_centre, pl_worker, team, django_assert_max_num_queries
):
    def add_cases(n):
        for _ in range(n):
            household = HouseholdFactory(centre=pl_centre)
            MembershipFactory(household=household, person=PersonFactory(centre=pl_centre))
            CaseFactory(centre=pl_centre, household=household, assigned_worker=pl_worker, team=team)

    client.force_login(pl_worker)
    add_cases(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("web:case_list"))
    add_cases(8)
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("web:case_list"))


# --- person and household pages list their cases -------------------------------------------------------


def test_person_and_household_pages_list_their_cases_open_first(client, pl_centre, pl_worker, team, household):
    head = household.head
    closed = CaseFactory(
        centre=pl_centre,
        household=household,
        assigned_worker=pl_worker,
        team=team,
        status=CaseStatus.CLOSED,
        opened_on=dt.date(2025, 6, 1),
        closed_on=dt.date(2025, 7, 1),
        closure_reason="goals_met",
    )
    active = CaseFactory(
        centre=pl_centre,
        household=household,
        assigned_worker=pl_worker,
        team=team,
        status=CaseStatus.ACTIVE,
        opened_on=dt.date(2024, 1, 1),
    )
    own = CaseFactory(
        centre=pl_centre,
        household=None,
        person=head,
        assigned_worker=pl_worker,
        team=team,
        opened_on=dt.date(2023, 1, 1),
    )
    client.force_login(pl_worker)
    person_page = client.get(reverse("web:person_detail", args=[head.pk]))
    household_page = client.get(reverse("web:household_detail", args=[household.pk]))
    assert [c.id for c in person_page.context["cases"]] == [active.pk, own.pk, closed.pk]
    assert [c.id for c in household_page.context["cases"]] == [active.pk, closed.pk]
    html = household_page.content.decode()
    assert 'id="h-cases"' in html and reverse("web:case_detail", args=[active.pk]) in html
    assert "<h1><bdi>Liwia Janiszewska (household)</bdi>" in html
    assert "<bdi>Liwia Janiszewska (household)</bdi></a>" in person_page.content.decode()


def test_person_page_marks_cases_seen_as_a_summary_and_hides_them_from_those_without_casework(
    client, pl_worker2, pl_auditor, case, household
):
    client.force_login(pl_worker2)  # not the holder: the summary only
    html = client.get(reverse("web:person_detail", args=[household.head.pk])).content.decode()
    assert case.reference in html and "summary only" in html
    client.force_login(pl_auditor)
    response = client.get(reverse("web:person_detail", args=[household.head.pk]))
    if not pl_auditor.can("view_cases"):
        assert response.context["cases"] is None and 'id="h-cases"' not in response.content.decode()


def test_person_page_still_audits_its_view(client, pl_worker, household):
    client.force_login(pl_worker)
    client.get(reverse("web:person_detail", args=[household.head.pk]))
    assert AuditEvent.objects.filter(action="view", object_type="person", person_id=household.head.pk).count() == 1


# --- registering a household from a person's page -------------------------------------------------------


def test_register_household_from_a_persons_page_starts_with_them_and_their_address(client, pl_centre, pl_worker):
    place = TerritoryFactory(name="Rękoraj")
    person = PersonFactory(centre=pl_centre, territory=place, street_address="Rękoraj 31")
    client.force_login(pl_worker)
    detail = client.get(reverse("web:person_detail", args=[person.pk])).content.decode()
    link = f"{reverse('web:household_create')}?head={person.pk}"
    assert link in detail
    response = client.get(link)
    form = response.context["form"]
    assert form.initial == {"territory": place.pk, "street_address": "Rękoraj 31"}
    assert [(r.person_id, r.relationship) for r in response.context["rows"]] == [(person.pk, Relationship.HEAD)]
    assert 'value="Rękoraj 31"' in response.content.decode()


def test_register_household_for_an_unknown_head_starts_blank(client, pl_worker):
    client.force_login(pl_worker)
    response = client.get(reverse("web:household_create"), {"head": 999999})
    assert response.status_code == 200 and response.context["rows"] == []
    assert response.context["form"].initial == {}


# --- the contact form links the household of a person found by search ---------------------------------


def test_adding_a_found_person_links_their_household_and_stops_offering_them(client, pl_worker, household):
    head = household.head
    client.force_login(pl_worker)
    url = reverse("web:casework_person_search")
    html = client.get(url, {"add": head.pk, "household": ""}).content.decode()
    assert f'name="persons" value="{head.pk}"' in html
    assert 'id="contact-household" hx-swap-oob="true"' in html
    assert f'name="household" value="{household.pk}" id="id_household"' in html
    assert "<bdi>Liwia Janiszewska (household)</bdi>" in html
    assert f'<span class="badge" id="pick-add-{head.pk}" hx-swap-oob="outerHTML">already in the list</span>' in html
    results = client.get(url, {"q": "Janiszewska", "persons": head.pk}).content.decode()
    assert f'"add": "{head.pk}"' not in results and "already in the list" in results


def test_adding_a_second_person_keeps_the_household_already_linked(client, pl_centre, pl_worker, household):
    other = PersonFactory(centre=pl_centre)
    MembershipFactory(household=HouseholdFactory(centre=pl_centre), person=other)
    client.force_login(pl_worker)
    html = client.get(
        reverse("web:casework_person_search"), {"add": other.pk, "household": household.pk}
    ).content.decode()
    assert f'name="persons" value="{other.pk}"' in html and "contact-household" not in html


def test_adding_a_person_without_a_household_links_none(client, pl_centre, pl_worker):
    loner = PersonFactory(centre=pl_centre)
    client.force_login(pl_worker)
    html = client.get(reverse("web:casework_person_search"), {"add": loner.pk}).content.decode()
    assert f'name="persons" value="{loner.pk}"' in html and "contact-household" not in html


def test_contact_recorded_with_the_linked_household_belongs_to_it(client, pl_worker, household):
    from socius.casework.models import Contact

    client.force_login(pl_worker)
    now = timezone.localtime() - dt.timedelta(minutes=5)
    data = {
        "occurred_at": now.strftime("%Y-%m-%dT%H:%M"),
        "channel": "office",
        "topics": ["housing"],
        "persons": [household.head.pk],
        "household": household.pk,
    }
    assert client.post(reverse("web:contact_create"), data).status_code == 302
    contact = Contact.objects.get()
    assert contact.household_id == household.pk and [p.pk for p in contact.persons.all()] == [household.head.pk]


# --- user text isolated when rendered --------------------------------------------------------------------


def test_bdi_filter_escapes_and_isolates():
    rendered = Template("{% load socius_text %}{{ a|bdi }}|{{ b|bdi }}|{{ c|bdi }}").render(
        Context({"a": "Anna\u202eowak", "b": "<b>x</b>", "c": ""})
    )
    assert rendered == "<bdi>Anna\u202eowak</bdi>|<bdi>&lt;b&gt;x&lt;/b&gt;</bdi>|"


def test_a_right_to_left_override_in_a_name_stays_inside_its_bdi(client, pl_centre, pl_worker, team):
    household = HouseholdFactory(centre=pl_centre)
    person = PersonFactory.build(centre=pl_centre, first_name="Anna\u202e", last_name="owak")
    person.save()
    MembershipFactory(household=household, person=person)
    CaseFactory(centre=pl_centre, household=household, assigned_worker=pl_worker, team=team)
    client.force_login(pl_worker)
    pages = [
        client.get(reverse("web:person_detail", args=[person.pk])),
        client.get(reverse("web:household_detail", args=[household.pk])),
        client.get(reverse("web:case_list")),
        client.get(reverse("web:casework_person_search"), {"q": "owak"}),
    ]
    for response in pages:
        html = response.content.decode()
        assert "\u202e" in html
        for at in [i for i, ch in enumerate(html) if ch == "\u202e"]:
            if html.rfind("<title>", 0, at) > html.rfind("</title>", 0, at):  # plain text: FSI … PDI
                assert html.rfind("\u2068", 0, at) > html.rfind("<title>", 0, at) and "\u2069" in html[at:]
                continue
            before = html.rfind("<bdi>", 0, at)
            assert before != -1 and html.find("</bdi>", before) > at, html[max(0, at - 80) : at + 40]
