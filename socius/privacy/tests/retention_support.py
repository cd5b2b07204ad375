"""Builders for the retention tests: a PL world of old and recent records (dates chosen against the PL pack's
periods: case files and decisions 10 years, payments 5 years, contacts and the registry record 5 years, each
counted from 1 January of the year after)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from socius.casework.models import Case, Contact
from socius.casework.statuses import CaseStatus
from socius.registry.models import Person

ON = dt.date(2026, 12, 8)  # the review day
OLD = dt.date(2012, 3, 1)  # everything from then has expired by ON
RECENT = dt.date(2022, 6, 1)  # a case closed then is kept until 2033


_numbers = itertools.count(1)


def approved(world, case, benefit, **kw):
    """An approved (numbered) decision of the case, as benefits.services leaves it."""
    decided_on = kw.pop("decided_on", kw.get("start", OLD))
    return world.decision(
        case, benefit, status="approved", year=decided_on.year, number=next(_numbers), approved_by=world.finance,
        decided_on=decided_on, **kw,
    )  # fmt: skip


def aged(person: Person, day: dt.date = OLD) -> Person:
    """The registry record last changed on `day` (auto_now would say today)."""
    Person.objects.filter(pk=person.pk).update(updated_at=timezone.make_aware(dt.datetime.combine(day, dt.time(12))))
    person.refresh_from_db()
    return person


def close(case: Case, on: dt.date) -> Case:
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_on=on, closure_reason="other")
    case.refresh_from_db()
    return case


def contact(world, person: Person, on: dt.date, notes: str = "Said she lost her job at the bakery") -> Contact:
    made = Contact.objects.create(
        centre=world.centre,
        occurred_at=timezone.make_aware(dt.datetime.combine(on, dt.time(10))),
        channel="phone",
        handled_by=world.worker,
        notes=notes,
    )
    made.persons.add(person)
    return made
