"""The family's rows on the case, household and person timelines (decision 0015): described in words, in their
groups, only for readers of the case's content; the Blue Card never on any of them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from socius.accounts.models import AuditEvent
from socius.common.errors import Forbidden
from socius.desk.case_timeline import Group, case_timeline, case_timeline_for
from socius.desk.selectors import TimelineKind, household_timeline, person_timeline
from socius.desk.sources import groups
from socius.family.models import (
    BlueCard,
    BlueCardEvent,
    BlueCardMember,
    BlueCardParty,
    FamilyEvent,
    FamilyEventKind,
)
from socius.family.tests.timeline_data import aware, family_rows
from socius.family.timeline import CHILD_PROTECTION, FAMILY_SUPPORT
from socius.plans.tests.conftest import DAY

FAMILY_GROUPS = {FAMILY_SUPPORT.code, CHILD_PROTECTION.code}


@pytest.fixture
def rows(case, pl_worker, pl_assistant, son):
    rows = family_rows(case, pl_worker, day=DAY, child_person=son, assistant=pl_assistant)
    FamilyEvent.objects.create(
        case=case, kind=FamilyEventKind.ACTIVITY_LOGGED, actor=pl_assistant, at=aware(DAY, 15),
        data={"activity_id": 1, "minutes": 90, "place": "family_home", "areas": ["budgeting", "school"]},
    )  # fmt: skip
    FamilyEvent.objects.create(
        case=case, kind=FamilyEventKind.TASK_CREATED, actor=pl_worker, at=aware(DAY, 16),
        data={"task_id": rows.task.pk, "assigned_to": pl_worker.pk, "due_on": DAY.isoformat()},
    )  # fmt: skip
    return rows


@pytest.fixture
def blue_card(case, pl_worker, mother, son):
    """A Blue Card on the family, with pl_worker in its group and an event of its own history."""
    card = BlueCard.objects.create(
        centre=case.centre, year=2025, number=7, reference="NK/7/2025", initiator="police", started_on=DAY,
        received_on=DAY, household=case.household, recorded_by=pl_worker,
    )  # fmt: skip
    BlueCardParty.objects.create(card=card, person=mother, role="victim")
    BlueCardParty.objects.create(card=card, person=son, role="witness")
    BlueCardMember.objects.create(card=card, user=pl_worker, role="social worker", added_on=DAY)
    BlueCardEvent.objects.create(card=card, kind="started", actor=pl_worker, at=aware(DAY, 17), data={"form": "nk_a"})
    return card


def test_the_groups_are_declared_in_their_order_on_both_timelines():
    declared = {g.code: g for g in groups()}
    assert (declared["family_support"].order, declared["child_protection"].order) == (90, 95)
    assert FAMILY_GROUPS <= Group.ALL and FAMILY_GROUPS <= TimelineKind.ALL


def test_the_case_timeline_tells_the_family_events_in_words(case, rows, pl_worker, pl_assistant):
    page = case_timeline(case, groups=FAMILY_GROUPS)
    by_kind = {e.kind: e for e in page.entries}

    assert [e.kind for e in page.entries] == ["task_created", "activity_logged", "care_changed", "enrol_approved"]
    assert {e.source for e in page.entries} == {"family"}
    activity = by_kind["activity_logged"]
    assert (activity.group, activity.label) == ("family_support", "Family assistant's work")
    assert activity.lines == ["The family's home, 90 min", "Areas: Budgeting, School"]
    assert activity.actor_name == (pl_assistant.get_full_name() or pl_assistant.username)
    care = by_kind["care_changed"]
    assert care.group == "child_protection"
    assert care.lines == ["Own family → Foster family", "From 03/03/2025"]
    assistant_name = pl_assistant.get_full_name() or pl_assistant.username
    assert by_kind["enrol_approved"].lines == [f"Family assistant: {assistant_name}", "From 04/10/2024"]
    worker_name = pl_worker.get_full_name() or pl_worker.username
    assert by_kind["task_created"].lines == [f"Assigned to {worker_name}", "Due on 03/03/2025"]


def test_the_case_timeline_filters_by_group(case, rows):
    support = case_timeline(case, groups={"family_support"}).entries
    protection = case_timeline(case, groups={"child_protection"}).entries
    assert {e.kind for e in support} == {"activity_logged", "enrol_approved"}
    assert {e.kind for e in protection} == {"care_changed", "task_created"}


def test_the_case_timeline_speaks_the_readers_language(case, rows):
    english = next(e for e in case_timeline(case, groups={"child_protection"}).entries if e.kind == "care_changed")
    with translation.override("pl"):
        entries = case_timeline(case, groups={"child_protection"}).entries
    care = next(e for e in entries if e.kind == "care_changed")
    assert care.lines[1] != english.lines[1] and care.lines[1].endswith("03.03.2025")


def test_malformed_event_data_is_told_with_dashes_not_an_error(case, pl_worker):
    FamilyEvent.objects.create(
        case=case, kind=FamilyEventKind.WORK_CLOSED, actor=pl_worker,
        data={"outcome": "<script>", "closed_on": "not a date", "monitoring_until": 7},
    )  # fmt: skip
    FamilyEvent.objects.create(case=case, kind=FamilyEventKind.RISKS_CHANGED, data={"risks": "neglect"})
    entries = {e.kind: e for e in case_timeline(case).entries}
    assert entries["work_closed"].lines == ["Outcome: —", "Closed on —", "Monitoring until —"]
    assert entries["risks_changed"].lines == ["Risks: —"]


def test_a_reader_without_the_case_content_gets_no_family_timeline(case, rows, pl_worker2):
    with pytest.raises(Forbidden):
        case_timeline_for(pl_worker2, case.pk)


def test_the_household_and_person_timelines_show_family_rows_to_content_readers(case, rows, household, son, pl_worker):
    items = household_timeline(pl_worker, household.pk, kinds=FAMILY_GROUPS)

    assert [(i.kind, i.title) for i in items] == [
        ("child_protection", "Follow-up task"),
        ("family_support", "Family assistant's work"),
        ("child_protection", "Form of care changed"),
        ("family_support", "Family assistant assigned"),
    ]
    assert all(i.link == f"/cases/{case.pk}/#family" and i.case_reference == case.reference for i in items)
    assert items[1].detail == "The family's home, 90 min · Areas: Budgeting, School"
    assert [i.kind for i in person_timeline(pl_worker, son.pk, kinds={"child_protection"})] == [
        "child_protection",
        "child_protection",
    ]
    assert AuditEvent.objects.filter(actor=pl_worker, object_type="case", object_id=case.pk).exists()


def test_a_summary_only_reader_sees_no_family_rows(case, rows, household, son, pl_worker2):
    assert household_timeline(pl_worker2, household.pk, kinds=FAMILY_GROUPS) == []
    assert person_timeline(pl_worker2, son.pk, kinds=FAMILY_GROUPS) == []
    restricted = [i for i in household_timeline(pl_worker2, household.pk) if i.case_id]
    assert restricted and {i.kind for i in restricted} == {"case"}  # only the case's lifecycle, as before


def test_an_outsider_has_no_family_rows(case, rows, outsider, pl_worker):
    assert person_timeline(pl_worker, outsider.pk, kinds=FAMILY_GROUPS) == []


def test_the_household_timeline_costs_two_queries_more_whatever_the_family_history(case, rows, household, pl_worker):
    for i in range(30):
        FamilyEvent.objects.create(
            case=case, kind=FamilyEventKind.TASK_DONE, actor=pl_worker, at=aware(DAY + dt.timedelta(days=i)),
            data={"done_on": DAY.isoformat()},
        )  # fmt: skip
    with CaptureQueriesContext(connection) as without:
        household_timeline(pl_worker, household.pk, kinds={"case"})
    with CaptureQueriesContext(connection) as with_family:
        items = household_timeline(pl_worker, household.pk, kinds={"case", *FAMILY_GROUPS})
    assert len(with_family) - len(without) == 2  # the events, and the users they name
    assert sum(1 for i in items if i.kind in FAMILY_GROUPS) == 34


@pytest.mark.parametrize("reader", ["pl_worker", "pl_director", "pl_teamlead"])
def test_the_blue_card_is_on_no_timeline_even_for_its_group(request, reader, case, rows, household, mother, son):
    actor = request.getfixturevalue(reader)
    before = (
        [e.key for e in case_timeline(case).entries],
        household_timeline(actor, household.pk),
        person_timeline(actor, mother.pk),
        person_timeline(actor, son.pk),
    )
    card = request.getfixturevalue("blue_card")
    after = (
        [e.key for e in case_timeline(case).entries],
        household_timeline(actor, household.pk),
        person_timeline(actor, mother.pk),
        person_timeline(actor, son.pk),
    )
    assert after == before
    shown = " ".join(f"{i.title} {i.detail} {i.link}" for items in after[1:] for i in items)
    assert card.reference not in shown and "Blue Card" not in shown and "blue" not in shown.lower()
    assert not any("blue" in g.code for g in groups())


def test_the_timeline_api_gives_family_rows_to_content_readers_only(
    client, case, rows, household, pl_worker, pl_worker2
):
    client.force_login(pl_worker)
    data = client.get(f"/api/v1/cases/{case.pk}/timeline/", {"group": "child_protection"}).json()
    entries = data["results"] if isinstance(data, dict) else data
    assert {e["source"] for e in entries} == {"family"} and len(entries) == 2
    items = client.get(f"/api/v1/households/{household.pk}/timeline/", {"kind": "family_support"}).json()
    assert [i["kind"] for i in items] == ["family_support", "family_support"]

    client.force_login(pl_worker2)  # a colleague who sees the case's summary only
    assert client.get(f"/api/v1/cases/{case.pk}/timeline/").status_code == 403
    items = client.get(f"/api/v1/households/{household.pk}/timeline/").json()
    assert not [i for i in items if i["kind"] in FAMILY_GROUPS]
    client.force_login(pl_worker)
    assert client.get(f"/api/v1/cases/{case.pk}/timeline/", {"group": "bogus<script>"}).status_code == 400
