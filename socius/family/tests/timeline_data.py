"""Family rows written straight into the tables, as the services leave them, for the read-model tests of the
timelines and the desk (which read the tables, not the services)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from socius.family.models import (
    AgendaItem,
    ChildInDifficulty,
    FamilyEnrolment,
    FamilyEvent,
    FamilyEventKind,
    FollowUpTask,
    Meeting,
    MeetingDecision,
    Placement,
    WorkPlan,
    WorkPlanItem,
)
from socius.family.statuses import (
    EnrolmentRoute,
    EnrolmentStatus,
    FormOfCare,
    MeetingBody,
    MeetingStatus,
    WorkPlanStatus,
)


def aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@dataclass
class FamilyRows:
    enrolment: FamilyEnrolment
    plan: WorkPlan
    item: WorkPlanItem
    child: ChildInDifficulty
    meeting: Meeting
    agenda: AgendaItem
    decision: MeetingDecision
    task: FollowUpTask


def family_rows(case, worker, *, day: dt.date, child_person, assistant=None) -> FamilyRows:
    """On `case` (of a household): an active enrolment with `assistant` (default `worker`) since 5 months
    before `day`, an agreed plan with an action due on `day`, a child in difficulty with `worker`
    responsible (in its own family, then foster care by the meeting's decision, review due on `day` + 3),
    an open follow-up task for `worker` due on `day`, and one event of each group on the case."""
    assistant = assistant or worker
    started = day - dt.timedelta(days=150)
    enrolment = FamilyEnrolment.objects.create(
        centre=case.centre,
        case=case,
        household=case.household,
        assistant=assistant,
        route=EnrolmentRoute.REQUEST,
        status=EnrolmentStatus.ACTIVE,
        requested_by=worker,
        requested_on=started - dt.timedelta(days=10),
        decided_by=worker,
        decided_on=started,
        started_on=started,
    )
    plan = WorkPlan.objects.create(
        enrolment=enrolment, version=1, status=WorkPlanStatus.AGREED, agreed_on=started, created_by=assistant
    )
    item = WorkPlanItem.objects.create(
        plan=plan, area="budgeting", goal="Monthly budget", action="Draw it up together", responsible="Mother",
        due_on=day,
    )  # fmt: skip
    child = ChildInDifficulty.objects.create(
        centre=case.centre, child=child_person, case=case, responsible_worker=worker, risks=["neglect"],
        identified_on=started,
    )  # fmt: skip
    Placement.objects.create(
        record=child, form=FormOfCare.OWN_FAMILY, valid_from=started, valid_until=day, recorded_by=worker
    )
    meeting = Meeting.objects.create(
        centre=case.centre, body=MeetingBody.PL_INTERDISCIPLINARY_TEAM, scheduled_at=aware(day - dt.timedelta(days=1)),
        status=MeetingStatus.HELD, held_on=day - dt.timedelta(days=1),
    )  # fmt: skip
    agenda = AgendaItem.objects.create(
        meeting=meeting, case=case, child=child, summary="Placement in foster care?", proposed_by=worker
    )
    decision = MeetingDecision.objects.create(
        item=agenda, text="Foster care for six months", form_of_care=FormOfCare.FOSTER_FAMILY, care_from=day,
        review_on=day + dt.timedelta(days=3), decided_by=worker, decided_at=aware(day - dt.timedelta(days=1), 12),
    )  # fmt: skip
    Placement.objects.create(
        record=child, form=FormOfCare.FOSTER_FAMILY, valid_from=day, carer="Kowalscy", decision=decision,
        recorded_by=worker,
    )  # fmt: skip
    task = FollowUpTask.objects.create(
        centre=case.centre, case=case, decision=decision, assigned_to=worker, description="Visit the foster family",
        due_on=day, created_by=worker,
    )  # fmt: skip
    FamilyEvent.objects.create(
        case=case, kind=FamilyEventKind.ENROLMENT_APPROVED, actor=worker, at=aware(started, 12),
        data={"enrolment_id": enrolment.pk, "assistant_id": assistant.pk, "started_on": started.isoformat()},
    )  # fmt: skip
    FamilyEvent.objects.create(
        case=case, kind=FamilyEventKind.CARE_CHANGED, actor=worker, at=aware(day, 13),
        data={"record": child.pk, "child": child_person.pk, "from": FormOfCare.OWN_FAMILY, "to": FormOfCare.FOSTER_FAMILY,
              "valid_from": day.isoformat()},
    )  # fmt: skip
    return FamilyRows(enrolment, plan, item, child, meeting, agenda, decision, task)
