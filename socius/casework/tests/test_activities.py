"""Social work activities: recording, bounds, participants of the case, permissions, timeline, audit."""

import datetime as dt

import pytest

from socius.accounts.models import AuditEvent
from socius.casework.models import ActivityType, CaseEvent, CaseEventKind, SocialWorkActivity
from socius.casework.selectors import activities_for_case
from socius.casework.services import record_activity
from socius.casework.tests.factories import CaseFactory
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory

DAY = dt.date(2025, 3, 3)


@pytest.fixture
def household(pl_centre):
    return HouseholdFactory(centre=pl_centre)


@pytest.fixture
def mother(pl_centre, household):
    person = PersonFactory(centre=pl_centre, first_name="Ewa", last_name="Kowalska")
    MembershipFactory(household=household, person=person, relationship="head", valid_from=dt.date(2020, 1, 1))
    return person


@pytest.fixture
def son(pl_centre, household):
    person = PersonFactory(centre=pl_centre, first_name="Jan", last_name="Kowalski")
    MembershipFactory(household=household, person=person, relationship="child", valid_from=dt.date(2020, 1, 1))
    return person


@pytest.fixture
def case(pl_centre, pl_worker, family_team, household):
    return CaseFactory(centre=pl_centre, household=household, assigned_worker=pl_worker, team=family_team)


def _data(**kw):
    return {"type": ActivityType.COUNSELLING, "performed_on": DAY, "duration_minutes": 45, **kw}


def _state(case):
    return (
        list(SocialWorkActivity.objects.values_list("id", flat=True)),
        list(CaseEvent.objects.filter(case=case).values_list("id", flat=True)),
        AuditEvent.objects.count(),
    )


def test_record_activity_writes_event_and_audit(case, pl_worker, mother, son):
    activity = record_activity(
        pl_worker, case.pk, _data(participants=[son.pk, mother.pk], notes="Talked about school absences.")
    )
    assert (activity.type, activity.performed_on, activity.duration_minutes, activity.performed_by) == (
        "counselling",
        DAY,
        45,
        pl_worker,
    )
    assert set(activity.participants.values_list("pk", flat=True)) == {mother.pk, son.pk}
    event = CaseEvent.objects.filter(case=case).latest("id")
    assert (event.kind, event.actor, event.data) == (
        CaseEventKind.ACTIVITY_RECORDED,
        pl_worker,
        {"activity": activity.pk, "type": "counselling", "performed_on": "2025-03-03", "duration_minutes": 45},
    )
    audit = AuditEvent.objects.latest("id")
    assert (audit.action, audit.object_type, audit.object_id) == ("create", "social_work_activity", activity.pk)
    assert audit.changes == {
        "case": [None, case.pk],
        "type": [None, "counselling"],
        "performed_on": [None, "2025-03-03"],
        "duration_minutes": [None, 45],
        "performed_by": [None, pl_worker.pk],
        "participants": [None, sorted([mother.pk, son.pk])],
    }
    # Notes are sensitive: neither on the timeline nor in the audit trail.
    assert "school" not in str(event.data) and "school" not in str(audit.changes)


@pytest.mark.parametrize("minutes, ok", [(0, False), (1, True), (600, True), (601, False), (-5, False), ("x", False)])
def test_duration_bounds(case, pl_worker, minutes, ok):
    if ok:
        assert record_activity(pl_worker, case.pk, _data(duration_minutes=minutes)).duration_minutes == minutes
    else:
        before = _state(case)
        with pytest.raises(ValidationFailed) as exc:
            record_activity(pl_worker, case.pk, _data(duration_minutes=minutes))
        assert list(exc.value.errors) == ["duration_minutes"]
        assert _state(case) == before


@pytest.mark.parametrize(
    "change, field",
    [
        ({"type": "therapy"}, "type"),
        ({"performed_on": dt.date(2099, 1, 1)}, "performed_on"),
        ({"performed_on": dt.date(2024, 1, 1)}, "performed_on"),
        ({"performed_on": None}, "performed_on"),
    ],
)
def test_bad_input_changes_nothing(case, pl_worker, change, field):
    before = _state(case)
    with pytest.raises(ValidationFailed) as exc:
        record_activity(pl_worker, case.pk, _data(**change))
    assert field in exc.value.errors
    assert _state(case) == before


def test_participants_must_belong_to_the_household(case, pl_centre, pl_worker, mother):
    stranger = PersonFactory(centre=pl_centre)
    left = PersonFactory(centre=pl_centre)
    MembershipFactory(
        household=case.household, person=left, relationship="child", valid_from=dt.date(2020, 1, 1),
        valid_until=dt.date(2025, 1, 1),
    )  # fmt: skip
    before = _state(case)
    for bad in ([stranger.pk], [mother.pk, left.pk], ["zz"]):
        with pytest.raises(ValidationFailed) as exc:
            record_activity(pl_worker, case.pk, _data(participants=bad))
        assert "participants" in exc.value.errors
    assert _state(case) == before
    # Before leaving, the child could take part.
    case.opened_on = dt.date(2024, 12, 1)
    case.save()
    assert record_activity(pl_worker, case.pk, _data(performed_on=dt.date(2024, 12, 20), participants=[left.pk])).pk


def test_single_person_case_takes_only_that_person(pl_centre, pl_worker, family_team, pl_person):
    case = CaseFactory(centre=pl_centre, household=None, person=pl_person, assigned_worker=pl_worker, team=family_team)
    other = PersonFactory(centre=pl_centre)
    assert record_activity(pl_worker, case.pk, _data(participants=[pl_person.pk])).participants.get() == pl_person
    with pytest.raises(ValidationFailed):
        record_activity(pl_worker, case.pk, _data(participants=[other.pk]))


def test_performed_by_another_caseworker(case, pl_worker, pl_worker2, pl_finance):
    assert record_activity(pl_worker, case.pk, _data(performed_by=pl_worker2.pk)).performed_by == pl_worker2
    with pytest.raises(ValidationFailed) as exc:
        record_activity(pl_worker, case.pk, _data(performed_by=pl_finance.pk))
    assert "performed_by" in exc.value.errors


def test_permissions_and_closed_case(case, pl_worker, pl_worker2, md_worker, pl_teamlead):
    before = _state(case)
    with pytest.raises(Forbidden):
        record_activity(pl_worker2, case.pk, _data())
    with pytest.raises(NotFound):
        record_activity(md_worker, case.pk, _data())
    assert _state(case) == before
    assert record_activity(pl_teamlead, case.pk, _data()).pk
    case.status, case.closure_reason, case.closed_on = "closed", "other", DAY
    case.save()
    before = _state(case)
    with pytest.raises(Conflict):
        record_activity(pl_worker, case.pk, _data())
    assert _state(case) == before


def test_activities_for_case_two_queries(case, pl_worker, mother, son, django_assert_num_queries):
    for i in range(3):
        record_activity(
            pl_worker, case.pk, _data(performed_on=DAY + dt.timedelta(days=i), participants=[mother.pk, son.pk])
        )
    with django_assert_num_queries(2):
        rows = [
            (a.performed_on, a.performed_by.username, [p.pk for p in a.participants.all()])
            for a in activities_for_case(case)
        ]
    assert [r[0] for r in rows] == [DAY + dt.timedelta(days=2), DAY + dt.timedelta(days=1), DAY]
    assert rows[0][2] == [mother.pk, son.pk]  # by last name: Kowalska, Kowalski
