"""The recalculation job writes, set-based (COPY on PostgreSQL, in worker processes when there are many grants),
exactly what the one-by-one service writes for each grant: the same proposal, event and audit rows; and its
justification text is the service's, formatted once per part."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone, translation

from socius.accounts.models import AuditEvent, AuditEventPerson
from socius.assessments.models import Assessment, AssessmentStatus
from socius.benefits import recalculation, services
from socius.benefits.models import Decision, DecisionEvent, RecalculationRun
from socius.benefits.recalculation.justification import Justifier
from socius.benefits.tests.conftest import APPLIED, FEBRUARY, MARCH
from socius.casework.tests.factories import CaseFactory
from socius.common.formatting import format_money
from socius.rulebook.engine import benefits as engine
from socius.rulebook.engine.benefits import Facts, Member, Result, Trace, months_before, sum_incomes
from socius.testing.factories import HouseholdFactory, MembershipFactory, PersonFactory

ON = dt.date(2025, 3, 5)
JUNE = dt.date(2025, 6, 1)  # the toy criterion goes from 776.00 to 800.00 a person
DECEMBER = dt.date(2025, 12, 1)

# (members' February incomes, the amount chosen at the grant or None for the law's maximum)
HOUSEHOLDS = [
    (["1000.00", None], None),
    (["0.00", None], None),
    (["250.50", "120.25", None], None),
    (["700.00"], "40.00"),
    (["1200.00", "300.00", None, None], "20.00"),
    (["0.00", "0.00", "0.00"], "1000.00"),
]

PROPOSAL_FIELDS = (
    "kind", "benefit", "one_off", "period_from", "period_to", "amount", "currency", "minimum", "maximum",
    "payment_method", "iban", "facts", "member_ids", "rules_version", "formula_version", "parameters", "eligible",
    "reasons", "trace", "status", "state", "centre_id", "case_id", "household_id", "applicant_id", "application_id",
    "changes_id", "proposed_by_id", "approved_by_id", "year", "number", "reference",
)  # fmt: skip


def toy_allowance(facts: Facts, t: Trace) -> Result:
    """The toy allowance with the PL reference month: the month before the application (art. 8 ust. 3)."""
    criterion = t.parameter("criterion", "toy/criterion") * len(facts.members)
    months = months_before(facts.application_on or facts.period, 1)
    income = t.money("income", sum(sum_incomes(m.incomes, months) + (m.income or 0) for m in facts.members))
    if income >= criterion:
        t.refuse("income_not_below_criterion")
        return Result(amount=Decimal("0"))
    amount = t.money("amount", criterion - income)
    return Result(amount=amount, minimum=Decimal("20.00"), maximum=amount)


@pytest.fixture(autouse=True)
def reference_month_formula(toy_pack, monkeypatch):
    monkeypatch.setitem(engine._FORMULAS, "pl.toy_allowance", [(dt.date(2020, 1, 1), toy_allowance)])


@pytest.fixture
def grants(pl_centre, pl_worker, pl_teamlead, family_team):
    """Six households' grants of the toy allowance from March to December, approved."""
    out = []
    for index, (incomes, chosen) in enumerate(HOUSEHOLDS):
        household = HouseholdFactory(centre=pl_centre)
        persons = []
        for position, _income in enumerate(incomes):
            person = PersonFactory(
                centre=pl_centre, first_name=f"P{index}{position}", birth_date=dt.date(1970 + 10 * position, 1, 1)
            )
            MembershipFactory(
                household=household,
                person=person,
                relationship="head" if position == 0 else "child",
                valid_from=dt.date(2020, 1, 1),
            )
            persons.append(person)
        case = CaseFactory(centre=pl_centre, household=household, assigned_worker=pl_worker, team=family_team)
        Assessment.objects.create(
            case=case,
            instrument_code="pl.rws",
            instrument_version="2021",
            kind="initial",
            status=AssessmentStatus.COMPLETED,
            need_identified_on=dt.date(2025, 2, 10),
            completed_on=timezone.localdate() - dt.timedelta(days=7),  # current today, for the recalculation
            created_by=pl_worker,
        )
        application = services.file_application(
            pl_worker,
            case.pk,
            {"benefit": "pl.toy_allowance", "applied_on": APPLIED, "period_from": MARCH, "period_to": DECEMBER},
        )
        rows = [
            {"person": person.pk, "month": FEBRUARY, "kind": "employment", "amount": income}
            for person, income in zip(persons, incomes, strict=True)
            if income is not None
        ]
        if rows:
            services.declare_incomes(pl_worker, application.pk, rows)
        data = {"payment_method": "cash"} | ({"amount": chosen} if chosen else {})
        proposal = services.propose_decision(pl_worker, application.pk, data, on=ON)
        out.append(services.approve_decision(pl_teamlead, proposal.pk, on=dt.date(2025, 3, 6)))
    return out


class Undo(Exception):
    pass


def one_by_one(actor, grant: Decision, amount: Decimal | None) -> dict:
    """What services.propose_amendment writes for the grant (rolled back): the proposal, its event, its audit."""
    written = {}
    try:
        with transaction.atomic():
            data = {"from_month": JUNE} | ({"amount": str(amount)} if amount is not None else {})
            proposal = services.propose_amendment(actor, grant.pk, data, on=dt.date(2025, 5, 20))
            written = what_was_written(proposal)
            raise Undo
    except Undo:
        pass
    return written


def what_was_written(proposal: Decision) -> dict:
    proposal.refresh_from_db()
    event = DecisionEvent.objects.get(decision=proposal)
    audit = AuditEvent.objects.get(object_type="benefit_decision", object_id=proposal.pk)
    return {
        "proposal": {field: getattr(proposal, field) for field in PROPOSAL_FIELDS},
        "justification": proposal.justification,
        "event": (event.kind, event.case_id, event.household_id, event.person_id, event.actor_id, event.data),
        "audit": (
            audit.action,
            audit.actor_id,
            audit.actor_username,
            audit.centre_id,
            audit.person_id,
            audit.changes,
            sorted(AuditEventPerson.objects.filter(event=audit).values_list("person_id", flat=True)),
        ),
    }


def test_the_job_writes_what_the_one_by_one_service_writes(grants, pl_teamlead, django_capture_on_commit_callbacks):
    # At the maximum the service's default amount is the law's (the amendment's new maximum); a grant whose
    # amount the centre chose within the range keeps it, unchanged, and gets no proposal.
    expected = {}
    for grant, (_incomes, chosen) in zip(grants, HOUSEHOLDS, strict=True):
        expected[grant.pk] = one_by_one(pl_teamlead, grant, Decimal(chosen) if chosen else None)
    assert Decision.objects.filter(kind="amendment").count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        run = recalculation.start_recalculation(pl_teamlead, {"month": JUNE, "benefit": "pl.toy_allowance"})
    run.refresh_from_db()

    assert (run.status, run.total, run.proposed, run.unchanged) == ("done", 6, 3, 3)
    assert sorted(run.items.values_list("decision_id", flat=True)) == [
        g.pk for g, h in zip(grants, HOUSEHOLDS, strict=True) if not h[1]
    ]
    for item in run.items.select_related("proposal"):
        got = what_was_written(item.proposal)
        want = expected[item.decision_id]
        heading, _newline, justification = got["justification"].partition("\n")
        assert (item.reasons, heading) == (["law"], Justifier("pl").heading(JUNE, ("law",)))
        assert justification == want["justification"]
        assert got["proposal"] == want["proposal"]
        kind, *rest, data = got["event"]
        assert (kind, *rest) == want["event"][:-1]
        assert data == {**want["event"][-1], "recalculation": run.pk, "decision": item.proposal_id}
        assert got["audit"] == want["audit"]


@pytest.mark.parametrize("language", ["pl", "ro", "lt", "ru", "en"])
@pytest.mark.parametrize("currency", ["PLN", "MDL", "EUR"])
def test_money_in_a_justification_is_written_as_format_money_writes_it(language, currency):
    justifier = Justifier(language)
    amounts = [Decimal(a) for a in ("0", "0.005", "1", "12.5", "999.99", "1000", "1234.56", "100000.01", "9999999.99")]
    amounts += [Decimal(n) / 100 for n in range(0, 2_000_000, 7_919)]
    with translation.override(language):
        assert [justifier.money(a, currency) for a in amounts] == [format_money(a, currency, language) for a in amounts]


def test_a_justification_is_the_one_services_write(pl_centre):
    facts = Facts(
        period=JUNE,
        members=(
            Member(role="applicant", birth_date=dt.date(1980, 1, 1), income=Decimal("1234.56")),
            Member(role="child", birth_date=dt.date(2015, 1, 1)),
        ),
        application_on=APPLIED,
    )
    refused = Facts(period=JUNE, members=(Member(role="applicant", income=Decimal("5000")),), application_on=APPLIED)
    for language in ("pl", "ro", "lt", "ru", "en"):
        justifier = Justifier(language)
        for case in (facts, refused, facts):
            outcome = engine.evaluate("pl.toy_allowance", case)
            assert justifier(outcome) == services.justification_from(outcome, language)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: worker processes")
@pytest.mark.django_db(transaction=True)
def test_worker_processes_write_what_the_one_by_one_service_writes(grants, pl_teamlead, pl_director):
    expected = {
        grant.pk: one_by_one(pl_teamlead, grant, Decimal(chosen) if chosen else None)
        for grant, (_incomes, chosen) in zip(grants, HOUSEHOLDS, strict=True)
    }
    run = RecalculationRun.objects.create(centre_id=pl_teamlead.centre_id, month=JUNE, started_by=pl_teamlead)

    done = recalculation.run_recalculation(run.pk, chunk=1, workers=2)  # six chunks over two processes

    assert (done.status, done.total, done.done, done.proposed, done.unchanged, done.error) == ("done", 6, 6, 3, 3, "")
    for item in done.items.select_related("proposal"):
        got = what_was_written(item.proposal)
        assert got["proposal"] == expected[item.decision_id]["proposal"]
        assert got["justification"].partition("\n")[2] == expected[item.decision_id]["justification"]
        assert got["audit"] == expected[item.decision_id]["audit"]
    assert recalculation.approve_recalculation(pl_director, run.pk, on=dt.date(2025, 5, 20)) == {
        "approved": 3,
        "left_out": 0,
    }
    assert sorted(Decision.objects.filter(kind="amendment").values_list("number", flat=True)) == [7, 8, 9]
