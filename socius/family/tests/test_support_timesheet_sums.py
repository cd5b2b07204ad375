"""timesheets() sums the month in the database (per assistant and day, family, areas); its totals must be
exactly those of timesheet() built from every entry, including the uneven split of an entry's minutes over its
areas, entries with unknown or no areas, and the edges of the month."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from socius.family.models import AssistantActivity
from socius.family.selectors_support import timesheet, timesheets

pytestmark = pytest.mark.django_db

MARCH = dt.date(2025, 3, 1)
AREA_SETS = (
    ["health"],
    ["school", "leisure"],
    ["leisure", "school"],
    ["budgeting", "housing", "health"],
    ["employment", "not_an_area"],
    [],
    ["not_an_area"],
    ["housekeeping", "child_development", "school", "leisure", "health", "housing", "budgeting"],
)


def test_timesheets_sum_exactly_what_timesheet_lists(
    enrolment, pl_director, pl_assistant, pl_assistant2, fill_caseload
):
    rng = random.Random(10)
    families = [enrolment, *fill_caseload(pl_assistant, 2), *fill_caseload(pl_assistant2, 3)]
    activities = []
    for family in families:
        for _ in range(40):
            activities.append(
                AssistantActivity(
                    centre_id=family.centre_id,
                    enrolment=family,
                    assistant_id=family.assistant_id,
                    on=dt.date(2025, 2, 26) + dt.timedelta(days=rng.randrange(40)),  # some out of March
                    minutes=rng.choice((1, 7, 15, 29, 30, 61, 90, 121, 240)),
                    place="family_home",
                    areas=list(rng.choice(AREA_SETS)),
                )
            )
    AssistantActivity.objects.bulk_create(activities)
    in_march = [a for a in activities if a.on.year == 2025 and a.on.month == 3]

    sheets = timesheets(pl_director, MARCH)

    assert [s.assistant for s in sheets] == [pl_assistant, pl_assistant2]
    for summed in sheets:
        listed = timesheet(pl_director, summed.assistant, MARCH)
        assert listed.has_entries and not summed.has_entries
        assert summed.month == listed.month == MARCH
        assert summed.total_minutes == listed.total_minutes > 0
        assert summed.total_minutes == sum(a.minutes for a in in_march if a.assistant_id == summed.assistant.pk)
        assert [(d.date, d.minutes) for d in summed.rows] == [(d.date, d.minutes) for d in listed.rows]
        assert all(d.entries == [] for d in summed.rows)
        assert summed.minutes_per_area == listed.minutes_per_area
        assert list(summed.minutes_per_area) == sorted(summed.minutes_per_area)
        assert sum(summed.minutes_per_area.values()) == summed.total_minutes
        assert summed.minutes_per_family == listed.minutes_per_family
    # the uneven splits and the entries without a known area are there
    assert "—" in sheets[0].minutes_per_area or "—" in sheets[1].minutes_per_area


def test_an_assistant_without_time_has_an_empty_sheet(enrolment, pl_director, pl_assistant, pl_assistant2):
    AssistantActivity.objects.create(
        centre_id=enrolment.centre_id,
        enrolment=enrolment,
        assistant=pl_assistant,
        on=dt.date(2025, 3, 31),
        minutes=61,
        place="office",
        areas=["school", "leisure"],
    )
    first, second = timesheets(pl_director, MARCH)
    assert (first.total_minutes, first.minutes_per_area) == (61, {"leisure": 30, "school": 31})
    assert [(d.date, d.minutes) for d in first.rows] == [(dt.date(2025, 3, 31), 61)]
    assert second.assistant == pl_assistant2
    assert (second.total_minutes, second.rows, second.minutes_per_area, second.minutes_per_family) == (0, [], {}, [])
