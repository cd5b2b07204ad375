"""The records the family API tests read and move: a PL family (the Nowaks) on pl_worker's case in the family
team (led by pl_teamlead), in the programme with pl_assistant (active, a consent, a draft plan with an item, an
agreed plan, an activity, an assessment); a second family waiting for the director's decision; a third one in
monitoring; a fourth just started, with no plan yet; a fifth case with no assistant yet. The Nowaks' son is a child in difficulty (own family), on the
agenda of a scheduled meeting of the interdisciplinary team; a held meeting decided on the case and set a
follow-up task for pl_worker. Rows are written directly (the services' own tests cover how they are made), so
each state the actions move from is there.

Imported by the API test modules for its fixture; the personas (pl_assistant2 too) come from the conftests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from socius.casework.models import CaseShare
from socius.casework.tests.factories import CaseFactory
from socius.family.models import (
    AgendaItem,
    AssistantActivity,
    ChildInDifficulty,
    EnrolmentConsent,
    FamilyAssessment,
    FamilyEnrolment,
    FollowUpTask,
    Meeting,
    MeetingDecision,
    MeetingMember,
    Placement,
    WorkPlan,
    WorkPlanItem,
)
from socius.family.statuses import (
    ClosureOutcome,
    ConsentMethod,
    EnrolmentRoute,
    EnrolmentStatus,
    FormOfCare,
    MeetingBody,
    MeetingStatus,
    WorkPlanStatus,
)
from socius.registry.models import Consent, ConsentPurpose
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory

V1 = "/api/v1"
FS = f"{V1}/family-support"
CP = f"{V1}/child-protection"
STARTED = dt.date(2025, 2, 3)
FROM = dt.date(2020, 1, 1)


class World(dict):
    def __getattr__(self, key):
        return self[key]


def _family(centre, surname: str, *, child_born=dt.date(2015, 5, 1)):
    household = HouseholdFactory(centre=centre)
    mother = PersonFactory(centre=centre, first_name="Anna", last_name=surname, birth_date=dt.date(1988, 3, 2))
    son = PersonFactory(centre=centre, first_name="Jan", last_name=surname, birth_date=child_born, sex="M")
    MembershipFactory(household=household, person=mother, relationship="head", valid_from=FROM)
    MembershipFactory(household=household, person=son, relationship="child", valid_from=FROM)
    return household, mother, son


@pytest.fixture
def world(pl_centre, pl_worker, pl_assistant, pl_assistant2, pl_teamlead, pl_director, family_team):
    centre, team = pl_centre, family_team  # the family team: pl_worker, pl_worker2, led by pl_teamlead

    def case_of(household):
        return CaseFactory(centre=centre, household=household, assigned_worker=pl_worker, team=team)

    household, mother, son = _family(centre, "Nowak")
    case = case_of(household)
    CaseShare.objects.create(case=case, user=pl_assistant, shared_by=pl_director)
    enrolment = FamilyEnrolment.objects.create(
        centre=centre, case=case, household=household, assistant=pl_assistant, route=EnrolmentRoute.REQUEST,
        status=EnrolmentStatus.ACTIVE, reason="Budgeting and school", requested_by=pl_worker,
        requested_on=dt.date(2025, 1, 20), decided_by=pl_director, decided_on=STARTED, started_on=STARTED,
    )  # fmt: skip
    consent = EnrolmentConsent.objects.create(
        enrolment=enrolment, person=mother, given_on=STARTED, method=ConsentMethod.WRITTEN, recorded_by=pl_assistant
    )
    agreed = WorkPlan.objects.create(
        enrolment=enrolment, version=1, status=WorkPlanStatus.AGREED, agreed_on=dt.date(2025, 2, 20),
        social_worker=pl_worker, created_by=pl_assistant,
    )  # fmt: skip
    agreed.agreed_with.add(mother)
    agreed_item = WorkPlanItem.objects.create(
        plan=agreed, area="budgeting", goal="A monthly budget", action="Keep a notebook", responsible="Anna Nowak",
        due_on=dt.date(2025, 4, 30),
    )  # fmt: skip
    draft = WorkPlan.objects.create(enrolment=enrolment, version=2, created_by=pl_assistant)
    draft_item = WorkPlanItem.objects.create(
        plan=draft, area="school", goal="Jan attends school", action="Walk Jan to school", responsible="Anna Nowak"
    )
    activity = AssistantActivity.objects.create(
        centre=centre, enrolment=enrolment, assistant=pl_assistant, on=dt.date(2025, 3, 4), minutes=90,
        place="family_home", areas=["budgeting"], notes="Went through the bills.",
    )  # fmt: skip
    activity.family_members.add(mother)
    assessment = FamilyAssessment.objects.create(
        enrolment=enrolment, assessed_on=dt.date(2025, 3, 10), period_from=STARTED, period_until=dt.date(2025, 3, 10),
        situation="Bills paid on time.", recommendation="Continue.", author=pl_assistant,
    )  # fmt: skip

    waiting_household, waiting_mother, _ = _family(centre, "Kowalska")
    waiting_case = case_of(waiting_household)
    waiting = FamilyEnrolment.objects.create(
        centre=centre, case=waiting_case, household=waiting_household, route=EnrolmentRoute.REQUEST,
        reason="Housekeeping", requested_by=pl_worker, requested_on=dt.date(2025, 3, 1),
    )  # fmt: skip
    # The mother's consent to take part, recorded on her page: the approval needs it (decision 0024).
    Consent.objects.create(
        centre=centre, person=waiting_mother, purpose=ConsentPurpose.FAMILY_ASSISTANCE, given_on=dt.date(2025, 3, 1),
        method="written", recorded_by=pl_worker,
    )  # fmt: skip

    monitored_household, monitored_mother, _ = _family(centre, "Wiśniewska")
    monitored_case = case_of(monitored_household)
    CaseShare.objects.create(case=monitored_case, user=pl_assistant, shared_by=pl_director)
    monitored = FamilyEnrolment.objects.create(
        centre=centre, case=monitored_case, household=monitored_household, assistant=pl_assistant,
        route=EnrolmentRoute.REQUEST, status=EnrolmentStatus.MONITORING, requested_by=pl_worker,
        requested_on=dt.date(2024, 1, 10), decided_by=pl_director, decided_on=dt.date(2024, 1, 15),
        started_on=dt.date(2024, 1, 15), closed_on=dt.date(2025, 1, 15), outcome=ClosureOutcome.GOALS_ACHIEVED,
        monitoring_until=dt.date(2025, 7, 15),
    )  # fmt: skip
    EnrolmentConsent.objects.create(
        enrolment=monitored, person=monitored_mother, given_on=dt.date(2024, 1, 15), method=ConsentMethod.ORAL,
        recorded_by=pl_assistant,
    )  # fmt: skip

    fresh_household, fresh_mother, _ = _family(centre, "Zielińska")
    fresh_case = case_of(fresh_household)
    CaseShare.objects.create(case=fresh_case, user=pl_assistant, shared_by=pl_director)
    fresh = FamilyEnrolment.objects.create(
        centre=centre, case=fresh_case, household=fresh_household, assistant=pl_assistant, route=EnrolmentRoute.REQUEST,
        status=EnrolmentStatus.ACTIVE, requested_by=pl_worker, requested_on=dt.date(2025, 3, 1),
        decided_by=pl_director, decided_on=dt.date(2025, 3, 3), started_on=dt.date(2025, 3, 3),
    )  # fmt: skip

    new_household, new_mother, new_son = _family(centre, "Lewandowska")
    new_case = case_of(new_household)

    child = ChildInDifficulty.objects.create(
        centre=centre, child=son, case=case, responsible_worker=pl_worker, risks=["neglect"],
        identified_on=dt.date(2025, 2, 10), created_by=pl_worker,
    )  # fmt: skip
    placement = Placement.objects.create(
        record=child, form=FormOfCare.OWN_FAMILY, valid_from=dt.date(2025, 2, 10), recorded_by=pl_worker
    )
    meeting = Meeting.objects.create(
        centre=centre, body=MeetingBody.PL_INTERDISCIPLINARY_TEAM,
        scheduled_at=timezone.make_aware(dt.datetime(2025, 4, 2, 10, 0)), place="GOPS, room 2", chair=pl_director,
        quorum=None, created_by=pl_worker,
    )  # fmt: skip
    # Both present (the interdisciplinary team's quorum is met), as record_attendance would have marked them.
    worker_member = MeetingMember.objects.create(meeting=meeting, user=pl_worker, role="social worker", is_present=True)
    police_member = MeetingMember.objects.create(
        meeting=meeting, name="Sierż. Adam Nowicki", role="police officer", is_present=True
    )
    item = AgendaItem.objects.create(
        meeting=meeting, case=case, child=child, summary="Neglect at home", proposed_by=pl_worker
    )

    held = Meeting.objects.create(
        centre=centre, body=MeetingBody.PL_INTERDISCIPLINARY_TEAM,
        scheduled_at=timezone.make_aware(dt.datetime(2025, 3, 5, 10, 0)), status=MeetingStatus.HELD,
        held_on=dt.date(2025, 3, 5), minutes="Discussed the Nowaks.", chair=pl_director, created_by=pl_worker,
    )  # fmt: skip
    MeetingMember.objects.create(meeting=held, user=pl_worker, is_present=True)
    held_item = AgendaItem.objects.create(
        meeting=held, case=case, summary="The family's situation", proposed_by=pl_worker
    )
    decision = MeetingDecision.objects.create(
        item=held_item, text="Support in the family; school contact.", support_measures="Assistant, school.",
        review_on=dt.date(2025, 6, 1), decided_by=pl_worker,
    )  # fmt: skip
    decision.responsible.add(pl_worker)
    task = FollowUpTask.objects.create(
        centre=centre, case=case, decision=decision, assigned_to=pl_worker, description="Call the school",
        due_on=dt.date(2025, 3, 20), created_by=pl_worker,
    )  # fmt: skip

    return World(
        centre=centre, team=team, household=household, mother=mother, son=son, case=case, enrolment=enrolment,
        consent=consent, agreed=agreed, agreed_item=agreed_item, draft=draft, draft_item=draft_item,
        activity=activity, assessment=assessment, waiting=waiting, waiting_case=waiting_case,
        waiting_mother=waiting_mother, monitored=monitored, monitored_case=monitored_case, fresh=fresh, fresh_mother=fresh_mother,
        new_household=new_household, new_mother=new_mother, new_son=new_son, new_case=new_case,
        child=child, placement=placement, meeting=meeting, worker_member=worker_member,
        police_member=police_member, item=item, held=held, held_item=held_item, decision=decision, task=task,
    )  # fmt: skip
