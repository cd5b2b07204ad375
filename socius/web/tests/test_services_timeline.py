# ruff: noqa: F811
"""Service decisions and the months of their deliveries on the person and household timelines, seen by who
sees the decision (every service: team leaders, the director; its drafter; readers of its case), not by others."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from socius.desk.selectors import household_timeline, person_timeline
from socius.services.statements import service_label
from socius.services.statuses import DecisionStatus
from socius.services.tests.statement_fixtures import (  # noqa: F401 - fixtures
    anna_help,
    deliver,
    family,
    miss,
    prices,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(anna_help, pl_worker):
    anna_help.ended_on = dt.date(2025, 4, 30)
    anna_help.status = DecisionStatus.ENDED
    anna_help.end_reason = "Moved to a care home"
    anna_help.save()
    drafted = timezone.make_aware(dt.datetime(2024, 12, 20, 10, 0))
    type(anna_help).objects.filter(pk=anna_help.pk).update(created_at=drafted)
    for day, units in ((3, "2"), (10, "1.5")):
        deliver(anna_help, dt.date(2025, 3, day), units, pl_worker)
    miss(anna_help, dt.date(2025, 3, 5), pl_worker)
    deliver(anna_help, dt.date(2025, 4, 7), "2", pl_worker)
    return anna_help


def _rows(items):
    return [(i.kind, i.title, i.detail) for i in items if i.kind == "services"]


def test_the_persons_timeline_shows_the_decision_and_one_row_per_month(delivered, family, pl_teamlead):
    _household, anna, _jan = family
    with translation.override("en"):
        rows = _rows(person_timeline(pl_teamlead, anna.pk, kinds={"services"}))
        name = service_label("PL", "pl.home_help", "en")  # the catalogue's name (the code before copay's merge)
    titles = [title for _kind, title, _detail in rows]
    assert titles == [
        f"Service ended: {name}",
        f"{name} in April 2025",
        f"{name} in March 2025",
        f"Service decision issued: {name}",
        f"Service decision drafted: {name}",
    ]
    march = next(detail for _k, title, detail in rows if "March 2025" in title)
    assert march == "3.5 × hour delivered (2), 1 missed"
    assert any("Moved to a care home" in detail for _k, _t, detail in rows)


def test_the_households_timeline_shows_its_members_services(delivered, family, pl_director):
    household, _anna, _jan = family
    with translation.override("en"):
        rows = _rows(household_timeline(pl_director, household.pk, kinds={"services"}))
    assert sum("in March 2025" in title for _k, title, _d in rows) == 1
    assert sum(title.startswith("Service decision issued") for _k, title, _d in rows) == 1


def test_a_worker_who_neither_drafted_it_nor_reads_its_case_sees_no_service_rows(delivered, family, pl_worker2):
    _household, anna, _jan = family
    assert _rows(person_timeline(pl_worker2, anna.pk)) == []


def test_the_drafter_sees_the_rows(delivered, family, pl_worker):
    _household, anna, _jan = family
    assert len(_rows(person_timeline(pl_worker, anna.pk, kinds={"services"}))) == 5
