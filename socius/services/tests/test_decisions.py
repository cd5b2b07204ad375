"""Service decisions: drafting on a case the worker reads, issuing with four eyes, within the week's capacity
(the centre's staff or the provider's), numbering, the waiting-list entry placed; suspending, resuming, ending,
cancelling a draft. Every refusal leaves nothing written (no change, no audit row)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from socius.accounts.models import AuditAction, AuditEvent
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.services import decisions, waiting
from socius.services.errors import CapacityExceeded, FourEyes, InvalidServiceTransition, ServiceNotOffered
from socius.services.models import ServiceDecision, WaitingListEntry
from socius.services.statuses import DecisionStatus, WaitingStatus
from socius.services.tests.conftest import DAY, HOME_HELP, SPECIALIST, decision_data, make_decision


def _events(object_type="service_decision"):
    return AuditEvent.objects.filter(object_type=object_type)


@pytest.fixture
def draft(pl_worker, client_person, case, offer):
    return decisions.draft_decision(pl_worker, decision_data(client_person, case))


# --- drafting ----------------------------------------------------------------------------------------------


def test_worker_drafts_a_decision_on_their_case_with_the_unit_of_the_catalogue(pl_worker, client_person, case):
    decision = decisions.draft_decision(pl_worker, decision_data(client_person, case))
    assert decision.status == DecisionStatus.DRAFT
    assert decision.unit == "hour"
    assert decision.number == ""
    assert decision.household is not None
    assert decision.weekly_pattern[0] == {"weekday": 0, "start": "09:00", "units": "2.00"}
    event = _events().get()
    assert event.action == AuditAction.CREATE
    assert event.person_id == client_person.pk
    assert event.changes["status"] == [None, "draft"]


def test_worker_cannot_draft_on_a_case_they_do_not_read(pl_worker2, client_person, case):
    with pytest.raises(ValidationFailed) as raised:
        decisions.draft_decision(pl_worker2, decision_data(client_person, case))
    assert set(raised.value.errors) == {"case"}
    assert not ServiceDecision.objects.exists()
    assert not _events().exists()


@pytest.mark.parametrize("persona", ["pl_finance", "pl_auditor", "pl_assistant", "pl_admin", "pl_carer"], indirect=True)
def test_roles_without_ordering_cannot_draft(persona, client_person, case):
    with pytest.raises(Forbidden):
        decisions.draft_decision(persona, decision_data(client_person, case))
    assert not ServiceDecision.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"service_code": "lt.home_help"}, "service_code"),
        ({"service_code": None}, "service_code"),
        ({"quantity": Decimal("0")}, "quantity"),
        ({"quantity": "ten"}, "quantity"),
        ({"quantity": Decimal("1.005")}, "quantity"),
        ({"per": "year"}, "per"),
        ({"starts_on": "2025-03-03"}, "starts_on"),
        ({"ends_on": dt.date(2025, 3, 2)}, "ends_on"),
        ({"weekly_pattern": [{"weekday": 7, "start": "09:00", "units": "2"}]}, "weekly_pattern"),
        ({"weekly_pattern": [{"weekday": 1, "start": "25:00", "units": "2"}]}, "weekly_pattern"),
        ({"weekly_pattern": "Mondays"}, "weekly_pattern"),
        ({"weekly_pattern": [{"weekday": 1, "start": "09:00", "units": "11"}]}, "weekly_pattern"),
        ({"provider": 999999}, "provider"),
        ({"person": 999999}, "person"),
        ({"income": Decimal("1200"), "household_size": 2, "lives_alone": True}, "household_size"),
        ({"income": Decimal("1200")}, "household_size"),
        ({"waiting_entry": 999999}, "waiting_entry"),
    ],
)
def test_a_draft_with_bad_input_names_the_field_and_writes_nothing(pl_worker, client_person, case, overrides, field):
    with pytest.raises(ValidationFailed) as raised:
        decisions.draft_decision(pl_worker, decision_data(client_person, case, **overrides))
    assert field in raised.value.errors
    assert not ServiceDecision.objects.exists()
    assert not _events().exists()


def test_the_client_must_be_the_case_person(pl_worker, pl_centre, case):
    from socius.testing.factories import PersonFactory

    stranger = PersonFactory(centre=pl_centre)
    with pytest.raises(ValidationFailed) as raised:
        decisions.draft_decision(pl_worker, decision_data(stranger, case))
    assert set(raised.value.errors) == {"person"}


def test_income_facts_are_kept_for_the_copayment(pl_worker, client_person, case):
    decision = decisions.draft_decision(
        pl_worker,
        decision_data(client_person, case, income=Decimal("1450.00"), household_size=1, lives_alone=True),
    )
    assert decision.copayment_facts == {"income": "1450.00", "household_size": 1, "lives_alone": True}


def test_drafter_changes_the_draft_and_the_change_is_audited(pl_worker, draft):
    decisions.update_draft(pl_worker, draft, {"quantity": Decimal("12"), "notes": "Also shopping."})
    draft.refresh_from_db()
    assert draft.quantity == Decimal("12.00")
    assert draft.notes == "Also shopping."
    event = _events().filter(action=AuditAction.UPDATE).get()
    assert event.changes["quantity"] == ["10.00", "12.00"]


def test_an_issued_decision_is_not_edited(pl_worker, pl_director, draft):
    decisions.issue_decision(pl_director, draft, on=DAY)
    with pytest.raises(Conflict) as raised:
        decisions.update_draft(pl_worker, draft, {"quantity": Decimal("12")})
    assert raised.value.code == "decision_not_draft"
    draft.refresh_from_db()
    assert draft.quantity == Decimal("10.00")


def test_another_worker_without_the_case_cannot_see_the_draft(pl_worker2, draft):
    with pytest.raises(NotFound):
        decisions.update_draft(pl_worker2, draft, {"quantity": Decimal("12")})


def test_a_worker_of_another_centre_finds_nothing(other_worker, draft):
    with pytest.raises(NotFound):
        decisions.cancel_draft(other_worker, draft)


# --- issuing ------------------------------------------------------------------------------------------------


def test_director_issues_a_draft_with_the_next_number_of_the_year(pl_director, draft):
    issued = decisions.issue_decision(pl_director, draft, on=DAY)
    assert issued.status == DecisionStatus.ISSUED
    assert issued.number == "USL/2025/0001"
    assert issued.issued_by == pl_director
    assert issued.issued_on == DAY
    event = _events().filter(action=AuditAction.UPDATE).get()
    assert event.changes["status"] == ["draft", "issued"]
    assert event.person_id == draft.person_id


def test_numbers_follow_each_other_within_a_year(pl_worker, pl_director, client_person, case, offer):
    first = decisions.draft_decision(
        pl_worker, decision_data(client_person, case, quantity=Decimal("5"), weekly_pattern=[])
    )
    second = decisions.draft_decision(
        pl_worker, decision_data(client_person, case, quantity=Decimal("5"), weekly_pattern=[])
    )
    decisions.issue_decision(pl_director, first, on=DAY)
    decisions.issue_decision(pl_director, second, on=DAY)
    second.refresh_from_db()
    assert second.number == "USL/2025/0002"


def test_the_drafter_cannot_issue_their_own_decision(pl_teamlead, client_person, case, offer):
    own = decisions.draft_decision(pl_teamlead, decision_data(client_person, case))
    with pytest.raises(FourEyes):
        decisions.issue_decision(pl_teamlead, own, on=DAY)
    own.refresh_from_db()
    assert own.status == DecisionStatus.DRAFT
    assert own.number == ""
    assert not _events().filter(action=AuditAction.UPDATE).exists()


def test_a_social_worker_cannot_issue(pl_worker2, pl_worker, draft):
    with pytest.raises((Forbidden, NotFound)):
        decisions.issue_decision(pl_worker, draft, on=DAY)
    draft.refresh_from_db()
    assert draft.status == DecisionStatus.DRAFT


def test_a_service_the_centre_does_not_offer_on_the_first_day_is_refused(pl_worker, pl_director, client_person, case):
    draft = decisions.draft_decision(pl_worker, decision_data(client_person, case))
    with pytest.raises(ServiceNotOffered):
        decisions.issue_decision(pl_director, draft, on=DAY)
    draft.refresh_from_db()
    assert draft.status == DecisionStatus.DRAFT


def test_capacity_of_the_centre_refuses_units_that_do_not_fit(
    pl_worker, pl_director, pl_centre, client_person, case, offer
):
    make_decision(pl_centre, client_person, pl_worker, quantity=Decimal("25"), number="X/1")  # 25 of 30 booked
    draft = decisions.draft_decision(
        pl_worker, decision_data(client_person, case, quantity=Decimal("6"), weekly_pattern=[])
    )
    with pytest.raises(CapacityExceeded) as raised:
        decisions.issue_decision(pl_director, draft, on=DAY)
    assert (raised.value.capacity, raised.value.booked, raised.value.asked) == (
        Decimal("30.00"),
        Decimal("25.00"),
        Decimal("6.00"),
    )
    assert raised.value.code == "capacity_exceeded"
    draft.refresh_from_db()
    assert (draft.status, draft.number) == (DecisionStatus.DRAFT, "")
    assert not _events().filter(action=AuditAction.UPDATE).exists()


def test_units_that_just_fit_are_issued(pl_worker, pl_director, pl_centre, client_person, case, offer):
    make_decision(pl_centre, client_person, pl_worker, quantity=Decimal("20"), number="X/1")
    draft = decisions.draft_decision(pl_worker, decision_data(client_person, case))  # 10 more: exactly 30
    assert decisions.issue_decision(pl_director, draft, on=DAY).status == DecisionStatus.ISSUED


def test_ended_decisions_and_those_of_other_weeks_free_the_capacity(
    pl_worker, pl_director, pl_centre, client_person, case, offer
):
    make_decision(pl_centre, client_person, pl_worker, quantity=Decimal("25"), status=DecisionStatus.ENDED)
    make_decision(
        pl_centre,
        client_person,
        pl_worker,
        quantity=Decimal("25"),
        starts_on=dt.date(2025, 1, 6),
        ends_on=DAY - dt.timedelta(days=1),
    )  # ended the Sunday before
    draft = decisions.draft_decision(pl_worker, decision_data(client_person, case))
    assert decisions.issue_decision(pl_director, draft, on=DAY).status == DecisionStatus.ISSUED


def test_monthly_quantities_count_as_their_share_of_a_week(
    pl_worker, pl_director, pl_centre, client_person, case, offer
):
    make_decision(pl_centre, client_person, pl_worker, quantity=Decimal("100"), per="month")  # 23.08 a week
    draft = decisions.draft_decision(
        pl_worker, decision_data(client_person, case, quantity=Decimal("7"), weekly_pattern=[])
    )
    with pytest.raises(CapacityExceeded) as raised:
        decisions.issue_decision(pl_director, draft, on=DAY)
    assert raised.value.booked == Decimal("23.08")


def test_the_provider_capacity_bounds_its_decisions(
    pl_worker, pl_director, pl_centre, client_person, case, specialist_offer, provider
):
    make_decision(
        pl_centre, client_person, pl_worker, service_code=SPECIALIST, quantity=Decimal("8"), provider=provider
    )
    draft = decisions.draft_decision(
        pl_worker,
        decision_data(
            client_person, case, service_code=SPECIALIST, quantity=Decimal("3"), weekly_pattern=[], provider=provider.pk
        ),
    )
    with pytest.raises(CapacityExceeded) as raised:
        decisions.issue_decision(pl_director, draft, on=DAY)
    assert "Caritas" in str(raised.value.message)
    # The centre's own staff (no provider) has no limit for specialist care: the same units fit there.
    decisions.update_draft(pl_worker, draft, {"provider": None})
    assert decisions.issue_decision(pl_director, draft, on=DAY).status == DecisionStatus.ISSUED


def test_issuing_places_the_waiting_list_entry(pl_worker, pl_director, client_person, case, offer):
    entry = waiting.add_to_waiting_list(
        pl_worker, person=client_person, service_code=HOME_HELP, reason="Lives alone", requested_on=DAY, case=case
    )
    draft = decisions.draft_decision(pl_worker, decision_data(client_person, case, waiting_entry=entry.pk))
    decisions.issue_decision(pl_director, draft, on=DAY + dt.timedelta(days=2))
    entry.refresh_from_db()
    assert entry.status == WaitingStatus.PLACED
    assert entry.placed_on == DAY + dt.timedelta(days=2)
    assert _events("service_waiting_entry").filter(action=AuditAction.UPDATE).get().changes["status"] == [
        "waiting",
        "placed",
    ]


def test_a_cancelled_draft_frees_its_waiting_entry(pl_worker, client_person, case, offer):
    entry = waiting.add_to_waiting_list(
        pl_worker, person=client_person, service_code=HOME_HELP, reason="Lives alone", requested_on=DAY, case=case
    )
    draft = decisions.draft_decision(pl_worker, decision_data(client_person, case, waiting_entry=entry.pk))
    decisions.cancel_draft(pl_worker, draft, reason="Wrong service")
    draft.refresh_from_db()
    assert (draft.status, draft.waiting_entry_id, draft.end_reason) == ("cancelled", None, "Wrong service")
    again = decisions.draft_decision(pl_worker, decision_data(client_person, case, waiting_entry=entry.pk))
    assert again.waiting_entry_id == entry.pk
    assert WaitingListEntry.objects.get().status == WaitingStatus.WAITING


def test_a_decision_issued_twice_is_refused_with_the_states(pl_director, draft):
    decisions.issue_decision(pl_director, draft, on=DAY)
    with pytest.raises(InvalidServiceTransition) as raised:
        decisions.issue_decision(pl_director, draft, on=DAY)
    assert "Issued" in str(raised.value.message)
    assert ServiceDecision.objects.get().number == "USL/2025/0001"


# --- suspending, resuming, ending ------------------------------------------------------------------------------


def test_suspend_resume_and_end_an_issued_decision(pl_director, pl_teamlead, draft):
    decisions.issue_decision(pl_director, draft, on=DAY)
    decisions.suspend_decision(pl_teamlead, draft, on=DAY + dt.timedelta(days=7), reason="In hospital")
    draft.refresh_from_db()
    assert (draft.status, draft.suspended_on, draft.suspension_reason) == (
        "suspended",
        DAY + dt.timedelta(days=7),
        "In hospital",
    )
    decisions.resume_decision(pl_teamlead, draft, on=DAY + dt.timedelta(days=14))
    draft.refresh_from_db()
    assert (draft.status, draft.suspended_on) == ("issued", None)
    decisions.end_decision(pl_teamlead, draft, on=DAY + dt.timedelta(days=30), reason="Moved to a care home")
    draft.refresh_from_db()
    assert (draft.status, draft.ended_on, draft.ends_on) == (
        "ended",
        DAY + dt.timedelta(days=30),
        DAY + dt.timedelta(days=30),
    )
    statuses = [e.changes["status"] for e in _events().filter(action=AuditAction.UPDATE).order_by("id")]
    assert statuses == [["draft", "issued"], ["issued", "suspended"], ["suspended", "issued"], ["issued", "ended"]]


def test_a_draft_cannot_be_suspended_or_ended(pl_director, draft):
    with pytest.raises(InvalidServiceTransition):
        decisions.suspend_decision(pl_director, draft, on=DAY, reason="x")
    with pytest.raises(InvalidServiceTransition):
        decisions.end_decision(pl_director, draft, on=DAY, reason="x")
    draft.refresh_from_db()
    assert draft.status == DecisionStatus.DRAFT
    assert not _events().filter(action=AuditAction.UPDATE).exists()


def test_ending_needs_a_reason_and_a_day_not_before_the_start(pl_director, draft):
    decisions.issue_decision(pl_director, draft, on=DAY)
    with pytest.raises(ValidationFailed) as raised:
        decisions.end_decision(pl_director, draft, on=DAY - dt.timedelta(days=1), reason=" ")
    assert set(raised.value.errors) == {"on", "reason"}
    draft.refresh_from_db()
    assert draft.status == DecisionStatus.ISSUED


def test_a_worker_cannot_end_a_decision(pl_worker, pl_director, draft):
    decisions.issue_decision(pl_director, draft, on=DAY)
    with pytest.raises(Forbidden):
        decisions.end_decision(pl_worker, draft, on=DAY, reason="x")


def test_an_issued_decision_cannot_be_cancelled(pl_worker, pl_director, draft):
    decisions.issue_decision(pl_director, draft, on=DAY)
    with pytest.raises(InvalidServiceTransition):
        decisions.cancel_draft(pl_worker, draft)
    assert ServiceDecision.objects.get().status == DecisionStatus.ISSUED


def test_issuing_assesses_the_copayment_from_the_income_facts_of_the_draft(
    pl_worker, pl_director, client_person, case, offer
):
    draft = decisions.draft_decision(
        pl_worker,
        decision_data(client_person, case, income=Decimal("1450.00"), household_size=1, lives_alone=True),
    )
    decisions.issue_decision(pl_director, draft, on=DAY)
    assessment = draft.copayments.get()
    assert (assessment.valid_from, assessment.income, assessment.household_size, assessment.lives_alone) == (
        DAY,
        Decimal("1450.00"),
        1,
        True,
    )
    assert assessment.computed_by == pl_director
    assert assessment.trace


def test_issuing_without_income_facts_assesses_nothing(pl_director, draft):
    decisions.issue_decision(pl_director, draft, on=DAY)
    assert not draft.copayments.exists()


def test_a_suspended_decision_is_resumed_not_issued_again(pl_director, draft):
    decisions.issue_decision(pl_director, draft, on=DAY)
    decisions.suspend_decision(pl_director, draft, on=DAY, reason="Hospital")
    with pytest.raises(InvalidServiceTransition):
        decisions.issue_decision(pl_director, draft, on=DAY)
    draft.refresh_from_db()
    assert (draft.status, draft.number) == (DecisionStatus.SUSPENDED, "USL/2025/0001")
