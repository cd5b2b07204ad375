"""Reads for accounts: searching the audit log, and a centre's territory."""

import datetime as dt

import pytest

from socius.accounts.audit import record_event
from socius.accounts.models import AuditAction, AuditEvent, Territory
from socius.accounts.roles import Role
from socius.accounts.selectors import list_audit_events_for, territories_for
from socius.accounts.tests.helpers import make_centre, make_user


def _event(actor, action, object_type, object_id, *, person_id=None, at=None, centre_id=None):
    event = record_event(
        actor,
        action,
        object_type=object_type,
        object_id=object_id,
        centre_id=centre_id or actor.centre_id,
        person_id=person_id,
    )
    if at is not None:
        AuditEvent.objects.filter(pk=event.pk).update(at=at)
    return event.pk


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 11, 0, tzinfo=dt.UTC)  # midday in Warsaw too


@pytest.fixture
def log(pl_worker, pl_worker2, md_worker):
    return {
        "w1_create_p1": _event(pl_worker, AuditAction.CREATE, "person", 1, person_id=1, at=_at(dt.date(2024, 1, 10))),
        "w1_view_p1": _event(pl_worker, AuditAction.VIEW, "person", 1, person_id=1, at=_at(dt.date(2024, 2, 10))),
        "w2_update_p2": _event(pl_worker2, AuditAction.UPDATE, "person", 2, person_id=2, at=_at(dt.date(2024, 3, 10))),
        "w2_create_h5": _event(pl_worker2, AuditAction.CREATE, "household", 5, at=_at(dt.date(2024, 3, 11))),
        "w2_join_p1": _event(
            pl_worker2, AuditAction.CREATE, "membership", 8, person_id=1, at=_at(dt.date(2024, 3, 12))
        ),
        "md_view_p1": _event(md_worker, AuditAction.VIEW, "person", 1, person_id=1, at=_at(dt.date(2024, 2, 10))),
    }


def _ids(qs):
    return list(qs.values_list("pk", flat=True))


def test_whole_log_of_the_centre_newest_first(pl_auditor, log):
    assert _ids(list_audit_events_for(pl_auditor)) == [
        log["w2_join_p1"],
        log["w2_create_h5"],
        log["w2_update_p2"],
        log["w1_view_p1"],
        log["w1_create_p1"],
    ]


def test_events_at_the_same_moment_are_ordered_by_id_newest_first(pl_auditor, pl_worker):
    same = _at(dt.date(2024, 5, 1))
    first = _event(pl_worker, AuditAction.VIEW, "person", 1, at=same)
    second = _event(pl_worker, AuditAction.VIEW, "person", 2, at=same)

    assert _ids(list_audit_events_for(pl_auditor)) == [second, first]


def test_filter_by_person_includes_membership_events_but_not_other_centres(pl_auditor, log):
    assert _ids(list_audit_events_for(pl_auditor, person_id=1)) == [
        log["w2_join_p1"],
        log["w1_view_p1"],
        log["w1_create_p1"],
    ]


def test_filter_by_user(pl_director, pl_worker, log):
    assert _ids(list_audit_events_for(pl_director, user_id=pl_worker.pk)) == [log["w1_view_p1"], log["w1_create_p1"]]


def test_filter_by_action(pl_auditor, log):
    assert _ids(list_audit_events_for(pl_auditor, action="create")) == [
        log["w2_join_p1"],
        log["w2_create_h5"],
        log["w1_create_p1"],
    ]


def test_filter_by_object(pl_auditor, log):
    assert _ids(list_audit_events_for(pl_auditor, object_type="household")) == [log["w2_create_h5"]]
    assert _ids(list_audit_events_for(pl_auditor, object_type="person", object_id=2)) == [log["w2_update_p2"]]


def test_filter_by_date_range_includes_both_ends(pl_auditor, log):
    events = list_audit_events_for(pl_auditor, date_from=dt.date(2024, 2, 10), date_to=dt.date(2024, 3, 11))

    assert _ids(events) == [log["w2_create_h5"], log["w2_update_p2"], log["w1_view_p1"]]


def test_open_ended_date_ranges(pl_auditor, log):
    assert _ids(list_audit_events_for(pl_auditor, date_from=dt.date(2024, 3, 12))) == [log["w2_join_p1"]]
    assert _ids(list_audit_events_for(pl_auditor, date_to=dt.date(2024, 1, 10))) == [log["w1_create_p1"]]


def test_date_is_the_centres_local_day(pl_auditor, pl_worker):
    # 23:30 UTC on 31 January is already 1 February in Warsaw.
    late = _event(pl_worker, AuditAction.VIEW, "person", 1, at=dt.datetime(2024, 1, 31, 23, 30, tzinfo=dt.UTC))

    assert _ids(list_audit_events_for(pl_auditor, date_from=dt.date(2024, 2, 1), date_to=dt.date(2024, 2, 1))) == [late]


def test_filters_combine(pl_auditor, pl_worker2, log):
    events = list_audit_events_for(pl_auditor, person_id=1, user_id=pl_worker2.pk, action="create")

    assert _ids(events) == [log["w2_join_p1"]]


def test_another_centres_auditor_sees_only_that_centres_events(md_director, log):
    assert _ids(list_audit_events_for(md_director)) == [log["md_view_p1"]]


# Territory of a centre.


def test_territories_are_the_centres_subtree(pl_centre, pl_worker):
    root = pl_centre.territory
    village = Territory.objects.create(jurisdiction="PL", parent=root, level="village", name="Kiełczówek")
    locality = Territory.objects.create(jurisdiction="PL", parent=village, level="locality", name="Kolonia")
    elsewhere = Territory.objects.create(jurisdiction="PL", level="municipality", name="Rokiciny")
    Territory.objects.create(jurisdiction="PL", parent=elsewhere, level="village", name="Chrusty")
    Territory.objects.create(jurisdiction="MD", level="district", name="Criuleni")

    assert set(territories_for(pl_worker)) == {root, village, locality}


def test_centre_without_territory_sees_its_whole_country(db):
    centre = make_centre("lt-no-root", "LT")
    user = make_user("lt-user", centre, Role.SOCIAL_WORKER)
    a = Territory.objects.create(jurisdiction="LT", level="district", name="Vilniaus r. sav.")
    b = Territory.objects.create(jurisdiction="LT", parent=a, level="eldership", name="Nemenčinės sen.")
    Territory.objects.create(jurisdiction="PL", level="municipality", name="Sejny")

    assert set(territories_for(user)) == {a, b}
