"""Outreach events: planned in the centre's area only, held with a headcount, partners, named attendees only
with their consent, leaflets per service of the catalogue and follow-ups, cancelled and planned again; every
refusal writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from socius.accounts.models import AuditEvent, AuditEventPerson
from socius.common.errors import Forbidden, NotFound, ValidationFailed
from socius.community.errors import InvalidCommunityTransition, TerritoryOutsideCentre
from socius.community.models import EventAttendee, EventFollowUp, EventPartner, LeafletCount, OutreachEvent
from socius.community.outreach import (
    cancel_event,
    leaflet_services,
    mark_follow_up_done,
    plan_event,
    record_event_held,
    replan_event,
    update_event,
)
from socius.community.tests import outreach_fixtures as fx
from socius.testing.factories import PersonFactory

tree = fx.tree
resident = fx.resident
planned_event = fx.planned_event
lt_auditor = fx.lt_auditor
lt_worker2 = fx.lt_worker2

ON = fx.ON
LT_CODE = "lt.home_help"


def _plan_data(territory, **extra):
    return {"territory": territory.pk, "kind": "information_meeting", "date": ON + dt.timedelta(days=7), **extra}


def _held_data(**extra):
    return {"headcount": 23, "questions": "Kaip gauti pagalbą į namus?", **extra}


def test_planning_an_event_in_an_eldership_of_the_centre_records_it_planned_with_its_partners(lt_worker, tree):
    event = plan_event(
        lt_worker,
        _plan_data(
            tree["jasiunai"],
            title="Susitikimas Jašiūnuose",
            partners=[
                {"role": "elder", "name": "Seniūnas"},
                {"role": "community_chair", "organisation": "Bendruomenė"},
            ],
        ),
        on=ON,
    )

    assert (event.status, event.territory, event.date) == ("planned", tree["jasiunai"], ON + dt.timedelta(days=7))
    assert list(event.staff.all()) == [lt_worker]
    assert list(EventPartner.objects.filter(event=event).values_list("role", "name", "organisation")) == [
        ("elder", "Seniūnas", ""),
        ("community_chair", "", "Bendruomenė"),
    ]
    audit = AuditEvent.objects.get(object_type="outreach_event", object_id=event.pk)
    assert audit.action == "create"
    assert audit.changes["kind"] == [None, "information_meeting"]
    assert audit.changes["staff"] == [None, [lt_worker.pk]]


def test_planning_outside_the_centres_area_is_refused_and_nothing_is_written(lt_worker, tree):
    with pytest.raises(TerritoryOutsideCentre) as refused:
        plan_event(lt_worker, _plan_data(tree["outside"]), on=ON)

    assert refused.value.code == "territory_outside_centre"
    assert OutreachEvent.objects.count() == 0
    assert AuditEvent.objects.filter(object_type="outreach_event").count() == 0


def test_planning_in_another_countrys_territory_is_refused(lt_worker, tree, pl_centre):
    with pytest.raises(TerritoryOutsideCentre):
        plan_event(lt_worker, _plan_data(pl_centre.territory), on=ON)
    assert OutreachEvent.objects.count() == 0


def test_planning_with_bad_input_names_every_field(lt_worker, tree):
    with pytest.raises(ValidationFailed) as failed:
        plan_event(
            lt_worker,
            {"territory": 999999, "kind": "party", "date": "tomorrow", "starts_at": dt.time(12), "ends_at": dt.time(11),
             "staff": [999999], "partners": [{"role": "king", "name": "X"}]},
            on=ON,
        )  # fmt: skip

    assert set(failed.value.errors) == {"territory", "kind", "date", "ends_at", "staff", "partners"}
    assert OutreachEvent.objects.count() == 0


def test_those_without_community_work_may_not_plan(lt_auditor, tree):
    with pytest.raises(Forbidden):
        plan_event(lt_auditor, _plan_data(tree["jasiunai"]), on=ON)
    assert OutreachEvent.objects.count() == 0


def test_another_centres_worker_does_not_find_the_event(planned_event, md_worker):
    with pytest.raises(NotFound):
        record_event_held(md_worker, planned_event, _held_data(), on=ON)
    planned_event.refresh_from_db()
    assert planned_event.status == "planned"


def test_updating_a_planned_event_changes_only_the_fields_given(lt_worker, planned_event, tree):
    update_event(lt_worker, planned_event.pk, {"territory": tree["village"].pk, "place": "Mokykla"}, on=ON)

    planned_event.refresh_from_db()
    assert (planned_event.territory, planned_event.place, planned_event.kind) == (
        tree["village"],
        "Mokykla",
        "information_meeting",
    )
    audit = AuditEvent.objects.get(object_type="outreach_event", action="update")
    assert audit.changes == {
        "territory": [tree["jasiunai"].pk, tree["village"].pk],
        "place": ["Seniūnijos salė", "Mokykla"],
    }


def test_recording_an_event_held_keeps_attendance_leaflets_and_follow_ups(lt_worker, planned_event, resident):
    event = record_event_held(
        lt_worker,
        planned_event,
        _held_data(
            partners=[{"role": "sub_elder", "name": "Seniūnaitė"}],
            attendees=[
                {"person": resident.pk, "consent": "written", "consent_on": ON},
                {"name": "Ona", "consent": "oral", "consent_on": ON},
            ],
            leaflets=[{"service_code": LT_CODE, "count": 15}, {"service_code": "lt.transport", "count": 5}],
            follow_ups=[{"text": "Aplankyti Oną", "responsible": lt_worker.pk, "due_on": ON + dt.timedelta(days=3)}],
        ),
        on=ON,
    )

    event.refresh_from_db()
    assert (event.status, event.headcount, event.held_recorded_by, event.date) == ("held", 23, lt_worker, ON)
    assert list(EventAttendee.objects.filter(event=event).values_list("person_id", "name", "consent")) == [
        (resident.pk, "", "written"),
        (None, "Ona", "oral"),
    ]
    assert dict(LeafletCount.objects.filter(event=event).values_list("service_code", "count")) == {
        LT_CODE: 15,
        "lt.transport": 5,
    }
    assert list(EventFollowUp.objects.filter(event=event).values_list("text", flat=True)) == ["Aplankyti Oną"]
    assert list(event.partners.values_list("role", flat=True)) == ["sub_elder"]
    audit = AuditEvent.objects.get(object_type="outreach_event", action="update")
    assert audit.person_id == resident.pk
    assert audit.changes["leaflets"] == [None, {LT_CODE: 15, "lt.transport": 5}]
    assert audit.changes["status"] == ["planned", "held"]


def test_a_named_attendee_without_consent_is_refused_and_nothing_is_recorded(lt_worker, planned_event, resident):
    with pytest.raises(ValidationFailed) as failed:
        record_event_held(
            lt_worker,
            planned_event,
            _held_data(attendees=[{"person": resident.pk}], leaflets=[{"service_code": LT_CODE, "count": 3}]),
            on=ON,
        )

    assert list(failed.value.errors) == ["attendees"]
    assert "consent" in str(failed.value.errors["attendees"][0])
    planned_event.refresh_from_db()
    assert (planned_event.status, planned_event.headcount) == ("planned", None)
    assert not EventAttendee.objects.exists()
    assert not LeafletCount.objects.exists()
    assert not AuditEvent.objects.filter(object_type="outreach_event").exists()


def test_consent_given_after_the_event_is_refused(lt_worker, planned_event):
    with pytest.raises(ValidationFailed) as failed:
        record_event_held(
            lt_worker,
            planned_event,
            _held_data(attendees=[{"name": "Ona", "consent": "oral", "consent_on": ON + dt.timedelta(days=1)}]),
            on=ON + dt.timedelta(days=5),
        )
    assert list(failed.value.errors) == ["attendees"]


def test_more_named_attendees_than_the_headcount_is_refused(lt_worker, planned_event):
    people = [{"name": f"N{i}", "consent": "oral", "consent_on": ON} for i in range(3)]
    with pytest.raises(ValidationFailed) as failed:
        record_event_held(lt_worker, planned_event, _held_data(headcount=2, attendees=people), on=ON)
    assert list(failed.value.errors) == ["attendees"]


def test_an_attendee_of_another_centre_is_refused(lt_worker, planned_event, md_centre):
    stranger = PersonFactory(centre=md_centre)
    with pytest.raises(ValidationFailed) as failed:
        record_event_held(
            lt_worker,
            planned_event,
            _held_data(attendees=[{"person": stranger.pk, "consent": "oral", "consent_on": ON}]),
            on=ON,
        )
    assert list(failed.value.errors) == ["attendees"]


def test_leaflets_name_services_of_the_jurisdictions_catalogue(lt_worker, planned_event):
    with pytest.raises(ValidationFailed) as failed:
        record_event_held(
            lt_worker,
            planned_event,
            _held_data(leaflets=[{"service_code": "pl.home_help", "count": 4}, {"service_code": LT_CODE, "count": 0}]),
            on=ON,
        )
    assert len(failed.value.errors["leaflets"]) == 2
    assert not LeafletCount.objects.exists()


def test_the_catalogue_offers_the_leaflet_services_of_the_country():
    codes = [code for code, _label in leaflet_services("LT", "lt")]
    assert LT_CODE in codes
    assert all(code.startswith("lt.") for code in codes)


def test_an_event_cannot_be_held_before_it_takes_place(lt_worker, planned_event):
    with pytest.raises(ValidationFailed) as failed:
        record_event_held(lt_worker, planned_event, _held_data(), on=ON - dt.timedelta(days=1))
    assert list(failed.value.errors) == ["held_on"]


def test_a_headcount_is_required(lt_worker, planned_event):
    with pytest.raises(ValidationFailed) as failed:
        record_event_held(lt_worker, planned_event, {"headcount": -1}, on=ON)
    assert list(failed.value.errors) == ["headcount"]


def test_a_held_event_cannot_be_held_again_or_cancelled(lt_worker, planned_event):
    record_event_held(lt_worker, planned_event, _held_data(), on=ON)
    with pytest.raises(InvalidCommunityTransition):
        record_event_held(lt_worker, planned_event, _held_data(headcount=40), on=ON)
    with pytest.raises(InvalidCommunityTransition):
        cancel_event(lt_worker, planned_event, reason="Lietus", on=ON)
    planned_event.refresh_from_db()
    assert (planned_event.status, planned_event.headcount) == ("held", 23)


def test_cancelling_needs_a_reason_and_replanning_gives_a_new_day(lt_worker, planned_event):
    with pytest.raises(ValidationFailed) as failed:
        cancel_event(lt_worker, planned_event, reason="  ", on=ON)
    assert list(failed.value.errors) == ["reason"]

    cancel_event(lt_worker, planned_event, reason="Seniūnas serga", on=ON)
    planned_event.refresh_from_db()
    assert (planned_event.status, planned_event.cancelled_reason) == ("cancelled", "Seniūnas serga")

    with pytest.raises(ValidationFailed) as failed:
        replan_event(lt_worker, planned_event, date=ON - dt.timedelta(days=1), on=ON)
    assert list(failed.value.errors) == ["date"]

    replan_event(lt_worker, planned_event, date=ON + dt.timedelta(days=14), on=ON)
    planned_event.refresh_from_db()
    assert (planned_event.status, planned_event.date, planned_event.cancelled_reason) == (
        "planned",
        ON + dt.timedelta(days=14),
        "",
    )


def test_a_planned_event_cannot_be_replanned(lt_worker, planned_event):
    with pytest.raises(InvalidCommunityTransition):
        replan_event(lt_worker, planned_event, date=ON + dt.timedelta(days=3), on=ON)


def test_a_follow_up_is_marked_done_on_the_day(lt_worker, planned_event, resident):
    record_event_held(lt_worker, planned_event, _held_data(follow_ups=[{"text": "Paskambinti"}]), on=ON)
    follow_up = EventFollowUp.objects.get()

    mark_follow_up_done(lt_worker, follow_up.pk, on=ON + dt.timedelta(days=2))

    follow_up.refresh_from_db()
    assert follow_up.done_on == ON + dt.timedelta(days=2)


def test_the_held_events_audit_names_every_registered_attendee(lt_worker, planned_event, resident, lt_centre, tree):
    neighbour = PersonFactory(centre=lt_centre, territory=tree["village"])
    record_event_held(
        lt_worker,
        planned_event,
        _held_data(
            attendees=[
                {"person": resident.pk, "consent": "written", "consent_on": ON},
                {"person": neighbour.pk, "consent": "oral", "consent_on": ON},
            ]
        ),
        on=ON,
    )
    audit = AuditEvent.objects.get(object_type="outreach_event", action="update")
    assert audit.person_id is None
    assert set(AuditEventPerson.objects.filter(event=audit).values_list("person_id", flat=True)) == {
        resident.pk,
        neighbour.pk,
    }


def test_times_of_an_event_are_kept_in_its_audit(lt_worker, tree):
    event = plan_event(lt_worker, _plan_data(tree["jasiunai"], starts_at=dt.time(10), ends_at=dt.time(12, 30)), on=ON)
    audit = AuditEvent.objects.get(object_type="outreach_event", object_id=event.pk)
    assert (audit.changes["starts_at"], audit.changes["ends_at"]) == ([None, "10:00"], [None, "12:30"])
