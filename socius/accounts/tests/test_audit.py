"""Writing the audit log: snapshots, diffs, and who/when/from where on every event."""

import datetime as dt
import decimal

import pytest

from socius.accounts import audit
from socius.accounts.audit import diff, record_event, record_view, snapshot
from socius.accounts.models import AuditAction, AuditEvent, Territory, User
from socius.common.context import RequestOrigin, reset_origin, set_origin


@pytest.fixture
def origin():
    token = set_origin(RequestOrigin(ip="192.0.2.44", channel="web"))
    yield
    reset_origin(token)


def test_snapshot_gives_foreign_keys_as_ids_and_dates_as_iso_text(pl_centre):
    parent = pl_centre.territory
    village = Territory.objects.create(jurisdiction="PL", parent=parent, level="village", name="Kiełczówek")
    user = User(username="x", centre=pl_centre, date_joined=dt.datetime(2024, 3, 1, 8, 30, tzinfo=dt.UTC))

    assert snapshot(village, ["name", "parent", "level"]) == {
        "name": "Kiełczówek",
        "parent": parent.pk,
        "level": "village",
    }
    assert snapshot(user, ["centre", "date_joined"]) == {
        "centre": pl_centre.pk,
        "date_joined": "2024-03-01T08:30:00+00:00",
    }


def test_snapshot_of_an_empty_foreign_key_is_none(db):
    root = Territory(jurisdiction="PL", level="district", name="Łódzki")

    assert snapshot(root, ["parent"]) == {"parent": None}


def test_plain_values_are_json_ready():
    assert audit._plain(dt.date(2024, 2, 29)) == "2024-02-29"
    assert audit._plain(decimal.Decimal("1229.50")) == "1229.50"
    assert audit._plain("Łukasz") == "Łukasz"


def test_diff_lists_only_changed_fields_with_old_and_new_values():
    before = {"first_name": "Jan", "last_name": "Kowalski", "phone": ""}
    after = {"first_name": "Jan", "last_name": "Nowak", "phone": "600100200"}

    assert diff(before, after) == {"last_name": ["Kowalski", "Nowak"], "phone": ["", "600100200"]}


def test_diff_of_identical_snapshots_is_empty():
    assert diff({"a": 1, "b": None}, {"a": 1, "b": None}) == {}


def test_event_records_who_what_and_from_where(pl_worker, origin):
    event = record_event(
        pl_worker,
        AuditAction.UPDATE,
        object_type="person",
        object_id=7,
        centre_id=pl_worker.centre_id,
        person_id=7,
        changes={"last_name": ["Kowalski", "Nowak"]},
    )

    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.actor, event.actor_username, event.centre_id) == (pl_worker, "pl_worker", pl_worker.centre_id)
    assert (event.action, event.object_type, event.object_id, event.person_id) == ("update", "person", 7, 7)
    assert event.changes == {"last_name": ["Kowalski", "Nowak"]}
    assert (event.ip, event.channel) == ("192.0.2.44", "web")
    assert event.at is not None


def test_event_outside_a_request_is_from_the_system_without_address(pl_worker):
    event = record_event(pl_worker, AuditAction.CREATE, object_type="household", object_id=3, centre_id=None)

    assert (event.ip, event.channel, event.changes, event.person_id) == (None, "system", {}, None)


def test_event_without_actor_keeps_no_user(pl_centre):
    event = record_event(None, AuditAction.IMPORT, object_type="import", object_id=None, centre_id=pl_centre.pk)

    assert (event.actor_id, event.actor_username) == (None, "")


def test_event_by_an_unsaved_user_keeps_the_username_but_no_link(pl_centre):
    event = record_event(
        User(username="ghost"), AuditAction.VIEW, object_type="person", object_id=1, centre_id=pl_centre.pk
    )

    assert (event.actor_id, event.actor_username) == (None, "ghost")


def test_event_survives_its_user_being_deleted(pl_worker):
    event = record_event(pl_worker, AuditAction.VIEW, object_type="person", object_id=1, centre_id=pl_worker.centre_id)
    pl_worker.delete()

    event.refresh_from_db()
    assert (event.actor_id, event.actor_username) == (None, "pl_worker")


def test_view_is_recorded_as_one_view_event(pl_auditor, origin):
    record_view(pl_auditor, object_type="person", object_id=9, centre_id=pl_auditor.centre_id, person_id=9)

    events = list(AuditEvent.objects.values_list("action", "object_type", "object_id", "person_id", "ip", "channel"))
    assert events == [("view", "person", 9, 9, "192.0.2.44", "web")]
