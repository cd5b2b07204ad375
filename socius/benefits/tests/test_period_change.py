"""A proposal is computed for its first month, and every later month of the period is evaluated too: where the
law (a parameter dated inside the period) or the facts change the outcome, the decision says so and the
decision page offers the amendment from that month (docs/decisions/0013, "A period the law changes in")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from socius.benefits import services
from socius.benefits.tests.conftest import APPLIED, MARCH

JUNE = dt.date(2025, 6, 1)


def file_with_incomes(worker, case, mother, period_to, months=range(2, 12)):
    application = services.file_application(
        worker,
        case.pk,
        {"benefit": "pl.toy_allowance", "applied_on": APPLIED, "period_from": MARCH, "period_to": period_to},
    )
    services.declare_incomes(
        worker,
        application.pk,
        [
            {"person": mother.pk, "month": dt.date(2025, m, 1), "kind": "employment", "amount": "1000.00"}
            for m in months
        ],
    )
    return application


def test_the_first_month_the_criterion_changes_in_is_found_with_its_outcome(case, interview, mother, pl_worker):
    application = file_with_incomes(pl_worker, case, mother, dt.date(2025, 8, 1))
    first = services._evaluate("pl.toy_allowance", services.facts_for_application(application)[0])

    month, later = services.first_change_in_period(application, MARCH, dt.date(2025, 8, 1), first)

    assert (first.amount, month, later.amount) == (Decimal("552.00"), JUNE, Decimal("600.00"))  # 2 × 800 − 1000


def test_a_period_ending_before_the_change_has_none(case, interview, mother, pl_worker):
    application = file_with_incomes(pl_worker, case, mother, dt.date(2025, 5, 1))
    first = services._evaluate("pl.toy_allowance", services.facts_for_application(application)[0])

    assert services.first_change_in_period(application, MARCH, dt.date(2025, 5, 1), first) is None


def test_the_proposal_states_the_change_inside_its_period(case, interview, mother, pl_worker):
    application = file_with_incomes(pl_worker, case, mother, dt.date(2025, 8, 1))

    proposal = services.propose_decision(pl_worker, application.pk, {"payment_method": "cash"}, on=APPLIED)

    assert (proposal.amount, proposal.period_from, proposal.period_to) == (
        Decimal("552.00"),
        MARCH,
        dt.date(2025, 8, 1),
    )
    last_line = proposal.justification.splitlines()[-1]
    assert last_line.startswith("Od 2025-06 rozstrzygnięcie się zmienia") or last_line.startswith(
        "From 2025-06 the outcome changes"
    )
    assert "toy/criterion 800.00" in last_line and "2025-06-01" in last_line


def test_the_decision_page_offers_the_amendment_from_the_month_of_the_change(
    client, case, interview, mother, pl_worker, pl_teamlead
):
    application = file_with_incomes(pl_worker, case, mother, dt.date(2025, 8, 1))
    proposal = services.propose_decision(pl_worker, application.pk, {"payment_method": "cash"}, on=APPLIED)
    grant = services.approve_decision(pl_teamlead, proposal.pk, on=APPLIED)
    client.force_login(pl_worker)

    page = client.get(reverse("web:benefit_decision", args=[grant.pk])).content.decode()

    assert 'id="period-change"' in page and "600.00" in page
    assert 'value="2025-06-01"' in page or 'value="01.06.2025"' in page or 'value="01/06/2025"' in page


def test_no_change_no_note(case, interview, mother, pl_worker):
    application = file_with_incomes(pl_worker, case, mother, dt.date(2025, 5, 1))

    proposal = services.propose_decision(pl_worker, application.pk, {"payment_method": "cash"}, on=APPLIED)

    assert "2025-06" not in proposal.justification
