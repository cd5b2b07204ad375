"""On PostgreSQL: two workers turning the same potential recipient into a contact at the same moment; the row
lock (select_for_update) lets one through, the other is refused with AlreadyFollowedUp: one contact, counted
once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from socius.casework.models import Contact
from socius.community.errors import AlreadyFollowedUp
from socius.community.models import PotentialRecipient
from socius.community.recipients import make_contact
from socius.community.tests import outreach_fixtures as fx

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]

tree = fx.tree
planned_event = fx.planned_event
recipient = fx.recipient
lt_worker2 = fx.lt_worker2


@pytest.mark.django_db(transaction=True)
def test_two_workers_making_the_same_contact_at_once_count_it_once(lt_worker, lt_worker2, recipient):
    barrier = threading.Barrier(2, timeout=20)
    outcomes: list = [None, None]
    actors = [lt_worker, lt_worker2]

    def run(i):
        try:
            barrier.wait()
            outcomes[i] = make_contact(actors[i], recipient.pk, {"notes": f"try {i}"}, on=fx.ON)
        except Exception as exc:  # the outcome is what the test inspects
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    refused = [o for o in outcomes if isinstance(o, AlreadyFollowedUp)]
    done = [o for o in outcomes if isinstance(o, PotentialRecipient)]
    assert (len(refused), len(done)) == (1, 1), outcomes
    assert Contact.objects.count() == 1
    recipient.refresh_from_db()
    assert recipient.status == "contacted"
    assert recipient.contact_id == Contact.objects.get().pk
    assert recipient.converted_by == done[0].converted_by
