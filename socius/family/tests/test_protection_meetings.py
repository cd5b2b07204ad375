"""Meetings on children's cases: scheduling in the pack's bodies, members, agenda, attendance, quorum, decisions
with their forms of care and follow-up tasks, cancelling; the agenda as each reader sees it."""
# ruff: noqa: F811  (the fixtures are imported by name from protection_fixtures: their parameters shadow them)

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from socius.accounts.models import AuditEvent
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.family import protection as svc
from socius.family.errors import InvalidFamilyTransition, NotInPack, QuorumNotMet
from socius.family.models import (
    AgendaItem,
    FamilyEvent,
    FamilyEventKind,
    FollowUpTask,
    Meeting,
    MeetingDecision,
    MeetingMember,
    Placement,
)
from socius.family.selectors_protection import (
    HiddenItem,
    care_history,
    case_tasks,
    meeting_agenda,
    minutes_context,
    tasks_for,
)
from socius.family.statuses import MeetingStatus, TaskStatus
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

pytestmark = pytest.mark.django_db

HELD = dt.date(2025, 3, 10)


def _counts():
    return (
        Meeting.objects.count(),
        MeetingMember.objects.count(),
        AgendaItem.objects.count(),
        MeetingDecision.objects.count(),
        Placement.objects.count(),
        FollowUpTask.objects.count(),
        FamilyEvent.objects.count(),
        AuditEvent.objects.count(),
        tuple(Meeting.objects.values_list("status", "held_on", "minutes").order_by("id")),
        tuple(MeetingMember.objects.values_list("is_present", flat=True).order_by("id")),
    )


def _present(meeting, *users):
    ids = list(MeetingMember.objects.filter(meeting=meeting, user__in=users).values_list("pk", flat=True))
    svc.record_attendance(meeting.created_by, meeting, present_member_ids=ids)


# --- scheduling ---------------------------------------------------------------------------------------------


def test_scheduling_keeps_the_members_and_the_pack_quorum_of_the_voting_ones(meeting, pl_worker, pl_teamlead):
    assert meeting.status == MeetingStatus.SCHEDULED and meeting.chair_id == pl_teamlead.pk
    assert meeting.quorum == 2  # more than half of 3 voting members; the police guest has no vote
    members = list(meeting.members.order_by("id"))
    assert [(m.user_id is not None, m.name, m.is_voting, m.is_present) for m in members][-1] == (
        False,
        "Jan Policjant",
        False,
        None,
    )
    audit = AuditEvent.objects.get(object_type="meeting", action="create")
    assert audit.actor_id == pl_worker.pk and audit.object_id == meeting.pk


def test_a_body_the_centres_pack_does_not_have_is_not_in_pack_and_nothing_is_written(pl_worker, md_worker):
    before = _counts()
    with pytest.raises(NotInPack) as caught:
        svc.schedule_meeting(pl_worker, body="md_commission", scheduled_at=at(HELD))
    assert caught.value.code == "not_in_pack" and "md_commission" in str(caught.value.message)
    with pytest.raises(NotInPack):
        svc.schedule_meeting(md_worker, body="pl_interdisciplinary_team", scheduled_at=at(HELD))
    with pytest.raises(NotInPack):
        svc.schedule_meeting(pl_worker, body="'; drop table", scheduled_at=at(HELD))
    assert _counts() == before


def test_an_md_commission_is_scheduled_in_an_md_centre(md_worker):
    commission = svc.schedule_meeting(
        md_worker,
        body="md_commission",
        scheduled_at=at(HELD),
        members=[svc.MemberInput(name=f"M{i}") for i in range(7)],
    )
    assert commission.quorum == 4


def test_scheduling_refuses_bad_members_and_times_per_field(pl_worker, md_worker):
    before = _counts()
    with pytest.raises(ValidationFailed) as caught:
        svc.schedule_meeting(
            pl_worker,
            body="pl_interdisciplinary_team",
            scheduled_at="tomorrow",
            chair=md_worker,
            members=[svc.MemberInput(user=md_worker), svc.MemberInput(), {"bogus": 1}],
        )
    assert caught.value.errors["scheduled_at"] == ["Enter a date and time."]
    assert caught.value.errors["chair"] == ["Choose an active staff member of the centre."]
    assert caught.value.errors["members"] == [
        "Member 1: choose an active staff member of the centre.",
        "Member 2: choose a staff member or give a name.",
        "Member 3: unknown fields.",
    ]
    assert _counts() == before


def test_those_without_child_protection_work_cannot_schedule(pl_finance, pl_auditor):
    for actor in (pl_finance, pl_auditor):
        with pytest.raises(Forbidden):
            svc.schedule_meeting(actor, body="pl_interdisciplinary_team", scheduled_at=at(HELD))
    assert Meeting.objects.count() == 0


def test_setting_members_replaces_them_and_recomputes_the_quorum(meeting, pl_worker):
    svc.set_meeting_members(pl_worker, meeting, [svc.MemberInput(name=f"N{i}") for i in range(5)])
    meeting.refresh_from_db()
    assert meeting.members.count() == 5 and meeting.quorum == 3


# --- agenda -------------------------------------------------------------------------------------------------


def test_putting_a_case_on_the_agenda_writes_the_item_and_the_case_event(meeting, pl_worker, case, child_record):
    item = svc.put_on_agenda(pl_worker, meeting, case=case, summary="Czy umieścić w pieczy?", child=child_record)
    second = svc.put_on_agenda(pl_worker, meeting, case=case.pk, summary="Rodzina jako całość")
    assert (item.position, second.position) == (1, 2)
    event = FamilyEvent.objects.filter(case=case, kind=FamilyEventKind.AGENDA_ADDED).order_by("id").first()
    assert event.data == {
        "meeting": meeting.pk,
        "item": item.pk,
        "body": "pl_interdisciplinary_team",
        "scheduled_on": "2025-03-10",
        "record": child_record.pk,
    }
    assert AuditEvent.objects.filter(object_type="agenda_item", action="create").count() == 2


def test_a_case_the_actor_cannot_read_is_not_put_on_the_agenda(meeting, pl_worker, other_case, md_worker, case):
    before = _counts()
    with pytest.raises(Forbidden):
        svc.put_on_agenda(pl_worker, meeting, case=other_case, summary="?")
    with pytest.raises(NotFound):
        svc.put_on_agenda(md_worker, meeting, case=case, summary="?")
    assert _counts() == before


def test_agenda_input_is_checked(meeting, pl_worker, case, child_record, other_case, pl_worker2):
    with pytest.raises(ValidationFailed) as caught:
        svc.put_on_agenda(pl_worker, meeting, case=case, summary="  ", child=99999)
    assert caught.value.errors == {
        "summary": ["Say what the meeting is asked to decide."],
        "child": ["Choose a child recorded on this case."],
    }
    svc.put_on_agenda(pl_worker, meeting, case=case, summary="A", child=child_record)
    with pytest.raises(ValidationFailed) as caught:
        svc.put_on_agenda(pl_worker, meeting, case=case, summary="B", child=child_record)
    assert caught.value.errors == {"child": ["This child is already on the meeting's agenda."]}


def test_removing_an_item_without_a_decision(meeting, pl_worker, case):
    item = svc.put_on_agenda(pl_worker, meeting, case=case, summary="A")
    svc.remove_from_agenda(pl_worker, item)
    assert not AgendaItem.objects.exists()
    assert AuditEvent.objects.filter(object_type="agenda_item", action="delete", object_id=item.pk).count() == 1


# --- attendance, quorum and holding ---------------------------------------------------------------------------


def test_holding_without_quorum_is_refused_and_nothing_is_written(meeting, pl_worker):
    _present(meeting, pl_worker)  # 1 of 3 voting members; 2 needed
    before = _counts()
    with pytest.raises(QuorumNotMet) as caught:
        svc.hold_meeting(pl_worker, meeting, held_on=HELD, minutes="Protokół")
    assert (caught.value.present, caught.value.quorum, caught.value.code) == (1, 2, "quorum_not_met")
    assert _counts() == before


def test_the_non_voting_guest_does_not_make_the_quorum(meeting, pl_worker):
    guest = meeting.members.get(name="Jan Policjant")
    own = meeting.members.get(user=pl_worker)
    svc.record_attendance(pl_worker, meeting, present_member_ids=[guest.pk, own.pk])
    with pytest.raises(QuorumNotMet):
        svc.hold_meeting(pl_worker, meeting, held_on=HELD, minutes="")


def test_holding_with_quorum_records_the_minutes_and_moves_to_held_once(meeting, pl_worker, pl_worker2):
    _present(meeting, pl_worker, pl_worker2)
    svc.hold_meeting(pl_worker, meeting, held_on=HELD, minutes="Protokół nr 1")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.held_on, meeting.minutes, meeting.quorum) == ("held", HELD, "Protokół nr 1", 2)
    audit = AuditEvent.objects.filter(object_type="meeting", action="update").latest("id")
    assert audit.changes["status"] == ["scheduled", "held"]
    before = _counts()
    with pytest.raises(InvalidFamilyTransition):
        svc.hold_meeting(pl_worker, meeting, held_on=HELD, minutes="again")
    with pytest.raises(InvalidFamilyTransition):
        svc.cancel_meeting(pl_worker, meeting, reason="late")
    with pytest.raises(Conflict):
        svc.record_attendance(pl_worker, meeting, present_member_ids=[])
    assert _counts() == before


def test_a_diagnostic_group_has_no_quorum_and_is_held_with_whoever_came(pl_worker):
    group = svc.schedule_meeting(
        pl_worker, body="pl_diagnostic_group", scheduled_at=at(HELD), members=[svc.MemberInput(user=pl_worker)]
    )
    assert group.quorum is None
    svc.hold_meeting(pl_worker, group, held_on=HELD, minutes="")
    group.refresh_from_db()
    assert group.status == "held"


def test_attendance_names_only_members_of_the_meeting(meeting, pl_worker):
    other = svc.schedule_meeting(
        pl_worker, body="pl_diagnostic_group", scheduled_at=at(HELD), members=[svc.MemberInput(name="X")]
    )
    before = _counts()
    with pytest.raises(ValidationFailed) as caught:
        svc.record_attendance(pl_worker, meeting, present_member_ids=[other.members.get().pk])
    assert caught.value.errors == {"present_member_ids": ["Choose members of this meeting."]}
    with pytest.raises(ValidationFailed):
        svc.record_attendance(pl_worker, meeting, present_member_ids="1,2")
    assert _counts() == before


def test_cancelling_needs_a_reason(meeting, pl_worker):
    with pytest.raises(ValidationFailed):
        svc.cancel_meeting(pl_worker, meeting, reason="")
    svc.cancel_meeting(pl_worker, meeting, reason="Brak sali")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancellation_reason) == ("cancelled", "Brak sali")


def test_another_centre_cannot_touch_the_meeting(meeting, md_worker, md_director):
    before = _counts()
    for actor in (md_worker, md_director):
        with pytest.raises(NotFound):
            svc.cancel_meeting(actor, meeting, reason="x")
        with pytest.raises(NotFound):
            svc.record_attendance(actor, meeting, present_member_ids=[])
    assert _counts() == before


# --- decisions ----------------------------------------------------------------------------------------------


def test_a_decision_changes_the_form_of_care_and_sets_follow_up_tasks_on_the_case(
    meeting, pl_worker, pl_worker2, pl_teamlead, case, child_record
):
    item = svc.put_on_agenda(pl_worker, meeting, case=case, summary="Piecza?", child=child_record)
    _present(meeting, pl_worker, pl_teamlead)
    svc.hold_meeting(pl_worker, meeting, held_on=HELD, minutes="Protokół")

    decision = svc.record_decision(
        pl_worker,
        item,
        text="Umieścić dziecko w rodzinie zastępczej.",
        form_of_care="foster_family",
        care_from=dt.date(2025, 4, 1),
        support_measures="Terapia rodzinna",
        responsible=[pl_teamlead],
        review_on=dt.date(2025, 9, 1),
        tasks=[
            svc.TaskInput(assigned_to=pl_worker2, description="Wniosek do sądu", due_on=dt.date(2025, 3, 20)),
            svc.TaskInput(assigned_to=pl_worker, description="Wizyta w rodzinie", due_on=dt.date(2025, 4, 15)),
        ],
    )

    # The form of care changed, ordered by the decision.
    history = care_history(child_record)
    assert [(p.form, p.valid_until, p.decision_id) for p in history] == [
        ("own_family", dt.date(2025, 4, 1), None),
        ("foster_family", None, decision.pk),
    ]
    # Each task is on the case, assigned to its person, who becomes responsible.
    tasks = list(case_tasks(case))
    assert [(t.assigned_to_id, t.description, t.decision_id, t.status) for t in tasks] == [
        (pl_worker2.pk, "Wniosek do sądu", decision.pk, TaskStatus.OPEN),
        (pl_worker.pk, "Wizyta w rodzinie", decision.pk, TaskStatus.OPEN),
    ]
    assert set(decision.responsible.values_list("pk", flat=True)) == {pl_teamlead.pk, pl_worker2.pk, pl_worker.pk}
    assert [t.description for t in tasks_for(pl_worker2)] == ["Wniosek do sądu"]
    assert [t.description for t in tasks_for(pl_worker)] == ["Wizyta w rodzinie"]
    assert list(tasks_for(pl_teamlead)) == []
    # The case's timeline shows the decision, the change of care and each task.
    kinds = list(FamilyEvent.objects.filter(case=case).order_by("id").values_list("kind", flat=True))
    assert kinds[-4:] == [
        FamilyEventKind.CARE_CHANGED,
        FamilyEventKind.MEETING_DECISION,
        FamilyEventKind.TASK_CREATED,
        FamilyEventKind.TASK_CREATED,
    ]
    decision_event = FamilyEvent.objects.get(kind=FamilyEventKind.MEETING_DECISION)
    assert decision_event.data["decision"] == decision.pk and decision_event.data["form_of_care"] == "foster_family"
    assert decision_event.data["placement"] == history[-1].pk and decision_event.data["review_on"] == "2025-09-01"
    assert AuditEvent.objects.filter(object_type="meeting_decision", action="create").count() == 1
    assert AuditEvent.objects.filter(object_type="follow_up_task", action="create").count() == 2


def test_a_decision_keeping_the_current_form_of_care_writes_no_placement(
    meeting, pl_worker, pl_teamlead, case, child_record
):
    item = svc.put_on_agenda(pl_worker, meeting, case=case, summary="?", child=child_record)
    _present(meeting, pl_worker, pl_teamlead)
    svc.record_decision(pl_worker, item, text="Pozostaje w rodzinie", form_of_care="own_family", care_from=HELD)
    assert Placement.objects.filter(record=child_record).count() == 1
    assert not FamilyEvent.objects.filter(kind=FamilyEventKind.CARE_CHANGED).exists()


def test_a_decision_before_holding_needs_the_quorum_present_and_writes_nothing_without(
    meeting, pl_worker, pl_worker2, case, child_record
):
    item = svc.put_on_agenda(pl_worker, meeting, case=case, summary="?", child=child_record)
    before = _counts()
    with pytest.raises(QuorumNotMet):
        svc.record_decision(
            pl_worker,
            item,
            text="Umieścić",
            form_of_care="foster_family",
            care_from=dt.date(2025, 4, 1),
            tasks=[svc.TaskInput(assigned_to=pl_worker2, description="X", due_on=HELD)],
        )
    assert _counts() == before


def test_a_decision_input_is_checked_per_field_and_an_item_is_decided_once(
    meeting, pl_worker, pl_teamlead, case, md_worker
):
    item = svc.put_on_agenda(pl_worker, meeting, case=case, summary="?")
    _present(meeting, pl_worker, pl_teamlead)
    before = _counts()
    with pytest.raises(ValidationFailed) as caught:
        svc.record_decision(
            pl_worker,
            item,
            text=" ",
            form_of_care="foster_family",
            care_from=None,
            responsible=[md_worker],
            review_on="soon",
            tasks=[svc.TaskInput(assigned_to=md_worker, description="X", due_on=HELD), {"x": 1}],
        )
    assert caught.value.errors == {
        "text": ["Write the decision."],
        "form_of_care": ["A form of care is decided for a child: the item names no child."],
        "care_from": ["Enter a date."],
        "review_on": ["Enter a date."],
        "responsible": ["Choose staff members of the centre."],
        "tasks": ["Task 1: choose an active staff member of the centre.", "Task 2: unknown fields."],
    }
    assert _counts() == before
    svc.record_decision(pl_worker, item, text="Wsparcie asystenta rodziny")
    with pytest.raises(Conflict):
        svc.record_decision(pl_worker, item, text="again")
    with pytest.raises(Conflict):
        svc.remove_from_agenda(pl_worker, item)


def test_a_worker_who_cannot_read_the_item_cannot_decide_it(meeting, pl_worker, pl_worker3, pl_teamlead, case):
    item = svc.put_on_agenda(pl_worker, meeting, case=case, summary="?")
    _present(meeting, pl_worker, pl_teamlead)
    before = _counts()
    with pytest.raises(Forbidden):
        svc.record_decision(pl_worker3, item, text="X")  # not a member, does not read the case
    assert _counts() == before


# --- follow-up tasks ----------------------------------------------------------------------------------------


def test_a_task_by_hand_is_done_by_its_person_and_refused_twice(pl_worker, pl_worker2, pl_worker3, case):
    task = svc.create_task(pl_worker, case=case, assigned_to=pl_worker2, description="Telefon do szkoły", due_on=HELD)
    assert [t.pk for t in tasks_for(pl_worker2)] == [task.pk]
    with pytest.raises(Forbidden):
        svc.complete_task(pl_worker3, task, done_on=HELD)
    svc.complete_task(pl_worker2, task, done_on=HELD, outcome="Szkoła poinformowana")
    task.refresh_from_db()
    assert (task.status, task.done_on, task.outcome) == ("done", HELD, "Szkoła poinformowana")
    assert list(tasks_for(pl_worker2)) == [] and [t.pk for t in tasks_for(pl_worker2, status=None)] == [task.pk]
    [done] = FamilyEvent.objects.filter(kind=FamilyEventKind.TASK_DONE)
    assert done.data == {"task": task.pk, "done_on": "2025-03-10"}
    before = FamilyEvent.objects.count(), AuditEvent.objects.count()
    with pytest.raises(InvalidFamilyTransition):
        svc.complete_task(pl_worker2, task, done_on=HELD)
    with pytest.raises(InvalidFamilyTransition):
        svc.cancel_task(pl_worker, task, reason="x")
    assert (FamilyEvent.objects.count(), AuditEvent.objects.count()) == before


def test_cancelling_a_task_needs_a_reason_and_another_centre_gets_not_found(pl_worker, md_worker, case):
    task = svc.create_task(pl_worker, case=case, assigned_to=pl_worker, description="X", due_on=HELD)
    with pytest.raises(NotFound):
        svc.cancel_task(md_worker, task, reason="x")
    with pytest.raises(ValidationFailed):
        svc.cancel_task(pl_worker, task, reason=" ")
    svc.cancel_task(pl_worker, task, reason="Nieaktualne")
    task.refresh_from_db()
    assert (task.status, task.outcome) == ("cancelled", "Nieaktualne")


def test_create_task_checks_its_input(pl_worker, md_worker, case, other_case):
    with pytest.raises(ValidationFailed) as caught:
        svc.create_task(pl_worker, case=case, assigned_to=md_worker, description="x" * 501, due_on="jutro")
    assert set(caught.value.errors) == {"assigned_to", "description", "due_on"}
    with pytest.raises(Forbidden):
        svc.create_task(pl_worker, case=other_case, assigned_to=pl_worker, description="x", due_on=HELD)
    assert not FollowUpTask.objects.exists()


# --- the agenda as each reader sees it ---------------------------------------------------------------------------


def test_items_of_cases_the_actor_cannot_read_appear_without_content(
    pl_centre, pl_worker, pl_worker2, pl_worker3, pl_teamlead, pl_director, case, other_case, child_record
):
    meeting = svc.schedule_meeting(
        pl_worker,
        body="pl_interdisciplinary_team",
        scheduled_at=at(HELD),
        members=[svc.MemberInput(user=pl_teamlead)],
    )
    own = svc.put_on_agenda(pl_worker, meeting, case=case, summary="Sprawa Nowaków", child=child_record)
    theirs = svc.put_on_agenda(pl_worker2, meeting, case=other_case, summary="Sprawa Kowali")

    rows = meeting_agenda(pl_worker, meeting)
    assert [(item.pk, visible) for item, visible in rows] == [(own.pk, True), (theirs.pk, False)]
    hidden = rows[1][0]
    assert isinstance(hidden, HiddenItem)
    assert (hidden.summary, hidden.child, hidden.decision, hidden.worker.pk) == ("", None, None, pl_worker2.pk)
    assert rows[0][0].summary == "Sprawa Nowaków"

    # pl_worker3 reads neither case and is no member: both hidden.
    assert [visible for _item, visible in meeting_agenda(pl_worker3, meeting)] == [False, False]
    # The meeting's members and the director see every item whole.
    assert [visible for _item, visible in meeting_agenda(pl_teamlead, meeting)] == [True, True]
    assert [visible for _item, visible in meeting_agenda(pl_director, meeting)] == [True, True]


def test_the_agenda_read_is_audited_under_the_persons_it_showed(pl_worker, meeting, case, child_record, mother, son):
    svc.put_on_agenda(pl_worker, meeting, case=case, summary="?", child=child_record)
    AuditEvent.objects.all().delete()
    meeting_agenda(pl_worker, meeting)
    event = AuditEvent.objects.get(action="view", object_type="meeting")
    shown = {event.person_id, *event.further_persons.values_list("person_id", flat=True)} - {None}
    assert shown == {mother.pk, son.pk}


def test_the_agenda_costs_a_fixed_number_of_queries_whatever_its_length(pl_centre, pl_worker, pl_teamlead, case):
    from socius.casework.tests.factories import CaseFactory

    meeting = svc.schedule_meeting(pl_worker, body="pl_interdisciplinary_team", scheduled_at=at(HELD))

    def agenda_queries():
        fresh = Meeting.objects.get(pk=meeting.pk)
        with CaptureQueriesContext(connection) as queries:
            rows = meeting_agenda(pl_worker, fresh)
        return len(queries), len(rows)

    svc.put_on_agenda(pl_worker, meeting, case=case, summary="1")
    small, _n = agenda_queries()
    for index in range(6):
        other = CaseFactory(centre=pl_centre, assigned_worker=pl_worker if index % 2 else pl_teamlead, team=case.team)
        svc.put_on_agenda(pl_teamlead, meeting, case=other, summary=str(index))
    large, n = agenda_queries()
    assert n == 7
    assert large == small <= 12


def test_minutes_context_holds_the_statutory_name_members_items_and_decisions(
    meeting, pl_worker, pl_worker2, pl_teamlead, case, child_record
):
    item = svc.put_on_agenda(pl_worker, meeting, case=case, summary="Piecza?", child=child_record)
    svc.put_on_agenda(pl_worker, meeting, case=case, summary="Bez decyzji")
    _present(meeting, pl_worker, pl_teamlead)
    svc.hold_meeting(pl_worker, meeting, held_on=HELD, minutes="Protokół")
    svc.record_decision(
        pl_worker,
        item,
        text="Rodzina zastępcza",
        form_of_care="foster_family",
        care_from=dt.date(2025, 4, 1),
        tasks=[svc.TaskInput(assigned_to=pl_worker2, description="Wniosek", due_on=dt.date(2025, 3, 20))],
    )
    context = minutes_context(meeting, "pl")
    assert (context.body_label, context.body_statutory) == ("zespół interdyscyplinarny", "zespół interdyscyplinarny")
    assert context.quorum == 2 and context.voting_present == 2
    assert len(context.present) == 2 and len(context.absent) == 2
    assert [i.summary for i in context.items] == ["Piecza?", "Bez decyzji"]
    first = context.items[0]
    assert first.form_of_care == "rodzina zastępcza niezawodowa lub zawodowa"
    assert first.child_name == f"{child_record.child.first_name} {child_record.child.last_name}"
    assert [t.description for t in first.tasks] == ["Wniosek"] and first.responsible
    assert context.items[1].decision is None
    english = minutes_context(meeting, "en")
    assert english.body_label == "interdisciplinary team" and english.body_statutory == "zespół interdyscyplinarny"
    assert english.items[0].form_of_care == "non-professional or professional foster family"


def test_a_lithuanian_case_management_meeting_decides_without_quorum(lt_centre, lt_worker):
    from socius.casework.tests.factories import CaseFactory
    from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory, TeamFactory

    team = TeamFactory(centre=lt_centre)
    household = HouseholdFactory(centre=lt_centre)
    kid = PersonFactory(centre=lt_centre, birth_date=dt.date(2012, 4, 4))
    MembershipFactory(household=household, person=kid, relationship="child", valid_from=dt.date(2020, 1, 1))
    lt_case = CaseFactory(centre=lt_centre, household=household, assigned_worker=lt_worker, team=team)
    child = record(lt_worker, lt_case, kid)
    conference = svc.schedule_meeting(
        lt_worker,
        body="lt_case_management",
        scheduled_at=at(HELD),
        members=[svc.MemberInput(user=lt_worker), svc.MemberInput(name="Mokyklos atstovas")],
    )
    assert conference.quorum is None
    item = svc.put_on_agenda(lt_worker, conference, case=lt_case, summary="Pagalbos planas", child=child)
    svc.record_decision(lt_worker, item, text="Šeimyna", form_of_care="family_type_home", care_from=dt.date(2025, 4, 1))
    assert [p.form for p in care_history(child)] == ["own_family", "family_type_home"]
    assert minutes_context(conference, "lt").items[0].form_of_care == "šeimyna"


def test_members_of_a_held_meeting_stay_and_outsiders_cannot_set_them(meeting, pl_worker, pl_worker2, pl_finance):
    before = _counts()
    with pytest.raises(Forbidden):
        svc.set_meeting_members(pl_finance, meeting, [svc.MemberInput(name="X")])
    with pytest.raises(ValidationFailed):
        svc.hold_meeting(pl_worker, meeting, held_on=dt.date(2025, 3, 9), minutes="")  # before the scheduled day
    assert _counts() == before
    _present(meeting, pl_worker, pl_worker2)
    svc.hold_meeting(pl_worker, meeting, held_on=HELD, minutes="")
    before = _counts()
    with pytest.raises(Conflict):
        svc.set_meeting_members(pl_worker, meeting, [svc.MemberInput(name="X")])
    assert _counts() == before
