"""Change events on a household's case and on its records name the persons concerned (every member of the
household), so that the auditor's `?person=` finds the edits, status moves and records of a family's case,
not only its reads (decision 0007)."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from socius.accounts.models import AuditAction, AuditEvent, AuditEventPerson
from socius.casework.services import change_case_status, open_case, plan_visit, share_case
from socius.casework.statuses import CaseStatus
from socius.common.errors import Conflict
from socius.testing.factories import MembershipFactory, PersonFactory

DAY = dt.date(2025, 3, 3)


@pytest.fixture
def family(pl_centre, pl_household):
    mother = PersonFactory(centre=pl_centre, first_name="Ewa", last_name="Lis")
    son = PersonFactory(centre=pl_centre, first_name="Jan", last_name="Lis")
    MembershipFactory(household=pl_household, person=mother, relationship="head", valid_from=dt.date(2020, 1, 1))
    MembershipFactory(household=pl_household, person=son, relationship="child", valid_from=dt.date(2020, 1, 1))
    return mother, son


def named(event: AuditEvent) -> set[int]:
    return {event.person_id, *AuditEventPerson.objects.filter(event=event).values_list("person_id", flat=True)} - {None}


def found_by_person(auditor, person) -> list[tuple[str, str]]:
    client = APIClient()
    client.force_authenticate(auditor)
    rows = client.get("/api/v1/audit/events/", {"person": person.pk, "page_size": 100}).json()["results"]
    return sorted((row["object_type"], row["action"]) for row in rows)


def test_opening_moving_and_sharing_a_household_case_name_every_member(
    pl_worker, pl_worker2, pl_auditor, family_team, pl_household, family
):
    mother, son = family
    case = open_case(pl_worker, {"household": pl_household.pk, "circumstances": ["poverty"], "opened_on": DAY})
    change_case_status(pl_worker, case.pk, CaseStatus.ACTIVE, on=DAY)
    share_case(pl_worker, case.pk, pl_worker2.pk)

    changes = AuditEvent.objects.filter(object_type="case", object_id=case.pk).exclude(action=AuditAction.VIEW)
    assert sorted(e.action for e in changes) == ["create", "update", "update"]
    assert all(named(e) == {mother.pk, son.pk} for e in changes)
    assert found_by_person(pl_auditor, son) == [("case", "create"), ("case", "update"), ("case", "update")]


def test_records_of_a_household_case_name_every_member(pl_worker, pl_auditor, family_team, pl_household, family):
    mother, son = family
    case = open_case(pl_worker, {"household": pl_household.pk, "circumstances": ["poverty"], "opened_on": DAY})
    change_case_status(pl_worker, case.pk, CaseStatus.ACTIVE, on=DAY)
    visit = plan_visit(pl_worker, case.pk, {"planned_on": DAY + dt.timedelta(days=2)})

    visit_event = AuditEvent.objects.get(object_type="home_visit", object_id=visit.pk, action=AuditAction.CREATE)
    assert named(visit_event) == {mother.pk, son.pk}
    assert ("home_visit", "create") in found_by_person(pl_auditor, son)


def test_a_persons_own_case_names_the_person_alone(pl_worker, pl_centre, family_team, family):
    mother, _son = family
    case = open_case(pl_worker, {"person": mother.pk, "circumstances": ["poverty"], "opened_on": DAY})

    event = AuditEvent.objects.get(object_type="case", object_id=case.pk, action=AuditAction.CREATE)
    assert (event.person_id, named(event)) == (mother.pk, {mother.pk})
    assert not AuditEventPerson.objects.filter(event=event).exists()  # one person: kept in person_id alone


def test_a_refused_status_move_writes_no_event(pl_worker, family_team, pl_household, family):
    case = open_case(pl_worker, {"household": pl_household.pk, "circumstances": ["poverty"], "opened_on": DAY})
    before = (AuditEvent.objects.count(), AuditEventPerson.objects.count())

    with pytest.raises(Conflict):  # the map refuses opened -> opened
        change_case_status(pl_worker, case.pk, CaseStatus.OPENED, on=DAY)

    assert (AuditEvent.objects.count(), AuditEventPerson.objects.count()) == before
