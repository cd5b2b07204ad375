"""LT socialinė pašalpa: the months already received are counted from the centre's approved decisions (a
break of 6 months starts the count again); the worker's entry adds the months received before Socius."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import _persona
from socius.benefits.models import Application, ApplicationMember, Decision
from socius.benefits.selectors import facts_for_application, months_received_from_records, months_received_of
from socius.casework.tests.factories import CaseFactory
from socius.testing.factories import PersonFactory

BENEFIT = "lt.social_benefit"


@pytest.fixture
def lt_director(lt_centre):
    return _persona(lt_centre, "director", "lt_director")


@pytest.fixture
def client_person(lt_centre):
    return PersonFactory(centre=lt_centre, first_name="Ona", last_name="Kazlauskienė", birth_date=dt.date(1970, 1, 1))


@pytest.fixture
def lt_case(lt_centre, lt_worker, client_person):
    return CaseFactory(centre=lt_centre, person=client_person, household=None, assigned_worker=lt_worker)


_NUMBERS = iter(range(1, 10_000))


def decided(case, person, worker, director, kind, start, end=None, changes=None, status="approved") -> Decision:
    approved = status == "approved"
    numbered = {"number": next(_NUMBERS), "year": 2025, "decided_on": start} if approved else {}
    return Decision.objects.create(
        **numbered,
        centre_id=case.centre_id,
        case=case,
        applicant=person,
        kind=kind,
        benefit=BENEFIT,
        period_from=start,
        period_to=end,
        amount=Decimal("200.00") if kind in ("grant", "amendment") else Decimal("0.00"),
        currency="EUR",
        eligible=True,
        changes=changes,
        status=status,
        state="active" if kind in ("grant", "amendment") and status == "approved" else "",
        proposed_by=worker,
        approved_by=director if status == "approved" else None,
    )


def m(year, month):
    return dt.date(year, month, 1)


def test_months_of_a_grant_are_counted_before_the_period_only(lt_case, client_person, lt_worker, lt_director):
    decided(lt_case, client_person, lt_worker, lt_director, "grant", m(2025, 1), m(2025, 12))

    months = months_received_of(BENEFIT, [client_person.pk], m(2025, 8))

    assert months == {client_person.pk: [m(2025, month) for month in range(1, 8)]}


def test_suspended_months_and_months_after_an_ending_are_not_received(lt_case, client_person, lt_worker, lt_director):
    grant = decided(lt_case, client_person, lt_worker, lt_director, "grant", m(2025, 1))
    decided(lt_case, client_person, lt_worker, lt_director, "suspension", m(2025, 3), changes=grant)
    decided(lt_case, client_person, lt_worker, lt_director, "resumption", m(2025, 5), changes=grant)
    decided(lt_case, client_person, lt_worker, lt_director, "ending", m(2025, 7), changes=grant)
    decided(lt_case, client_person, lt_worker, lt_director, "grant", m(2025, 9), status="proposed")  # not approved

    months = months_received_of(BENEFIT, [client_person.pk], m(2025, 12))

    assert months[client_person.pk] == [m(2025, 1), m(2025, 2), m(2025, 5), m(2025, 6)]


def test_the_count_adds_the_months_before_socius_unless_a_break_of_six_months_restarts_it(
    lt_case, client_person, lt_worker, lt_director
):
    decided(lt_case, client_person, lt_worker, lt_director, "grant", m(2024, 1), m(2024, 3))  # before a break
    decided(lt_case, client_person, lt_worker, lt_director, "grant", m(2024, 10), m(2025, 2))  # 6 months later
    entered = {client_person.pk: 4}

    assert months_received_from_records(BENEFIT, m(2025, 3), entered, [client_person.pk]) == {client_person.pk: 5}
    # Nothing recorded: the worker's entry alone.
    assert months_received_from_records(BENEFIT, m(2024, 1), entered, [client_person.pk]) == {client_person.pk: 4}
    # No break between the first recorded month and the period: recorded and entered months add up.
    assert months_received_from_records(BENEFIT, m(2024, 4), entered, [client_person.pk]) == {client_person.pk: 7}
    # Six months without the benefit right before the period: the count starts again.
    assert months_received_from_records(BENEFIT, m(2025, 9), entered, [client_person.pk]) == {client_person.pk: 0}


def test_a_pack_that_does_not_count_takes_the_workers_entry(pl_centre):
    assert months_received_from_records("pl.periodic_allowance", m(2025, 3), {1: 4}, [1]) is None


def test_the_proposal_facts_carry_the_counted_months(lt_case, client_person, lt_worker, lt_director):
    decided(lt_case, client_person, lt_worker, lt_director, "grant", m(2025, 1), m(2025, 7))
    application = Application.objects.create(
        centre_id=lt_case.centre_id,
        case=lt_case,
        applicant=client_person,
        benefit=BENEFIT,
        applied_on=dt.date(2025, 8, 4),
        period_from=m(2025, 8),
        created_by=lt_worker,
    )
    ApplicationMember.objects.create(application=application, person=client_person, benefit_months_received=3)

    facts, _persons = facts_for_application(application)

    assert facts.members[0].benefit_months_received == 10  # 7 recorded (Jan–Jul) + 3 before Socius


def test_the_batch_facts_count_the_months_as_the_proposal_does(lt_case, client_person, lt_worker, lt_director):
    """A recalculation (batch.facts_for_applications) and a proposal count the same months received, for
    months with and without a break before them, and for another benefit of the person without decisions."""
    from socius.benefits.batch import facts_for_applications

    decided(lt_case, client_person, lt_worker, lt_director, "grant", m(2024, 1), m(2024, 3))
    decided(lt_case, client_person, lt_worker, lt_director, "grant", m(2024, 10), m(2025, 2))
    lt = Application.objects.create(
        centre_id=lt_case.centre_id, case=lt_case, applicant=client_person, benefit=BENEFIT,
        applied_on=dt.date(2024, 4, 1), period_from=m(2024, 4), created_by=lt_worker,
    )  # fmt: skip
    ApplicationMember.objects.create(application=lt, person=client_person, benefit_months_received=4)
    other = Application.objects.create(
        centre_id=lt_case.centre_id, case=lt_case, applicant=client_person, benefit="lt.heating_compensation",
        applied_on=dt.date(2024, 4, 1), period_from=m(2024, 4), created_by=lt_worker,
    )  # fmt: skip
    ApplicationMember.objects.create(application=other, person=client_person, benefit_months_received=4)

    counted = {}
    for month in (m(2024, 4), m(2025, 3), m(2025, 9)):
        batch = facts_for_applications([lt, other], month)
        for application in (lt, other):
            one, _persons = facts_for_application(application, month)
            assert batch[application.pk][0] == one
        counted[month] = batch[lt.pk][0].members[0].benefit_months_received
        assert batch[other.pk][0].members[0].benefit_months_received == 4  # no decisions of it: the entry

    assert counted == {m(2024, 4): 7, m(2025, 3): 5, m(2025, 9): 0}
