"""Reassigning one or many cases (all or nothing) and sharing a case explicitly."""

import datetime as dt

import pytest

from socius.accounts.models import AuditEvent
from socius.casework.models import Case, CaseEvent, CaseEventKind, CaseShare
from socius.casework.selectors import get_case_content_for
from socius.casework.services import reassign_cases, share_case, unshare_case
from socius.casework.statuses import ClosureReason
from socius.casework.tests.factories import CaseFactory
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed


@pytest.fixture
def cases(pl_centre, pl_worker, family_team):
    return [CaseFactory(centre=pl_centre, assigned_worker=pl_worker, team=family_team) for _ in range(3)]


def _state():
    return (
        list(Case.objects.order_by("id").values_list("id", "assigned_worker_id", "status")),
        list(CaseEvent.objects.order_by("id").values_list("id", "kind")),
        list(CaseShare.objects.order_by("id").values_list("case_id", "user_id")),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("persona", ["pl_teamlead", "pl_director"], indirect=True)
def test_many_cases_are_reassigned_each_with_an_event(persona, pl_worker, pl_worker2, cases):
    changed = reassign_cases(persona, [c.pk for c in cases], pl_worker2, reason="Caseload balance")

    assert [c.pk for c in changed] == [c.pk for c in cases]
    assert set(Case.objects.values_list("assigned_worker", flat=True)) == {pl_worker2.pk}
    for case in cases:
        event = CaseEvent.objects.filter(case=case, kind=CaseEventKind.REASSIGNED).get()
        assert event.data == {"from": pl_worker.pk, "to": pl_worker2.pk, "reason": "Caseload balance"}
        assert event.actor == persona
    assert AuditEvent.objects.filter(object_type="case", action="update").count() == 3


def test_cases_the_worker_already_holds_are_left_alone(pl_teamlead, pl_worker, cases):
    assert reassign_cases(pl_teamlead, [cases[0].pk], pl_worker, reason="No change") == []
    assert not CaseEvent.objects.filter(kind=CaseEventKind.REASSIGNED).exists()


def test_one_case_of_another_centre_and_none_is_reassigned(pl_teamlead, pl_worker2, cases, md_centre):
    foreign = CaseFactory(centre=md_centre)
    before = _state()
    with pytest.raises(NotFound):
        reassign_cases(pl_teamlead, [cases[0].pk, foreign.pk, cases[1].pk], pl_worker2, reason="Balance")
    assert _state() == before


def test_one_case_of_another_team_and_none_is_reassigned(pl_centre, pl_teamlead, pl_worker2, cases, other_team):
    foreign_team_case = CaseFactory(centre=pl_centre, team=other_team)
    before = _state()
    with pytest.raises(Forbidden):
        reassign_cases(pl_teamlead, [cases[0].pk, foreign_team_case.pk], pl_worker2, reason="Balance")
    assert _state() == before


def test_one_closed_case_and_none_is_reassigned(pl_centre, pl_teamlead, pl_worker, pl_worker2, cases, family_team):
    closed = CaseFactory(
        centre=pl_centre,
        assigned_worker=pl_worker,
        team=family_team,
        status="closed",
        closure_reason=ClosureReason.DIED,
        closed_on=dt.date(2025, 2, 2),
    )
    before = _state()
    with pytest.raises(Conflict) as refused:
        reassign_cases(pl_teamlead, [cases[0].pk, closed.pk], pl_worker2, reason="Balance")
    assert refused.value.code == "case_closed"
    assert _state() == before


@pytest.mark.parametrize(
    ("worker", "reason", "errors"),
    [
        ("pl_finance", "Balance", {"worker": ["Choose a worker of your centre who does casework."]}),
        ("md_worker", "Balance", {"worker": ["Choose a worker of your centre who does casework."]}),
        ("pl_worker2", "  ", {"reason": ["Say why the cases are reassigned."]}),
    ],
)
def test_invalid_reassignments_are_refused(request, pl_teamlead, cases, worker, reason, errors):
    before = _state()
    with pytest.raises(ValidationFailed) as refused:
        reassign_cases(pl_teamlead, [c.pk for c in cases], request.getfixturevalue(worker), reason=reason)
    assert refused.value.errors == errors
    assert _state() == before


def test_workers_cannot_reassign(pl_worker, pl_worker2, cases):
    before = _state()
    with pytest.raises(Forbidden):
        reassign_cases(pl_worker, [cases[0].pk], pl_worker2, reason="I am tired")
    assert _state() == before


def test_sharing_opens_the_content_and_withdrawing_closes_it(pl_worker, pl_worker2, cases):
    case = cases[0]
    with pytest.raises(Forbidden):
        get_case_content_for(pl_worker2, case.pk)

    share_case(pl_worker, case.pk, pl_worker2)
    share_case(pl_worker, case.pk, pl_worker2)  # twice: nothing more

    assert get_case_content_for(pl_worker2, case.pk) == case
    assert CaseEvent.objects.filter(case=case, kind=CaseEventKind.SHARED).count() == 1
    unshare_case(pl_worker, case.pk, pl_worker2)
    with pytest.raises(Forbidden):
        get_case_content_for(pl_worker2, case.pk)
    assert CaseEvent.objects.filter(case=case, kind=CaseEventKind.UNSHARED).count() == 1


def test_a_share_grants_reading_not_sharing_further(pl_worker, pl_worker2, pl_assistant, cases):
    share_case(pl_worker, cases[0].pk, pl_worker2)
    before = _state()
    with pytest.raises(Forbidden):
        share_case(pl_worker2, cases[0].pk, pl_assistant)
    assert _state() == before


@pytest.mark.parametrize("target", ["md_worker", "pl_worker"])
def test_sharing_with_someone_outside_the_centre_or_with_the_holder_is_refused(request, pl_worker, cases, target):
    before = _state()
    with pytest.raises(ValidationFailed):
        share_case(pl_worker, cases[0].pk, request.getfixturevalue(target))
    assert _state() == before
