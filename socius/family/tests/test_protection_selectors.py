"""Reads of child protection: who sees which child, filters, care history, meetings in a period, bounded queries,
and what the centre's pack says about its bodies and forms of care."""
# ruff: noqa: F811  (the fixtures are imported by name from protection_fixtures: their parameters shadow them)

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from socius.accounts.models import AuditEvent
from socius.common.errors import Forbidden, NotFound
from socius.family import protection as svc
from socius.family.errors import NotInPack
from socius.family.models import ChildInDifficulty, Meeting
from socius.family.rules_protection import (
    body_info,
    form_of_care_label,
    form_of_care_labels,
    meeting_bodies,
    quorum_for,
)
from socius.family.selectors_protection import (
    ChildNotFound,
    MeetingNotFound,
    audit_children_list,
    care_history,
    case_children,
    current_placement,
    get_child_for,
    get_meeting_for,
    get_task_for,
    list_children_for,
    list_meetings_for,
    tasks_for,
)
from socius.family.tests.protection_fixtures import (  # noqa: F401  (fixtures)
    at,
    case,
    child_record,
    english,
    family_team,
    household,
    md_case,
    meeting,
    mother,
    other_case,
    pl_worker3,
    record,
    son,
)
from socius.testing.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


# --- children ---------------------------------------------------------------------------------------------


def test_get_child_for_answers_its_readers_and_not_found_to_others(
    pl_worker, pl_teamlead, pl_director, pl_worker2, pl_worker3, md_worker, child_record
):
    for reader in (pl_worker, pl_teamlead, pl_director):
        assert get_child_for(reader, child_record.pk).pk == child_record.pk
    for stranger in (pl_worker2, pl_worker3, md_worker):
        with pytest.raises(ChildNotFound):
            get_child_for(stranger, child_record.pk)
    # Both conventions of "not found" catch it.
    with pytest.raises(NotFound):
        get_child_for(pl_worker2, child_record.pk)
    with pytest.raises(ChildInDifficulty.DoesNotExist):
        get_child_for(pl_worker2, "x")


def test_reading_a_child_is_audited_under_the_child(pl_worker, child_record):
    AuditEvent.objects.all().delete()
    get_child_for(pl_worker, child_record.pk)
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.object_id, event.person_id) == (
        "view",
        "child_in_difficulty",
        child_record.pk,
        child_record.child_id,
    )
    get_child_for(pl_worker, child_record.pk, audit=False)
    assert AuditEvent.objects.count() == 1


def test_the_responsible_worker_sees_the_child_without_reading_the_case(pl_worker, pl_worker2, case, son):
    child = record(pl_worker, case, son, responsible_worker=pl_worker2)
    assert get_child_for(pl_worker2, child.pk).pk == child.pk
    assert [c.pk for c in list_children_for(pl_worker2)] == [child.pk]


def test_list_children_shows_what_the_actor_may_see_and_filters_narrow(
    pl_centre, pl_worker, pl_worker2, pl_director, pl_finance, md_worker, case, son, other_case, household
):
    mine = record(pl_worker, case, son, risks=["neglect", "violence"])
    sister = PersonFactory(centre=pl_centre, first_name="Zofia", last_name="Nowak", birth_date=dt.date(2012, 1, 1))
    MembershipFactory(household=household, person=sister, relationship="child", valid_from=dt.date(2020, 1, 1))
    closed = record(pl_worker, case, sister, risks=["begging"])
    svc.close_child(pl_worker, closed, closed_on=dt.date(2025, 5, 1), note="ok")
    theirs = record(pl_worker2, other_case, other_case.test_child, responsible_worker=pl_worker2)

    assert {c.pk for c in list_children_for(pl_worker)} == {mine.pk, closed.pk}
    assert {c.pk for c in list_children_for(pl_worker2)} == {theirs.pk}
    assert {c.pk for c in list_children_for(pl_director)} == {mine.pk, closed.pk, theirs.pk}
    assert list(list_children_for(pl_finance)) == []
    assert list(list_children_for(md_worker)) == []

    assert [c.pk for c in list_children_for(pl_director, status="closed")] == [closed.pk]
    assert [c.pk for c in list_children_for(pl_director, risk="violence")] == [mine.pk]
    assert list(list_children_for(pl_director, risk="viol")) == []  # a code, not a fragment
    assert list(list_children_for(pl_director, status="bogus")) == []
    assert [c.pk for c in list_children_for(pl_director, worker_id=pl_worker2.pk)] == [theirs.pk]
    assert list(list_children_for(pl_director, worker_id="x")) == []
    assert [c.pk for c in list_children_for(pl_director, q="zofia")] == [closed.pk]
    assert {c.pk for c in list_children_for(pl_director, q=case.reference)} == {mine.pk, closed.pk}
    assert list(list_children_for(pl_director, q="' OR 1=1 --")) == []


def test_list_children_costs_a_fixed_number_of_queries(pl_centre, pl_director, pl_worker, case, household, son):
    def run():
        with CaptureQueriesContext(connection) as queries:
            rows = list(list_children_for(pl_director))
            for row in rows:
                (row.child.last_name, row.case.reference, row.responsible_worker.username, current_placement(row))
        return len(queries), len(rows)

    record(pl_worker, case, son)
    small, _n = run()
    for index in range(5):
        kid = PersonFactory(centre=pl_centre, birth_date=dt.date(2014, 1, 1 + index))
        MembershipFactory(household=household, person=kid, relationship="child", valid_from=dt.date(2020, 1, 1))
        record(pl_worker, case, kid)
    large, n = run()
    assert n == 6 and large == small <= 3


def test_the_list_audit_names_every_child_shown(pl_worker, child_record):
    AuditEvent.objects.all().delete()
    audit_children_list(pl_worker, list_children_for(pl_worker), query="Nowak")
    event = AuditEvent.objects.get()
    assert event.person_id == child_record.child_id and event.changes == {"search": [None, "Nowak"]}


def test_care_history_is_in_time_order_and_case_children_lists_the_case(pl_worker, case, child_record):
    svc.change_form_of_care(pl_worker, child_record, form="residential_care", valid_from=dt.date(2025, 5, 1))
    svc.change_form_of_care(
        pl_worker, child_record, form="foster_family", valid_from=dt.date(2025, 4, 1) + dt.timedelta(days=60)
    )
    forms = [p.form for p in care_history(child_record)]
    assert forms == ["own_family", "residential_care", "foster_family"]
    assert [c.pk for c in case_children(case)] == [child_record.pk]
    assert current_placement(case_children(case)[0]).form == "foster_family"


# --- meetings and tasks -----------------------------------------------------------------------------------


def test_meetings_are_seen_by_the_centres_child_protection_staff_only(meeting, pl_worker3, pl_finance, md_worker):
    assert get_meeting_for(pl_worker3, meeting.pk).pk == meeting.pk
    for stranger in (pl_finance, md_worker):
        with pytest.raises(MeetingNotFound):
            get_meeting_for(stranger, meeting.pk)
        assert list(list_meetings_for(stranger)) == []
    with pytest.raises(Meeting.DoesNotExist):
        get_meeting_for(pl_worker3, "1; drop")


def test_list_meetings_filters_by_period_and_body(pl_worker, meeting):
    group = svc.schedule_meeting(pl_worker, body="pl_diagnostic_group", scheduled_at=at(dt.date(2025, 4, 2)))
    assert [m.pk for m in list_meetings_for(pl_worker)] == [meeting.pk, group.pk]
    assert [m.pk for m in list_meetings_for(pl_worker, date_from=dt.date(2025, 4, 1))] == [group.pk]
    assert [m.pk for m in list_meetings_for(pl_worker, date_until=dt.date(2025, 3, 11))] == [meeting.pk]
    assert [m.pk for m in list_meetings_for(pl_worker, body="pl_diagnostic_group")] == [group.pk]
    assert list(list_meetings_for(pl_worker, body="nope")) == []
    assert list_meetings_for(pl_worker)[0].agenda_count == 0


def test_get_task_for_its_person_and_the_case_readers(pl_worker, pl_worker2, pl_worker3, md_worker, case):
    task = svc.create_task(pl_worker, case=case, assigned_to=pl_worker2, description="X", due_on=dt.date(2025, 3, 9))
    assert get_task_for(pl_worker2, task.pk).pk == task.pk
    assert get_task_for(pl_worker, task.pk).pk == task.pk
    for stranger in (pl_worker3, md_worker):
        with pytest.raises(NotFound):
            get_task_for(stranger, task.pk)


# --- the pack's bodies and forms of care ----------------------------------------------------------------------


def test_each_centre_offers_its_packs_bodies_in_the_readers_language(pl_centre, md_centre, lt_centre):
    assert [b.code for b in meeting_bodies(pl_centre)] == ["pl_interdisciplinary_team", "pl_diagnostic_group"]
    assert [b.code for b in meeting_bodies(md_centre)] == ["md_commission"]
    assert [b.code for b in meeting_bodies(lt_centre)] == ["lt_child_rights", "lt_case_management"]
    [commission] = meeting_bodies(md_centre, language="ru")
    assert commission.label == "Комиссия по защите ребёнка, находящегося в трудной ситуации"
    assert commission.statutory == "Comisia pentru protecția copilului aflat în dificultate"
    assert commission.legal_basis.startswith("HG nr. 7 din 20.01.2016")
    assert commission.quorum_rule == "more_than_half" and commission.language == "ro"
    assert commission.quorum_text == "more than half of the voting members present"
    with translation.override("ro"):
        assert meeting_bodies(md_centre)[0].label == "Comisia pentru protecția copilului aflat în dificultate"
    assert body_info(lt_centre, "lt_case_management", language="en").label == "Case-management meeting"


def test_quorum_for_follows_the_pack_and_refuses_other_bodies(pl_centre, md_centre):
    assert [quorum_for(md_centre, "md_commission", n, dt.date(2025, 1, 1)) for n in (0, 1, 5, 6, 7)] == [1, 1, 3, 4, 4]
    assert quorum_for(md_centre, "md_commission", 7, dt.date(2015, 1, 1)) is None  # before the rule
    assert quorum_for(pl_centre, "pl_diagnostic_group", 5, dt.date(2025, 1, 1)) is None
    with pytest.raises(NotInPack):
        quorum_for(pl_centre, "md_commission", 5, dt.date(2025, 1, 1))
    with pytest.raises(NotInPack):
        body_info(md_centre, "lt_child_rights")


def test_forms_of_care_carry_the_statutory_names_of_the_country(pl_centre, md_centre, lt_centre):
    assert form_of_care_label(md_centre, "foster_family", language="ro") == "asistență parentală profesionistă"
    assert form_of_care_label(md_centre, "foster_family", language="en") == "professional parental care"
    assert form_of_care_label(pl_centre, "family_type_home", language="pl") == "rodzinny dom dziecka"
    assert form_of_care_label(lt_centre, "family_type_home", language="lt") == "šeimyna"
    labels = form_of_care_labels(lt_centre, language="ru")
    assert set(labels) == {
        "own_family",
        "extended_family",
        "foster_family",
        "family_type_home",
        "residential_care",
        "adoption",
    }
    assert labels["adoption"] == "усыновление"


def test_meeting_and_task_lists_cost_one_query_whatever_their_length(pl_worker, pl_teamlead, case):
    def run(selector):
        with CaptureQueriesContext(connection) as queries:
            rows = list(selector())
            for row in rows:
                str(getattr(row, "chair", None)) if isinstance(row, Meeting) else (row.case.reference, row.decision)
        return len(queries), len(rows)

    svc.schedule_meeting(
        pl_worker, body="pl_interdisciplinary_team", scheduled_at=at(dt.date(2025, 3, 1)), chair=pl_teamlead
    )
    svc.create_task(pl_worker, case=case, assigned_to=pl_worker, description="1", due_on=dt.date(2025, 3, 9))
    small_meetings, _n = run(lambda: list_meetings_for(pl_worker))
    small_tasks, _n = run(lambda: tasks_for(pl_worker))
    for day in range(2, 8):
        svc.schedule_meeting(
            pl_worker, body="pl_diagnostic_group", scheduled_at=at(dt.date(2025, 3, day)), chair=pl_teamlead
        )
        svc.create_task(pl_worker, case=case, assigned_to=pl_worker, description=str(day), due_on=dt.date(2025, 3, day))
    assert run(lambda: list_meetings_for(pl_worker)) == (small_meetings, 7)
    assert run(lambda: tasks_for(pl_worker)) == (small_tasks, 7)
    assert small_meetings == small_tasks == 1


def test_removing_an_item_is_refused_to_who_cannot_read_it_and_nothing_changes(meeting, pl_worker, pl_worker3, case):
    from socius.family.models import AgendaItem

    item = svc.put_on_agenda(pl_worker, meeting, case=case, summary="A")
    before = AuditEvent.objects.count()
    with pytest.raises(Forbidden):
        svc.remove_from_agenda(pl_worker3, item)
    assert AgendaItem.objects.filter(pk=item.pk).exists() and AuditEvent.objects.count() == before
