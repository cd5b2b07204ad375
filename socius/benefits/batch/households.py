"""Registry households evaluated in ranges, set-based: one query a range for the members on the month's first
day with their persons and their incomes (aggregated per person by the server), evaluated with the engine's
batch trace (`engine.evaluate_values`), written with one COPY of text lines.

The facts are those of `facts.facts_for_households` (the head first as the applicant, then the members by
membership date; the mapping of `selectors.registry_member`), and the outcomes those of `engine.evaluate`:
the first outcome of every trace shape is evaluated again with the full trace, which builds the shape's
template and is checked against the batch figures (`ShapeMismatch` when they differ).

`incomes_sql` names the incomes: a table, a view or a parenthesised query with the columns
`person_id, month, kind, amount` (monthly net amounts; a month's first day). It is SQL written by the caller
(code, never a user's input). PostgreSQL only (array_agg, COPY); elsewhere `facts_for_households` and
`store.store_results` do the same in more Python.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction

from socius.benefits.batch.compact import Compactor
from socius.benefits.batch.facts import PersonRow
from socius.benefits.batch.store import RESULT_COLUMNS
from socius.benefits.models_recalculation import EvaluationResult
from socius.benefits.selectors import month_start, registry_member
from socius.rulebook.engine import benefits as engine
from socius.rulebook.engine.benefits import Facts, IncomeRecord, Member

MEMBERS_SQL = """
SELECT m.household_id, m.person_id, m.relationship, p.birth_date, p.employment_status, p.disability_degree,
       i.months, i.kinds, i.amounts
FROM registry_membership m
JOIN registry_household h ON h.id = m.household_id
JOIN registry_person p ON p.id = m.person_id
LEFT JOIN LATERAL (
    SELECT array_agg(x.month) AS months, array_agg(x.kind) AS kinds, array_agg(x.amount) AS amounts
    FROM {incomes} x WHERE x.person_id = m.person_id
) i ON true
WHERE h.centre_id = %(centre)s AND h.id >= %(lo)s AND h.id < %(hi)s
  AND m.household_id >= %(lo)s AND m.household_id < %(hi)s
  AND m.valid_from <= %(month)s AND (m.valid_until IS NULL OR m.valid_until > %(month)s)
ORDER BY m.household_id, m.relationship <> 'head', m.valid_from, m.id
"""


NULL = "\\N"  # COPY's text format


class ShapeMismatch(AssertionError):
    """The batch trace and the full trace of one outcome differ: a formula records a step the two traces
    read differently. Nothing of the range is written."""


_new = object.__new__


@contextlib.contextmanager
def gc_paused():
    """The cyclic garbage collector paused while a range's objects are built and evaluated: they hold no
    cycles, and each of the collector's full passes walks every live object, which with a range's
    hundreds of thousands of facts costs more than building them (about 50 against 14 µs a household)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@gc_paused()
def household_facts(
    centre_id: int,
    lo: int,
    hi: int,
    month: dt.date,
    *,
    incomes_sql: str | None = None,
    member_flags: Callable[[PersonRow], Iterable[str]] | None = None,
) -> list[tuple[int, Facts]]:
    """[(household, facts)] of the centre's households with ids in [lo, hi) that have members on the month's
    first day, in id order, in one query. Each member's incomes come in the order the server reads them: the
    formulas sum them, so their order does not change an outcome.

    A member is mapped by `selectors.registry_member` once per distinct (relationship, place, employment,
    disability, flags), the birth date and the incomes set per person; the engine's frozen dataclasses are
    built from their complete fields without their `__init__` (which sets each field through
    `object.__setattr__` and costs several times more), equal to what their constructors give."""
    month = month_start(month)
    sql = MEMBERS_SQL.format(incomes=incomes_sql or "(SELECT NULL::bigint AS person_id, NULL::date AS month, "
                             "NULL::text AS kind, NULL::numeric AS amount WHERE false)")  # fmt: skip
    with transaction.atomic(), connection.cursor() as cursor:
        # One range is small for the server: compiling it (JIT) or starting parallel workers costs more than
        # it saves, and the batch already runs in as many processes as there are cores.
        cursor.execute("SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0")
        cursor.execute(sql, {"centre": centre_id, "lo": lo, "hi": hi, "month": month})
        rows = cursor.fetchall()
    out: list[tuple[int, Facts]] = []
    current = None
    members: list = []
    mapped: dict[tuple, dict] = {}
    facts_fields = {f.name: f.default for f in dataclasses.fields(Facts) if f.name != "members"}
    facts_fields.update(period=month, application_on=month)
    new, zero = _new, Decimal("0")
    for household_id, person_id, relationship, birth_date, employment, disability, months, kinds, amounts in rows:
        if household_id != current:
            if members:
                facts = new(Facts)
                facts.__dict__.update(facts_fields, members=tuple(members))
                out.append((current, facts))
            current, members = household_id, []
        flags = tuple(member_flags(PersonRow(person_id, birth_date, employment, disability))) if member_flags else ()
        key = (relationship, not members, employment, disability, flags)
        fields = mapped.get(key)
        if fields is None:
            # The birth date passes through the mapping unchanged: mapped once per the rest, then set per person.
            fields = mapped[key] = registry_member(
                relationship,
                is_applicant=not members,
                birth_date=None,
                employment_status=employment,
                disability_degree=disability,
                flags=flags,
            ).__dict__
        incomes = ()
        if months:
            incomes = []
            for m, k, a in zip(months, kinds, amounts, strict=True):
                record = new(IncomeRecord)
                record.__dict__.update(kind=k, amount=a, month=m, deductions=zero, one_off=False, covers_months=1)
                incomes.append(record)
            incomes = tuple(incomes)
        member = new(Member)
        member.__dict__.update(fields, birth_date=birth_date, incomes=incomes)
        members.append(member)
    if members:
        facts = new(Facts)
        facts.__dict__.update(facts_fields, members=tuple(members))
        out.append((current, facts))
    return out


@dataclass
class RangeResult:
    """What one range produced: counts, sums and the text lines of its results."""

    households: int = 0
    eligible: int = 0
    amount: Decimal = Decimal("0")
    errors: list[tuple[int, str]] = field(default_factory=list)
    written: int = 0


class ValuesCompactor(Compactor):
    """`Compactor` for `engine.evaluate_values`: the template key of a batch shape, built from the full trace
    (`engine.evaluate`) the first time the shape is seen, and that outcome checked against the batch's."""

    def __init__(self):
        super().__init__()
        self._by_shape: dict[tuple, str] = {}

    def key_of(self, code: str, facts: Facts, outcome: engine.ValuesOutcome) -> str:
        fingerprint = (outcome.benefit, outcome.version, outcome.rules_version, outcome.shape)
        key = self._by_shape.get(fingerprint)
        if key is None:
            full = self(engine.evaluate(code, facts))
            batch = (
                outcome.eligible,
                outcome.amount,
                outcome.minimum,
                outcome.maximum,
                outcome.reasons,
                outcome.trace_values,
            )
            if (full.eligible, full.amount, full.minimum, full.maximum, full.reasons, full.values) != batch:
                raise ShapeMismatch(f"{code}: the batch outcome {batch!r} differs from the full one {full!r}")
            key = self._by_shape[fingerprint] = full.template_key
        return key


def _copy_text(value: str) -> str:
    """A value for COPY's text format (JSON escapes a backslash, tab or newline inside its strings with one
    backslash, which COPY would read as its own escape)."""
    return value.replace("\\", "\\\\") if "\\" in value else value


@gc_paused()
def evaluate_range(
    centre_id: int,
    benefit: str,
    facts: Sequence[tuple[int, Facts]],
    compactor: ValuesCompactor,
) -> tuple[RangeResult, list[tuple[int, str, engine.ValuesOutcome]]]:
    """Evaluate each household's facts; errors (rules that cannot be applied) are counted, not raised."""
    result = RangeResult(households=len(facts))
    evaluated = []
    evaluate = engine.evaluate_values
    key_of = compactor.key_of
    for household_id, one in facts:
        try:
            outcome = evaluate(benefit, one)
            key = key_of(benefit, one, outcome)
        except (engine.BenefitError, LookupError, ValueError) as exc:
            result.errors.append((household_id, f"{type(exc).__name__}: {exc}"))
            continue
        if outcome.eligible:
            result.eligible += 1
            result.amount += outcome.amount
        evaluated.append((household_id, key, outcome))
    return result, evaluated


@gc_paused()
def copy_results(
    centre_id: int,
    benefit: str,
    month: dt.date,
    evaluated: Iterable[tuple[int, str, engine.ValuesOutcome]],
    templates: dict[str, int],
    *,
    at: dt.datetime,
    block: int = 1 << 20,
) -> int:
    """COPY the outcomes into EvaluationResult as text lines, written in blocks of about `block` characters."""
    head = f"{centre_id}\t"
    middle = f"\t\\N\t{benefit}\t{month.isoformat()}\t"
    tail = f"\t{at.isoformat()}\n"
    reasons_json: dict[tuple, str] = {}
    dumps = json.dumps
    plain = engine.plain_value
    count = 0
    columns = ", ".join(RESULT_COLUMNS)
    copy_sql = f"COPY {EvaluationResult._meta.db_table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(copy_sql) as copy:
        lines: list[str] = []
        size = 0
        for household_id, key, outcome in evaluated:
            reasons = reasons_json.get(outcome.reasons)
            if reasons is None:
                reasons = reasons_json[outcome.reasons] = _copy_text(dumps(list(outcome.reasons)))
            values = _copy_text(dumps([plain(value) for value in outcome.values], ensure_ascii=False))
            line = (
                f"{head}{household_id}{middle}{'t' if outcome.eligible else 'f'}\t{outcome.amount}\t"
                f"{NULL if outcome.minimum is None else outcome.minimum}\t"
                f"{NULL if outcome.maximum is None else outcome.maximum}\t"
                f"{reasons}\t{templates[key]}\t{values}{tail}"
            )
            lines.append(line)
            size += len(line)
            count += 1
            if size >= block:
                copy.write("".join(lines))
                lines, size = [], 0
        if lines:
            copy.write("".join(lines))
    return count


__all__ = ["RangeResult", "ShapeMismatch", "ValuesCompactor", "copy_results", "evaluate_range", "household_facts"]
