"""Family support: the work plan (versions, agreement, history), the activity log (validated by field) and the
assessments (periodic, and opinions for a court)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from socius.accounts.models import AuditEvent
from socius.casework.tests.factories_referrals import PartnerFactory
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.family.errors import ConsentRequired, InvalidFamilyTransition
from socius.family.models import (
    AssistantActivity,
    EnrolmentConsent,
    FamilyAssessment,
    FamilyEvent,
    FamilyEventKind,
    WorkPlan,
    WorkPlanItem,
)
from socius.family.support import (
    add_plan_item,
    agree_work_plan,
    close_work,
    draft_work_plan,
    enrol_family,
    log_activity,
    record_assessment,
    remove_plan_item,
    set_plan_item_status,
    update_plan_item,
    withdraw_consent,
)
from socius.family.tests.conftest import STARTED_ON

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 3, 3)


def state():
    return (
        WorkPlan.objects.count(),
        sorted(WorkPlan.objects.values_list("pk", "status", "version")),
        sorted(WorkPlanItem.objects.values_list("pk", "goal", "status")),
        AssistantActivity.objects.count(),
        FamilyAssessment.objects.count(),
        FamilyEvent.objects.count(),
        AuditEvent.objects.count(),
    )


def item(actor, plan, goal="Uporządkować budżet", area="budgeting", **extra):
    return add_plan_item(
        actor, plan, area=area, goal=goal, action="Co tydzień plan wydatków", responsible="Matka", **extra
    )


# --- work plan ---------------------------------------------------------------------------------------------------


def test_plan_versions_agree_and_supersede(enrolment, pl_assistant, pl_worker, mother, case):
    first = draft_work_plan(pl_assistant, enrolment)
    assert (first.version, first.status) == (1, "draft")
    assert draft_work_plan(pl_assistant, enrolment) == first  # the draft, not a second one
    item(pl_assistant, first, due_on=dt.date(2025, 4, 1))
    item(pl_assistant, first, goal="Regularne wizyty u lekarza", area="health")
    agreed = agree_work_plan(pl_assistant, first, agreed_on=DAY, agreed_with=[mother], social_worker=pl_worker)
    assert (agreed.status, agreed.agreed_on, agreed.social_worker_id) == ("agreed", DAY, pl_worker.pk)
    assert list(agreed.agreed_with.values_list("pk", flat=True)) == [mother.pk]

    second = draft_work_plan(pl_assistant, enrolment)
    assert second.version == 2
    assert list(second.items.values_list("goal", flat=True)) == ["Uporządkować budżet", "Regularne wizyty u lekarza"]
    item(pl_assistant, second, goal="Zajęcia dla rodziców", area="child_development")
    agree_work_plan(pl_assistant, second, agreed_on=dt.date(2025, 6, 2), agreed_with=[mother], social_worker=pl_worker)

    history = list(WorkPlan.objects.filter(enrolment=enrolment).order_by("version").values_list("version", "status"))
    assert history == [(1, "superseded"), (2, "agreed")]
    assert first.items.count() == 2 and second.items.count() == 3  # the old version keeps its items
    agreed_events = FamilyEvent.objects.filter(case=case, kind=FamilyEventKind.WORK_PLAN_AGREED).order_by("id")
    assert [(e.data["version"], e.data["superseded_plan_id"]) for e in agreed_events] == [(1, None), (2, first.pk)]


def test_an_empty_plan_cannot_be_agreed(enrolment, pl_assistant, pl_worker, mother):
    plan = draft_work_plan(pl_assistant, enrolment)
    before = state()
    with pytest.raises(ValidationFailed) as failed:
        agree_work_plan(pl_assistant, plan, agreed_on=DAY, agreed_with=[mother], social_worker=pl_worker)
    assert list(failed.value.errors) == ["non_field_errors"]
    assert state() == before


def test_plan_needs_a_live_consent_unless_court_ordered(enrolment, pl_assistant, pl_worker, son, mother):
    plan = draft_work_plan(pl_assistant, enrolment)
    item(pl_assistant, plan)
    # No live consent left, the work still active (written straight to the table: the service would close it).
    EnrolmentConsent.objects.filter(enrolment=enrolment).update(withdrawn_on=STARTED_ON, withdrawal_note="x")
    before = state()
    with pytest.raises(ConsentRequired) as refused:
        agree_work_plan(pl_assistant, plan, agreed_on=DAY, agreed_with=[mother], social_worker=pl_worker)
    assert refused.value.code == "consent_required"
    assert state() == before


def test_court_ordered_plan_needs_no_consent(case, pl_worker, pl_assistant, mother):
    enrolment = enrol_family(
        pl_worker, case=case, route="court_order", assistant=pl_assistant, started_on=STARTED_ON, court_name="SR"
    )
    plan = draft_work_plan(pl_assistant, enrolment)
    item(pl_assistant, plan)
    agreed = agree_work_plan(pl_assistant, plan, agreed_on=DAY, agreed_with=[mother], social_worker=pl_worker)
    assert agreed.status == "agreed"


def test_agreement_fields_are_checked_by_name(enrolment, pl_assistant, outsider, pl_auditor):
    plan = draft_work_plan(pl_assistant, enrolment)
    item(pl_assistant, plan)
    with pytest.raises(ValidationFailed) as failed:
        agree_work_plan(pl_assistant, plan, agreed_on=DAY, agreed_with=[outsider], social_worker=pl_auditor)
    assert set(failed.value.errors) == {"agreed_with", "social_worker"}
    with pytest.raises(ValidationFailed) as failed:
        agree_work_plan(pl_assistant, plan, agreed_on="today", agreed_with=[], social_worker=None)
    assert set(failed.value.errors) == {"agreed_on", "agreed_with", "social_worker"}


def test_only_a_draft_is_edited(enrolment, pl_assistant, pl_worker, mother):
    plan = draft_work_plan(pl_assistant, enrolment)
    line = item(pl_assistant, plan)
    updated = update_plan_item(pl_assistant, line, goal="Spłacić zaległości czynszowe", due_on=dt.date(2025, 5, 5))
    assert (updated.goal, updated.due_on) == ("Spłacić zaległości czynszowe", dt.date(2025, 5, 5))
    extra = item(pl_assistant, plan, goal="Do usunięcia")
    remove_plan_item(pl_assistant, extra)
    assert not WorkPlanItem.objects.filter(pk=extra.pk).exists()
    agree_work_plan(pl_assistant, plan, agreed_on=DAY, agreed_with=[mother], social_worker=pl_worker)
    before = state()
    with pytest.raises(Conflict):
        update_plan_item(pl_assistant, line, goal="Po uzgodnieniu")
    with pytest.raises(Conflict):
        remove_plan_item(pl_assistant, line)
    with pytest.raises(Conflict):
        item(pl_assistant, plan)
    with pytest.raises(InvalidFamilyTransition):
        agree_work_plan(pl_assistant, plan, agreed_on=DAY, agreed_with=[mother], social_worker=pl_worker)
    assert state() == before


def test_plan_item_fields_are_validated_by_name(enrolment, pl_assistant):
    plan = draft_work_plan(pl_assistant, enrolment)
    before = state()
    with pytest.raises(ValidationFailed) as failed:
        add_plan_item(pl_assistant, plan, area="astrology", goal="", action=" ", responsible="x" * 201, due_on="soon")
    assert set(failed.value.errors) == {"area", "goal", "action", "responsible", "due_on"}
    line = item(pl_assistant, plan)
    with pytest.raises(ValidationFailed) as failed:
        update_plan_item(pl_assistant, line, status="done", plan=None)
    assert set(failed.value.errors) == {"status", "plan"}
    assert state()[:3] != before[:3]  # the one valid item only


def test_plan_item_status_on_the_agreed_plan(enrolment, pl_assistant, pl_worker, mother):
    plan = draft_work_plan(pl_assistant, enrolment)
    line = item(pl_assistant, plan)
    agree_work_plan(pl_assistant, plan, agreed_on=DAY, agreed_with=[mother], social_worker=pl_worker)
    done = set_plan_item_status(pl_assistant, line, status="done", on=dt.date(2025, 4, 1))
    assert (done.status, done.done_on) == ("done", dt.date(2025, 4, 1))
    again = set_plan_item_status(pl_assistant, line, status="in_progress", on=dt.date(2025, 4, 2))
    assert (again.status, again.done_on) == ("in_progress", None)
    with pytest.raises(ValidationFailed) as failed:
        set_plan_item_status(pl_assistant, line, status="finished", on=dt.date(2025, 4, 2))
    assert list(failed.value.errors) == ["status"]


def test_plan_of_another_family_or_centre_is_refused(enrolment, pl_assistant, pl_assistant2, other_assistant):
    plan = draft_work_plan(pl_assistant, enrolment)
    before = state()
    with pytest.raises(Forbidden):
        item(pl_assistant2, plan)
    with pytest.raises(NotFound):
        item(other_assistant, plan)
    with pytest.raises(Forbidden):
        draft_work_plan(pl_assistant2, enrolment)
    assert state() == before


def test_no_plan_after_the_work_closed(enrolment, pl_assistant):
    close_work(pl_assistant, enrolment, closed_on=DAY, outcome="goals_achieved")
    with pytest.raises(Conflict) as refused:
        draft_work_plan(pl_assistant, enrolment)
    assert refused.value.code == "enrolment_state" and "“Monitoring”" in str(refused.value.message)


# --- activity log ------------------------------------------------------------------------------------------------


def test_assistant_logs_an_activity_with_members_and_partners(enrolment, pl_assistant, pl_centre, mother, son, case):
    school = PartnerFactory(centre=pl_centre)
    activity = log_activity(
        pl_assistant,
        enrolment,
        on=DAY,
        minutes=90,
        place="family_home",
        areas=["housekeeping", "budgeting", "housekeeping"],
        family_members=[mother, son.pk],
        partners=[school],
        others_present="Babcia",
        notes="Plan wydatków na marzec",
    )
    assert (activity.minutes, activity.areas, activity.assistant_id) == (
        90,
        ["housekeeping", "budgeting"],
        pl_assistant.pk,
    )
    assert set(activity.family_members.values_list("pk", flat=True)) == {mother.pk, son.pk}
    assert list(activity.partners.all()) == [school]
    event = FamilyEvent.objects.get(case=case, kind=FamilyEventKind.ACTIVITY_LOGGED)
    assert event.data == {
        "activity_id": activity.pk,
        "on": "2025-03-03",
        "minutes": 90,
        "place": "family_home",
        "areas": ["housekeeping", "budgeting"],
    }
    audit = AuditEvent.objects.get(object_type="assistant_activity", object_id=activity.pk)
    assert audit.action == "create" and audit.changes["minutes"] == [None, 90]


def test_case_worker_logs_on_the_familys_assistants_sheet(enrolment, pl_worker, pl_assistant):
    activity = log_activity(pl_worker, enrolment, on=DAY, minutes=30, place="office", areas=["school"])
    assert activity.assistant_id == pl_assistant.pk


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"minutes": 0}, {"minutes"}),
        ({"minutes": 1441}, {"minutes"}),
        ({"minutes": "60"}, {"minutes"}),
        ({"minutes": True}, {"minutes"}),
        ({"areas": []}, {"areas"}),
        ({"areas": ["housekeeping", "astrology"]}, {"areas"}),
        ({"areas": "housekeeping"}, {"areas"}),
        ({"place": "moon"}, {"place"}),
        ({"on": "2025-03-03"}, {"on"}),
        ({"on": dt.date(2025, 1, 1)}, {"on"}),
        ({"family_members": ["x"]}, {"family_members"}),
        ({"others_present": "x" * 301}, {"others_present"}),
        ({"minutes": -5, "place": "", "areas": None}, {"minutes", "place", "areas"}),
    ],
)
def test_activity_input_is_refused_by_field_with_nothing_written(enrolment, pl_assistant, changes, fields):
    data = {"on": DAY, "minutes": 60, "place": "family_home", "areas": ["health"], **changes}
    before = state()
    with pytest.raises(ValidationFailed) as failed:
        log_activity(pl_assistant, enrolment, **data)
    assert set(failed.value.errors) == fields
    assert state() == before


def test_activity_members_must_belong_to_the_household(enrolment, pl_assistant, outsider, other_centre):
    before = state()
    with pytest.raises(ValidationFailed) as failed:
        log_activity(
            pl_assistant, enrolment, on=DAY, minutes=60, place="school", areas=["school"], family_members=[outsider]
        )
    assert list(failed.value.errors) == ["family_members"]
    foreign_partner = PartnerFactory(centre=other_centre)
    with pytest.raises(ValidationFailed) as failed:
        log_activity(
            pl_assistant, enrolment, on=DAY, minutes=60, place="school", areas=["school"], partners=[foreign_partner]
        )
    assert list(failed.value.errors) == ["partners"]
    assert state() == before


def test_activity_errors_are_translated(enrolment, pl_assistant):
    """Messages are translated when raised (the reader's language): "Enter a date." is in every catalogue."""
    with translation.override("pl"), pytest.raises(ValidationFailed) as failed:
        log_activity(pl_assistant, enrolment, on="wczoraj", minutes=60, place="family_home", areas=["health"])
    assert failed.value.errors["on"] == ["Podaj datę."]


def test_activity_refused_for_another_familys_assistant_and_other_centre(
    enrolment, pl_assistant2, other_assistant, pl_auditor
):
    before = state()
    for actor in (pl_assistant2, pl_auditor):
        with pytest.raises(Forbidden):
            log_activity(actor, enrolment, on=DAY, minutes=60, place="family_home", areas=["health"])
    with pytest.raises(NotFound):
        log_activity(other_assistant, enrolment, on=DAY, minutes=60, place="family_home", areas=["health"])
    assert state() == before


def test_activity_during_monitoring_but_not_after_closing(enrolment, pl_assistant):
    close_work(pl_assistant, enrolment, closed_on=DAY, outcome="goals_achieved")
    assert log_activity(pl_assistant, enrolment, on=DAY, minutes=20, place="elsewhere", areas=["health"]).pk
    from socius.family.support import end_monitoring

    end_monitoring(pl_assistant, enrolment, ended_on=dt.date(2025, 6, 3))
    with pytest.raises(Conflict) as refused:
        log_activity(pl_assistant, enrolment, on=dt.date(2025, 6, 4), minutes=20, place="elsewhere", areas=["health"])
    assert refused.value.code == "enrolment_state"


# --- assessments -------------------------------------------------------------------------------------------------


def test_periodic_assessment_with_progress_per_area(enrolment, pl_assistant, case):
    assessment = record_assessment(
        pl_assistant,
        enrolment,
        assessed_on=dt.date(2025, 8, 8),
        period_from=STARTED_ON,
        period_until=dt.date(2025, 8, 1),
        situation="Rodzina lepiej gospodaruje budżetem",
        recommendation="Kontynuować pracę",
        progress={"budgeting": " Rachunki opłacane w terminie ", "health": ""},
        strengths="Zaangażowana matka",
    )
    assert assessment.progress == {"budgeting": "Rachunki opłacane w terminie"}
    assert not assessment.is_court_opinion and assessment.author_id == pl_assistant.pk
    assert FamilyEvent.objects.filter(case=case, kind=FamilyEventKind.ASSESSMENT_MADE).get().data["assessment_id"] == (
        assessment.pk
    )


def test_court_opinion_names_the_court(enrolment, pl_assistant, case):
    before = state()
    with pytest.raises(ValidationFailed) as failed:
        record_assessment(
            pl_assistant,
            enrolment,
            assessed_on=DAY,
            period_from=STARTED_ON,
            period_until=DAY,
            situation="x",
            recommendation="y",
            is_court_opinion=True,
        )
    assert list(failed.value.errors) == ["court_name"]
    assert state() == before
    opinion = record_assessment(
        pl_assistant,
        enrolment,
        assessed_on=DAY,
        period_from=STARTED_ON,
        period_until=DAY,
        situation="x",
        recommendation="y",
        is_court_opinion=True,
        court_name="Sąd Rejonowy, III Wydział Rodzinny",
        court_reference="III Nsm 12/25",
        requested_on=dt.date(2025, 2, 20),
    )
    assert opinion.is_court_opinion and opinion.court_reference == "III Nsm 12/25"
    assert FamilyEvent.objects.filter(case=case, kind=FamilyEventKind.COURT_OPINION).count() == 1


def test_assessment_fields_are_validated_by_name(enrolment, pl_assistant):
    before = state()
    with pytest.raises(ValidationFailed) as failed:
        record_assessment(
            pl_assistant,
            enrolment,
            assessed_on=dt.date(2025, 3, 1),
            period_from=dt.date(2025, 3, 5),
            period_until=dt.date(2025, 3, 2),
            situation="",
            recommendation=" ",
            progress={"astrology": "x"},
        )
    assert set(failed.value.errors) == {"period_until", "assessed_on", "situation", "recommendation", "progress"}
    assert state() == before


def test_assessment_refused_for_another_familys_assistant(enrolment, pl_assistant2):
    with pytest.raises(Forbidden):
        record_assessment(
            pl_assistant2,
            enrolment,
            assessed_on=DAY,
            period_from=STARTED_ON,
            period_until=DAY,
            situation="x",
            recommendation="y",
        )


def test_withdrawal_closing_work_is_then_visible_to_plan_services(enrolment, pl_assistant):
    withdraw_consent(pl_assistant, EnrolmentConsent.objects.get(enrolment=enrolment), withdrawn_on=DAY, note="")
    with pytest.raises(Conflict) as refused:
        draft_work_plan(pl_assistant, enrolment)
    assert refused.value.code == "enrolment_state"
