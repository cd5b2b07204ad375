"""Status moves: every allowed one works and writes one timeline event; every other is a Conflict."""

import datetime as dt
import itertools

import pytest

from socius.accounts.models import AuditEvent
from socius.casework.models import Case, CaseEvent, CaseEventKind
from socius.casework.services import change_case_status
from socius.casework.statuses import ALLOWED_TRANSITIONS, CaseStatus, ClosureReason
from socius.casework.tests.factories import CaseFactory
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed

DAY = dt.date(2025, 3, 3)
ALL_PAIRS = list(itertools.product(CaseStatus.values, CaseStatus.values))
VALID = [(a, b) for a, b in ALL_PAIRS if b in ALLOWED_TRANSITIONS[a]]
INVALID = [(a, b) for a, b in ALL_PAIRS if b not in ALLOWED_TRANSITIONS[a]]


def _case_in(status, centre, worker, team):
    extra = {"closure_reason": ClosureReason.GOALS_ACHIEVED, "closed_on": dt.date(2025, 2, 1)}
    return CaseFactory(
        centre=centre, assigned_worker=worker, team=team, status=status, **(extra if status == "closed" else {})
    )


def _state(case):
    """Everything a refusal must leave untouched."""
    row = Case.objects.values("status", "closure_reason", "closed_on", "updated_at").get(pk=case.pk)
    events = list(CaseEvent.objects.filter(case=case).values_list("id", "kind", "data"))
    return row, events, AuditEvent.objects.count()


def _args_for(from_status, to_status):
    if to_status == CaseStatus.CLOSED:
        return {"reason": ClosureReason.GOALS_ACHIEVED}
    if from_status == CaseStatus.CLOSED:
        return {"reason": "The family came back after losing the job again."}
    return {}


def test_the_transition_map_is_the_documented_one():
    assert VALID == [
        ("opened", "active"),
        ("opened", "closed"),
        ("active", "suspended"),
        ("active", "closed"),
        ("suspended", "active"),
        ("suspended", "closed"),
        ("closed", "active"),
    ]


@pytest.mark.parametrize(("from_status", "to_status"), VALID)
def test_each_allowed_transition_changes_the_status_and_writes_one_event(
    pl_centre, pl_worker, family_team, from_status, to_status
):
    case = _case_in(from_status, pl_centre, pl_worker, family_team)
    events_before = CaseEvent.objects.filter(case=case).count()

    result = change_case_status(pl_worker, case.pk, to_status, on=DAY, **_args_for(from_status, to_status))

    case.refresh_from_db()
    assert result.pk == case.pk
    assert case.status == to_status
    if to_status == CaseStatus.CLOSED:
        assert (case.closure_reason, case.closed_on) == (ClosureReason.GOALS_ACHIEVED, DAY)
    else:
        assert (case.closure_reason, case.closed_on) == ("", None)
    events = list(CaseEvent.objects.filter(case=case).order_by("id"))
    assert len(events) == events_before + 1
    last = events[-1]
    assert last.kind == CaseEventKind.STATUS_CHANGED
    assert last.actor == pl_worker
    assert last.data["from"] == from_status
    assert last.data["to"] == to_status
    assert last.data["on"] == DAY.isoformat()
    audit = AuditEvent.objects.filter(object_type="case", object_id=case.pk, action="update").get()
    assert audit.changes["status"] == [from_status, to_status]


@pytest.mark.parametrize(("from_status", "to_status"), INVALID)
def test_each_other_transition_is_refused_with_conflict_and_nothing_changes(
    pl_centre, pl_worker, family_team, from_status, to_status
):
    case = _case_in(from_status, pl_centre, pl_worker, family_team)
    before = _state(case)

    with pytest.raises(Conflict) as refused:
        change_case_status(pl_worker, case.pk, to_status, on=DAY, **_args_for(from_status, to_status))

    assert refused.value.code == "invalid_transition"
    assert _state(case) == before


@pytest.mark.parametrize("from_status", ["opened", "active", "suspended"])
def test_closing_needs_a_closure_reason(pl_centre, pl_worker, family_team, from_status):
    case = _case_in(from_status, pl_centre, pl_worker, family_team)
    before = _state(case)

    for reason in (None, "", "bored"):
        with pytest.raises(ValidationFailed) as refused:
            change_case_status(pl_worker, case.pk, CaseStatus.CLOSED, reason=reason, on=DAY)
        assert refused.value.errors == {"reason": ["Choose the reason for closing the case."]}
    assert _state(case) == before


def test_closing_for_another_reason_needs_a_note(pl_centre, pl_worker, family_team):
    case = _case_in("active", pl_centre, pl_worker, family_team)
    before = _state(case)

    with pytest.raises(ValidationFailed) as refused:
        change_case_status(pl_worker, case.pk, "closed", reason=ClosureReason.OTHER, on=DAY)

    assert refused.value.errors == {"note": ["Say why the case is being closed."]}
    assert _state(case) == before
    change_case_status(pl_worker, case.pk, "closed", reason=ClosureReason.OTHER, note="Merged into 2025/0002", on=DAY)
    assert CaseEvent.objects.filter(case=case).last().data["note"] == "Merged into 2025/0002"


def test_reopening_needs_a_reason_and_keeps_the_earlier_closure_on_the_timeline(pl_centre, pl_worker, family_team):
    case = _case_in("closed", pl_centre, pl_worker, family_team)
    before = _state(case)

    with pytest.raises(ValidationFailed) as refused:
        change_case_status(pl_worker, case.pk, "active", on=DAY)
    assert refused.value.errors == {"reason": ["Say why the case is being reopened."]}
    assert _state(case) == before

    change_case_status(pl_worker, case.pk, "active", reason="Closed by mistake", on=DAY)
    event = CaseEvent.objects.filter(case=case).last()
    assert event.data["previous_closure_reason"] == ClosureReason.GOALS_ACHIEVED
    assert event.data["previous_closed_on"] == "2025-02-01"
    assert event.data["reason"] == "Closed by mistake"


def test_the_day_of_the_change_cannot_be_in_the_future_or_before_the_opening(pl_centre, pl_worker, family_team):
    case = _case_in("active", pl_centre, pl_worker, family_team)
    before = _state(case)

    with pytest.raises(ValidationFailed) as future:
        change_case_status(pl_worker, case.pk, "suspended", on=dt.date.today() + dt.timedelta(days=2))
    with pytest.raises(ValidationFailed) as early:
        change_case_status(pl_worker, case.pk, "suspended", on=case.opened_on - dt.timedelta(days=1))

    assert future.value.errors == {"on": ["The date cannot be in the future."]}
    assert early.value.errors == {"on": ["The date cannot be before the case was opened."]}
    assert _state(case) == before


def test_an_unknown_status_is_refused(pl_centre, pl_worker, family_team):
    case = _case_in("active", pl_centre, pl_worker, family_team)
    with pytest.raises(ValidationFailed):
        change_case_status(pl_worker, case.pk, "archived")


@pytest.mark.parametrize("persona", ["pl_worker2", "pl_auditor", "pl_finance", "other_teamlead"], indirect=True)
def test_only_those_who_answer_for_the_case_change_its_status(pl_centre, pl_worker, family_team, persona):
    case = _case_in("active", pl_centre, pl_worker, family_team)
    before = _state(case)

    with pytest.raises(Forbidden):
        change_case_status(persona, case.pk, "suspended")

    assert _state(case) == before


@pytest.mark.parametrize("persona", ["pl_teamlead", "pl_director"], indirect=True)
def test_the_team_leader_and_the_director_may_change_the_status(pl_centre, pl_worker, family_team, persona):
    case = _case_in("active", pl_centre, pl_worker, family_team)
    change_case_status(persona, case.pk, "suspended", reason="Hospital stay")
    case.refresh_from_db()
    assert case.status == "suspended"
    assert CaseEvent.objects.filter(case=case).last().data["reason"] == "Hospital stay"


def test_another_centres_case_is_not_found(pl_centre, pl_worker, family_team, md_worker):
    case = _case_in("active", pl_centre, pl_worker, family_team)
    before = _state(case)
    with pytest.raises(NotFound):
        change_case_status(md_worker, case.pk, "suspended")
    with pytest.raises(NotFound):
        change_case_status(pl_worker, "not-a-number", "suspended")
    assert _state(case) == before
