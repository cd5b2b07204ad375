"""The services demo (decision 0016) through the real services: each centre's offer with prices, a provider, carers
and drivers (one with the demo carer's login), decisions in force with their usual week (four eyes), co-payments
assessed from the income facts, one suspended, a waiting list by priority with a draft from its urgent entry."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from socius.accounts.models import User
from socius.accounts.roles import Role
from socius.services.models import CopaymentAssessment, ServiceDecision, ServiceOffer, ServiceWorker, WaitingListEntry
from socius.services.selectors import decisions_in_force, offers_in_force
from socius.services.statuses import DecisionStatus, WaitingPriority


@pytest.fixture
def demo(db):
    call_command("load_demo", persons_per_centre=600, stdout=io.StringIO())  # four cases a centre


def test_each_centre_has_an_offer_workers_decisions_and_a_waiting_list(demo):
    for prefix in ("pl", "md", "lt"):
        _centre_has_its_services(prefix)
    _the_pl_waiting_list_has_an_urgent_client_with_a_draft()


def _centre_has_its_services(prefix):
    carer = User.objects.get(username=f"{prefix}-carer")
    centre, today = carer.centre, timezone.localdate()
    assert carer.role == Role.CARER
    assert ServiceWorker.objects.get(user=carer).is_active
    assert ServiceWorker.objects.filter(centre=centre).count() >= 3
    assert offers_in_force(centre, today)
    in_force = list(decisions_in_force(centre, today))
    assert len(in_force) >= 2
    for decision in ServiceDecision.objects.filter(centre=centre).exclude(status=DecisionStatus.DRAFT):
        assert decision.issued_by_id != decision.drafted_by_id  # four eyes
        assert decision.number.startswith(f"USL/{decision.issued_on.year}/")
        assert decision.weekly_pattern
    assert CopaymentAssessment.objects.filter(decision__centre=centre).exists()
    assert ServiceDecision.objects.filter(centre=centre, status=DecisionStatus.SUSPENDED).count() <= 1
    assert ServiceOffer.objects.filter(centre=centre, unit_cost__gt=0).exists()


def _the_pl_waiting_list_has_an_urgent_client_with_a_draft():
    entries = WaitingListEntry.objects.filter(centre__code="pl-moszczenica").order_by("priority")
    assert entries.count() >= 1
    urgent = entries.first()
    assert urgent.priority == WaitingPriority.URGENT
    assert ServiceDecision.objects.get(waiting_entry=urgent).status == DecisionStatus.DRAFT
