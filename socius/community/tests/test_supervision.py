"""Staff group supervision: planning, recording it as held, cancelling; topics, notes and follow-ups only for
the participants, the facilitator on staff and the director; refusals change nothing; the report's counts."""

from __future__ import annotations

import datetime as dt

import pytest

from socius.accounts.models import AuditEvent
from socius.common.errors import Forbidden, NotFound, ValidationFailed
from socius.community import supervision as services
from socius.community.errors import InvalidCommunityTransition
from socius.community.models import Supervision
from socius.community.selectors_supervision import get_supervision_for, list_supervisions_for, supervision_counts
from socius.community.statuses import FacilitatorKind, SupervisionStatus
from socius.community.tests.calendar_world import DAY, world_fixture  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_a_planned_session_is_created_with_its_participants_and_audited_without_a_person(
    pl_teamlead, pl_worker, pl_assistant
):
    session = services.plan_supervision(
        pl_teamlead, date=DAY, facilitator_kind=FacilitatorKind.INTERNAL, facilitator=pl_teamlead,
        participants=[pl_worker.pk, pl_assistant.pk], starts_at=dt.time(10), ends_at=dt.time(12), on=DAY,
    )  # fmt: skip

    assert session.status == SupervisionStatus.PLANNED
    assert set(session.participants.values_list("pk", flat=True)) == {pl_worker.pk, pl_assistant.pk}
    event = AuditEvent.objects.get(object_type="supervision", object_id=session.pk, action="create")
    assert event.person_id is None
    assert event.changes["facilitator"] == [None, pl_teamlead.pk]
    assert event.changes["participants"] == [None, [pl_worker.pk, pl_assistant.pk]]


def test_planning_names_each_wrong_field_and_writes_nothing(pl_teamlead, md_worker):
    with pytest.raises(ValidationFailed) as refusal:
        services.plan_supervision(
            pl_teamlead, date="tomorrow", facilitator_kind=FacilitatorKind.INTERNAL, facilitator=md_worker,
            participants=[md_worker.pk], starts_at=dt.time(12), ends_at=dt.time(11), on=DAY,
        )  # fmt: skip

    assert set(refusal.value.errors) == {"date", "facilitator", "participants", "ends_at"}
    assert not Supervision.objects.exists()
    assert not AuditEvent.objects.filter(object_type="supervision").exists()


def test_an_external_supervisor_needs_a_name(pl_teamlead):
    with pytest.raises(ValidationFailed) as refusal:
        services.plan_supervision(pl_teamlead, date=DAY, facilitator_kind=FacilitatorKind.EXTERNAL, on=DAY)
    assert list(refusal.value.errors) == ["facilitator_name"]


def test_those_who_do_not_do_community_work_may_not_plan(pl_finance, pl_admin):
    for actor in (pl_finance, pl_admin):
        with pytest.raises(Forbidden):
            services.plan_supervision(actor, date=DAY, facilitator_kind="external", facilitator_name="X", on=DAY)
    assert not Supervision.objects.exists()


def test_a_participant_records_the_session_held_with_notes_and_follow_ups(world, pl_worker, pl_assistant):
    session = world["session"]

    services.record_supervision_held(
        pl_worker, session, participants=[pl_worker.pk, pl_assistant.pk], topics="Burnout", notes="Rotate duty",
        follow_ups=[services.FollowUpInput(text="Draft the new duty rota", responsible=pl_worker, due_on=DAY)],
        on=DAY,
    )  # fmt: skip

    session.refresh_from_db()
    assert (session.status, session.topics, session.notes) == ("held", "Burnout", "Rotate duty")
    assert list(session.follow_ups.values_list("text", "responsible_id")) == [("Draft the new duty rota", pl_worker.pk)]
    event = AuditEvent.objects.get(object_type="supervision", object_id=session.pk, action="update")
    assert event.changes["status"] == ["planned", "held"]
    assert event.changes["notes"] == ["…", "…"]  # that they changed, never what they say
    assert "Rotate" not in str(event.changes)


def test_a_non_participant_may_not_record_the_notes_and_nothing_changes(world, pl_worker2):
    session = world["session"]

    with pytest.raises(Forbidden):
        services.record_supervision_held(pl_worker2, session, participants=[pl_worker2.pk], notes="x", on=DAY)

    session.refresh_from_db()
    assert (session.status, session.notes) == ("planned", "Agreed: rotate the night duty")


def test_a_session_of_another_centre_is_not_found(world, md_worker):
    with pytest.raises(NotFound):
        services.cancel_supervision(md_worker, world["session"], on=DAY)
    assert Supervision.objects.get(pk=world["session"].pk).status == "planned"


def test_a_held_session_cannot_be_cancelled(world, pl_worker, pl_assistant):
    session = world["session"]
    services.record_supervision_held(pl_worker, session, participants=[pl_worker.pk], on=DAY)
    before = AuditEvent.objects.count()

    with pytest.raises(InvalidCommunityTransition) as refusal:
        services.cancel_supervision(pl_assistant, session, on=DAY)

    assert refusal.value.code == "invalid_transition"
    assert Supervision.objects.get(pk=session.pk).status == "held"
    assert AuditEvent.objects.count() == before


def test_a_session_planned_for_a_later_day_is_not_held_yet(world, pl_worker):
    with pytest.raises(ValidationFailed) as refusal:
        services.record_supervision_held(
            pl_worker, world["session"], participants=[pl_worker.pk], on=DAY - dt.timedelta(days=1)
        )
    assert list(refusal.value.errors) == ["date"]


def test_a_cancelled_session_is_planned_again_on_a_new_date(world, pl_worker2):
    session = services.cancel_supervision(pl_worker2, world["session"], on=DAY)
    assert session.status == "cancelled"

    session = services.replan_supervision(pl_worker2, session, date=DAY + dt.timedelta(days=7), on=DAY)

    assert (session.status, session.date) == ("planned", DAY + dt.timedelta(days=7))


@pytest.mark.parametrize(
    ("persona", "reads"),
    [("pl_worker", True), ("pl_assistant", True), ("pl_director", True), ("pl_worker2", False),
     ("pl_teamlead", False), ("pl_admin", False)],
)  # fmt: skip
def test_the_notes_are_read_only_by_the_participants_and_the_director(world, request, persona, reads):
    actor = request.getfixturevalue(persona)

    session = get_supervision_for(actor, world["session"].pk)
    listed = list_supervisions_for(actor).get(pk=world["session"].pk)

    assert session.can_read_notes is reads and listed.can_read_notes is reads
    assert listed.participant_count == 2 and session.participant_count == 2
    assert (session.notes == "Agreed: rotate the night duty") is reads
    assert (session.topics == "Burnout after the Kowalski case") is reads
    assert AuditEvent.objects.filter(object_type="supervision", action="view", actor=actor).exists() is reads


def test_the_facilitator_on_staff_reads_the_notes(world, pl_worker2):
    Supervision.objects.filter(pk=world["session"].pk).update(
        facilitator_kind=FacilitatorKind.INTERNAL, facilitator=pl_worker2, facilitator_name=""
    )
    assert get_supervision_for(pl_worker2, world["session"].pk).can_read_notes is True


def test_the_list_is_set_based(world, pl_worker, django_assert_max_num_queries):
    for _ in range(5):
        Supervision.objects.create(
            centre=world["session"].centre, date=DAY, facilitator_kind="external", facilitator_name="X"
        )
    with django_assert_max_num_queries(1):
        rows = list(list_supervisions_for(pl_worker))
    assert len(rows) == 6


def test_the_counts_for_the_report(world, pl_worker, pl_assistant, pl_worker2):
    services.record_supervision_held(
        pl_worker, world["session"], participants=[pl_worker.pk, pl_assistant.pk, pl_worker2.pk],
        follow_ups=[{"text": "Rota"}, {"text": "Leave plan"}], on=DAY,
    )  # fmt: skip
    services.plan_supervision(
        pl_worker, date=DAY + dt.timedelta(days=3), facilitator_kind="external", facilitator_name="Y", on=DAY
    )
    services.plan_supervision(
        pl_worker, date=dt.date(2026, 5, 1), facilitator_kind="external", facilitator_name="Y", on=DAY
    )

    counts = supervision_counts(world["session"].centre, (dt.date(2026, 3, 1), dt.date(2026, 3, 31)))

    assert counts.held == 1 and counts.planned == 1 and counts.cancelled == 0
    assert counts.participations == 3 and counts.distinct_participants == 3
    assert counts.external == 1 and counts.follow_ups == 2
