"""On PostgreSQL: two approvals racing for an assistant's last free place, exactly one succeeds (the lock on the
assistant's user row serialises the count of their active families)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from socius.family.errors import CaseloadCapReached
from socius.family.models import FamilyEnrolment, FamilyEvent, FamilyEventKind
from socius.family.support import approve_enrolment, request_enrolment
from socius.family.tests.conftest import REQUESTED_ON, STARTED_ON

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]


@pytest.mark.django_db(transaction=True)
def test_two_approvals_racing_for_the_last_place_exactly_one_succeeds(
    pl_centre, pl_worker, pl_director, pl_assistant, family_team, fill_caseload
):
    from socius.casework.tests.factories import CaseFactory
    from socius.registry.models import Consent
    from socius.testing.factories import HouseholdFactory, MembershipFactory

    def consenting_family():
        home = HouseholdFactory(centre=pl_centre)
        head = MembershipFactory(household=home, relationship="head", person__centre=pl_centre).person
        Consent.objects.create(
            centre=pl_centre, person=head, purpose="family_assistance", given_on=REQUESTED_ON, method="written",
            recorded_by=pl_worker,
        )  # fmt: skip
        return home

    fill_caseload(pl_assistant, 14)  # the cap is 15: one place left
    requests = [
        request_enrolment(
            pl_worker,
            case=CaseFactory(
                centre=pl_centre,
                household=consenting_family(),
                assigned_worker=pl_worker,
                team=family_team,
            ),
            reason="x",
            requested_on=REQUESTED_ON,
        )
        for _ in range(2)
    ]
    barrier = threading.Barrier(2, timeout=20)
    outcomes: list = [None, None]

    def run(i):
        try:
            barrier.wait()
            outcomes[i] = approve_enrolment(pl_director, requests[i].pk, assistant=pl_assistant, decided_on=STARTED_ON)
        except Exception as exc:  # the outcome is what the test inspects
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    refused = [o for o in outcomes if isinstance(o, CaseloadCapReached)]
    assert len(refused) == 1, outcomes
    assert (refused[0].cap, refused[0].load) == (15, 15)
    assert FamilyEnrolment.objects.filter(assistant=pl_assistant, status="active").count() == 15
    assert sorted(FamilyEnrolment.objects.filter(pk__in=[r.pk for r in requests]).values_list("status", flat=True)) == [
        "active",
        "requested",
    ]
    assert FamilyEvent.objects.filter(kind=FamilyEventKind.ENROLMENT_APPROVED).count() == 1
