"""Waiting lists (add, priority, withdraw, restore; one waiting entry per person and service) and the centre's
offer, providers and workers (managers only; input errors name the field; audited)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from socius.accounts.models import AuditAction, AuditEvent
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.services import catalogue, waiting
from socius.services.errors import InvalidServiceTransition
from socius.services.models import Provider, ProviderCapacity, ServiceOffer, ServiceWorker, WaitingListEntry
from socius.services.statuses import WaitingPriority, WaitingStatus
from socius.services.tests.conftest import DAY, HOME_HELP, SPECIALIST


@pytest.fixture
def entry(pl_worker, client_person, case):
    return waiting.add_to_waiting_list(
        pl_worker, person=client_person, service_code=HOME_HELP, reason="Lives alone", requested_on=DAY, case=case
    )


# --- waiting lists --------------------------------------------------------------------------------------------


def test_a_worker_adds_a_client_to_the_waiting_list_with_normal_priority(entry, client_person):
    assert (entry.status, entry.priority, entry.person_id) == ("waiting", WaitingPriority.NORMAL, client_person.pk)
    event = AuditEvent.objects.get(object_type="service_waiting_entry")
    assert (event.action, event.person_id) == (AuditAction.CREATE, client_person.pk)


def test_a_person_waits_once_for_a_service(pl_worker, client_person, case, entry):
    with pytest.raises(Conflict) as raised:
        waiting.add_to_waiting_list(
            pl_worker, person=client_person, service_code=HOME_HELP, reason="Again", requested_on=DAY, case=case
        )
    assert raised.value.code == "already_waiting"
    assert WaitingListEntry.objects.count() == 1


def test_adding_with_bad_input_names_the_fields(pl_worker, client_person, case):
    with pytest.raises(ValidationFailed) as raised:
        waiting.add_to_waiting_list(
            pl_worker, person=client_person, service_code="xx", priority=9, reason="", requested_on=None, case=case
        )
    assert set(raised.value.errors) == {"service_code", "priority", "reason", "requested_on"}
    assert not WaitingListEntry.objects.exists()
    assert not AuditEvent.objects.exists()


def test_priority_changes_with_its_reason(pl_worker, entry):
    waiting.change_priority(pl_worker, entry, priority=WaitingPriority.URGENT, reason="Fell at home")
    entry.refresh_from_db()
    assert (entry.priority, entry.reason) == (WaitingPriority.URGENT, "Fell at home")
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE).get()
    assert event.changes["priority"] == [3, 1]


def test_withdraw_and_restore(pl_worker, entry):
    waiting.withdraw(pl_worker, entry, on=DAY + dt.timedelta(days=3), reason="Moved to her daughter")
    entry.refresh_from_db()
    assert (entry.status, entry.withdrawn_on) == ("withdrawn", DAY + dt.timedelta(days=3))
    with pytest.raises(Conflict):
        waiting.change_priority(pl_worker, entry, priority=1, reason="x")
    waiting.restore(pl_worker, entry)
    entry.refresh_from_db()
    assert (entry.status, entry.withdrawn_on, entry.withdrawn_reason) == ("waiting", None, "")


def test_restoring_a_waiting_entry_is_refused(pl_worker, entry):
    with pytest.raises(InvalidServiceTransition):
        waiting.restore(pl_worker, entry)
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE).count() == 0


def test_a_worker_without_the_case_cannot_change_the_entry(pl_worker2, entry):
    with pytest.raises(Forbidden):
        waiting.withdraw(pl_worker2, entry, on=DAY, reason="x")
    entry.refresh_from_db()
    assert entry.status == WaitingStatus.WAITING


def test_another_centre_finds_no_entry(other_worker, entry):
    with pytest.raises(NotFound):
        waiting.withdraw(other_worker, entry, on=DAY, reason="x")


# --- the offer ----------------------------------------------------------------------------------------------


def test_a_manager_sets_a_price_from_a_day_and_the_same_day_replaces_it(pl_director):
    first = catalogue.set_offer(
        pl_director, HOME_HELP, valid_from=DAY, unit_cost=Decimal("32.50"), capacity_per_week=Decimal("30")
    )
    again = catalogue.set_offer(pl_director, HOME_HELP, valid_from=DAY, unit_cost=Decimal("33.00"))
    assert first.pk == again.pk
    assert ServiceOffer.objects.get().unit_cost == Decimal("33.00")
    assert ServiceOffer.objects.get().capacity_per_week is None
    actions = list(
        AuditEvent.objects.filter(object_type="service_offer").order_by("id").values_list("action", flat=True)
    )
    assert actions == [AuditAction.CREATE, AuditAction.UPDATE]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"valid_from": "2025-03-03"}, "valid_from"),
        ({"unit_cost": Decimal("-1")}, "unit_cost"),
        ({"unit_cost": "abc"}, "unit_cost"),
        ({"capacity_per_week": Decimal("-5")}, "capacity_per_week"),
        ({"cost_source": "x" * 301}, "cost_source"),
    ],
)
def test_a_bad_price_names_the_field(pl_director, kwargs, field):
    args = {"valid_from": DAY, "unit_cost": Decimal("10")} | kwargs
    with pytest.raises(ValidationFailed) as raised:
        catalogue.set_offer(pl_director, HOME_HELP, **args)
    assert set(raised.value.errors) == {field}
    assert not ServiceOffer.objects.exists()


def test_a_service_of_another_pack_cannot_be_offered(pl_director):
    with pytest.raises(ValidationFailed) as raised:
        catalogue.set_offer(pl_director, "lt.integrated_care", valid_from=DAY, unit_cost=Decimal("10"))
    assert set(raised.value.errors) == {"service_code"}


@pytest.mark.parametrize("persona", ["pl_worker", "pl_finance", "pl_auditor", "pl_carer"], indirect=True)
def test_only_managers_keep_the_offer(persona):
    with pytest.raises(Forbidden):
        catalogue.set_offer(persona, HOME_HELP, valid_from=DAY, unit_cost=Decimal("10"))
    with pytest.raises(Forbidden):
        catalogue.create_provider(persona, {"name": "X"})
    with pytest.raises(Forbidden):
        catalogue.create_worker(persona, {"name": "X", "weekly_hours": Decimal("10")})
    assert not ServiceOffer.objects.exists() and not Provider.objects.exists() and not ServiceWorker.objects.exists()


# --- providers and workers -------------------------------------------------------------------------------------


def test_providers_have_unique_names_and_a_capacity_per_service(pl_teamlead):
    provider = catalogue.create_provider(
        pl_teamlead, {"name": "Caritas", "contract_from": DAY, "contract_until": dt.date(2025, 12, 31)}
    )
    with pytest.raises(ValidationFailed) as raised:
        catalogue.create_provider(pl_teamlead, {"name": "caritas"})
    assert set(raised.value.errors) == {"name"}
    catalogue.set_provider_capacity(pl_teamlead, provider, SPECIALIST, Decimal("10"))
    assert ProviderCapacity.objects.get().units_per_week == Decimal("10")
    catalogue.set_provider_capacity(pl_teamlead, provider, SPECIALIST, None)
    assert not ProviderCapacity.objects.exists()


def test_a_contract_cannot_end_before_it_starts(pl_teamlead):
    with pytest.raises(ValidationFailed) as raised:
        catalogue.create_provider(
            pl_teamlead, {"name": "Caritas", "contract_from": DAY, "contract_until": DAY - dt.timedelta(days=1)}
        )
    assert set(raised.value.errors) == {"contract_until"}


def test_a_worker_is_linked_to_one_staff_account_and_delivers_catalogue_services(pl_teamlead, pl_carer):
    worker = catalogue.create_worker(
        pl_teamlead,
        {"name": "Jolanta", "user": pl_carer.pk, "weekly_hours": Decimal("40"), "service_codes": [HOME_HELP]},
    )
    assert (worker.user, worker.kind, worker.service_codes) == (pl_carer, "carer", [HOME_HELP])
    with pytest.raises(ValidationFailed) as raised:
        catalogue.create_worker(
            pl_teamlead, {"name": "Other", "user": pl_carer.pk, "weekly_hours": Decimal("0"), "service_codes": ["x"]}
        )
    assert set(raised.value.errors) == {"user", "weekly_hours", "service_codes"}
    catalogue.update_worker(pl_teamlead, worker, {"weekly_hours": Decimal("30"), "is_active": False})
    worker.refresh_from_db()
    assert (worker.weekly_hours, worker.is_active) == (Decimal("30.00"), False)
    assert AuditEvent.objects.filter(object_type="service_worker").count() == 2


def test_a_worker_of_another_centre_is_not_found(other_director, carer_worker):
    with pytest.raises(NotFound):
        catalogue.update_worker(other_director, carer_worker, {"weekly_hours": Decimal("10")})
