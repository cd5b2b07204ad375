"""Reads of runs and payments: scope per role, payment lists per fund and territory, returns, finance's month."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from socius.accounts.models import AuditEvent
from socius.common.errors import Forbidden, NotFound
from socius.payments import runs, selectors
from socius.payments.models import Payment
from socius.payments.tests.runs_support import (
    FEBRUARY,
    MARCH,
    PURPOSE,
    TerritoryFactory,
    grant,
    make_client,
    make_fund,
)
from socius.testing.factories import PersonFactory


@pytest.fixture
def month(pl_centre, pl_finance, pl_worker, pl_worker2, pl_director):
    """March 2025: Anna (pl_worker's client, village Wola) and Jan (pl_worker2's client, village Brzezie) paid
    from the own-tasks fund; Jan's household also gets a one-off aid from the state fund."""
    own = make_fund(pl_centre, pl_finance, code="own", benefits=("pl.periodic_allowance",))
    state = make_fund(pl_centre, pl_finance, code="state", benefits=(PURPOSE,))
    wola = TerritoryFactory(jurisdiction="PL", level="village", name="Wola", parent=pl_centre.territory)
    brzezie = TerritoryFactory(jurisdiction="PL", level="village", name="Brzezie", parent=pl_centre.territory)
    anna, _h1, case1 = make_client(pl_centre, pl_worker, first="Anna", last="Nowak", territory=wola)
    jan, _h2, case2 = make_client(pl_centre, pl_worker2, first="Jan", last="Lis", territory=brzezie)
    grant(case1, anna, pl_worker, pl_director, amount="500.00", period_from=FEBRUARY)
    grant(case2, jan, pl_worker2, pl_director, amount="300.00", period_from=FEBRUARY)
    grant(case2, jan, pl_worker2, pl_director, benefit=PURPOSE, one_off=True, amount="150.00", period_from=MARCH)
    run = runs.prepare_run(pl_finance, pl_centre.pk, MARCH)
    return {"run": run, "anna": anna, "jan": jan, "own": own, "state": state, "wola": wola, "brzezie": brzezie}


def test_payment_lists_count_persons_households_and_totals_per_fund_and_territory(month):
    rows = selectors.payment_lists(month["run"])
    assert [(r.fund_name, r.territory_name, r.payments, r.persons, r.households, r.total) for r in rows] == [
        ("Fund own", "Brzezie", 1, 1, 1, Decimal("300.00")),
        ("Fund own", "Wola", 1, 1, 1, Decimal("500.00")),
        ("Fund state", "Brzezie", 1, 1, 1, Decimal("150.00")),
    ]


def test_finance_director_and_auditor_read_every_payment_of_the_centre(
    month, pl_finance, pl_director, pl_auditor, md_director
):
    for actor in (pl_finance, pl_director, pl_auditor):
        assert selectors.list_payments_for(actor, run=month["run"].pk).count() == 3
        assert selectors.get_run_for(actor, month["run"].pk) == month["run"]
    with pytest.raises(NotFound):
        selectors.get_run_for(md_director, month["run"].pk)
    assert selectors.list_payments_for(md_director).count() == 0


def test_social_workers_read_only_their_clients_payments(month, pl_worker, pl_worker2, pl_teamlead):
    assert [p.person_id for p in selectors.list_payments_for(pl_worker)] == [month["anna"].pk]
    assert {p.person_id for p in selectors.list_payments_for(pl_worker2)} == {month["jan"].pk}
    assert selectors.list_payments_for(pl_worker, person=month["jan"].pk).count() == 0
    with pytest.raises(Forbidden):
        selectors.list_runs_for(pl_worker)


def test_payments_filter_by_status_month_and_person(month, pl_finance):
    assert selectors.list_payments_for(pl_finance, status="paid").count() == 0
    assert selectors.list_payments_for(pl_finance, status="pending", month="2025-03").count() == 3
    assert selectors.list_payments_for(pl_finance, month=dt.date(2025, 4, 1)).count() == 0
    assert selectors.list_payments_for(pl_finance, person=month["jan"].pk).count() == 2
    assert selectors.list_payments_for(pl_finance, run="not-a-number").count() == 0


def test_payments_of_a_person_outside_the_centre_are_not_found(month, pl_finance, md_centre):
    assert [p.amount for p in selectors.payments_of_person(pl_finance, month["anna"].pk)] == [Decimal("500.00")]
    with pytest.raises(NotFound):
        selectors.payments_of_person(pl_finance, PersonFactory(centre=md_centre).pk)


def test_shown_payments_are_audited_under_their_persons(month, pl_worker2):
    shown = list(selectors.list_payments_for(pl_worker2))
    selectors.audit_payments_shown(pl_worker2, shown)
    event = AuditEvent.objects.get(actor=pl_worker2, object_type="payment", action="view")
    assert event.person_id == month["jan"].pk


def test_returns_to_handle_lists_returned_payments_not_reissued(month, pl_finance, pl_worker):
    returned = Payment.objects.get(run=month["run"], person=month["anna"])
    Payment.objects.filter(pk=returned.pk).update(
        status="returned", return_code="AC04", returned_on=dt.date(2025, 3, 20)
    )
    assert [p.pk for p in selectors.returns_to_handle(pl_finance)] == [returned.pk]
    with pytest.raises(Forbidden):
        selectors.returns_to_handle(pl_worker)


def test_finance_home_shows_the_month_its_run_returns_and_decisions(month, pl_finance, pl_director):
    home = selectors.this_month_for_finance(pl_finance, on=dt.date(2025, 3, 14))
    assert (home.month, home.regular_run, home.next_step, home.returns_count) == (
        MARCH,
        month["run"],
        "check",
        0,
    )
    assert [d.amount for d in home.decisions_starting] == [Decimal("150.00")]
    assert [(s.fund.code, s.year) for s in home.funds] == [("own", 2025), ("state", 2025)]
    runs.check_run(pl_finance, month["run"].pk)
    assert selectors.this_month_for_finance(pl_finance, on=dt.date(2025, 3, 14)).next_step == "approve"
    empty = selectors.this_month_for_finance(pl_finance, on=dt.date(2025, 5, 2))
    assert (empty.regular_run, empty.next_step, empty.runs) == (None, "prepare", [])
