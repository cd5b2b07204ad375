"""The change trail (docs/decisions/0008): PostgreSQL triggers record every insert, update and delete of the
audited tables, also those that bypass the services, with the row before and after and the app user."""

import pytest
from django.db import DatabaseError, connection, transaction
from rest_framework.test import APIClient

from socius.accounts.models import AuditAction, AuditEvent, ChangeTrailEntry
from socius.casework.tests.factories import CaseFactory, ContactFactory
from socius.registry.models import Person
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory
from socius.testing.tokens import api_key_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: triggers"),
]

TRAIL = "/api/v1/audit/trail/"


def trail_of(table: str, row_id: int) -> list[ChangeTrailEntry]:
    return list(ChangeTrailEntry.objects.filter(table_name=table, row_id=row_id).order_by("id"))


def test_a_queryset_update_is_recorded_with_old_and_new_values(pl_centre):
    person = PersonFactory(centre=pl_centre, first_name="Anna", last_name="Nowak")

    Person.objects.filter(pk=person.pk).update(first_name="Hanna")

    insert, update = trail_of("registry_person", person.pk)
    assert insert.operation == "INSERT" and insert.old_row is None and insert.new_row["first_name"] == "Anna"
    assert update.operation == "UPDATE"
    assert (update.old_row["first_name"], update.new_row["first_name"]) == ("Anna", "Hanna")
    assert update.old_row["last_name"] == update.new_row["last_name"] == "Nowak"
    assert update.centre_id == pl_centre.pk
    assert update.actor_id is None  # outside any request: the shell, a migration
    assert update.db_user == "postgres"
    assert update.at is not None and update.transaction_id > 0


def test_a_raw_sql_update_is_recorded_with_old_and_new_values(pl_centre):
    person = PersonFactory(centre=pl_centre, last_name="Nowak")

    with connection.cursor() as cursor:
        cursor.execute("UPDATE registry_person SET last_name = %s WHERE id = %s", ["Kowalska", person.pk])

    update = trail_of("registry_person", person.pk)[-1]
    assert update.operation == "UPDATE"
    assert (update.old_row["last_name"], update.new_row["last_name"]) == ("Nowak", "Kowalska")
    assert update.actor_id is None


def test_a_bulk_update_records_every_row_it_changed_and_only_those(pl_centre):
    people = [PersonFactory(centre=pl_centre, phone="") for _ in range(3)]
    unchanged = PersonFactory(centre=pl_centre, phone="600100200")
    before = ChangeTrailEntry.objects.filter(operation="UPDATE").count()

    Person.objects.filter(centre=pl_centre, phone="").update(phone="600700800")

    updates = ChangeTrailEntry.objects.filter(operation="UPDATE").order_by("row_id")
    assert updates.count() - before == 3
    assert sorted(e.row_id for e in updates) == sorted(p.pk for p in people)
    assert all(e.old_row["phone"] == "" and e.new_row["phone"] == "600700800" for e in updates)
    assert unchanged.pk not in [e.row_id for e in updates]


def test_an_update_that_changes_nothing_is_not_recorded(pl_centre):
    person = PersonFactory(centre=pl_centre, first_name="Anna")

    Person.objects.filter(pk=person.pk).update(first_name="Anna")

    assert [e.operation for e in trail_of("registry_person", person.pk)] == ["INSERT"]


def test_a_delete_is_recorded_with_the_row_as_it_was(pl_centre):
    person = PersonFactory(centre=pl_centre, first_name="Anna")
    person_id = person.pk

    Person.objects.filter(pk=person_id).delete()

    delete = trail_of("registry_person", person_id)[-1]
    assert delete.operation == "DELETE"
    assert delete.old_row["first_name"] == "Anna" and delete.new_row is None
    assert delete.centre_id == pl_centre.pk


def test_households_memberships_cases_and_contacts_are_recorded_with_their_centre(pl_centre):
    household = HouseholdFactory(centre=pl_centre)
    membership = MembershipFactory(household=household, person=PersonFactory(centre=pl_centre))
    case = CaseFactory(centre=pl_centre, household=household)
    contact = ContactFactory(centre=pl_centre, household=household)
    contact.persons.add(membership.person)

    for table, row_id in [
        ("registry_household", household.pk),
        ("registry_membership", membership.pk),
        ("casework_case", case.pk),
        ("casework_contact", contact.pk),
        ("casework_contact_persons", contact.persons.through.objects.get().pk),
    ]:
        inserted = trail_of(table, row_id)[0]
        assert (inserted.operation, inserted.centre_id) == ("INSERT", pl_centre.pk), table


def test_a_change_through_the_api_names_the_user_who_made_it(pl_worker):
    person = PersonFactory(centre=pl_worker.centre, phone="")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(pl_worker)}")

    response = client.patch(f"/api/v1/persons/{person.pk}/", {"phone": "600 700 800"}, format="json")

    assert response.status_code == 200
    update = trail_of("registry_person", person.pk)[-1]
    assert update.operation == "UPDATE"
    assert update.actor_id == pl_worker.pk
    assert update.old_row["phone"] == "" and update.new_row["phone"] != ""


def test_a_change_in_a_signed_in_session_names_the_user_and_the_next_shell_change_names_nobody(pl_worker):
    person = PersonFactory(centre=pl_worker.centre, phone="")
    client = APIClient()
    client.force_login(pl_worker)

    assert client.patch(f"/api/v1/persons/{person.pk}/", {"phone": "600 700 800"}, format="json").status_code == 200
    Person.objects.filter(pk=person.pk).update(phone="")  # after the request, on the same connection

    by_request, by_shell = trail_of("registry_person", person.pk)[-2:]
    assert by_request.actor_id == pl_worker.pk
    assert by_shell.actor_id is None


def test_the_trail_is_append_only(pl_centre):
    PersonFactory(centre=pl_centre)
    entry = ChangeTrailEntry.objects.first()

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ChangeTrailEntry.objects.filter(pk=entry.pk).update(operation="DELETE")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ChangeTrailEntry.objects.filter(pk=entry.pk).delete()

    assert ChangeTrailEntry.objects.filter(pk=entry.pk, operation="INSERT").exists()


def test_an_auditor_reads_the_trail_of_a_person_with_old_and_new_values_and_the_read_is_audited(pl_auditor):
    person = PersonFactory(centre=pl_auditor.centre, first_name="Anna")
    Person.objects.filter(pk=person.pk).update(first_name="Hanna")
    client = APIClient()
    client.force_authenticate(pl_auditor)

    response = client.get(TRAIL, {"record_type": "person", "record_id": person.pk})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    update, insert = body["results"]
    assert (update["operation"], insert["operation"]) == ("UPDATE", "INSERT")
    assert update["changes"]["first_name"] == ["Anna", "Hanna"]
    assert "last_name" not in update["changes"]
    assert update["old"]["first_name"] == "Anna" and update["new"]["first_name"] == "Hanna"
    assert update["user"] is None and update["username"] == "" and update["db_user"] == "postgres"
    assert insert["old"] is None
    view = AuditEvent.objects.get(action=AuditAction.VIEW)
    assert (view.actor_id, view.object_type, view.object_id, view.person_id) == (
        pl_auditor.pk,
        "person",
        person.pk,
        person.pk,
    )


def test_the_trail_shows_the_username_of_the_user_who_changed_the_record(pl_worker, pl_director):
    person = PersonFactory(centre=pl_worker.centre, phone="")
    writer = APIClient()
    writer.force_login(pl_worker)
    assert writer.patch(f"/api/v1/persons/{person.pk}/", {"phone": "600 700 800"}, format="json").status_code == 200
    reader = APIClient()
    reader.force_authenticate(pl_director)

    latest = reader.get(TRAIL, {"record_type": "person", "record_id": person.pk}).json()["results"][0]

    assert (latest["operation"], latest["user"], latest["username"]) == ("UPDATE", pl_worker.pk, "pl_worker")


def test_a_worker_may_not_read_the_trail(pl_worker):
    person = PersonFactory(centre=pl_worker.centre)
    client = APIClient()
    client.force_authenticate(pl_worker)

    response = client.get(TRAIL, {"record_type": "person", "record_id": person.pk})

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW).exists()


def test_an_auditor_of_another_centre_sees_nothing_of_the_record(pl_centre, md_centre):
    from socius.accounts.roles import Role
    from socius.testing.factories import UserFactory

    person = PersonFactory(centre=pl_centre)
    md_auditor = UserFactory(username="md_auditor", centre=md_centre, role=Role.AUDITOR)
    client = APIClient()
    client.force_authenticate(md_auditor)

    response = client.get(TRAIL, {"record_type": "person", "record_id": person.pk})

    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW).exists()


def test_the_trail_of_a_membership_is_audited_under_its_person(pl_auditor):
    household = HouseholdFactory(centre=pl_auditor.centre)
    membership = MembershipFactory(household=household, person=PersonFactory(centre=pl_auditor.centre))
    client = APIClient()
    client.force_authenticate(pl_auditor)

    response = client.get(TRAIL, {"record_type": "membership", "record_id": membership.pk})

    assert response.json()["count"] == 1
    assert AuditEvent.objects.get(action=AuditAction.VIEW).person_id == membership.person_id
