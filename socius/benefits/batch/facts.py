"""Facts for many applications or households of one month, in a few queries (never one per household).

The facts are those `selectors.facts_for_application` builds for one application (composition from the
dated memberships, birth dates, disability and employment from the registry, declared incomes and member
facts from the application; the person-to-member mapping is `selectors.registry_member` for both), with one
difference for a recalculation: when incomes were declared for a month after the application's reference
month (a reported change of income), the reference moves to the latest such month before the month
recalculated (`application_on` becomes the first day of the month after it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from socius.benefits.models import Application, ApplicationMember, IncomeDeclaration
from socius.benefits.selectors import (
    month_start,
    months_received_counted,
    months_received_gap,
    months_received_of,
    registry_member,
)
from socius.registry.models import Membership, Person
from socius.rulebook.engine.benefits import Facts, IncomeRecord, Member


@dataclass(frozen=True)
class PersonRow:
    pk: int
    birth_date: dt.date | None
    employment_status: str
    disability_degree: str


def member_from(
    person: PersonRow,
    relationship: str,
    *,
    is_applicant: bool,
    incomes: Sequence[IncomeRecord] = (),
    unable_to_work: bool = False,
    benefit_months_received: int = 0,
    flags: Iterable[str] = (),
) -> Member:
    """A registry person as the engine counts them (selectors.registry_member, as for one application)."""
    return registry_member(
        relationship,
        is_applicant=is_applicant,
        birth_date=person.birth_date,
        employment_status=person.employment_status,
        disability_degree=person.disability_degree,
        incomes=tuple(incomes),
        unable_to_work=unable_to_work,
        benefit_months_received=benefit_months_received,
        flags=flags,
    )


def _memberships_on(household_ids: Iterable[int], first_day: dt.date) -> dict[int, list[tuple[dt.date, int, int, str]]]:
    """{household: [(valid_from, valid_until, membership id, person, relationship)]} of memberships still valid on or
    after `first_day` (the caller picks the day), one query."""
    out: dict[int, list] = {}
    rows = (
        Membership.objects.filter(household_id__in=list(household_ids))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=first_day))
        .values_list("household_id", "valid_from", "valid_until", "id", "person_id", "relationship")
    )
    for household_id, valid_from, valid_until, pk, person_id, relationship in rows:
        out.setdefault(household_id, []).append((valid_from, valid_until, pk, person_id, relationship))
    return out


def _persons(person_ids: Iterable[int]) -> dict[int, PersonRow]:
    rows = Person.objects.filter(pk__in=list(set(person_ids))).values_list(
        "pk", "birth_date", "employment_status", "disability_degree"
    )
    return {row[0]: PersonRow(*row) for row in rows}


def reference_on(application: Application, income_months: Iterable[dt.date], month: dt.date) -> dt.date:
    """The day the reference period is counted back from: the application day, or after a reported change
    of income (incomes declared for a month on or after the application's month) the first day of the
    month after the latest such month before `month`."""
    applied_month = month_start(application.applied_on)
    # After a loss of income the application month itself is the reference (PL art. 8 ust. 3): not a change.
    first = applied_month if not application.income_lost else (applied_month + dt.timedelta(days=32)).replace(day=1)
    later = [m for m in income_months if first <= m < month]
    if not later:
        return application.applied_on
    latest = max(later)
    return (latest.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _months_received(
    applications: Sequence[Application],
    memberships: Mapping[int, list],
    extra: Mapping[int, Mapping[int, ApplicationMember]],
    month: dt.date,
) -> Callable[[Application, int, ApplicationMember | None], int]:
    """months received (application, person, member facts) -> int, as `selectors.facts_for_application`
    counts them: from the decisions where the pack counts them (LT; two queries per benefit for every person
    of the applications), else the worker's entry."""
    records: dict[str, tuple[int, dict[int, list[dt.date]]]] = {}
    by_benefit: dict[str, set[int]] = {}
    for application in applications:
        people = by_benefit.setdefault(application.benefit, set())
        people.add(application.applicant_id)
        people.update(row[3] for row in memberships.get(application.household_id, ()))
    for benefit, person_ids in by_benefit.items():
        gap = months_received_gap(benefit, month)
        if gap is not None:
            records[benefit] = (gap, months_received_of(benefit, person_ids, month))

    def received(application: Application, person_id: int, more: ApplicationMember | None) -> int:
        entered = more.benefit_months_received if more else 0
        if application.benefit not in records:
            return entered
        gap, months = records[application.benefit]
        return months_received_counted(months.get(person_id, []), month, gap, entered)

    return received


def facts_for_applications(
    applications: Sequence[Application], month: dt.date, *, follow_income_changes: bool = True
) -> dict[int, tuple[Facts, list[int]]]:
    """{application id: (facts, persons counted)} for `month`, in five queries for any number."""
    month = month_start(month)
    by_id = {a.pk: a for a in applications}
    incomes: dict[int, dict[int, list[IncomeRecord]]] = {}
    income_months: dict[int, set[dt.date]] = {}
    for row in IncomeDeclaration.objects.filter(application_id__in=list(by_id)).order_by(
        "month", "person_id", "kind", "id"
    ):
        first = month_start(row.month)
        incomes.setdefault(row.application_id, {}).setdefault(row.person_id, []).append(
            IncomeRecord(
                kind=row.kind,
                amount=row.amount,
                month=first,
                deductions=row.deductions,
                one_off=row.one_off,
                covers_months=row.covers_months,
            )
        )
        income_months.setdefault(row.application_id, set()).add(first)
    extra: dict[int, dict[int, ApplicationMember]] = {}
    for row in ApplicationMember.objects.filter(application_id__in=list(by_id)):
        extra.setdefault(row.application_id, {})[row.person_id] = row
    days = {a.pk: (a.applied_on if month_start(a.applied_on) == month else month) for a in applications}
    memberships = _memberships_on(
        {a.household_id for a in applications if a.household_id}, min(days.values(), default=month)
    )
    person_ids = {a.applicant_id for a in applications}
    for rows in memberships.values():
        person_ids.update(row[3] for row in rows)
    persons = _persons(person_ids)
    received = _months_received(applications, memberships, extra, month)
    out = {}
    for application in applications:
        day = days[application.pk]
        if application.household_id is None:
            people = [(application.applicant_id, "head")]
        else:
            valid = sorted(
                (
                    row
                    for row in memberships.get(application.household_id, ())
                    if row[0] <= day and (row[1] is None or row[1] > day)
                ),
                key=lambda row: (row[0], row[2]),
            )
            people = [(row[3], row[4]) for row in valid]
            people.sort(key=lambda row: row[0] != application.applicant_id)
            if not people or people[0][0] != application.applicant_id:
                people.insert(0, (application.applicant_id, "head"))
        facts_of = extra.get(application.pk, {})
        declared = incomes.get(application.pk, {})
        members = []
        for person_id, relationship in people:
            more = facts_of.get(person_id)
            members.append(
                member_from(
                    persons[person_id],
                    relationship,
                    is_applicant=person_id == application.applicant_id,
                    incomes=declared.get(person_id, ()),
                    unable_to_work=bool(more and more.unable_to_work),
                    benefit_months_received=received(application, person_id, more),
                    flags=more.flags if more else (),
                )
            )
        amounts = {str(k): Decimal(str(v)) for k, v in (application.amounts or {}).items()}
        if application.need_amount is not None:
            amounts["need"] = application.need_amount
        on = (
            reference_on(application, income_months.get(application.pk, ()), month)
            if follow_income_changes
            else application.applied_on
        )
        out[application.pk] = (
            Facts(
                period=month,
                members=tuple(members),
                application_on=on,
                # A reported change is counted as a plain month: the loss of income was the application's.
                income_lost=application.income_lost and on == application.applied_on,
                amounts=tuple(sorted(amounts.items())),
                flags=frozenset(application.flags or ()),
                purpose=application.purpose,
            ),
            [person_id for person_id, _relationship in people],
        )
    return out


def facts_for_households(
    centre_id: int,
    household_ids: Sequence[int] | range,
    month: dt.date,
    incomes: Mapping[int, Sequence[IncomeRecord]],
    *,
    member_flags: Callable[[PersonRow], Iterable[str]] | None = None,
) -> dict[int, tuple[Facts, list[int]]]:
    """{household: (facts, persons counted)} for `month` from the registry alone: the members on the month's
    first day (dated memberships) with their persons in one query, the head as the applicant, `incomes`
    {person: records} from the caller (declared incomes, or a synthetic source), `member_flags` what a worker
    would record per member. A range of ids is read as a range (one index scan), a list as a list."""
    month = month_start(month)
    memberships = Membership.objects.filter(household__centre_id=centre_id, valid_from__lte=month).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=month)
    )
    if isinstance(household_ids, range):
        memberships = memberships.filter(household_id__gte=household_ids.start, household_id__lt=household_ids.stop)
    else:
        memberships = memberships.filter(household_id__in=list(household_ids))
    rows = memberships.order_by("household_id", "valid_from", "id").values_list(
        "household_id",
        "person_id",
        "relationship",
        "person__birth_date",
        "person__employment_status",
        "person__disability_degree",
    )
    people: dict[int, list[tuple[PersonRow, str]]] = {}
    for household_id, person_id, relationship, birth_date, employment, disability in rows.iterator(chunk_size=20_000):
        people.setdefault(household_id, []).append(
            (PersonRow(person_id, birth_date, employment, disability), relationship)
        )
    out = {}
    for household_id, members in people.items():
        members.sort(key=lambda row: row[1] != "head")  # stable: the head first, then by membership date
        out[household_id] = (
            Facts(
                period=month,
                members=tuple(
                    member_from(
                        person,
                        relationship,
                        is_applicant=index == 0,
                        incomes=incomes.get(person.pk, ()),
                        flags=member_flags(person) if member_flags else (),
                    )
                    for index, (person, relationship) in enumerate(members)
                ),
                application_on=month,
            ),
            [person.pk for person, _relationship in members],
        )
    return out
