"""The change trail on the auditor's audit page (docs/decisions/0008): who/what/when/before→after, filtered
by person, kind of record and record, paged, audited as a read naming the persons it showed; on SQLite the
page says that the trail needs PostgreSQL.

The entries here are written by hand on SQLite (which has no triggers), as the triggers would write them,
so that the page's filters and wording are tested in both passes; the triggers themselves are tested on
PostgreSQL (casework/tests/test_change_trail_postgres.py and test_change_trail_records_postgres.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from socius.accounts.models import AuditAction, AuditEvent, AuditEventPerson, ChangeTrailEntry
from socius.casework.models import HomeVisit
from socius.casework.tests.factories import CaseFactory
from socius.plans.models import Goal, HelpPlan
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory

URL = reverse("web:audit_trail")

sqlite_only = pytest.mark.skipif(
    connection.vendor == "postgresql", reason="entries written by hand; PostgreSQL writes its own by trigger"
)


@pytest.fixture
def recorded(monkeypatch):
    """The page as on PostgreSQL: it reads the trail (written here by hand)."""
    monkeypatch.setattr("socius.accounts.trail.trail_is_recorded", lambda: True)


def entry(table: str, row_id: int, operation: str, old=None, new=None, *, centre, actor=None, **extra):
    return ChangeTrailEntry.objects.create(
        at=extra.pop("at", timezone.now()),
        table_name=table,
        row_id=row_id,
        operation=operation,
        old_row=old,
        new_row=new,
        centre_id=centre.pk,
        actor=actor,
        db_user="socius",
        transaction_id=1,
    )


@pytest.fixture
def family(pl_centre):
    """Anna, a member of a household with a case that has a visit and a plan with a goal; and a stranger."""
    household = HouseholdFactory(centre=pl_centre)
    anna = PersonFactory(centre=pl_centre, first_name="Anna", last_name="Nowak")
    membership = MembershipFactory(household=household, person=anna)
    case = CaseFactory(centre=pl_centre, household=household)
    visit = HomeVisit.objects.create(case=case, planned_on=timezone.localdate())
    plan = HelpPlan.objects.create(case=case, title="Plan", valid_from=timezone.localdate())
    goal = Goal.objects.create(plan=plan, description="Work", order=1)
    stranger = PersonFactory(centre=pl_centre, first_name="Zofia", last_name="Obca")
    return {
        "anna": anna,
        "membership": membership,
        "household": household,
        "case": case,
        "visit": visit,
        "plan": plan,
        "goal": goal,
        "stranger": stranger,
    }


def test_a_worker_may_not_read_the_trail(client, pl_worker):
    client.force_login(pl_worker)

    assert client.get(URL).status_code == 403


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite only")
def test_on_sqlite_the_page_says_plainly_that_the_trail_needs_postgresql(client, pl_auditor):
    client.force_login(pl_auditor)

    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="trail-needs-postgresql"' in html
    assert "The change trail needs PostgreSQL" in html
    assert response.context["page"] is None
    assert not AuditEvent.objects.exists()


def test_the_audit_log_and_the_trail_link_each_other_as_tabs(client, pl_auditor):
    client.force_login(pl_auditor)

    log = client.get(reverse("web:audit")).content.decode()
    trail = client.get(URL).content.decode()

    assert f'href="{URL}"' in log and 'aria-current="page">Events<' in log
    assert f'href="{reverse("web:audit")}"' in trail and 'aria-current="page">Change trail<' in trail


@sqlite_only
def test_an_update_shows_who_when_what_and_each_value_before_and_after(client, pl_auditor, pl_worker, recorded):
    person = PersonFactory(centre=pl_auditor.centre, first_name="Hanna", last_name="Nowak")
    entry("registry_person", person.pk, "UPDATE", {"id": person.pk, "first_name": "Anna", "last_name": "Nowak"},
          {"id": person.pk, "first_name": "Hanna", "last_name": "Nowak"}, centre=pl_auditor.centre, actor=pl_worker)  # fmt: skip
    client.force_login(pl_auditor)

    response = client.get(URL)

    assert response.status_code == 200
    (shown,) = response.context["page"].object_list
    assert shown.change_rows == [("given names", "Anna", "Hanna")]
    assert (shown.record_label, shown.record_url) == ("Person", reverse("web:person_detail", args=[person.pk]))
    html = response.content.decode()
    assert pl_worker.get_full_name() in html and "database role socius" in html
    assert "Updated" in html
    view = AuditEvent.objects.get(action=AuditAction.VIEW, object_type="change_trail")
    assert (view.actor_id, view.person_id, view.changes) == (pl_auditor.pk, person.pk, {})


@sqlite_only
def test_an_insert_shows_its_values_and_a_delete_the_row_as_it_was_without_a_link(client, pl_auditor, recorded):
    person = PersonFactory(centre=pl_auditor.centre)
    entry("registry_person", person.pk, "INSERT", None, {"id": person.pk, "first_name": "Anna"},
          centre=pl_auditor.centre, at=timezone.now() - timezone.timedelta(hours=1))  # fmt: skip
    entry("registry_person", 999, "DELETE", {"id": 999, "first_name": "Ewa"}, None, centre=pl_auditor.centre)
    client.force_login(pl_auditor)

    deleted, inserted = client.get(URL).context["page"].object_list

    assert inserted.change_rows == [("given names", "—", "Anna")] and inserted.record_url is not None
    assert deleted.change_rows == [("given names", "Ewa", "—")] and deleted.record_url is None
    assert "outside the application" in client.get(URL).content.decode()  # no app user: the shell, a migration


@sqlite_only
def test_another_centres_trail_is_not_shown(client, pl_auditor, md_centre, recorded):
    entry("registry_person", 5, "INSERT", None, {"id": 5, "first_name": "Ion"}, centre=md_centre)
    client.force_login(pl_auditor)

    response = client.get(URL)

    assert response.context["page"].paginator.count == 0
    assert "No changes found." in response.content.decode()
    assert not AuditEvent.objects.exists()  # nothing shown, nothing to audit


@sqlite_only
def test_filter_by_kind_of_record_and_by_record(client, pl_auditor, family, recorded):
    c, f = pl_auditor.centre, family
    entry("registry_person", f["anna"].pk, "UPDATE", {"phone": ""}, {"phone": "600"}, centre=c)
    entry("casework_homevisit", f["visit"].pk, "UPDATE", {"case_id": f["case"].pk, "notes": ""},
          {"case_id": f["case"].pk, "notes": "Seen"}, centre=c)  # fmt: skip
    entry("casework_homevisit", 77, "DELETE", {"case_id": f["case"].pk, "notes": "x"}, None, centre=c)
    client.force_login(pl_auditor)

    by_kind = client.get(URL, {"record_type": "home_visit"}).context["page"].object_list
    by_record = client.get(URL, {"record_type": "home_visit", "record_id": f["visit"].pk}).context["page"].object_list

    assert sorted(e.row_id for e in by_kind) == sorted([f["visit"].pk, 77])
    assert [e.row_id for e in by_record] == [f["visit"].pk]
    assert by_record[0].change_rows == [("notes", "—", "Seen")]
    event = AuditEvent.objects.filter(object_type="change_trail").latest("id")
    assert event.changes == {"filters": [None, {"record_type": "home_visit", "record_id": f["visit"].pk}]}
    # The visit belongs to the household's case: the read names the household's member.
    assert event.person_id == f["anna"].pk


@sqlite_only
def test_a_record_number_without_its_kind_is_refused_beside_the_field_and_nothing_is_read(client, pl_auditor, recorded):
    entry("registry_person", 5, "INSERT", None, {"id": 5}, centre=pl_auditor.centre)
    client.force_login(pl_auditor)

    response = client.get(URL, {"record_id": "5"})

    assert response.status_code == 200
    assert response.context["page"] is None
    assert "Choose the kind of record." in response.content.decode()
    assert not AuditEvent.objects.exists()


@sqlite_only
@pytest.mark.parametrize("bad", ["0", "-3", "x", str(2**63)])
def test_a_bad_record_number_is_refused_not_a_crash(client, pl_auditor, recorded, bad):
    client.force_login(pl_auditor)

    response = client.get(URL, {"record_type": "person", "record_id": bad})

    assert response.status_code == 200
    assert response.context["form"].errors["record_id"]
    assert response.context["page"] is None


@sqlite_only
def test_filter_by_person_finds_their_row_their_household_their_cases_and_the_cases_records(
    client, pl_auditor, family, recorded
):
    c, f = pl_auditor.centre, family
    case_row = {"household_id": f["household"].pk, "person_id": None}
    expected = [
        entry("registry_person", f["anna"].pk, "UPDATE", {"phone": ""}, {"phone": "600"}, centre=c),
        entry("registry_membership", f["membership"].pk, "INSERT", None, {"person_id": f["anna"].pk}, centre=c),
        entry("registry_household", f["household"].pk, "UPDATE", {"flat": "1"}, {"flat": "2"}, centre=c),
        entry(
            "casework_case",
            f["case"].pk,
            "UPDATE",
            {**case_row, "status": "opened"},
            {**case_row, "status": "active"},
            centre=c,
        ),
        entry(
            "casework_homevisit",
            f["visit"].pk,
            "UPDATE",
            {"case_id": f["case"].pk, "notes": ""},
            {"case_id": f["case"].pk, "notes": "Seen"},
            centre=c,
        ),
        entry(
            "plans_goal",
            f["goal"].pk,
            "UPDATE",
            {"plan_id": f["plan"].pk, "order": 1},
            {"plan_id": f["plan"].pk, "order": 2},
            centre=c,
        ),
        # A visit deleted since: found by the case its row kept.
        entry("casework_homevisit", 9999, "DELETE", {"case_id": f["case"].pk}, None, centre=c),
    ]
    other = entry("registry_person", f["stranger"].pk, "UPDATE", {"phone": ""}, {"phone": "700"}, centre=c)
    client.force_login(pl_auditor)

    response = client.get(URL, {"person": f["anna"].pk})

    shown = response.context["page"].object_list
    assert sorted(e.pk for e in shown) == sorted(e.pk for e in expected)
    assert other.pk not in [e.pk for e in shown]
    html = response.content.decode()
    assert f["anna"].full_name in html  # the chosen person, as a chip
    event = AuditEvent.objects.get(object_type="change_trail")
    assert event.changes == {"filters": [None, {"person_id": f["anna"].pk}]}
    named = {event.person_id, *AuditEventPerson.objects.filter(event=event).values_list("person_id", flat=True)}
    assert named == {f["anna"].pk}


@sqlite_only
def test_a_person_of_another_centre_is_refused_as_a_filter(client, pl_auditor, md_centre, recorded):
    foreign = PersonFactory(centre=md_centre)
    client.force_login(pl_auditor)

    response = client.get(URL, {"person": foreign.pk})

    assert response.context["page"] is None
    assert "No such person." in response.content.decode()


@sqlite_only
def test_the_trail_is_paged_and_each_page_is_audited_once(client, pl_auditor, recorded):
    person = PersonFactory(centre=pl_auditor.centre)
    for n in range(51):
        entry(
            "registry_person", person.pk, "UPDATE", {"phone": str(n)}, {"phone": str(n + 1)}, centre=pl_auditor.centre
        )
    client.force_login(pl_auditor)

    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 1
    assert first.context["page"].paginator.count == 51
    assert AuditEvent.objects.filter(object_type="change_trail", person_id=person.pk).count() == 2


@sqlite_only
def test_the_api_trail_of_a_case_record_names_the_cases_persons(pl_auditor, family, recorded):
    from rest_framework.test import APIClient

    f = family
    entry("casework_homevisit", f["visit"].pk, "UPDATE", {"case_id": f["case"].pk, "notes": ""},
          {"case_id": f["case"].pk, "notes": "Seen"}, centre=pl_auditor.centre)  # fmt: skip
    api = APIClient()
    api.force_authenticate(pl_auditor)

    response = api.get("/api/v1/audit/trail/", {"record_type": "home_visit", "record_id": f["visit"].pk})

    assert response.status_code == 200 and response.json()["count"] == 1
    view = AuditEvent.objects.get(action=AuditAction.VIEW)
    assert (view.object_type, view.object_id, view.person_id) == ("home_visit", f["visit"].pk, f["anna"].pk)
