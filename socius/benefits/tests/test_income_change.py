"""A change in a household's income reported on a grant: the incomes declared and the amendment proposed from
the month the change first counts, with the law of that month; refused as a whole, nothing written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from socius.benefits import services
from socius.benefits.income_change import first_month_counted, report_income_change_and_propose
from socius.benefits.models import Decision, IncomeDeclaration
from socius.benefits.tests.test_breach import grant  # noqa: F401 (fixture)
from socius.benefits.tests.test_services import state_of_db
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed

APRIL = dt.date(2025, 4, 1)
MAY = dt.date(2025, 5, 1)
ON = dt.date(2025, 4, 20)


def change(mother, son, month=APRIL, mother_income="1200.00"):
    return [
        {"person": mother.pk, "month": month, "kind": "employment", "amount": mother_income},
        {"person": son.pk, "month": month, "kind": "other", "amount": "0.00"},
    ]


def test_the_change_counts_from_the_month_after_the_latest_month_reported():
    rows = [{"month": dt.date(2025, 4, 15)}, {"month": dt.date(2025, 6, 1)}, {"month": "junk"}]
    assert first_month_counted(rows) == dt.date(2025, 7, 1)
    assert first_month_counted([]) is None


def test_a_reported_change_declares_the_incomes_and_proposes_the_amendment_from_the_next_month(
    grant,  # noqa: F811
    mother,
    son,
    pl_worker,
):
    assert grant.amount == Decimal("552.00")  # 2 × 776 − 1000 (February's income)

    incomes, proposal = report_income_change_and_propose(pl_worker, grant.pk, {"incomes": change(mother, son)}, on=ON)

    assert [(i.person_id, i.month, i.amount) for i in incomes] == [
        (mother.pk, APRIL, Decimal("1200.00")),
        (son.pk, APRIL, Decimal("0.00")),
    ]
    assert (proposal.kind, proposal.status, proposal.changes_id, proposal.period_from, proposal.amount) == (
        "amendment",
        "proposed",
        grant.pk,
        MAY,
        Decimal("352.00"),  # 2 × 776 − 1200, April's income counted for May
    )
    assert proposal.facts["application_on"] == "2025-05-01"
    assert proposal.proposed_by == pl_worker
    grant.refresh_from_db()
    assert (grant.state, grant.amount) == ("active", Decimal("552.00"))  # the grant itself is never edited


def test_a_change_reported_in_june_is_computed_with_junes_criterion(grant, mother, son, pl_worker):  # noqa: F811
    _incomes, proposal = report_income_change_and_propose(
        pl_worker, grant.pk, {"incomes": change(mother, son, month=dt.date(2025, 5, 1))}, on=ON
    )

    assert (proposal.period_from, proposal.amount) == (dt.date(2025, 6, 1), Decimal("400.00"))  # 2 × 800 − 1200
    assert proposal.parameters["toy/criterion"]["valid_from"] == "2025-06-01"


def test_a_change_counting_after_the_grant_ends_is_refused_and_nothing_is_written(
    grant,  # noqa: F811
    mother,
    son,
    pl_worker,
):
    before = state_of_db()

    with pytest.raises(ValidationFailed) as refused:
        report_income_change_and_propose(
            pl_worker, grant.pk, {"incomes": change(mother, son, month=dt.date(2025, 8, 1))}, on=ON
        )

    assert list(refused.value.errors) == ["from_month"]
    assert state_of_db() == before


def test_a_bad_row_is_refused_beside_its_field_and_nothing_is_written(grant, mother, son, pl_worker):  # noqa: F811
    before = state_of_db()
    rows = change(mother, son)
    rows[1]["amount"] = "-5"

    with pytest.raises(ValidationFailed) as refused:
        report_income_change_and_propose(pl_worker, grant.pk, {"incomes": rows}, on=ON)

    assert list(refused.value.errors) == ["incomes[1].amount"]
    assert state_of_db() == before


def test_a_second_change_while_one_waits_is_a_conflict_with_nothing_written(
    grant,  # noqa: F811
    mother,
    son,
    pl_worker,
):
    report_income_change_and_propose(pl_worker, grant.pk, {"incomes": change(mother, son)}, on=ON)
    before = state_of_db()

    with pytest.raises(Conflict) as refused:
        report_income_change_and_propose(pl_worker, grant.pk, {"incomes": change(mother, son, MAY)}, on=ON)

    assert refused.value.code == "change_pending"
    assert state_of_db() == before


def test_a_proposal_not_yet_approved_takes_no_income_change(grant, case, mother, son, pl_worker):  # noqa: F811
    proposal = services.propose_suspension(
        pl_worker, grant.pk, {"from_month": MAY, "justification": "Left for work abroad"}
    )
    before = state_of_db()

    with pytest.raises(Conflict) as refused:
        report_income_change_and_propose(pl_worker, proposal.pk, {"incomes": change(mother, son)}, on=ON)

    assert refused.value.code == "not_a_grant"
    assert state_of_db() == before


def test_who_may_not_report_a_change_is_refused(grant, mother, son, pl_finance, md_worker):  # noqa: F811
    before = state_of_db()
    with pytest.raises(Forbidden):
        report_income_change_and_propose(pl_finance, grant.pk, {"incomes": change(mother, son)}, on=ON)
    with pytest.raises(NotFound):
        report_income_change_and_propose(md_worker, grant.pk, {"incomes": change(mother, son)}, on=ON)
    assert state_of_db() == before
    assert IncomeDeclaration.objects.filter(month=APRIL).count() == 0
    assert Decision.objects.filter(kind="amendment").count() == 0


def test_the_api_answers_the_proposal_and_audits_the_persons_shown(
    grant,  # noqa: F811
    recent_interview,
    mother,
    son,
    pl_worker,
):
    from rest_framework.test import APIClient

    from socius.accounts.audit import persons_of_events
    from socius.accounts.models import AuditEvent

    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(pl_worker)
    rows = [
        {"person": mother.pk, "month": "2025-04", "kind": "employment", "amount": "1200.00"},
        {"person": son.pk, "month": "2025-04", "kind": "other", "amount": "0.00"},
    ]

    response = client.post(f"/api/v1/decisions/{grant.pk}/income-change/", {"incomes": rows}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["status"], body["amount"], body["period_from"]) == (
        "amendment",
        "proposed",
        "352.00",
        "2025-05",
    )
    view = AuditEvent.objects.filter(action="view", object_type="benefit_decision", object_id=body["id"]).get()
    assert sorted(persons_of_events([view])[view.pk]) == sorted([mother.pk, son.pk])
    changes = AuditEvent.objects.filter(action="update", object_type="benefit_application").values_list(
        "changes", flat=True
    )
    assert {"income_change": [None, ["2025-04-01"]]} in list(changes)


def test_the_api_answers_400_with_the_field_in_the_readers_language_and_writes_nothing(
    grant,  # noqa: F811
    recent_interview,
    mother,
    pl_worker,
):
    from rest_framework.test import APIClient

    client = APIClient(HTTP_ACCEPT_LANGUAGE="pl")
    client.force_authenticate(pl_worker)
    before = state_of_db()

    response = client.post(
        f"/api/v1/decisions/{grant.pk}/income-change/",
        {"incomes": [{"person": mother.pk, "month": "2025-12", "kind": "employment", "amount": "1.00"}]},
        format="json",
    )

    assert response.status_code == 400 and "from_month" in response.json()
    assert state_of_db() == before


def test_interview_gaps_applies_the_proposals_interview_rule_to_many_cases(case, interview, pl_centre):
    from socius.benefits.services import check_interview, interview_gaps
    from socius.casework.tests.factories import CaseFactory

    other = CaseFactory(centre=pl_centre)
    in_time, too_late = dt.date(2025, 8, 20), dt.date(2025, 8, 21)  # completed 2025-02-20, valid 6 months

    assert interview_gaps([case.pk, other.pk], "PL", in_time) == {other.pk: "interview_missing"}
    assert interview_gaps([case.pk, other.pk], "PL", too_late) == {
        case.pk: "interview_outdated",
        other.pk: "interview_missing",
    }
    check_interview(case, "PL", in_time)  # the single-case rule agrees
    with pytest.raises(Conflict):
        check_interview(case, "PL", too_late)
    assert interview_gaps([case.pk, other.pk], "LT", too_late) == {}  # LT asks for no interview
