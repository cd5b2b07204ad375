"""API of supervision and the calendar: the permission matrix (personas × operations), notes hidden from
non-participants, the calendar's filters, the iCalendar parsed back, bad filters answer 400 naming the field,
a refused move answers 409 and writes nothing."""

from __future__ import annotations

import icalendar
import pytest
from rest_framework.test import APIClient

from socius.accounts.models import AuditEvent
from socius.community.models import CalendarEntry, Supervision
from socius.community.tests.calendar_world import world_fixture  # noqa: F401  (fixture)
from socius.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
V1 = "/api/v1"

PERSONAS = ["anonymous", "pl_worker", "pl_worker2", "pl_teamlead", "pl_director", "pl_finance", "pl_admin", "carer",
            "md_worker"]  # fmt: skip


def client_for(request, persona):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if persona == "carer":
        client.force_authenticate(UserFactory(centre=request.getfixturevalue("pl_centre"), role="carer"))
    elif persona != "anonymous":
        client.force_authenticate(request.getfixturevalue(persona))
    return client


def state():
    return (
        sorted(Supervision.objects.values_list("pk", "status", "notes")),
        sorted(CalendarEntry.objects.values_list("pk", "title")),
        AuditEvent.objects.exclude(action="view").count(),
    )


def _ops(world, pl_worker):
    s, e = world["session"].pk, world["closure"].pk
    entry = {"kind": "training", "title": "New", "starts_on": "2026-03-20"}
    return {
        "supervisions.list": ("get", f"{V1}/community/supervisions/", None),
        "supervisions.retrieve": ("get", f"{V1}/community/supervisions/{s}/", None),
        "supervisions.create": ("post", f"{V1}/community/supervisions/",
                                {"date": "2026-03-20", "facilitator_kind": "external", "facilitator_name": "X"}),
        "supervisions.held": ("post", f"{V1}/community/supervisions/{s}/held/", {"participants": [pl_worker.pk]}),
        "supervisions.cancel": ("post", f"{V1}/community/supervisions/{s}/cancel/", {}),
        "calendar.list": ("get", f"{V1}/community/calendar/?date_from=2026-03-01&date_until=2026-03-31", None),
        "entries.list": ("get", f"{V1}/community/calendar-entries/", None),
        "entries.retrieve": ("get", f"{V1}/community/calendar-entries/{e}/", None),
        "entries.create": ("post", f"{V1}/community/calendar-entries/", entry),
        "entries.update": ("put", f"{V1}/community/calendar-entries/{e}/", entry),
        "entries.destroy": ("delete", f"{V1}/community/calendar-entries/{e}/", None),
        "ics": ("get", f"{V1}/calendar.ics", None),
    }  # fmt: skip


def _expected(op: str, persona: str) -> int:
    if persona == "anonymous":
        return 401
    reads_cases = {"pl_worker", "pl_worker2", "pl_teamlead", "pl_director", "pl_finance", "pl_admin", "md_worker"}
    community = {"pl_worker", "pl_worker2", "pl_teamlead", "pl_director", "md_worker"}
    manage = {"pl_teamlead", "pl_director", "pl_admin"}
    participants = {"pl_worker", "pl_director"}  # read (and so record) the notes
    if op in ("supervisions.list", "supervisions.retrieve"):
        if persona not in reads_cases:
            return 403
        return 404 if persona == "md_worker" and op.endswith("retrieve") else 200
    if op.startswith("supervisions."):
        if persona not in community:
            return 403
        if op == "supervisions.create":
            return 201
        if persona == "md_worker":
            return 404
        if op == "supervisions.held":
            return 200 if persona in participants else 403
        return 200
    if op in ("calendar.list", "entries.list", "ics"):
        return 200
    if op == "entries.retrieve":
        return 404 if persona == "md_worker" else 200
    if persona not in manage:
        return 403
    return {"entries.create": 201, "entries.update": 200, "entries.destroy": 204}[op]


OPERATIONS = [
    "supervisions.list", "supervisions.retrieve", "supervisions.create", "supervisions.held", "supervisions.cancel",
    "calendar.list", "entries.list", "entries.retrieve", "entries.create", "entries.update", "entries.destroy", "ics",
]  # fmt: skip


@pytest.mark.parametrize("op", OPERATIONS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_permission_matrix(request, world, pl_worker, op, persona):
    method, url, body = _ops(world, pl_worker)[op]
    expected = _expected(op, persona)
    before = state()

    response = getattr(client_for(request, persona), method)(url, body, format="json")

    assert response.status_code == expected, (op, persona, response.content[:300])
    if expected >= 400:
        assert state() == before


def test_the_notes_are_hidden_from_a_non_participant(request, world):
    url = f"{V1}/community/supervisions/{world['session'].pk}/"

    theirs = client_for(request, "pl_worker2").get(url).json()
    mine = client_for(request, "pl_worker").get(url).json()

    assert (theirs["can_read_notes"], theirs["topics"], theirs["notes"], theirs["participants"]) == (False, "", "", [])
    assert theirs["participant_count"] == 2 and theirs["facilitator_name"] == "dr Anna Zielińska"
    assert mine["notes"] == "Agreed: rotate the night duty" and mine["can_read_notes"] is True
    listed = client_for(request, "pl_worker2").get(f"{V1}/community/supervisions/").json()["results"]
    assert "notes" not in listed[0] and "topics" not in listed[0]


def test_reading_the_notes_is_audited_without_a_person(request, world, pl_worker):
    client_for(request, "pl_worker").get(f"{V1}/community/supervisions/{world['session'].pk}/")
    event = AuditEvent.objects.get(action="view", object_type="supervision", actor=pl_worker)
    assert (event.object_id, event.person_id) == (world["session"].pk, None)


def test_the_calendar_filters_and_hides_the_notes(request, world, pl_worker2):
    client = client_for(request, "pl_worker2")
    base = f"{V1}/community/calendar/?date_from=2026-03-01&date_until=2026-03-31"

    everything = client.get(base).json()
    session = next(i for i in everything if i["kind"] == "supervision")
    assert (session["restricted"], session["starts_at"], session["description"]) == (True, None, "")
    assert "Burnout" not in str(everything)
    by_place = client.get(f"{base}&territory={world['village'].pk}").json()
    assert [(i["kind"], i["source_id"]) for i in by_place] == [
        ("training", world["training"].pk), ("outreach", world["event"].pk)
    ]  # fmt: skip
    by_kind = client.get(f"{base}&kind=office_closure").json()
    assert [i["title"] for i in by_kind] == ["Office closed (inventory)"]
    by_staff = client.get(f"{base}&staff={pl_worker2.pk}&kind=outreach").json()
    assert [i["source_id"] for i in by_staff] == [world["far_event"].pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [("date_from=junk", "date_from"), ("staff=0", "staff"), ("territory=99999999999999999999", "territory"),
     ("kind=party", "kind"), ("date_from=2026-03-10&date_until=2026-03-01", "date_until"),
     ("date_from=2020-01-01&date_until=2026-01-01", "date_until")],
)  # fmt: skip
def test_a_bad_calendar_filter_is_a_400_naming_it(request, world, query, field):
    response = client_for(request, "pl_worker").get(f"{V1}/community/calendar/?{query}")
    assert response.status_code == 400 and field in response.json()


def test_a_refused_move_is_a_409_and_writes_nothing(request, world):
    client = client_for(request, "pl_worker")
    client.post(f"{V1}/community/supervisions/{world['session'].pk}/cancel/", {}, format="json")
    before = state()

    response = client.post(f"{V1}/community/supervisions/{world['session'].pk}/cancel/", {}, format="json")

    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"
    assert state() == before


def test_the_ics_is_parsed_by_icalendar(request, world):
    response = client_for(request, "pl_worker").get(f"{V1}/calendar.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    assert str(cal["x-wr-timezone"]) == "Europe/Warsaw"
