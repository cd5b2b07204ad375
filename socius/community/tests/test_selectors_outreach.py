"""Reading outreach: the territory view (visited, planned, not reached, rolled up the tree, two queries whatever
its size), the event page audited under the persons it names, the diagnosis and the counts for the report."""

from __future__ import annotations

import datetime as dt

import pytest

from socius.accounts.models import AuditEvent, AuditEventPerson
from socius.casework.tests.factories import CaseFactory
from socius.common.errors import Forbidden
from socius.community.errors import TerritoryOutsideCentre
from socius.community.models import EventAttendee, LeafletCount, OutreachEvent, PotentialRecipient
from socius.community.selectors_outreach import (
    audit_recipients_shown,
    community_diagnosis,
    get_event_for,
    list_events_for,
    list_recipients_for,
    outreach_counts,
    territory_view,
)
from socius.community.tests import outreach_fixtures as fx
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory, TerritoryFactory

tree = fx.tree
resident = fx.resident
planned_event = fx.planned_event
held_event = fx.held_event
recipient = fx.recipient
lt_carer = fx.lt_carer

ON = fx.ON


def _event(centre, territory, day, status="held", **extra):
    return OutreachEvent.objects.create(centre=centre, territory=territory, kind="information_meeting", date=day,
                                        status=status, **extra)  # fmt: skip


def test_the_territory_view_shows_visited_planned_and_not_reached(lt_worker, lt_centre, tree):
    _event(lt_centre, tree["village"], ON - dt.timedelta(days=40))  # held in a village of Jašiūnai
    _event(lt_centre, tree["village"], ON - dt.timedelta(days=400))  # last year: does not count
    _event(lt_centre, tree["turgeliai"], ON + dt.timedelta(days=10), status="planned")
    _event(lt_centre, tree["butrimonys"], ON - dt.timedelta(days=3), status="cancelled")

    view = territory_view(lt_worker, on=ON)

    rows = {row.name: row for row in view.rows}
    assert [r.name for r in view.rows] == [
        "Butrimonių seniūnija", "Jašiūnų seniūnija", "Jašiūnai", "Rudaminka", "Turgelių seniūnija",
    ]  # fmt: skip
    assert (rows["Jašiūnai"].state, rows["Jašiūnai"].held_count, rows["Jašiūnai"].last_held_on) == (
        "visited",
        1,
        ON - dt.timedelta(days=40),
    )
    assert rows["Jašiūnų seniūnija"].state == "visited"  # rolled up from its village
    assert rows["Rudaminka"].state == "not_reached"
    assert (rows["Turgelių seniūnija"].state, rows["Turgelių seniūnija"].next_planned_on) == (
        "planned",
        ON + dt.timedelta(days=10),
    )
    assert rows["Butrimonių seniūnija"].state == "not_reached"
    assert view.counts == {"visited": 1, "planned": 1, "not_reached": 1}  # the elderships
    assert (view.year, view.root) == (ON.year, lt_centre.territory)


def test_a_past_year_shows_what_was_held_then_and_nothing_planned(lt_worker, lt_centre, tree):
    _event(lt_centre, tree["village"], dt.date(ON.year - 1, 6, 1))
    _event(lt_centre, tree["turgeliai"], ON + dt.timedelta(days=10), status="planned")

    rows = {r.name: r for r in territory_view(lt_worker, year=ON.year - 1, on=ON).rows}

    assert rows["Jašiūnai"].state == "visited"
    assert rows["Turgelių seniūnija"].state == "not_reached"


def test_the_territory_view_of_a_subtree_and_outside_the_area(lt_worker, tree):
    view = territory_view(lt_worker, tree["jasiunai"].pk, on=ON)
    assert [r.name for r in view.rows] == ["Jašiūnai", "Rudaminka"]
    with pytest.raises(TerritoryOutsideCentre):
        territory_view(lt_worker, tree["outside"].pk, on=ON)


def test_the_territory_view_reads_in_two_queries_whatever_its_size(
    lt_worker, lt_centre, tree, django_assert_num_queries
):
    for i in range(30):
        village = TerritoryFactory(jurisdiction="LT", level="village", name=f"Kaimas {i}", parent=tree["butrimonys"])
        _event(lt_centre, village, ON - dt.timedelta(days=i + 1))
        _event(lt_centre, village, ON + dt.timedelta(days=i + 1), status="planned")
    lt_worker.centre  # noqa: B018  (the actor's centre is loaded by the session)

    with django_assert_num_queries(2):
        view = territory_view(lt_worker, on=ON)

    assert view.counts == {"visited": 1, "planned": 0, "not_reached": 2}
    assert sum(1 for row in view.rows if row.state == "visited") == 31  # 30 villages and their eldership


def test_the_territory_view_is_for_those_who_read_cases(lt_carer):
    with pytest.raises(Forbidden):
        territory_view(lt_carer, on=ON)


def test_reading_an_event_is_audited_under_its_named_attendees_and_recipients(
    lt_worker2_or_director, planned_event, recipient, resident, lt_centre
):
    neighbour = PersonFactory(centre=lt_centre)
    EventAttendee.objects.create(event=planned_event, person=neighbour, consent="oral", consent_on=ON)
    recipient.person = resident
    recipient.save()

    event = get_event_for(lt_worker2_or_director, planned_event.pk)

    assert [a.person for a in event.attendees.all()] == [neighbour]
    audit = AuditEvent.objects.get(object_type="outreach_event", action="view")
    assert (audit.actor, audit.object_id) == (lt_worker2_or_director, planned_event.pk)
    assert set(AuditEventPerson.objects.filter(event=audit).values_list("person_id", flat=True)) == {
        neighbour.pk,
        resident.pk,
    }


@pytest.fixture
def lt_worker2_or_director(lt_centre):
    return fx._user(lt_centre, "director", "lt_director_reader")


def test_an_event_page_reads_in_a_fixed_number_of_queries(lt_worker, planned_event, django_assert_max_num_queries):
    for i in range(12):
        EventAttendee.objects.create(event=planned_event, name=f"Asmuo {i}", consent="oral", consent_on=ON)
        PotentialRecipient.objects.create(centre=planned_event.centre, event=planned_event, name=f"R {i}", need="x",
                                          found_by=lt_worker, found_on=ON)  # fmt: skip
    lt_worker.centre  # noqa: B018
    with django_assert_max_num_queries(10):
        event = get_event_for(lt_worker, planned_event.pk)
        assert len(event.attendees.all()) == 12


def test_a_page_of_recipients_is_audited_under_the_registered_persons(lt_worker, recipient, resident):
    recipient.person = resident
    recipient.save()
    rows = list(list_recipients_for(lt_worker, status="open"))
    audit_recipients_shown(lt_worker, rows, "")
    audit = AuditEvent.objects.get(object_type="potential_recipient", action="view")
    assert audit.person_id == resident.pk


def test_events_are_filtered_by_the_territorys_subtree_and_status(lt_worker, planned_event, held_event, tree):
    assert list(list_events_for(lt_worker, territory=tree["jasiunai"].pk)) == [planned_event]
    assert list(list_events_for(lt_worker, status="held")) == [held_event]
    assert list(list_events_for(lt_worker, staff=lt_worker.pk)) == [planned_event]
    with pytest.raises(TerritoryOutsideCentre):
        list(list_events_for(lt_worker, territory=tree["outside"].pk))


def test_the_diagnosis_counts_the_registry_cases_and_recipients_of_the_territory(
    lt_worker, lt_centre, tree, resident, recipient
):
    household = HouseholdFactory(centre=lt_centre, territory=tree["village2"])
    for relationship in ("head", "child"):
        MembershipFactory(household=household, person=PersonFactory(centre=lt_centre), relationship=relationship,
                          valid_from=dt.date(2020, 1, 1))  # fmt: skip
    PersonFactory(centre=lt_centre, territory=tree["turgeliai"])  # elsewhere
    CaseFactory(centre=lt_centre, household=household, circumstances=["poverty", "disability"])
    CaseFactory(centre=lt_centre, household=None, person=resident, circumstances=["disability"])
    _event(lt_centre, tree["village"], ON - dt.timedelta(days=3))

    d = community_diagnosis(lt_worker, tree["jasiunai"].pk, on=ON)

    assert (d.population, d.households, d.open_cases) == (3, 1, 2)
    assert d.cases_by_circumstance == [("disability", 2), ("poverty", 1)]
    assert d.recipients["found"] == 1
    assert d.events == {"held": 1, "planned": 1}  # planned_event in Jašiūnai on ON


def test_the_diagnosis_outside_the_area_is_refused(lt_worker, tree):
    with pytest.raises(TerritoryOutsideCentre):
        community_diagnosis(lt_worker, tree["outside"].pk, on=ON)


def test_the_counts_for_the_report(lt_worker, lt_centre, tree, held_event, recipient):
    EventAttendee.objects.create(event=held_event, name="Ona", consent="oral", consent_on=held_event.date)
    LeafletCount.objects.create(event=held_event, service_code="lt.home_help", count=12)
    _event(lt_centre, tree["village"], dt.date(ON.year - 1, 3, 1), headcount=50)  # another year

    counts = outreach_counts(lt_centre, dt.date(ON.year, 1, 1), dt.date(ON.year, 12, 31))

    assert counts.events_held_by_kind == {"preventive_session": 1}
    assert (counts.events_held, counts.headcount, counts.named_attendees) == (1, 14, 1)
    assert counts.leaflets_by_service == {"lt.home_help": 12}
    assert (counts.recipients_found, counts.recipients_contacted) == (1, 0)


def test_an_unknown_territory_filter_is_an_input_error_on_its_field(lt_worker):
    from socius.common.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as failed:
        list(list_events_for(lt_worker, territory=987654))
    assert list(failed.value.errors) == ["territory"]
    with pytest.raises(ValidationFailed):
        list(list_recipients_for(lt_worker, territory=987654))
