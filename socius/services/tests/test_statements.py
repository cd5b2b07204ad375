# ruff: noqa: F811
"""Monthly statements: totals from the deliveries (units × the price of each period, the co-payment in force,
missed visits free), regeneration that leaves issued statements alone, corrections, refusals that write
nothing, the audit naming the clients, and a fixed number of queries whatever the number of clients."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from socius.accounts.models import AuditEvent, AuditEventPerson
from socius.common.errors import Forbidden, NotFound, ValidationFailed
from socius.services.errors import InvalidServiceTransition, ServiceNotOffered
from socius.services.models import MonthlyStatement
from socius.services.statements import (
    cancel_statement,
    correct_statement,
    generate_statements,
    issue_statement,
    issue_statements,
    reference_is_valid,
)
from socius.services.statuses import StatementStatus
from socius.services.tests.statement_fixtures import (  # noqa: F401 - fixtures
    HOME_HELP,
    MARCH,
    MEALS,
    ON,
    anna_help,
    assess,
    deliver,
    family,
    make_decision,
    miss,
    prices,
)
from socius.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _statement(person) -> MonthlyStatement:
    return MonthlyStatement.objects.exclude(status=StatementStatus.CANCELLED).get(person=person)


@pytest.fixture
def march(pl_centre, family, anna_help, pl_worker, pl_director):
    """Anna: 8.5 hours of home help in March, 5 at 40.00 before the price change, 3.5 at 44.00 after; one visit
    missed; 30 % of the cost. Jan: 20 meals at 12.50, 40 % of the cost capped at 10 % of an income of 1000."""
    _household, anna, jan = family
    for day, units in ((3, "2"), (10, "3"), (17, "2"), (24, "1.5")):
        deliver(anna_help, dt.date(2025, 3, day), units, pl_worker)
    miss(anna_help, dt.date(2025, 3, 5), pl_worker)
    deliver(anna_help, dt.date(2025, 4, 1), "2", pl_worker)  # April: not in March's statement
    assess(anna_help, pl_director, share="30")
    meals = make_decision(pl_centre, jan, pl_worker, service=MEALS, unit="meal")
    for day in range(3, 23):
        deliver(meals, dt.date(2025, 3, day), "1", pl_worker)
    assess(meals, pl_director, share="40", income="1000.00", cap="10")
    return anna, jan, meals


def test_the_cost_is_units_times_the_price_of_each_period_and_the_copayment_its_share(march, pl_finance):
    anna, _jan, _meals = march
    result = generate_statements(pl_finance, pl_finance.centre, MARCH, on=ON)
    assert (result.created, result.replaced, result.removed) == (2, 0, 0)
    statement = _statement(anna)
    assert statement.status == StatementStatus.DRAFT
    assert statement.month == MARCH
    assert statement.total_units == Decimal("8.50")
    assert statement.total_cost == Decimal("354.00")  # 5 × 40.00 + 3.5 × 44.00
    assert statement.total_due == Decimal("106.20")  # 30 %
    assert statement.currency == "PLN"
    [line] = statement.lines
    assert line["service_code"] == HOME_HELP
    assert (line["units"], line["cost"], line["due"], line["delivered"], line["missed"]) == (
        "8.50", "354.00", "106.20", 4, 1,
    )  # fmt: skip
    assert line["periods"] == [
        {"from": "2025-03-01", "until": "2025-03-14", "units": "5.00", "unit_cost": "40.00", "cost": "200.00"},
        {"from": "2025-03-15", "until": "2025-03-31", "units": "3.50", "unit_cost": "44.00", "cost": "154.00"},
    ]
    assert line["copayment"]["share_of_cost_percent"] == "30.00"


def test_the_copayment_at_the_edge_of_the_income_cap_is_the_cap_and_one_grosz_less_income_pays_one_grosz_less(
    march, pl_finance
):
    _anna, jan, meals = march
    generate_statements(pl_finance, pl_finance.centre, MARCH, on=ON)
    statement = _statement(jan)
    assert statement.total_cost == Decimal("250.00")
    assert statement.total_due == Decimal("100.00")  # 40 % of 250.00 = 10 % of 1000.00: at the edge
    meals.copayments.update(income=Decimal("999.90"))
    generate_statements(pl_finance, pl_finance.centre, MARCH, on=ON)
    assert _statement(jan).total_due == Decimal("99.99")  # the cap binds below the edge


def test_a_free_client_owes_nothing_but_the_cost_is_shown(march, pl_finance, anna_help):
    anna, _jan, _meals = march
    anna_help.copayments.update(free=True)
    generate_statements(pl_finance, pl_finance.centre, MARCH, on=ON)
    statement = _statement(anna)
    assert (statement.total_cost, statement.total_due) == (Decimal("354.00"), Decimal("0.00"))
    assert statement.lines[0]["copayment"]["free"] is True


def test_a_missed_visit_costs_nothing(pl_centre, pl_worker, pl_finance, prices):
    client = PersonFactory(centre=pl_centre, first_name="Ewa", last_name="Lis")
    decision = make_decision(pl_centre, client, pl_worker)
    miss(decision, dt.date(2025, 3, 4), pl_worker)
    miss(decision, dt.date(2025, 3, 11), pl_worker)
    generate_statements(pl_finance, pl_centre, MARCH, on=ON)
    statement = _statement(client)
    assert (statement.total_units, statement.total_cost, statement.total_due) == (0, 0, 0)
    assert (statement.lines[0]["missed"], statement.lines[0]["delivered"], statement.lines[0]["periods"]) == (2, 0, [])


def test_regenerating_replaces_drafts_and_leaves_issued_statements_untouched(march, pl_finance, pl_worker, anna_help):
    anna, jan, meals = march
    generate_statements(pl_finance, pl_finance.centre, MARCH, on=ON)
    issued = issue_statement(pl_finance, _statement(anna), on=ON)
    jan_number = _statement(jan).number
    deliver(anna_help, dt.date(2025, 3, 28), "4", pl_worker)
    deliver(meals, dt.date(2025, 3, 28), "1", pl_worker)
    result = generate_statements(pl_finance, pl_finance.centre, MARCH, on=ON)
    assert (result.created, result.replaced, result.issued_untouched) == (0, 1, 1)
    anna_now = MonthlyStatement.objects.get(pk=issued.pk)
    assert (anna_now.status, anna_now.total_cost, anna_now.lines) == (
        StatementStatus.ISSUED, Decimal("354.00"), issued.lines,
    )  # fmt: skip
    jan_now = _statement(jan)
    assert (jan_now.number, jan_now.total_cost, jan_now.status) == (jan_number, Decimal("262.50"), "draft")


def test_a_correction_cancels_the_issued_statement_and_replaces_it(march, pl_finance, pl_worker, anna_help):
    anna, _jan, _meals = march
    generate_statements(pl_finance, pl_finance.centre, MARCH, on=ON)
    issued = issue_statement(pl_finance, _statement(anna), on=ON)
    deliver(anna_help, dt.date(2025, 3, 28), "1", pl_worker)  # recorded late
    replacement = correct_statement(pl_finance, issued, on=ON, reason="A visit recorded late")
    issued.refresh_from_db()
    assert issued.status == StatementStatus.CANCELLED
    assert (replacement.status, replacement.replaces_id, replacement.person_id) == ("draft", issued.pk, anna.pk)
    assert replacement.number != issued.number
    assert (replacement.total_cost, replacement.total_due) == (Decimal("398.00"), Decimal("119.40"))
    assert MonthlyStatement.objects.filter(person=anna).count() == 2


def test_a_draft_cannot_be_corrected_and_nothing_changes(march, pl_finance):
    anna, _jan, _meals = march
    generate_statements(pl_finance, pl_finance.centre, MARCH, on=ON)
    draft = _statement(anna)
    with pytest.raises(InvalidServiceTransition):
        correct_statement(pl_finance, draft, on=ON, reason="x")
    assert list(MonthlyStatement.objects.filter(person=anna).values_list("pk", "status")) == [(draft.pk, "draft")]


def test_a_correction_without_a_reason_is_refused_and_nothing_changes(march, pl_finance):
    anna, _jan, _meals = march
    generate_statements(pl_finance, pl_finance.centre, MARCH, on=ON)
    issued = issue_statement(pl_finance, _statement(anna), on=ON)
    with pytest.raises(ValidationFailed) as refused:
        correct_statement(pl_finance, issued, on=ON, reason="  ")
    assert list(refused.value.errors) == ["reason"]
    assert list(MonthlyStatement.objects.filter(person=anna).values_list("status", flat=True)) == ["issued"]


def test_issuing_twice_is_refused(march, pl_finance):
    anna, _jan, _meals = march
    generate_statements(pl_finance, pl_finance.centre, MARCH, on=ON)
    issued = issue_statement(pl_finance, _statement(anna), on=ON)
    with pytest.raises(InvalidServiceTransition):
        issue_statement(pl_finance, issued, on=dt.date(2025, 4, 9))
    issued.refresh_from_db()
    assert issued.issued_on == ON


def test_an_issued_statement_is_cancelled_only_with_a_reason(march, pl_finance):
    anna, _jan, _meals = march
    generate_statements(pl_finance, pl_finance.centre, MARCH, on=ON)
    issued = issue_statement(pl_finance, _statement(anna), on=ON)
    with pytest.raises(ValidationFailed):
        cancel_statement(pl_finance, issued, on=ON)
    assert MonthlyStatement.objects.get(pk=issued.pk).status == "issued"
    cancel_statement(pl_finance, issued, on=ON, reason="Sent to the wrong person")
    assert MonthlyStatement.objects.get(pk=issued.pk).status == "cancelled"


def test_issue_all_issues_every_draft_of_the_month_and_names_the_clients(march, pl_director):
    anna, jan, _meals = march
    generate_statements(pl_director, pl_director.centre, MARCH, on=ON)
    assert issue_statements(pl_director, pl_director.centre, MARCH, on=ON) == 2
    assert set(MonthlyStatement.objects.values_list("status", "issued_by", "issued_on")) == {
        ("issued", pl_director.pk, ON)
    }
    event = AuditEvent.objects.filter(object_type="service_statements", action="update").get()
    named = {event.person_id, *AuditEventPerson.objects.filter(event=event).values_list("person_id", flat=True)} - {
        None
    }
    assert named == {anna.pk, jan.pk}


def test_generation_is_audited_under_every_client(march, pl_finance):
    anna, jan, _meals = march
    generate_statements(pl_finance, pl_finance.centre, MARCH, on=ON)
    event = AuditEvent.objects.get(object_type="service_statements", action="create")
    named = {event.person_id, *AuditEventPerson.objects.filter(event=event).values_list("person_id", flat=True)} - {
        None
    }
    assert named == {anna.pk, jan.pk}
    assert event.changes["created"] == [None, 2]


def test_numbers_follow_the_month_and_references_carry_check_digits(march, pl_finance):
    generate_statements(pl_finance, pl_finance.centre, MARCH, on=ON)
    numbers = sorted(MonthlyStatement.objects.values_list("number", flat=True))
    assert numbers == ["S/2025/03/0001", "S/2025/03/0002"]
    for reference in MonthlyStatement.objects.values_list("payment_reference", flat=True):
        assert reference.startswith("PLTEST-202503-0000")
        assert len(reference) <= 35
        assert reference_is_valid(reference)
        assert not reference_is_valid(reference[:-1] + str((int(reference[-1]) + 1) % 10))


def test_units_delivered_on_a_day_without_a_price_are_refused_and_nothing_is_written(
    pl_centre, pl_worker, pl_finance, prices
):
    client = PersonFactory(centre=pl_centre)
    decision = make_decision(pl_centre, client, pl_worker, service="pl.transport", unit="trip")
    deliver(decision, dt.date(2025, 3, 4), "2", pl_worker)
    with pytest.raises(ServiceNotOffered):
        generate_statements(pl_finance, pl_centre, MARCH, on=ON)
    assert not MonthlyStatement.objects.exists()
    assert not AuditEvent.objects.filter(object_type="service_statements").exists()


@pytest.mark.parametrize("who", ["pl_worker", "pl_teamlead", "pl_auditor"])
def test_only_finance_and_the_director_generate(march, who, request):
    actor = request.getfixturevalue(who)
    with pytest.raises(Forbidden):
        generate_statements(actor, actor.centre, MARCH, on=ON)
    assert not MonthlyStatement.objects.exists()


def test_another_centre_is_not_found(march, md_director, pl_centre):
    with pytest.raises(NotFound):
        generate_statements(md_director, pl_centre, MARCH, on=ON)


def test_a_future_month_or_a_bad_month_is_refused_naming_the_month(march, pl_finance):
    for month in (dt.date(2025, 5, 1), "2025-13", None):
        with pytest.raises(ValidationFailed) as refused:
            generate_statements(pl_finance, pl_finance.centre, month, on=ON)
        assert list(refused.value.errors) == ["month"]


def test_generation_takes_a_fixed_number_of_queries_whatever_the_clients(
    pl_centre, pl_worker, pl_finance, prices, django_assert_max_num_queries
):
    """60 clients: on PostgreSQL the statements are written with COPY and brought up to date from a temporary
    table (from 50 on); the totals are the same as those of the ORM's bulk writes."""
    decisions = []
    for i in range(60):
        decision = make_decision(pl_centre, PersonFactory(centre=pl_centre), pl_worker, number=f"D/{i}")
        deliver(decision, dt.date(2025, 3, 3 + i % 20), "2", pl_worker)
        decisions.append(decision)
    # +2: the audit event's place in its centre's hash chain (decision 0020)
    with django_assert_max_num_queries(16):
        result = generate_statements(pl_finance, pl_centre, MARCH, on=ON)
    assert result.created == 60
    assert set(MonthlyStatement.objects.values_list("total_cost", flat=True)) == {Decimal("80.00"), Decimal("88.00")}
    deliver(decisions[0], dt.date(2025, 3, 25), "1", pl_worker)
    # +2: the audit event's place in its centre's hash chain (decision 0020)
    with django_assert_max_num_queries(18):
        result = generate_statements(pl_finance, pl_centre, MARCH, on=ON)
    assert (result.created, result.replaced) == (0, 60)
    assert _statement(decisions[0].person).total_cost == Decimal("124.00")  # 2 × 40.00 + 1 × 44.00
    assert MonthlyStatement.objects.filter(lines__0__units="2.00").count() == 59
