# ruff: noqa: F811 (the fixtures imported from plans are the tests' arguments)
"""The change trail (decision 0008) covers the family tables (migration family 0002, decision 0015): every
table's insert with its centre, a change made outside the services; the Blue Card's rows are recorded
without a centre, so no auditor of the centre reads them through the application."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from socius.accounts.models import ChangeTrailEntry
from socius.accounts.trail import list_change_trail_for
from socius.casework.models import Partner
from socius.family.models import (
    AssistantActivity,
    BlueCard,
    BlueCardFormRecord,
    BlueCardMeeting,
    BlueCardMember,
    BlueCardMonitoring,
    BlueCardParty,
    BlueCardPlanItem,
    EnrolmentConsent,
    FamilyAssessment,
    MeetingMember,
)
from socius.family.tests.timeline_data import family_rows
from socius.plans.tests.conftest import (  # noqa: F401 (fixtures)
    DAY,
    case,
    english,
    family_team,
    household,
    mother,
    son,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: triggers"),
]

FAMILY_TABLES = {
    "family_familyenrolment",
    "family_enrolmentconsent",
    "family_workplan",
    "family_workplan_agreed_with",
    "family_workplanitem",
    "family_assistantactivity",
    "family_assistantactivity_family_members",
    "family_assistantactivity_partners",
    "family_familyassessment",
    "family_childindifficulty",
    "family_placement",
    "family_meeting",
    "family_meetingmember",
    "family_agendaitem",
    "family_meetingdecision",
    "family_meetingdecision_responsible",
    "family_followuptask",
}
BLUE_CARD_TABLES = {
    "family_bluecard",
    "family_bluecardparty",
    "family_bluecardmember",
    "family_bluecardformrecord",
    "family_bluecardmeeting",
    "family_bluecardmeeting_present",
    "family_bluecardplanitem",
    "family_bluecardmonitoring",
}


def write_everything(case, worker, mother, son):
    rows = family_rows(case, worker, day=DAY, child_person=son)
    EnrolmentConsent.objects.create(
        enrolment=rows.enrolment, person=mother, given_on=DAY, method="written", recorded_by=worker
    )
    rows.plan.agreed_with.add(mother)
    activity = AssistantActivity.objects.create(
        centre=case.centre, enrolment=rows.enrolment, assistant=worker, on=DAY, minutes=90, place="family_home",
        areas=["budgeting"],
    )  # fmt: skip
    activity.family_members.add(mother)
    activity.partners.add(Partner.objects.create(centre=case.centre, name="Szkoła nr 1", kind="school"))
    FamilyAssessment.objects.create(
        enrolment=rows.enrolment, assessed_on=DAY, period_from=DAY - dt.timedelta(days=180), period_until=DAY,
        situation="Better", recommendation="Continue", author=worker,
    )  # fmt: skip
    MeetingMember.objects.create(meeting=rows.meeting, user=worker, is_present=True)
    rows.decision.responsible.add(worker)
    return rows


def write_blue_card(case, worker, mother, son):
    card = BlueCard.objects.create(
        centre=case.centre, year=2025, number=1, reference="NK/1/2025", initiator="police", started_on=DAY,
        received_on=DAY, household=case.household, recorded_by=worker,
    )  # fmt: skip
    BlueCardParty.objects.create(card=card, person=mother, role="victim")
    BlueCardParty.objects.create(card=card, person=son, role="witness")
    member = BlueCardMember.objects.create(card=card, user=worker, role="social worker", added_on=DAY)
    BlueCardFormRecord.objects.create(card=card, form="nk_a", filled_on=DAY, filled_by=worker)
    BlueCardMeeting.objects.create(card=card, held_on=DAY, notes="First meeting", recorded_by=worker).present.add(
        member
    )
    BlueCardPlanItem.objects.create(
        card=card, person=mother, measure="Counselling", responsible="Centre", agreed_on=DAY, recorded_by=worker
    )
    BlueCardMonitoring.objects.create(card=card, on=DAY, note="Calm", recorded_by=worker)
    return card


@pytest.mark.django_db(transaction=True)
def test_every_family_table_is_trailed_with_its_centre(pl_worker, case, mother, son, pl_centre):
    rows = write_everything(case, pl_worker, mother, son)
    with connection.cursor() as cursor:  # a change outside the services, as a shell or psql makes it
        cursor.execute(
            "UPDATE family_workplanitem SET status = 'done', done_on = %s WHERE id = %s", [DAY, rows.item.pk]
        )

    inserts = ChangeTrailEntry.objects.filter(table_name__startswith="family_", operation="INSERT")
    centres = {}
    for table, centre in inserts.values_list("table_name", "centre_id"):
        centres.setdefault(table, set()).add(centre)
    assert set(centres) == FAMILY_TABLES  # the event table is not trailed
    assert all(found == {pl_centre.pk} for found in centres.values()), centres
    update = ChangeTrailEntry.objects.get(table_name="family_workplanitem", operation="UPDATE")
    assert (update.old_row["status"], update.new_row["status"]) == ("planned", "done")
    assert update.centre_id == pl_centre.pk and update.actor_id is None


@pytest.mark.django_db(transaction=True)
def test_the_blue_card_is_trailed_without_a_centre_and_no_auditor_reads_it(
    pl_worker, case, mother, son, pl_auditor, pl_director
):
    card = write_blue_card(case, pl_worker, mother, son)
    BlueCard.objects.filter(pk=card.pk).update(status="in_progress")

    trail = ChangeTrailEntry.objects.filter(table_name__in=BLUE_CARD_TABLES)
    assert {e.table_name for e in trail} == BLUE_CARD_TABLES
    assert {e.centre_id for e in trail} == {None}
    assert trail.filter(table_name="family_bluecard", operation="UPDATE").count() == 1
    for reader in (pl_auditor, pl_director):
        assert not list_change_trail_for(reader).filter(table_name__startswith="family_bluecard").exists()
        assert list(list_change_trail_for(reader).filter(table_name="family_bluecard")) == []
