"""The family demo (decision 0015) through the real services: PL families with pl-assistant and their activity log,
plans, an assessment due and a Blue Card only its group sees; MD children with a commission's decisions and
md-worker's tasks; LT one of each. Loading twice changes nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from socius.accounts.models import User
from socius.casework.models import Case
from socius.casework.statuses import OPEN_STATUSES
from socius.family.bluecards.selectors import list_blue_cards_for
from socius.family.demo import load_family_demo
from socius.family.models import (
    AssistantActivity,
    BlueCard,
    ChildInDifficulty,
    FamilyEnrolment,
    FamilyEvent,
    FollowUpTask,
    Meeting,
    MeetingDecision,
    Placement,
    WorkPlan,
)
from socius.family.selectors_support import assistant_desk
from socius.family.statuses import EnrolmentStatus, MeetingStatus, WorkPlanStatus


@pytest.fixture
def demo(db):
    call_command("load_demo", persons_per_centre=600, stdout=io.StringIO())  # four cases a centre


def user(username: str) -> User:
    return User.objects.get(username=username)


def test_pl_families_work_with_the_assistant_through_the_services(demo):
    assistant, today = user("pl-assistant"), timezone.localdate()
    active = FamilyEnrolment.objects.filter(assistant=assistant, status=EnrolmentStatus.ACTIVE)
    cases = Case.objects.filter(centre__code="pl-moszczenica", household__isnull=False, status__in=OPEN_STATUSES)
    assert active.count() == min(14, cases.count()) >= 3  # 14 of the default demo's 16 open family cases
    assert "request" in {e.route for e in active}
    # Each family's consent (but a court-ordered one's), activities over the months, agreed plans.
    for enrolment in active:
        assert enrolment.route == "court_order" or enrolment.consents.filter(withdrawn_on__isnull=True).exists()
    days = sorted(AssistantActivity.objects.filter(assistant=assistant).values_list("on", flat=True))
    assert len(days) >= 10 and (days[-1] - days[0]).days > 90
    assert WorkPlan.objects.filter(enrolment__in=active, status=WorkPlanStatus.AGREED).count() == 3
    desk = assistant_desk(assistant, today)
    assert desk.load == active.count() and desk.cap.value == 15
    assert [r.enrolment.pk for r in desk.assessments_due] == [active.order_by("started_on").first().pk]
    assert desk.actions_due  # a plan action due this week
    assert FamilyEvent.objects.filter(kind="activity_logged", case__centre__code="pl-moszczenica").count() == len(days)


def test_the_pl_blue_card_is_seen_by_its_group_and_the_director_only(demo):
    card = BlueCard.objects.get(centre__code="pl-moszczenica")
    assert card.members.filter(user__username="pl-worker", removed_on__isnull=True).exists()
    assert card.members.filter(user__isnull=True).exists()  # the police officer
    assert card.parties.filter(role="victim").exists() and card.parties.filter(role="suspect").exists()
    for username, sees in (("pl-worker", True), ("pl-director", True), ("pl-teamlead", False), ("pl-auditor", False)):
        assert (card in list(list_blue_cards_for(user(username)))) is sees
    assert not BlueCard.objects.exclude(centre__code="pl-moszczenica").exists()


def test_md_children_a_commission_decided_on_with_tasks_for_md_worker(demo):
    worker, today = user("md-worker"), timezone.localdate()
    children = ChildInDifficulty.objects.filter(centre__code="md-dubasari")
    assert children.count() >= 1 and all(c.responsible_worker == worker for c in children)
    held = Meeting.objects.get(centre__code="md-dubasari", status=MeetingStatus.HELD)
    assert held.body == "md_commission" and held.agenda.count() == children.count()
    assert MeetingDecision.objects.filter(item__meeting=held).count() == children.count()
    assert Meeting.objects.filter(centre__code="md-dubasari", status=MeetingStatus.SCHEDULED).count() == 1
    changed = Placement.objects.filter(record__in=children, decision__isnull=False)
    assert [p.form for p in changed] == ["extended_family"]  # the history: own family, then extended family
    tasks = FollowUpTask.objects.filter(assigned_to=worker, status="open")
    assert tasks.count() == children.count() and all(t.due_on >= today for t in tasks)


def test_lt_has_one_of_each(demo):
    assert (
        FamilyEnrolment.objects.filter(centre__code="lt-salcininkai", assistant__username="lt-assistant").count() == 1
    )
    assert ChildInDifficulty.objects.filter(centre__code="lt-salcininkai").count() == 1
    assert Meeting.objects.filter(centre__code="lt-salcininkai", body="lt_child_rights").count() == 2


def test_a_second_load_writes_nothing(demo):
    counts = (FamilyEnrolment.objects.count(), AssistantActivity.objects.count(), ChildInDifficulty.objects.count())
    out = io.StringIO()
    call_command("load_demo", persons_per_centre=600, stdout=out)
    assert "already loaded" in out.getvalue()
    assert (
        FamilyEnrolment.objects.count(),
        AssistantActivity.objects.count(),
        ChildInDifficulty.objects.count(),
    ) == counts


def test_a_centre_without_its_demo_staff_gets_no_family_demo(db, pl_centre):
    summary = load_family_demo(pl_centre, seed=1, today=dt.date(2025, 3, 3))
    assert (summary.families, summary.children, summary.blue_cards) == (0, 0, 0)
