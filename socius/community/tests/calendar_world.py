"""A small world for the supervision and calendar tests: the PL centre's staff, a supervision with two
participants (one not), outreach events in two villages, a commission meeting, entries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from socius.community.models import CalendarEntry, OutreachEvent, Supervision
from socius.community.statuses import EventKind, FacilitatorKind
from socius.family.models import Meeting, MeetingMember
from socius.testing.factories import TerritoryFactory

DAY = dt.date(2026, 3, 10)


@pytest.fixture(name="world")
def world_fixture(pl_centre, pl_worker, pl_worker2, pl_assistant, pl_teamlead, pl_director, pl_admin, md_worker):
    village = TerritoryFactory(jurisdiction="PL", level="village", name="Kosów", parent=pl_centre.territory)
    other_village = TerritoryFactory(jurisdiction="PL", level="village", name="Gajkowice", parent=pl_centre.territory)
    session = Supervision.objects.create(
        centre=pl_centre, date=DAY, starts_at=dt.time(10), ends_at=dt.time(12),
        facilitator_kind=FacilitatorKind.EXTERNAL, facilitator_name="dr Anna Zielińska",
        topics="Burnout after the Kowalski case", notes="Agreed: rotate the night duty", created_by=pl_teamlead,
    )  # fmt: skip
    session.participants.set([pl_worker, pl_assistant])
    event = OutreachEvent.objects.create(
        centre=pl_centre, territory=village, kind=EventKind.INFORMATION_MEETING, title="Sołectwo meeting",
        date=DAY, starts_at=dt.time(17), ends_at=dt.time(19), place="Świetlica", created_by=pl_worker,
    )  # fmt: skip
    event.staff.set([pl_worker])
    far_event = OutreachEvent.objects.create(
        centre=pl_centre, territory=other_village, kind=EventKind.PREVENTIVE_SESSION, date=DAY + dt.timedelta(days=2),
        created_by=pl_worker2,
    )  # fmt: skip
    far_event.staff.set([pl_worker2])
    meeting = Meeting.objects.create(
        centre=pl_centre, body="pl_interdisciplinary_team", place="Sala GOPS",
        scheduled_at=timezone.make_aware(dt.datetime(2026, 3, 11, 9, 30), timezone=dt.UTC),
    )  # fmt: skip
    MeetingMember.objects.create(meeting=meeting, user=pl_worker2)
    closure = CalendarEntry.objects.create(
        centre=pl_centre, kind="office_closure", title="Office closed (inventory)", starts_on=DAY + dt.timedelta(days=5),
        ends_on=DAY + dt.timedelta(days=6),
    )  # fmt: skip
    training = CalendarEntry.objects.create(
        centre=pl_centre, kind="training", title="Training: Blue Card procedure", starts_on=DAY,
        ends_on=DAY, starts_at=dt.time(8), ends_at=dt.time(9), territory=village,
    )  # fmt: skip
    training.staff.set([pl_worker2])
    return {
        "session": session, "event": event, "far_event": far_event, "meeting": meeting, "closure": closure,
        "training": training, "village": village, "other_village": other_village,
    }  # fmt: skip
