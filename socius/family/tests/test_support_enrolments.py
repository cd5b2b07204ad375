"""Family support: requests, approvals, direct enrolment, the caseload cap (dated), consents, a change of
assistant, closing, monitoring and resuming the work, and who may do each."""

from __future__ import annotations

import datetime as dt

import pytest

from socius.accounts.models import AuditEvent
from socius.casework.models import CaseShare
from socius.common.errors import Forbidden, NotFound, ValidationFailed
from socius.family.errors import CaseloadCapReached, InvalidFamilyTransition
from socius.family.models import (
    AssistantActivity,
    EnrolmentConsent,
    FamilyEnrolment,
    FamilyEvent,
    FamilyEventKind,
    WorkPlan,
)
from socius.family.rules import caseload_cap, monitoring_months
from socius.family.statuses import EnrolmentRoute, EnrolmentStatus
from socius.family.support import (
    ConsentInput,
    approve_enrolment,
    change_assistant,
    close_work,
    end_monitoring,
    enrol_family,
    record_consent,
    refuse_enrolment,
    request_enrolment,
    resume_work,
    withdraw_consent,
)
from socius.family.tests.conftest import REQUESTED_ON, STARTED_ON

pytestmark = pytest.mark.django_db

BEFORE_CHANGE = dt.date(2014, 6, 2)  # PL cap 20 (original text of art. 15 ust. 4)
AFTER_CHANGE = dt.date(2025, 3, 3)  # PL cap 15


def counts():
    """Every table a family support write touches, and the audit log."""
    return {
        "enrolments": FamilyEnrolment.objects.count(),
        "statuses": sorted(FamilyEnrolment.objects.values_list("pk", "status", "assistant_id")),
        "events": FamilyEvent.objects.count(),
        "audit": AuditEvent.objects.count(),
        "consents": EnrolmentConsent.objects.count(),
        "shares": CaseShare.objects.count(),
        "plans": WorkPlan.objects.count(),
        "activities": AssistantActivity.objects.count(),
    }


def kinds(case):
    return list(FamilyEvent.objects.filter(case=case).order_by("id").values_list("kind", flat=True))


# --- requests and approvals ---------------------------------------------------------------------------------


def test_worker_requests_an_assistant_for_the_cases_household(case, pl_worker, household):
    enrolment = request_enrolment(pl_worker, case=case, reason="Trudności wychowawcze", requested_on=REQUESTED_ON)
    assert (enrolment.status, enrolment.route, enrolment.household_id) == ("requested", "request", household.pk)
    assert enrolment.assistant_id is None and enrolment.requested_by_id == pl_worker.pk
    assert kinds(case) == [FamilyEventKind.ENROLMENT_REQUESTED]
    event = AuditEvent.objects.get(object_type="family_enrolment", object_id=enrolment.pk)
    assert event.action == "create" and event.changes["status"] == [None, "requested"]


def test_request_for_a_person_case_uses_the_persons_current_household(pl_centre, pl_worker, family_team, mother):
    from socius.casework.tests.factories import CaseFactory

    person_case = CaseFactory(
        centre=pl_centre, household=None, person=mother, assigned_worker=pl_worker, team=family_team
    )
    enrolment = request_enrolment(pl_worker, case=person_case, reason="Matka z dzieckiem", requested_on=REQUESTED_ON)
    assert enrolment.household_id == mother.memberships.get().household_id


def test_request_needs_a_reason_and_a_date_named_by_field(case, pl_worker):
    before = counts()
    with pytest.raises(ValidationFailed) as failed:
        request_enrolment(pl_worker, case=case, reason="  ", requested_on="2025-02-03")
    assert set(failed.value.errors) == {"reason", "requested_on"}
    assert str(failed.value.errors["reason"][0]) == "This field is required."
    assert counts() == before


def test_second_open_enrolment_for_the_family_is_refused(enrolment, case, pl_worker):
    before = counts()
    with pytest.raises(Exception) as refused:
        request_enrolment(pl_worker, case=case, reason="Again", requested_on=REQUESTED_ON)
    assert getattr(refused.value, "code", None) == "enrolment_open"
    assert counts() == before


def test_worker_who_does_not_read_the_case_cannot_request(case, pl_worker2, pl_auditor):
    for actor in (pl_worker2, pl_auditor):
        with pytest.raises(Forbidden):
            request_enrolment(actor, case=case, reason="x", requested_on=REQUESTED_ON)
    assert FamilyEnrolment.objects.count() == 0


def test_other_centre_is_told_not_found(case, other_worker):
    with pytest.raises(NotFound):
        request_enrolment(other_worker, case=case, reason="x", requested_on=REQUESTED_ON)


def test_director_approves_assigns_shares_the_case_and_records_consent(enrolment, case, pl_assistant, mother):
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert (enrolment.assistant_id, enrolment.started_on, enrolment.decided_on) == (
        pl_assistant.pk,
        STARTED_ON,
        STARTED_ON,
    )
    assert CaseShare.objects.filter(case=case, user=pl_assistant).exists()
    consent = EnrolmentConsent.objects.get(enrolment=enrolment)
    assert (consent.person_id, consent.method, consent.withdrawn_on) == (mother.pk, "written", None)
    assert kinds(case) == [
        FamilyEventKind.ENROLMENT_REQUESTED,
        FamilyEventKind.ENROLMENT_APPROVED,
        FamilyEventKind.CONSENT_GIVEN,
    ]
    assert FamilyEvent.objects.get(case=case, kind=FamilyEventKind.ENROLMENT_APPROVED).data == {
        "enrolment_id": enrolment.pk,
        "route": "request",
        "assistant": pl_assistant.pk,
        "decided_on": "2025-02-10",
        "started_on": "2025-02-10",
    }
    assert FamilyEvent.objects.get(case=case, kind=FamilyEventKind.CONSENT_GIVEN).data == {
        "consent_id": consent.pk,
        "person_id": mother.pk,
        "given_on": "2025-02-10",
        "method": "written",
    }
    approved = AuditEvent.objects.filter(object_type="family_enrolment", object_id=enrolment.pk, action="update").get()
    assert approved.changes["status"] == ["requested", "active"]
    assert approved.changes["assistant"] == [None, pl_assistant.pk]


def test_only_the_director_decides(case, pl_worker, pl_teamlead, pl_assistant):
    requested = request_enrolment(pl_worker, case=case, reason="x", requested_on=REQUESTED_ON)
    before = counts()
    for actor in (pl_worker, pl_teamlead, pl_assistant):
        with pytest.raises(Forbidden):
            approve_enrolment(actor, requested, assistant=pl_assistant, decided_on=STARTED_ON)
        with pytest.raises(Forbidden):
            refuse_enrolment(actor, requested, reason="no", decided_on=STARTED_ON)
    assert counts() == before


def test_director_of_another_centre_gets_not_found(case, pl_worker, other_director, other_assistant):
    requested = request_enrolment(pl_worker, case=case, reason="x", requested_on=REQUESTED_ON)
    with pytest.raises(NotFound):
        approve_enrolment(other_director, requested, assistant=other_assistant, decided_on=STARTED_ON)


def test_approval_onto_a_non_assistant_or_an_assistant_of_another_centre_is_refused_by_field(
    case, pl_worker, pl_director, pl_worker2, other_assistant
):
    requested = request_enrolment(pl_worker, case=case, reason="x", requested_on=REQUESTED_ON)
    before = counts()
    for wrong in (pl_worker2, other_assistant, "abc", None):
        with pytest.raises(ValidationFailed) as failed:
            approve_enrolment(pl_director, requested, assistant=wrong, decided_on=STARTED_ON)
        assert list(failed.value.errors) == ["assistant"]
    assert counts() == before


def test_approval_cannot_be_dated_before_the_request(case, pl_worker, pl_director, pl_assistant):
    requested = request_enrolment(pl_worker, case=case, reason="x", requested_on=REQUESTED_ON)
    with pytest.raises(ValidationFailed) as failed:
        approve_enrolment(pl_director, requested, assistant=pl_assistant, decided_on=REQUESTED_ON - dt.timedelta(1))
    assert list(failed.value.errors) == ["decided_on"]


def test_consent_with_approval_must_come_from_a_household_member(case, pl_worker, pl_director, pl_assistant, outsider):
    requested = request_enrolment(pl_worker, case=case, reason="x", requested_on=REQUESTED_ON)
    before = counts()
    with pytest.raises(ValidationFailed) as failed:
        approve_enrolment(
            pl_director,
            requested,
            assistant=pl_assistant,
            decided_on=STARTED_ON,
            consent=ConsentInput(person=outsider, given_on=STARTED_ON, method="written"),
        )
    assert list(failed.value.errors) == ["consent_person"]
    assert counts() == before


def test_director_refuses_with_a_reason(case, pl_worker, pl_director):
    requested = request_enrolment(pl_worker, case=case, reason="x", requested_on=REQUESTED_ON)
    refused = refuse_enrolment(pl_director, requested, reason="Brak wolnego asystenta", decided_on=STARTED_ON)
    assert (refused.status, refused.refusal_reason, refused.decided_by_id) == (
        "refused",
        "Brak wolnego asystenta",
        pl_director.pk,
    )
    assert kinds(case)[-1] == FamilyEventKind.ENROLMENT_REFUSED
    with pytest.raises(InvalidFamilyTransition):
        refuse_enrolment(pl_director, requested, reason="again", decided_on=STARTED_ON)


def test_an_approved_enrolment_cannot_be_approved_again(enrolment, pl_director, pl_assistant2):
    before = counts()
    with pytest.raises(InvalidFamilyTransition) as refused:
        approve_enrolment(pl_director, enrolment, assistant=pl_assistant2, decided_on=STARTED_ON)
    assert refused.value.code == "invalid_transition"
    assert counts() == before


# --- the caseload cap ----------------------------------------------------------------------------------------


def test_cap_is_a_dated_parameter_twenty_before_the_change_and_fifteen_after(pl_centre):
    before, after = caseload_cap(pl_centre, BEFORE_CHANGE), caseload_cap(pl_centre, AFTER_CHANGE)
    assert (before.value, after.value) == (20, 15)
    assert "art. 15 ust. 4" in after.legal_basis
    assert after.valid_from == dt.date(2015, 1, 1) and "[NOT CONFIRMED]" in after.source and not after.confirmed
    assert before.valid_from == dt.date(2012, 1, 1) and before.confirmed


def test_cap_reached_on_approval_writes_nothing(case, pl_worker, pl_director, pl_assistant, mother, fill_caseload):
    fill_caseload(pl_assistant, 15)
    requested = request_enrolment(pl_worker, case=case, reason="x", requested_on=REQUESTED_ON)
    before = counts()
    with pytest.raises(CaseloadCapReached) as refused:
        approve_enrolment(
            pl_director,
            requested,
            assistant=pl_assistant,
            decided_on=STARTED_ON,
            consent=ConsentInput(person=mother, given_on=STARTED_ON, method="written"),
        )
    assert (refused.value.cap, refused.value.load, refused.value.code) == (15, 15, "caseload_cap_reached")
    assert "art. 15 ust. 4" in str(refused.value.message) and "15 families" in str(refused.value.message)
    assert counts() == before
    requested.refresh_from_db()
    assert requested.status == "requested"


def test_cap_on_a_day_before_the_change_allows_a_sixteenth_family(
    pl_centre, pl_worker, pl_director, pl_assistant, family_team, fill_caseload
):
    from socius.casework.tests.factories import CaseFactory
    from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory

    fill_caseload(pl_assistant, 15)
    home = HouseholdFactory(centre=pl_centre)
    parent = PersonFactory(centre=pl_centre)
    MembershipFactory(household=home, person=parent, relationship="head", valid_from=dt.date(2010, 1, 1))
    old_case = CaseFactory(centre=pl_centre, household=home, assigned_worker=pl_worker, team=family_team)
    requested = request_enrolment(pl_worker, case=old_case, reason="x", requested_on=dt.date(2014, 6, 1))
    approved = approve_enrolment(
        pl_director, requested, assistant=pl_assistant, decided_on=BEFORE_CHANGE,
        consent=ConsentInput(person=parent, given_on=BEFORE_CHANGE, method="written"),
    )  # fmt: skip
    assert approved.status == "active"
    assert FamilyEnrolment.objects.filter(assistant=pl_assistant, status="active").count() == 16


def test_monitored_and_closed_families_do_not_count_against_the_cap(enrolment, pl_assistant2, fill_caseload):
    fill_caseload(pl_assistant2, 14)
    fill_caseload(pl_assistant2, 3, status=EnrolmentStatus.MONITORING)
    fill_caseload(pl_assistant2, 3, status=EnrolmentStatus.CLOSED)
    # 14 active: one more is allowed (the 15th), then the cap is reached
    from socius.family.support._common import check_cap

    check_cap(pl_assistant2, pl_assistant2.centre, AFTER_CHANGE)
    fill_caseload(pl_assistant2, 1)
    with pytest.raises(CaseloadCapReached):
        check_cap(pl_assistant2, pl_assistant2.centre, AFTER_CHANGE)


def test_cap_reached_on_direct_enrolment_writes_nothing(case, pl_worker, pl_assistant, mother, fill_caseload):
    fill_caseload(pl_assistant, 15)
    before = counts()
    with pytest.raises(CaseloadCapReached):
        enrol_family(
            pl_worker,
            case=case,
            route=EnrolmentRoute.COURT_ORDER,
            assistant=pl_assistant,
            started_on=STARTED_ON,
            court_name="Sąd Rejonowy w Piotrkowie Trybunalskim",
            court_reference="III Nsm 12/25",
            court_order_on=dt.date(2025, 2, 1),
            consent=ConsentInput(person=mother, given_on=STARTED_ON, method="written"),
        )
    assert counts() == before


def test_cap_reached_on_change_of_assistant_writes_nothing(enrolment, pl_director, pl_assistant2, fill_caseload):
    fill_caseload(pl_assistant2, 15)
    before = counts()
    with pytest.raises(CaseloadCapReached):
        change_assistant(pl_director, enrolment, assistant=pl_assistant2, on=DAY_AFTER, reason="Urlop")
    assert counts() == before
    enrolment.refresh_from_db()
    assert enrolment.assistant.username == "pl_assistant"


def test_cap_reached_on_resumed_work_writes_nothing(enrolment, pl_assistant, fill_caseload):
    close_work(pl_assistant, enrolment, closed_on=DAY_AFTER, outcome="goals_achieved")
    fill_caseload(pl_assistant, 15)
    before = counts()
    with pytest.raises(CaseloadCapReached):
        resume_work(pl_assistant, enrolment, on=DAY_AFTER + dt.timedelta(days=10), reason="Kryzys")
    assert counts() == before


DAY_AFTER = dt.date(2025, 3, 10)


# --- direct enrolment -------------------------------------------------------------------------------------------


def test_court_ordered_enrolment_needs_the_court_and_goes_active_at_once(case, pl_worker, pl_assistant):
    before = counts()
    with pytest.raises(ValidationFailed) as failed:
        enrol_family(
            pl_worker, case=case, route=EnrolmentRoute.COURT_ORDER, assistant=pl_assistant, started_on=STARTED_ON
        )
    assert list(failed.value.errors) == ["court_name"]
    assert counts() == before
    enrolment = enrol_family(
        pl_worker,
        case=case,
        route=EnrolmentRoute.COURT_ORDER,
        assistant=pl_assistant,
        started_on=STARTED_ON,
        court_name="Sąd Rejonowy",
        court_reference="III Nsm 12/25",
        court_order_on=dt.date(2025, 2, 1),
    )
    assert (enrolment.status, enrolment.route, enrolment.assistant_id) == ("active", "court_order", pl_assistant.pk)
    assert kinds(case) == [FamilyEventKind.ENROLMENT_ORDERED]
    assert FamilyEvent.objects.get(case=case).data == {
        "enrolment_id": enrolment.pk,
        "route": "court_order",
        "assistant": pl_assistant.pk,
        "started_on": "2025-02-10",
        "household_id": case.household_id,
        "court_name": "Sąd Rejonowy",
        "court_reference": "III Nsm 12/25",
    }
    assert CaseShare.objects.filter(case=case, user=pl_assistant).exists()


def test_statutory_enrolment_names_its_legal_basis(case, pl_worker, pl_assistant, mother):
    with pytest.raises(ValidationFailed) as failed:
        enrol_family(
            pl_worker, case=case, route=EnrolmentRoute.STATUTORY, assistant=pl_assistant, started_on=STARTED_ON
        )
    assert list(failed.value.errors) == ["legal_basis"]
    enrolment = enrol_family(
        pl_worker,
        case=case,
        route=EnrolmentRoute.STATUTORY,
        assistant=pl_assistant,
        started_on=STARTED_ON,
        legal_basis="art. 11 ust. 1a",
        consent=ConsentInput(person=mother, given_on=STARTED_ON, method="written"),
    )
    assert kinds(case) == [FamilyEventKind.ENROLMENT_STATUTORY, FamilyEventKind.CONSENT_GIVEN]
    assert enrolment.legal_basis == "art. 11 ust. 1a"


def test_direct_enrolment_is_not_a_request_route(case, pl_worker, pl_assistant):
    with pytest.raises(ValidationFailed) as failed:
        enrol_family(pl_worker, case=case, route="request", assistant=pl_assistant, started_on=STARTED_ON)
    assert "route" in failed.value.errors


def test_assistant_may_enrol_onto_themselves_only(case, pl_worker, pl_assistant, pl_assistant2, mother):
    from socius.casework.services import share_case

    share_case(pl_worker, case.pk, pl_assistant)
    with pytest.raises(Forbidden):
        enrol_family(
            pl_assistant, case=case, route="statutory", assistant=pl_assistant2, started_on=STARTED_ON, legal_basis="x"
        )
    enrolment = enrol_family(
        pl_assistant, case=case, route="statutory", assistant=pl_assistant, started_on=STARTED_ON, legal_basis="x",
        consent=ConsentInput(person=mother, given_on=STARTED_ON, method="written"),
    )  # fmt: skip
    assert enrolment.assistant_id == pl_assistant.pk


def test_assistant_who_does_not_read_the_case_cannot_enrol_it(case, pl_assistant):
    with pytest.raises(Forbidden):
        enrol_family(
            pl_assistant, case=case, route="statutory", assistant=pl_assistant, started_on=STARTED_ON, legal_basis="x"
        )
    assert FamilyEnrolment.objects.count() == 0


# --- consents -------------------------------------------------------------------------------------------------


def test_consent_is_recorded_for_a_household_member_once(enrolment, pl_assistant, son, outsider):
    consent = record_consent(pl_assistant, enrolment, person=son, given_on=DAY_AFTER, method="oral", note="")
    assert (consent.person_id, consent.recorded_by_id) == (son.pk, pl_assistant.pk)
    before = counts()
    with pytest.raises(ValidationFailed) as failed:
        record_consent(pl_assistant, enrolment, person=son, given_on=DAY_AFTER, method="oral")
    assert list(failed.value.errors) == ["person"]
    with pytest.raises(ValidationFailed) as failed:
        record_consent(pl_assistant, enrolment, person=outsider, given_on=DAY_AFTER, method="telepathy")
    assert set(failed.value.errors) == {"person", "method"}
    assert counts() == before


def test_withdrawing_the_last_consent_closes_the_work(enrolment, pl_assistant, case):
    consent = EnrolmentConsent.objects.get(enrolment=enrolment)
    closed = withdraw_consent(pl_assistant, consent, withdrawn_on=DAY_AFTER, note="Rodzina rezygnuje")
    months = monitoring_months(closed.centre, DAY_AFTER).value
    assert closed.outcome == "consent_withdrawn" and closed.closed_on == DAY_AFTER
    assert closed.status == ("monitoring" if months else "closed")
    consent.refresh_from_db()
    assert consent.withdrawn_on == DAY_AFTER and consent.withdrawal_note == "Rodzina rezygnuje"
    assert kinds(case)[-2:] == [FamilyEventKind.CONSENT_WITHDRAWN, FamilyEventKind.WORK_CLOSED]


def test_withdrawing_one_of_two_consents_keeps_the_work(enrolment, pl_assistant, son):
    record_consent(pl_assistant, enrolment, person=son, given_on=DAY_AFTER, method="oral")
    consent = EnrolmentConsent.objects.get(enrolment=enrolment, person__first_name="Anna")
    kept = withdraw_consent(pl_assistant, consent, withdrawn_on=DAY_AFTER, note="")
    assert kept.status == "active"


def test_withdrawing_consent_does_not_close_court_ordered_work(case, pl_worker, pl_assistant, mother):
    enrolment = enrol_family(
        pl_worker,
        case=case,
        route="court_order",
        assistant=pl_assistant,
        started_on=STARTED_ON,
        court_name="Sąd Rejonowy",
        consent=ConsentInput(person=mother, given_on=STARTED_ON, method="written"),
    )
    consent = EnrolmentConsent.objects.get(enrolment=enrolment)
    kept = withdraw_consent(pl_assistant, consent, withdrawn_on=DAY_AFTER, note="")
    assert kept.status == "active" and kept.outcome == ""
    assert kinds(case)[-1] == FamilyEventKind.CONSENT_WITHDRAWN


def test_a_consent_cannot_be_withdrawn_twice_or_before_it_was_given(enrolment, pl_assistant):
    consent = EnrolmentConsent.objects.get(enrolment=enrolment)
    with pytest.raises(ValidationFailed) as failed:
        withdraw_consent(pl_assistant, consent, withdrawn_on=STARTED_ON - dt.timedelta(1), note="")
    assert list(failed.value.errors) == ["withdrawn_on"]
    withdraw_consent(pl_assistant, consent, withdrawn_on=DAY_AFTER, note="")
    before = counts()
    with pytest.raises(Exception) as refused:
        withdraw_consent(pl_assistant, consent, withdrawn_on=DAY_AFTER, note="")
    assert getattr(refused.value, "code", None) == "consent_withdrawn"
    assert counts() == before


def test_consent_of_another_centre_is_not_found(enrolment, other_assistant):
    consent = EnrolmentConsent.objects.get(enrolment=enrolment)
    with pytest.raises(NotFound):
        withdraw_consent(other_assistant, consent, withdrawn_on=DAY_AFTER, note="")


# --- change of assistant ----------------------------------------------------------------------------------------


def test_director_and_case_team_leader_change_the_assistant(
    enrolment, pl_director, pl_teamlead, pl_assistant, pl_assistant2, case
):
    changed = change_assistant(pl_director, enrolment, assistant=pl_assistant2, on=DAY_AFTER, reason="Urlop")
    assert changed.assistant_id == pl_assistant2.pk
    assert CaseShare.objects.filter(case=case, user=pl_assistant2).exists()
    event = FamilyEvent.objects.filter(case=case, kind=FamilyEventKind.ASSISTANT_CHANGED).get()
    assert (event.data["from"], event.data["to"]) == (pl_assistant.pk, pl_assistant2.pk)
    back = change_assistant(pl_teamlead, enrolment, assistant=pl_assistant, on=DAY_AFTER, reason="Powrót")
    assert back.assistant_id == pl_assistant.pk


def test_worker_and_assistant_cannot_change_the_assistant(enrolment, pl_worker, pl_assistant, pl_assistant2):
    before = counts()
    for actor in (pl_worker, pl_assistant):
        with pytest.raises(Forbidden):
            change_assistant(actor, enrolment, assistant=pl_assistant2, on=DAY_AFTER, reason="x")
    assert counts() == before


def test_change_to_the_same_assistant_is_refused_by_field(enrolment, pl_director, pl_assistant):
    with pytest.raises(ValidationFailed) as failed:
        change_assistant(pl_director, enrolment, assistant=pl_assistant, on=DAY_AFTER, reason="x")
    assert list(failed.value.errors) == ["assistant"]


# --- closing, monitoring, resuming ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "outcome",
    ["child_stays", "child_returned", "child_placed", "family_moved", "consent_withdrawn", "goals_achieved"],
)
def test_closing_the_work_with_each_outcome_starts_the_monitoring_period(enrolment, pl_assistant, case, outcome):
    closed = close_work(pl_assistant, enrolment, closed_on=DAY_AFTER, outcome=outcome, note="Cel osiągnięty")
    assert (closed.status, closed.outcome, closed.closed_on) == ("monitoring", outcome, DAY_AFTER)
    assert monitoring_months(closed.centre, DAY_AFTER).value == 3
    assert closed.monitoring_until == dt.date(2025, 6, 10)
    event = FamilyEvent.objects.filter(case=case, kind=FamilyEventKind.WORK_CLOSED).get()
    assert event.data == {
        "enrolment_id": closed.pk,
        "closed_on": "2025-03-10",
        "outcome": outcome,
        "monitoring_until": "2025-06-10",
    }


def test_closing_without_a_monitoring_period_closes_at_once(enrolment, pl_assistant, monkeypatch):
    from socius.family.rules import ParamInfo
    from socius.family.support import enrolments

    monkeypatch.setattr(
        enrolments, "monitoring_months", lambda centre, on: ParamInfo(0, "local", "test", dt.date(2012, 1, 1))
    )
    closed = close_work(pl_assistant, enrolment, closed_on=DAY_AFTER, outcome="family_moved")
    assert (closed.status, closed.monitoring_until, closed.ended_on) == ("closed", None, DAY_AFTER)


def test_closing_needs_a_known_outcome_and_a_date_after_the_start(enrolment, pl_assistant):
    before = counts()
    with pytest.raises(ValidationFailed) as failed:
        close_work(pl_assistant, enrolment, closed_on=STARTED_ON - dt.timedelta(1), outcome="vanished")
    assert set(failed.value.errors) == {"closed_on", "outcome"}
    assert counts() == before


def test_monitoring_ends_and_the_enrolment_closes(enrolment, pl_assistant, case):
    close_work(pl_assistant, enrolment, closed_on=DAY_AFTER, outcome="goals_achieved")
    ended = end_monitoring(pl_assistant, enrolment, ended_on=dt.date(2025, 6, 10), note="Stabilnie")
    assert (ended.status, ended.ended_on) == ("closed", dt.date(2025, 6, 10))
    assert kinds(case)[-1] == FamilyEventKind.MONITORING_ENDED
    with pytest.raises(InvalidFamilyTransition):
        end_monitoring(pl_assistant, enrolment, ended_on=dt.date(2025, 6, 11))
    with pytest.raises(InvalidFamilyTransition):
        resume_work(pl_assistant, enrolment, on=dt.date(2025, 6, 11), reason="x")


def test_work_resumes_from_monitoring(enrolment, pl_assistant):
    close_work(pl_assistant, enrolment, closed_on=DAY_AFTER, outcome="child_stays")
    resumed = resume_work(pl_assistant, enrolment, on=dt.date(2025, 4, 1), reason="Nawrót trudności")
    assert (resumed.status, resumed.closed_on, resumed.outcome, resumed.monitoring_until) == ("active", None, "", None)
    case = enrolment.case
    assert kinds(case)[-1] == FamilyEventKind.WORK_RESUMED
    resumed_event = FamilyEvent.objects.filter(case=case, kind=FamilyEventKind.WORK_RESUMED).get()
    assert resumed_event.data["resumed_on"] == "2025-04-01"
    assert resumed_event.data["outcome"] == "child_stays"


def test_active_work_cannot_end_monitoring_nor_resume(enrolment, pl_assistant):
    before = counts()
    with pytest.raises(InvalidFamilyTransition):
        end_monitoring(pl_assistant, enrolment, ended_on=DAY_AFTER)
    with pytest.raises(InvalidFamilyTransition):
        resume_work(pl_assistant, enrolment, on=DAY_AFTER, reason="x")
    assert counts() == before


def test_assistant_of_another_family_and_other_centre_cannot_close(
    enrolment, pl_assistant2, other_assistant, pl_auditor, pl_worker2
):
    before = counts()
    for actor in (pl_assistant2, pl_auditor, pl_worker2):
        with pytest.raises(Forbidden):
            close_work(actor, enrolment, closed_on=DAY_AFTER, outcome="goals_achieved")
    with pytest.raises(NotFound):
        close_work(other_assistant, enrolment, closed_on=DAY_AFTER, outcome="goals_achieved")
    assert counts() == before


def test_staff_who_only_read_a_shared_case_cannot_enrol_it_directly(case, pl_worker, pl_worker2, pl_assistant):
    from socius.casework.services import share_case

    share_case(pl_worker, case.pk, pl_worker2)
    before = counts()
    with pytest.raises(Forbidden):
        enrol_family(
            pl_worker2, case=case, route="statutory", assistant=pl_assistant, started_on=STARTED_ON, legal_basis="x"
        )
    assert counts() == before


def test_hostile_identifiers_are_not_found(pl_director, pl_assistant):
    for hostile in ("1; DROP TABLE family_familyenrolment", None, [], {"pk": 1}, 10**12):
        with pytest.raises(NotFound):
            approve_enrolment(pl_director, hostile, assistant=pl_assistant, decided_on=STARTED_ON)


# --- audit, funds, monitoring -------------------------------------------------------------------------------------


def audited_persons(event):
    return {event.person_id, *event.further_persons.values_list("person_id", flat=True)} - {None}


def test_every_write_is_audited_under_the_familys_persons(enrolment, pl_assistant, mother, son):
    record_consent(pl_assistant, enrolment, person=son, given_on=DAY_AFTER, method="oral")
    close_work(pl_assistant, enrolment, closed_on=DAY_AFTER, outcome="child_stays")
    events = AuditEvent.objects.filter(object_type__in=["family_enrolment", "enrolment_consent"]).order_by("id")
    assert [(e.object_type, e.action) for e in events] == [
        ("family_enrolment", "create"),
        ("family_enrolment", "update"),
        ("enrolment_consent", "create"),
        ("enrolment_consent", "create"),
        ("family_enrolment", "update"),
    ]
    for event in events:
        assert audited_persons(event) == {mother.pk, son.pk}
    assert events.last().changes["status"] == ["active", "monitoring"]
    assert events.last().changes["outcome"] == ["", "child_stays"]


def test_a_fund_of_another_centre_is_refused_by_field(case, pl_worker, pl_director, pl_assistant, other_centre):
    from socius.payments.models import Fund

    foreign = Fund.objects.create(
        centre=other_centre, code="projekt", name="Projekt", kind="project", currency="PLN", debtor_name="GOPS",
        debtor_iban="PL27114020040000300201355387",
    )  # fmt: skip
    requested = request_enrolment(pl_worker, case=case, reason="x", requested_on=REQUESTED_ON)
    before = counts()
    with pytest.raises(ValidationFailed) as failed:
        approve_enrolment(pl_director, requested, assistant=pl_assistant, decided_on=STARTED_ON, fund=foreign)
    assert list(failed.value.errors) == ["fund"]
    assert counts() == before


def test_changing_the_assistant_of_a_monitored_family_does_not_load_the_new_one(
    enrolment, pl_director, pl_assistant, pl_assistant2, fill_caseload
):
    close_work(pl_assistant, enrolment, closed_on=DAY_AFTER, outcome="goals_achieved")
    fill_caseload(pl_assistant2, 15)
    changed = change_assistant(pl_director, enrolment, assistant=pl_assistant2, on=DAY_AFTER, reason="Zmiana rejonu")
    assert (changed.status, changed.assistant_id) == ("monitoring", pl_assistant2.pk)
    with pytest.raises(CaseloadCapReached):  # but resuming the work would overload them
        resume_work(pl_director, enrolment, on=DAY_AFTER + dt.timedelta(days=1), reason="x")


def test_the_new_assistant_works_the_family_and_the_old_one_no_longer_does(
    enrolment, pl_director, pl_assistant, pl_assistant2
):
    from socius.family.support import log_activity

    change_assistant(pl_director, enrolment, assistant=pl_assistant2, on=DAY_AFTER, reason="Urlop")
    assert log_activity(pl_assistant2, enrolment, on=DAY_AFTER, minutes=30, place="office", areas=["health"]).pk
    with pytest.raises(Forbidden):
        log_activity(pl_assistant, enrolment, on=DAY_AFTER, minutes=30, place="office", areas=["health"])
