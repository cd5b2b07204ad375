"""Set-based evaluation: the engine's facts for many grants (or households) of one month in a few queries,
evaluated in bulk (in worker processes where it pays), outcomes stored compactly (a trace template once,
values per row) with bulk inserts or PostgreSQL COPY; never one query per household.

The facts are those `selectors.facts_for_application` builds for one application (composition from the
dated memberships, birth dates, disability and employment from the registry, declared incomes and member
facts from the application), with one difference for a recalculation: when incomes were declared for a month
after the application's reference month (a reported change of income), the reference moves to the latest
such month before the month recalculated (`application_on` becomes the first day of the month after it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Q

from socius.benefits.models import (
    Application,
    ApplicationMember,
    IncomeDeclaration,
)
from socius.benefits.models_recalculation import EvaluationResult, TraceTemplate
from socius.benefits.selectors import _DISABLED, _ROLES, month_start
from socius.registry.models import EmploymentStatus, Membership, Person
from socius.rulebook.engine import benefits as engine
from socius.rulebook.engine.benefits import Facts, IncomeRecord, Member

UNEMPLOYED = (EmploymentStatus.UNEMPLOYED_REGISTERED, EmploymentStatus.UNEMPLOYED_UNREGISTERED)

# --- facts for many grants ------------------------------------------------------------------------------


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
    """A registry person as the engine counts them (the same mapping as selectors.facts_for_application)."""
    return Member(
        role="applicant" if is_applicant else _ROLES.get(relationship, "other"),
        birth_date=person.birth_date,
        incomes=tuple(incomes),
        unable_to_work=unable_to_work or person.employment_status == EmploymentStatus.UNABLE,
        unemployed=person.employment_status in UNEMPLOYED,
        disabled=person.disability_degree in _DISABLED,
        benefit_months_received=benefit_months_received,
        flags=frozenset(
            [*flags] + (["registered_unemployed"] if person.employment_status == "unemployed_registered" else [])
        ),
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
                    benefit_months_received=more.benefit_months_received if more else 0,
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


# --- compact outcomes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Compact:
    """An outcome reduced to what varies per row, with the digest of its trace's shape."""

    eligible: bool
    amount: Decimal
    minimum: Decimal | None
    maximum: Decimal | None
    reasons: tuple[str, ...]
    template_key: str
    values: tuple[str, ...]


def trace_shape(outcome: engine.Outcome) -> dict:
    """The template of an outcome's trace: everything but the values (the same for every row of a shape)."""
    return {
        "benefit": outcome.benefit,
        "formula_version": outcome.version.isoformat(),
        "rules_version": outcome.rules_version,
        "steps": [
            {
                "code": step.code,
                "unit": step.unit,
                "parameter": step.parameter or None,
                "valid_from": step.valid_from.isoformat() if step.valid_from else None,
                "legal_basis": step.legal_basis,
                "source": step.source,
                "confirmed": step.confirmed,
            }
            for step in outcome.trace
        ],
    }


class Compactor:
    """Turns outcomes into `Compact` rows, computing each distinct shape's digest once (cached by the
    tuple of step codes and parameter dates, which determine the rest for one rules version)."""

    def __init__(self):
        self.shapes: dict[str, dict] = {}
        self._keys: dict[tuple, str] = {}

    def __call__(self, outcome: engine.Outcome) -> Compact:
        fingerprint = (
            outcome.benefit,
            outcome.version,
            outcome.rules_version,
            tuple((s.code, s.parameter, s.valid_from, s.unit, s.legal_basis) for s in outcome.trace),
        )
        key = self._keys.get(fingerprint)
        if key is None:
            shape = trace_shape(outcome)
            key = hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()
            self._keys[fingerprint] = key
            self.shapes[key] = shape
        return Compact(
            eligible=outcome.eligible,
            amount=outcome.amount,
            minimum=outcome.minimum,
            maximum=outcome.maximum,
            reasons=tuple(reason.code for reason in outcome.reasons),
            template_key=key,
            values=outcome.trace_values,
        )


def save_templates(shapes: dict[str, dict]) -> dict[str, int]:
    """{key: template id}, inserting the shapes not stored yet (two queries)."""
    if not shapes:
        return {}
    known = dict(TraceTemplate.objects.filter(key__in=list(shapes)).values_list("key", "pk"))
    missing = [
        TraceTemplate(
            key=key,
            benefit=shape["benefit"],
            formula_version=dt.date.fromisoformat(shape["formula_version"]),
            rules_version=shape["rules_version"],
            steps=shape["steps"],
        )
        for key, shape in shapes.items()
        if key not in known
    ]
    if missing:
        TraceTemplate.objects.bulk_create(missing, ignore_conflicts=True)
        known = dict(TraceTemplate.objects.filter(key__in=list(shapes)).values_list("key", "pk"))
    return known


def expanded_trace(template: TraceTemplate, values: Sequence[str]) -> list[dict]:
    """The stored trace again (the shape of services.stored_trace) from a template and a row's values."""
    return [{**step, "value": value} for step, value in zip(template.steps, values, strict=True)]


# --- evaluation in bulk ----------------------------------------------------------------------------------


def _evaluate_chunk(items: Sequence[tuple[str, Facts]]) -> tuple[list[Compact | str], dict[str, dict]]:
    compactor = Compactor()
    out: list[Compact | str] = []
    for code, facts in items:
        try:
            out.append(compactor(engine.evaluate(code, facts)))
        except (engine.BenefitError, LookupError, ValueError) as exc:  # a rule that cannot be applied: reported
            out.append(f"{type(exc).__name__}: {exc}")
    return out, compactor.shapes


def evaluate_many(
    items: Sequence[tuple[str, Facts]], *, workers: int = 1, chunk: int = 20_000
) -> tuple[list[Compact | str], dict[str, dict]]:
    """Evaluate every (benefit, facts), in order: a `Compact` per item, or the error's text where the rules
    cannot be applied; and the trace shapes seen. `workers` > 1 forks that many processes (the packs are
    already loaded in the parent) for large inputs, where the fork pays for itself."""
    if workers <= 1 or len(items) < 2 * chunk:
        return _evaluate_chunk(items)
    import multiprocessing

    context = multiprocessing.get_context("fork")
    parts = [items[i : i + chunk] for i in range(0, len(items), chunk)]
    results: list[Compact | str] = []
    shapes: dict[str, dict] = {}
    with context.Pool(workers) as pool:
        for part_results, part_shapes in pool.imap(_evaluate_chunk, parts):
            results.extend(part_results)
            shapes.update(part_shapes)
    return results, shapes


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


# --- writing results -------------------------------------------------------------------------------------

RESULT_COLUMNS = (
    "centre_id",
    "household_id",
    "decision_id",
    "benefit",
    "period",
    "eligible",
    "amount",
    "minimum",
    "maximum",
    "reasons",
    "template_id",
    "trace_values",
    "evaluated_at",
)


def store_results(
    rows: Iterable[tuple[int, int | None, int | None, str, dt.date, Compact]],
    templates: dict[str, int],
    *,
    at: dt.datetime,
) -> int:
    """Insert (centre, household, decision, benefit, period, compact) rows as EvaluationResult: COPY on
    PostgreSQL, bulk_create elsewhere. Returns the number written."""
    if connection.vendor == "postgresql":
        count = 0
        with connection.cursor() as cursor:
            columns = ", ".join(RESULT_COLUMNS)
            with cursor.copy(f"COPY {EvaluationResult._meta.db_table} ({columns}) FROM STDIN") as copy:
                for centre_id, household_id, decision_id, benefit, period, c in rows:
                    copy.write_row(
                        (
                            centre_id,
                            household_id,
                            decision_id,
                            benefit,
                            period,
                            c.eligible,
                            c.amount,
                            c.minimum,
                            c.maximum,
                            json.dumps(list(c.reasons)),
                            templates[c.template_key],
                            json.dumps(list(c.values)),
                            at,
                        )
                    )
                    count += 1
        return count
    objects = [
        EvaluationResult(
            centre_id=centre_id,
            household_id=household_id,
            decision_id=decision_id,
            benefit=benefit,
            period=period,
            eligible=c.eligible,
            amount=c.amount,
            minimum=c.minimum,
            maximum=c.maximum,
            reasons=list(c.reasons),
            template_id=templates[c.template_key],
            trace_values=list(c.values),
            evaluated_at=at,
        )
        for centre_id, household_id, decision_id, benefit, period, c in rows
    ]
    EvaluationResult.objects.bulk_create(objects, batch_size=2000)
    return len(objects)


__all__ = [
    "Compact",
    "Compactor",
    "evaluate_many",
    "expanded_trace",
    "facts_for_applications",
    "facts_for_households",
    "member_from",
    "reference_on",
    "save_templates",
    "store_results",
    "trace_shape",
]
