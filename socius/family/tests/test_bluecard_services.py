"""The Blue Card's services: starting (NK-A), the group, forms, meetings, plan, monitoring, status and closure."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from socius.accounts.audit import persons_of_events
from socius.accounts.models import AuditEvent
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.family.bluecards import (
    add_group_member,
    add_monitoring_note,
    add_plan_item,
    change_blue_card_status,
    close_blue_card,
    mark_plan_item_done,
    record_form,
    record_meeting,
    remove_group_member,
    start_blue_card,
)
from socius.family.bluecards.rules import deadlines, offers_blue_card
from socius.family.bluecards.selectors import get_blue_card_for, list_blue_cards_for
from socius.family.errors import InvalidFamilyTransition
from socius.family.models import (
    BlueCard,
    BlueCardEvent,
    BlueCardFormRecord,
    BlueCardMeeting,
    BlueCardMember,
    BlueCardMonitoring,
    BlueCardParty,
    BlueCardPlanItem,
    FamilyEvent,
)
from socius.family.statuses import BlueCardClosureGround, BlueCardForm, BlueCardInitiator, BlueCardStatus
from socius.family.tests import bluecard_fixtures
from socius.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db

# Shared fixtures (a PL family: one person affected, a child, a suspect; a card started by pl_worker).
family = bluecard_fixtures.family
card = bluecard_fixtures.card
DAY = bluecard_fixtures.DAY


def _start(actor, **overrides):
    data = {
        "initiator": BlueCardInitiator.POLICE,
        "started_on": DAY,
        "received_on": DAY,
        "victims": [],
        "suspects": [],
    }
    data.update(overrides)
    return start_blue_card(actor, **data)


# --- starting --------------------------------------------------------------------------------------


def test_starting_lists_every_party_numbers_the_card_and_makes_the_starter_a_member(pl_worker, family, card):
    assert card.reference == "NK/1/2026" and card.status == BlueCardStatus.STARTED
    roles = dict(BlueCardParty.objects.filter(card=card).values_list("person_id", "role"))
    assert roles == {family["victim"].pk: "victim", family["child"].pk: "victim", family["suspect"].pk: "suspect"}
    assert list(BlueCardMember.objects.filter(card=card).values_list("user_id", "removed_on")) == [(pl_worker.pk, None)]
    nka = BlueCardFormRecord.objects.get(card=card)
    assert (nka.form, nka.filled_on, nka.answers) == (BlueCardForm.NK_A, DAY, {"IV": "przemoc psychiczna"})
    # 2 March 2026 is a Monday: 5 working days later is Monday 9 March.
    assert card.first_meeting_due_on == dt.date(2026, 3, 9)
    assert list(BlueCardEvent.objects.filter(card=card).values_list("kind", flat=True)) == ["started"]
    event = AuditEvent.objects.get(object_type="blue_card", object_id=card.pk, action="create")
    assert set(persons_of_events([event])[event.pk]) == set(roles)
    second = _start(pl_worker, victims=[family["victim"].pk], suspects=[family["suspect"].pk])
    assert second.reference == "NK/2/2026"
    assert not FamilyEvent.objects.exists()  # never on the case timeline


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"suspects": "S"}, "victims"),
        ({"victims": "V"}, "suspects"),
        ({"victims": "V", "suspects": "V"}, "suspects"),
        ({"victims": [10**9], "suspects": "S"}, "victims"),
        ({"victims": "V", "suspects": "S", "initiator": "neighbour"}, "initiator"),
        ({"victims": "V", "suspects": "S", "received_on": DAY - dt.timedelta(days=1)}, "received_on"),
        ({"victims": "V", "suspects": "S", "started_on": "2026-03-02"}, "started_on"),
        ({"victims": "V", "suspects": "S", "answers": ["x"]}, "answers"),
    ],
)
def test_starting_refuses_with_field_named_translated_errors_and_writes_nothing(pl_worker, family, overrides, field):
    ids = {"V": [family["victim"].pk], "S": [family["suspect"].pk]}
    data = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in overrides.items()}
    with translation.override("pl"), pytest.raises(ValidationFailed) as refused:
        _start(pl_worker, **data)
    assert field in refused.value.errors
    assert BlueCard.objects.count() == 0 and BlueCardParty.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_starting_without_any_victim_or_suspect_says_so_in_polish(pl_worker):
    with translation.override("pl"), pytest.raises(ValidationFailed) as refused:
        _start(pl_worker)
    messages = {k: [str(m) for m in v] for k, v in refused.value.errors.items()}
    assert set(messages) == {"victims", "suspects"}
    assert all(m and m[0] for m in messages.values())


def test_a_person_of_another_centre_cannot_be_listed(pl_worker, md_centre, family):
    stranger = PersonFactory(centre=md_centre)
    with pytest.raises(ValidationFailed) as refused:
        _start(pl_worker, victims=[stranger.pk], suspects=[family["suspect"].pk])
    assert list(refused.value.errors) == ["victims"] and BlueCard.objects.count() == 0


def test_only_poland_offers_the_blue_card(md_worker, lt_worker, pl_centre, md_centre):
    assert offers_blue_card(pl_centre, DAY) and not offers_blue_card(md_centre, DAY)
    assert not offers_blue_card(pl_centre, dt.date(2023, 9, 27))  # the 2023 regulation applies from 28.09.2023
    for worker in (md_worker, lt_worker):
        with pytest.raises(NotFound):
            _start(worker, victims=[1], suspects=[2])
        with pytest.raises(NotFound):
            list_blue_cards_for(worker)
    assert BlueCard.objects.count() == 0


def test_roles_without_the_right_cannot_start(pl_auditor, pl_finance, family):
    for actor in (pl_auditor, pl_finance):
        with pytest.raises(Forbidden):
            _start(actor, victims=[family["victim"].pk], suspects=[family["suspect"].pk])
    assert BlueCard.objects.count() == 0


def test_deadlines_are_dated_parameters_marked_not_confirmed(card):
    got = {d.name: (d.due_on, d.days, d.confirmed) for d in deadlines(card)}
    assert got == {
        "nka_to_chair_deadline": (dt.date(2026, 3, 9), 5, False),
        "chair_to_group_deadline": (dt.date(2026, 3, 5), 3, False),
        "first_meeting_deadline": (dt.date(2026, 3, 9), 5, False),
    }
    assert all("NOT CONFIRMED" in d.source for d in deadlines(card))


# --- who sees ----------------------------------------------------------------------------------------


def test_only_current_staff_members_and_the_director_see_the_card(
    card, pl_worker, pl_worker2, pl_director, pl_auditor, pl_teamlead, md_director
):
    assert get_blue_card_for(pl_worker, card.pk) == card
    assert get_blue_card_for(pl_director, card.pk) == card
    for outsider in (pl_worker2, pl_auditor, pl_teamlead):
        with pytest.raises(NotFound):
            get_blue_card_for(outsider, card.pk)
        assert list(list_blue_cards_for(outsider)) == []
    with pytest.raises(NotFound):
        get_blue_card_for(md_director, card.pk)


def test_a_removed_member_loses_access(card, pl_worker, pl_worker2):
    added = add_group_member(pl_worker, card, on=DAY, user=pl_worker2)
    assert get_blue_card_for(pl_worker2, card.pk) == card
    remove_group_member(pl_worker, card, member=added, on=DAY + dt.timedelta(days=3))
    with pytest.raises(NotFound):
        get_blue_card_for(pl_worker2, card.pk)
    assert list(list_blue_cards_for(pl_worker2)) == []
    with pytest.raises(NotFound):
        record_meeting(pl_worker2, card, held_on=DAY, notes="x")


def test_a_non_member_cannot_write_and_nothing_changes(card, pl_worker2, family):
    before = BlueCardEvent.objects.count()
    with pytest.raises(NotFound):
        add_group_member(pl_worker2, card, on=DAY, user=pl_worker2)
    with pytest.raises(NotFound):
        add_monitoring_note(pl_worker2, card, on=DAY, note="x")
    assert BlueCardMember.objects.filter(card=card).count() == 1 and BlueCardEvent.objects.count() == before


# --- the group ---------------------------------------------------------------------------------------


def test_group_membership_staff_and_outside_members(card, pl_worker, pl_worker2, pl_finance, md_worker):
    police = add_group_member(pl_worker, card, on=DAY, name="asp. Jan Nowak", institution="KPP Radom", role="policjant")
    assert (police.user_id, police.name, police.institution) == (None, "asp. Jan Nowak", "KPP Radom")
    for user, field in ((pl_finance, "user"), (md_worker, "user"), (pl_worker, "user"), (None, "name")):
        with pytest.raises(ValidationFailed) as refused:
            add_group_member(pl_worker, card, on=DAY, user=user)
        assert list(refused.value.errors) == [field]
    assert BlueCardMember.objects.filter(card=card).count() == 2
    # the last staff member cannot leave: the card would have no one of the centre working it
    me = BlueCardMember.objects.get(card=card, user=pl_worker)
    with pytest.raises(Conflict):
        remove_group_member(pl_worker, card, member=me, on=DAY)
    assert BlueCardMember.objects.get(pk=me.pk).removed_on is None
    remove_group_member(pl_worker, card, member=police, on=DAY)  # outside members can leave
    kinds = list(BlueCardEvent.objects.filter(card=card).values_list("kind", flat=True))
    assert kinds == ["started", "member_added", "member_removed"]


# --- forms, meetings, plan, monitoring -----------------------------------------------------------------


def test_forms_are_filled_in_with_the_right_person(card, pl_worker, family):
    nkc = record_form(
        pl_worker, card, form=BlueCardForm.NK_C, filled_on=DAY, person=family["victim"], answers={"I": "x"}
    )
    nkd = record_form(pl_worker, card, form=BlueCardForm.NK_D, filled_on=DAY, person=family["suspect"])
    assert (nkc.person_id, nkd.person_id) == (family["victim"].pk, family["suspect"].pk)
    refusals = [
        (BlueCardForm.NK_C, family["suspect"], "person"),  # NK-C with the person affected only
        (BlueCardForm.NK_D, family["victim"], "person"),  # NK-D with the suspect only
        (BlueCardForm.NK_B, family["suspect"], "person"),
        (BlueCardForm.NK_A, family["victim"], "form"),
        ("nk_z", family["victim"], "form"),
    ]
    for form, person, field in refusals:
        with pytest.raises(ValidationFailed) as refused:
            record_form(pl_worker, card, form=form, filled_on=DAY, person=person)
        assert field in refused.value.errors
    assert BlueCardFormRecord.objects.filter(card=card).count() == 3


def test_the_first_meeting_sets_the_group_to_work(card, pl_worker):
    member = BlueCardMember.objects.get(card=card)
    meeting = record_meeting(
        pl_worker,
        card,
        held_on=DAY + dt.timedelta(days=2),
        notes="Ocena sytuacji",
        place="GOPS",
        present=[member.pk],
        next_meeting_on=DAY + dt.timedelta(days=30),
    )
    assert list(meeting.present.all()) == [member]
    card.refresh_from_db()
    assert card.status == BlueCardStatus.IN_PROGRESS
    with pytest.raises(ValidationFailed) as refused:
        record_meeting(pl_worker, card, held_on=DAY, notes="", present=[10**9])
    assert set(refused.value.errors) == {"notes", "present"}
    assert BlueCardMeeting.objects.count() == 1


def test_plan_measures_for_the_person_affected(card, pl_worker, family):
    item = add_plan_item(
        pl_worker,
        card,
        person=family["victim"],
        measure="Konsultacja psychologiczna",
        responsible="PIK",
        agreed_on=DAY,
        due_on=DAY + dt.timedelta(days=14),
    )
    with pytest.raises(ValidationFailed) as refused:
        add_plan_item(pl_worker, card, person=family["suspect"], measure="", responsible="", agreed_on=DAY)
    assert set(refused.value.errors) == {"person", "measure", "responsible"}
    mark_plan_item_done(pl_worker, card, item=item, done_on=DAY + dt.timedelta(days=10))
    with pytest.raises(ValidationFailed):
        mark_plan_item_done(pl_worker, card, item=item, done_on=DAY + dt.timedelta(days=11))
    item.refresh_from_db()
    assert item.done_on == DAY + dt.timedelta(days=10) and BlueCardPlanItem.objects.count() == 1


# --- status and closing --------------------------------------------------------------------------------


def test_status_moves_follow_the_map_and_invalid_moves_change_nothing(card, pl_worker):
    with pytest.raises(InvalidFamilyTransition):
        change_blue_card_status(pl_worker, card, to=BlueCardStatus.MONITORING, on=DAY)
    card.refresh_from_db()
    assert card.status == BlueCardStatus.STARTED
    change_blue_card_status(pl_worker, card, to=BlueCardStatus.IN_PROGRESS, on=DAY)
    change_blue_card_status(pl_worker, card, to=BlueCardStatus.MONITORING, on=DAY)
    card.refresh_from_db()
    assert card.status == BlueCardStatus.MONITORING
    statuses = [e.data["to"] for e in BlueCardEvent.objects.filter(card=card, kind="status_changed")]
    assert statuses == ["in_progress", "monitoring"]


def test_closing_needs_a_ground_and_a_carried_out_plan(card, pl_worker, family):
    with pytest.raises(ValidationFailed) as refused:
        close_blue_card(pl_worker, card, closed_on=DAY, ground="")
    assert list(refused.value.errors) == ["closure_ground"]
    item = add_plan_item(pl_worker, card, person=family["victim"], measure="m", responsible="r", agreed_on=DAY)
    with pytest.raises(Conflict) as conflict:
        close_blue_card(pl_worker, card, closed_on=DAY, ground=BlueCardClosureGround.VIOLENCE_CEASED)
    assert conflict.value.code == "plan_not_done"
    card.refresh_from_db()
    assert (card.status, card.closed_on, card.closure_ground) == (BlueCardStatus.STARTED, None, "")
    mark_plan_item_done(pl_worker, card, item=item, done_on=DAY)
    close_blue_card(
        pl_worker,
        card,
        closed_on=DAY + dt.timedelta(days=90),
        ground=BlueCardClosureGround.VIOLENCE_CEASED,
        note="Plan zrealizowany",
    )
    card.refresh_from_db()
    assert (card.status, card.closed_on, card.closure_ground) == (
        BlueCardStatus.CLOSED,
        DAY + dt.timedelta(days=90),
        BlueCardClosureGround.VIOLENCE_CEASED,
    )
    audit = AuditEvent.objects.filter(object_type="blue_card", object_id=card.pk, action="update").last()
    assert audit.changes["status"] == ["started", "closed"]
    # a closed card moves nowhere, takes no more meetings, but monitoring continues
    with pytest.raises(InvalidFamilyTransition):
        change_blue_card_status(pl_worker, card, to=BlueCardStatus.IN_PROGRESS, on=DAY)
    with pytest.raises(Conflict):
        record_meeting(pl_worker, card, held_on=DAY, notes="x")
    note = add_monitoring_note(pl_worker, card, on=DAY + dt.timedelta(days=120), note="Sytuacja stabilna")
    assert BlueCardMonitoring.objects.get(card=card) == note


def test_closing_as_not_justified_does_not_need_a_plan(card, pl_worker):
    close_blue_card(pl_worker, card, closed_on=DAY, ground=BlueCardClosureGround.NOT_JUSTIFIED)
    card.refresh_from_db()
    assert (card.status, card.closure_ground) == (BlueCardStatus.CLOSED, BlueCardClosureGround.NOT_JUSTIFIED)
