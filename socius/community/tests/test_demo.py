"""The outreach demo through the real services: LT meetings in Šalčininkai elderships with leaflets of the
catalogue and potential recipients (one became a contact), MD mobilisation meetings in Dubăsari villages, PL
sołectwo meetings; the territory view of each centre shows visited, planned and not reached places."""

from __future__ import annotations

import datetime as dt

import pytest

from socius.accounts.models import User
from socius.community.demo import load_community_demo
from socius.community.models import LeafletCount, OutreachEvent, PotentialRecipient
from socius.community.selectors_outreach import territory_view
from socius.registry.demo.loader import load_demo

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def centres(db):
    return {s.centre.jurisdiction: s.centre for s in load_demo(persons_per_centre=30, seed=7)}


def test_the_demo_tells_each_centres_outreach(centres):
    summaries = {c: load_community_demo(centre, seed=7, today=TODAY) for c, centre in centres.items()}

    lt = centres["LT"]
    assert (summaries["LT"].held, summaries["LT"].planned, summaries["LT"].contacts) == (4, 3, 1)
    held = OutreachEvent.objects.filter(centre=lt, status="held")
    assert set(held.values_list("territory__name", flat=True)) == {
        "Jašiūnų seniūnija", "Turgelių seniūnija", "Butrimonių seniūnija", "Dieveniškių seniūnija",
    }  # fmt: skip
    assert all(e.date < TODAY and e.date.year == TODAY.year for e in held)
    assert all(code.startswith("lt.") for code in LeafletCount.objects.filter(event__centre=lt).values_list(
        "service_code", flat=True))  # fmt: skip
    assert PotentialRecipient.objects.filter(centre=lt, status="contacted").count() == 1
    assert OutreachEvent.objects.filter(centre=centres["MD"], kind="community_mobilisation").exists()
    assert OutreachEvent.objects.filter(centre=centres["PL"], territory__name="Srock", status="held").exists()

    view = territory_view(User.objects.get(username="lt-worker"), on=TODAY)
    assert view.counts["visited"] >= 4
    assert view.counts["planned"] >= 3
    assert view.counts["not_reached"] >= 1
