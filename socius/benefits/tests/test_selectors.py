"""Selectors the desk and the timelines read: proposals to approve, grants ending in a month, event rows."""

import datetime as dt

from socius.benefits import services
from socius.benefits.selectors import (
    decision_events_for_cases,
    decision_events_for_household,
    decision_events_for_person,
    decisions_ending_in,
    proposals_to_approve,
)
from socius.benefits.tests.conftest import APPLIED, MARCH

ON = dt.date(2025, 3, 5)


def _proposal(actor, case, period_to):
    application = services.file_application(
        actor,
        case.pk,
        {"benefit": "pl.toy_allowance", "applied_on": APPLIED, "period_from": MARCH, "period_to": period_to},
    )
    return services.propose_decision(actor, application.pk, {"payment_method": "cash"}, on=ON)


def test_the_approvers_queue_holds_others_proposals_oldest_first(case, interview, pl_worker, pl_teamlead, pl_director):
    first = _proposal(pl_worker, case, dt.date(2025, 5, 1))
    own = _proposal(pl_teamlead, case, dt.date(2025, 5, 1))

    assert list(proposals_to_approve(pl_teamlead)) == [first]
    assert list(proposals_to_approve(pl_director)) == [first, own]
    assert list(proposals_to_approve(pl_worker)) == []


def test_grants_ending_in_a_month_and_the_timeline_rows(case, interview, household, mother, pl_worker, pl_director):
    ending = services.approve_decision(pl_director, _proposal(pl_worker, case, dt.date(2025, 5, 1)).pk, on=ON)
    later = services.approve_decision(pl_director, _proposal(pl_worker, case, dt.date(2025, 8, 1)).pk, on=ON)

    assert list(decisions_ending_in(pl_worker, dt.date(2025, 5, 20))) == [ending]
    assert list(decisions_ending_in(pl_worker, dt.date(2025, 4, 1))) == []
    rows = [(e.decision_id, e.kind) for e in decision_events_for_cases([case.pk])]
    assert rows == [(ending.pk, "proposed"), (ending.pk, "approved"), (later.pk, "proposed"), (later.pk, "approved")]
    assert [e.pk for e in decision_events_for_household(household.pk)] == [
        e.pk for e in decision_events_for_cases([case.pk])
    ]
    assert decision_events_for_person(mother.pk).count() == 4
    assert decision_events_for_cases([ending.pk + 1000]).count() == 0
