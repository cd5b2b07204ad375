"""Monthly statements of social services (decision 0016): what each client received in a month, what it cost
and the co-payment due, one statement per client and month.

Generation is set-based: one aggregate query groups the month's deliveries by decision and price period (the
month cut where any of the centre's `ServiceOffer` prices changes, so no join is needed), one query reads those
decisions, one the co-payment assessments in force, one the statements already there; the statements are then
written in bulk (COPY on PostgreSQL). The cost of
a decision's month is Σ units × unit cost over its price periods (rounded by the pack's rule); the co-payment
due is copay's `copayment_due` applied to that cost with the stored `CopaymentAssessment` fields in force on
the last day of the month (a reassessment counts from the month it takes effect). A missed visit is counted
but costs nothing.

Regenerating replaces the month's DRAFT statements and never touches ISSUED ones: a mistake in an issued
statement is corrected by `correct_statement`, which cancels it and generates its replacement (a new draft
that names the statement it `replaces`).

Numbers: `S/<year>/<month>/<seq>` per centre. The payment reference (`payment_reference`) is structured so
the payments issue's bank statement import can match a client's transfer to the statement: the centre's code,
the month, the sequence and an ISO 7064 mod 97-10 check (`<CODE>-<YYYYMM>-<SEQ>-<CC>`, at most 35 characters
as a SEPA remittance reference).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Case, Count, IntegerField, Min, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from socius.accounts.audit import record_event
from socius.accounts.models import AuditAction, Centre, User
from socius.common.errors import Forbidden, NotFound, ValidationFailed
from socius.rulebook import get_jurisdiction
from socius.services.errors import InvalidServiceTransition, ServiceNotOffered
from socius.services.models import CopaymentAssessment, Delivery, MonthlyStatement, ServiceDecision, ServiceOffer
from socius.services.permissions import can_issue_statements, can_view_statements
from socius.services.statuses import STATEMENT_TRANSITIONS, DeliveryOutcome, StatementStatus

ZERO = Decimal("0")
CENT = Decimal("0.01")  # units are kept with two decimals (as the columns), whatever the database sums them as
STATEMENT = "service_statement"  # audit object types
STATEMENTS_OF_MONTH = "service_statements"
NUMBER_PREFIX = "S"
COPY_FROM = 50  # statements written with COPY on PostgreSQL from this many on


def _copayment_due_stand_in(fields, cost: Decimal, income: Decimal, *, country: str | None = None) -> Decimal:
    """The rule of copay's `copayment_due` (SPEC): nothing when free, else cost × share / 100, at most
    income × cap / 100 where the rule sets a cap; rounded by the pack's rule; never negative."""
    get = fields.get if isinstance(fields, dict) else lambda key: getattr(fields, key)
    if get("free"):
        return ZERO
    due = Decimal(cost) * Decimal(get("share_of_cost_percent")) / 100
    cap = get("income_cap_percent")
    if cap is not None:
        due = min(due, Decimal(income) * Decimal(cap) / 100)
    due = max(due, ZERO)
    return get_jurisdiction(country).round_money(due) if country else due.quantize(Decimal("0.01"))


try:  # copay's rulebook function; the stand-in above until that branch is merged
    from socius.rulebook import copayment_due  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - depends on the merge order
    copayment_due = _copayment_due_stand_in


# --- input ---------------------------------------------------------------------------------------------


def month_start(value) -> dt.date:
    """The first day of the month of a date (or of "YYYY-MM"); ValidationFailed naming `month` otherwise."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value if len(value) > 7 else f"{value}-01")
        except ValueError:
            value = None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationFailed({"month": [_("Enter a month (YYYY-MM).")]})
    return value.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _centre_of(actor: User, centre) -> Centre:
    pk = getattr(centre, "pk", centre)
    if not actor.centre_id or str(pk) != str(actor.centre_id):
        raise NotFound()
    if not can_issue_statements(actor):
        raise Forbidden()
    return Centre.objects.select_for_update().get(pk=actor.centre_id)  # one generation per centre at a time


def _locked_statement(actor: User, statement) -> MonthlyStatement:
    pk = getattr(statement, "pk", statement)
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not actor.centre_id:
        raise NotFound()
    found = list(MonthlyStatement.objects.select_for_update().filter(pk=pk, centre_id=actor.centre_id))
    if not found:
        raise NotFound()
    if not can_issue_statements(actor):
        if can_view_statements(actor):
            raise Forbidden()
        raise NotFound()
    return found[0]


def _move(statement: MonthlyStatement, to: str) -> None:
    if to not in STATEMENT_TRANSITIONS[statement.status]:
        raise InvalidServiceTransition(statement, statement.status, to, dict(StatementStatus.choices))


# --- computing a month -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PricePeriod:
    service_code: str
    starts: dt.date
    ends: dt.date  # exclusive
    unit_cost: Decimal | None  # None: not offered (no price) in that period


def price_periods(centre_id: int, month: dt.date) -> list[PricePeriod]:
    """The centre's prices in force during the month, per service, split where a new price starts (one
    query). A stretch before the first price, or under an offer withdrawn, has no price."""
    end = next_month(month)
    offers = ServiceOffer.objects.filter(centre_id=centre_id, valid_from__lt=end).order_by("service_code", "valid_from")
    by_service: dict[str, list[ServiceOffer]] = defaultdict(list)
    for offer in offers:
        by_service[offer.service_code].append(offer)
    periods = []
    for code, rows in by_service.items():
        if rows[0].valid_from > month:
            periods.append(PricePeriod(code, month, rows[0].valid_from, None))
        for offer, following in zip(rows, [*rows[1:], None], strict=True):
            starts = max(offer.valid_from, month)
            ends = following.valid_from if following else end
            if ends <= month or starts >= ends:
                continue
            periods.append(PricePeriod(code, starts, ends, offer.unit_cost if offer.is_active else None))
    return periods


@dataclass
class ClientMonth:
    person_id: int
    lines: list[dict] = field(default_factory=list)
    total_units: Decimal = ZERO
    total_cost: Decimal = ZERO
    total_due: Decimal = ZERO


def _money(value: Decimal) -> str:
    return str(value)


def compute_month(centre: Centre, month: dt.date, *, person_ids=None) -> dict[int, ClientMonth]:
    """Each client's month from the deliveries (3 queries whatever the number of clients): lines per decision
    with their price periods, the cost, the co-payment in force and what is due. ServiceNotOffered when units
    were delivered on a day the centre had no price for the service (nothing is written)."""
    jurisdiction = get_jurisdiction(centre.jurisdiction)
    end = next_month(month)
    periods = price_periods(centre.pk, month)
    # The days where some price changes cut the month into buckets; each bucket lies within one price period of
    # every service, so the deliveries are grouped by decision and bucket without joining their decisions.
    bounds = sorted({p.starts for p in periods} | {p.ends for p in periods} - {month, end})
    starts = [month, *bounds]
    bucket = (
        Case(*[When(date__lt=b, then=Value(i)) for i, b in enumerate(bounds)], default=Value(len(bounds)),
             output_field=IntegerField())
        if bounds else Value(0, output_field=IntegerField())
    )  # fmt: skip
    deliveries = Delivery.objects.filter(centre_id=centre.pk, date__gte=month, date__lt=end)
    if person_ids is not None:
        deliveries = deliveries.filter(decision__person_id__in=list(person_ids))
    delivered = Q(outcome=DeliveryOutcome.DELIVERED)
    rows = list(
        deliveries.annotate(bucket=bucket)
        .values("decision_id", "bucket")
        .annotate(
            units=Sum("units", filter=delivered),
            delivered=Count("id", filter=delivered),
            missed=Count("id", filter=Q(outcome=DeliveryOutcome.MISSED)),
            first_day=Min("date", filter=delivered),
        )
        .order_by()
    )
    decisions = {
        d["pk"]: d
        for d in ServiceDecision.objects.filter(pk__in={r["decision_id"] for r in rows}).values(
            "pk", "person_id", "service_code", "unit", "number"
        )
    }
    by_service: dict[str, list[tuple[int, PricePeriod]]] = defaultdict(list)
    for i, p in enumerate(periods):
        by_service[p.service_code].append((i, p))

    def period_of(service_code: str, day: dt.date) -> tuple[int, PricePeriod | None]:
        return next(((i, p) for i, p in by_service.get(service_code, ()) if p.starts <= day < p.ends), (-1, None))

    lines: dict[int, dict] = {}
    costs: dict[tuple[int, int], list] = {}
    for row in rows:
        decision = decisions[row["decision_id"]]
        units = row["units"] or ZERO
        index, price = period_of(decision["service_code"], starts[row["bucket"]])
        if units and (price is None or price.unit_cost is None):
            raise ServiceNotOffered(decision["service_code"], on=row["first_day"])
        line = lines.setdefault(
            row["decision_id"],
            {
                "decision_id": row["decision_id"],
                "decision_number": decision["number"],
                "person_id": decision["person_id"],
                "service_code": decision["service_code"],
                "unit": decision["unit"],
                "units": ZERO,
                "delivered": 0,
                "missed": 0,
                "periods": [],
                "cost": ZERO,
            },
        )
        line["delivered"] += row["delivered"]
        line["missed"] += row["missed"]
        if units:
            line["units"] += units
            line["cost"] += units * price.unit_cost
            period_units = costs.setdefault((row["decision_id"], index), [price, ZERO])
            period_units[1] += units
    for (decision_id, _index), (price, units) in sorted(costs.items(), key=lambda kv: (kv[0][0], kv[1][0].starts)):
        lines[decision_id]["periods"].append(
            {
                "from": price.starts.isoformat(),
                "until": (price.ends - dt.timedelta(days=1)).isoformat(),
                "units": str(units.quantize(CENT)),
                "unit_cost": str(price.unit_cost),
                "cost": str(jurisdiction.round_money(units * price.unit_cost)),
            }
        )
    in_force = _copayments_in_force(lines.keys(), end - dt.timedelta(days=1))
    clients: dict[int, ClientMonth] = {}
    for decision_id in sorted(lines):
        line = lines[decision_id]
        cost = jurisdiction.round_money(line["cost"])
        assessment = in_force.get(decision_id)
        if assessment is None:
            due, copayment = ZERO, None
        else:
            due = copayment_due(assessment, cost, assessment.income, country=centre.jurisdiction)
            copayment = {
                "valid_from": assessment.valid_from.isoformat(),
                "free": assessment.free,
                "share_of_cost_percent": str(assessment.share_of_cost_percent),
                "income_cap_percent": (
                    None if assessment.income_cap_percent is None else str(assessment.income_cap_percent)
                ),
                "income": str(assessment.income),
            }
        client = clients.setdefault(line["person_id"], ClientMonth(line["person_id"]))
        client.total_units += line["units"]
        client.total_cost += cost
        client.total_due += due
        client.lines.append(
            {
                **{k: v for k, v in line.items() if k != "person_id"},
                "units": str(line["units"].quantize(CENT)),
                "cost": str(cost),
                "copayment": copayment,
                "due": str(due),
            }
        )
    return clients


def _copayments_in_force(decision_ids, day: dt.date) -> dict[int, CopaymentAssessment]:
    """The newest assessment of each decision valid on the day (one query)."""
    ids = list(decision_ids)
    if not ids:
        return {}
    found: dict[int, CopaymentAssessment] = {}
    for assessment in (
        CopaymentAssessment.objects.filter(decision_id__in=ids, valid_from__lte=day)
        .only("decision_id", "valid_from", "income", "free", "share_of_cost_percent", "income_cap_percent")
        .order_by("decision_id", "-valid_from", "-id")
    ):
        found.setdefault(assessment.decision_id, assessment)
    return found


# --- numbers and references ------------------------------------------------------------------------------


def _check_digits(text: str) -> str:
    """ISO 7064 mod 97-10 check digits of a reference (letters as in IBAN: A=10 … Z=35)."""
    digits = "".join(str(int(c, 36)) for c in text if c.isalnum())
    return f"{98 - (int(digits + '00') % 97):02d}"


def payment_reference(centre: Centre, month: dt.date, seq: int) -> str:
    code = "".join(c for c in centre.code.upper() if c.isalnum())[:16] or str(centre.pk)
    body = f"{code}-{month:%Y%m}-{seq:05d}"
    return f"{body}-{_check_digits(body)}"


def reference_is_valid(reference: str) -> bool:
    """Whether a reference a client wrote carries its right check digits (for the payments' import)."""
    body, _sep, check = (reference or "").strip().upper().rpartition("-")
    return bool(body) and check.isdigit() and _check_digits(body) == check


def _number(month: dt.date, seq: int) -> str:
    return f"{NUMBER_PREFIX}/{month:%Y}/{month:%m}/{seq:04d}"


def _last_seq(centre_id: int, month: dt.date) -> int:
    prefix = f"{NUMBER_PREFIX}/{month:%Y}/{month:%m}/"
    numbers = MonthlyStatement.objects.filter(centre_id=centre_id, number__startswith=prefix).values_list(
        "number", flat=True
    )
    return max((int(n.rsplit("/", 1)[1]) for n in numbers if n.rsplit("/", 1)[1].isdigit()), default=0)


# --- writes ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GenerationResult:
    month: dt.date
    created: int
    replaced: int
    removed: int
    issued_untouched: int
    person_ids: tuple[int, ...]


@transaction.atomic
def generate_statements(actor: User, centre, month, *, on: dt.date) -> GenerationResult:
    """The month's statements of every client who received (or missed) a service: new drafts created, the
    month's drafts replaced by what the deliveries say now (keeping their numbers), drafts of clients with no
    deliveries left removed; issued statements are not touched. Bulk writes, one audit event naming every
    client concerned."""
    month = month_start(month)
    centre = _centre_of(actor, centre)
    if month > on.replace(day=1):
        raise ValidationFailed({"month": [_("Statements are made for this month or a past one.")]})
    clients = compute_month(centre, month)
    return _write_month(actor, centre, month, clients, on=on)


def _write_month(actor, centre, month, clients: dict[int, ClientMonth], *, on, replaces=None, only=None):
    existing = MonthlyStatement.objects.filter(centre_id=centre.pk, month=month).exclude(
        status=StatementStatus.CANCELLED
    )
    if only is not None:
        existing = existing.filter(person_id__in=only)
    drafts, issued = {}, set()
    for statement in existing:
        if statement.status == StatementStatus.ISSUED:
            issued.add(statement.person_id)
        else:
            drafts[statement.person_id] = statement
    currency = get_jurisdiction(centre.jurisdiction).currency
    now = timezone.now()
    seq = _last_seq(centre.pk, month)
    to_create, to_update = [], []
    for person_id, client in clients.items():
        if person_id in issued:
            continue
        statement = drafts.pop(person_id, None)
        if statement is None:
            seq += 1
            statement = MonthlyStatement(
                centre_id=centre.pk,
                person_id=person_id,
                month=month,
                number=_number(month, seq),
                payment_reference=payment_reference(centre, month, seq),
                replaces=(replaces or {}).get(person_id),
            )
            to_create.append(statement)
        else:
            to_update.append(statement)
        statement.lines = client.lines
        statement.total_units = client.total_units
        statement.total_cost = client.total_cost
        statement.total_due = client.total_due
        statement.currency = currency
        statement.generated_at = now
    _insert(to_create)
    _update(to_update)
    removed = list(drafts.values())
    if removed:
        MonthlyStatement.objects.filter(pk__in=[s.pk for s in removed]).delete()
    concerned = sorted({s.person_id for s in (*to_create, *to_update, *removed)})
    result = GenerationResult(month, len(to_create), len(to_update), len(removed), len(issued), tuple(concerned))
    if concerned:
        record_event(
            actor,
            AuditAction.CREATE,
            object_type=STATEMENTS_OF_MONTH,
            object_id=None,
            centre_id=centre.pk,
            person_ids=concerned,
            changes={
                "month": [None, month.isoformat()],
                "created": [None, result.created],
                "replaced": [None, result.replaced],
                "removed": [None, result.removed],
            },
        )
    return result


def _insert(statements: list[MonthlyStatement]) -> None:
    """New statements: COPY on PostgreSQL (Django's bulk insert quotes every JSON line into an array: seconds for
    a month of 5,000 clients), bulk_create elsewhere. On PostgreSQL the objects get no pk (none is needed)."""
    if connection.vendor != "postgresql" or len(statements) < COPY_FROM:
        MonthlyStatement.objects.bulk_create(statements, batch_size=1000)
        return
    fields = [f for f in MonthlyStatement._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = MonthlyStatement._meta.db_table
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for statement in statements:
            copy.write_row([_db_value(f, statement) for f in fields])


def _db_value(field, statement):
    value = field.pre_save(statement, add=True)
    if field.attname == "lines":
        return json.dumps(value, cls=DjangoJSONEncoder)
    return field.get_db_prep_save(value, connection)


UPDATED = ("lines", "total_units", "total_cost", "total_due", "currency", "generated_at")


def _update(statements: list[MonthlyStatement]) -> None:
    """Drafts brought up to date: on PostgreSQL one UPDATE … FROM a temporary table filled by COPY; elsewhere
    bulk_update."""
    if connection.vendor != "postgresql" or len(statements) < COPY_FROM:
        MonthlyStatement.objects.bulk_update(statements, list(UPDATED), batch_size=500)
        return
    table = MonthlyStatement._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS svc_statement_change")
        cursor.execute(
            "CREATE TEMPORARY TABLE svc_statement_change (id bigint, lines jsonb, total_units numeric, "
            "total_cost numeric, total_due numeric, currency varchar(3), generated_at timestamptz) ON COMMIT DROP"
        )
        with cursor.cursor.copy("COPY svc_statement_change FROM STDIN") as copy:
            for s in statements:
                lines = json.dumps(s.lines, cls=DjangoJSONEncoder)
                copy.write_row((s.pk, lines, s.total_units, s.total_cost, s.total_due, s.currency, s.generated_at))
        cursor.execute(
            f"UPDATE {table} s SET lines = c.lines, total_units = c.total_units, total_cost = c.total_cost, "  # noqa: S608 - constants
            "total_due = c.total_due, currency = c.currency, generated_at = c.generated_at, updated_at = now() "
            "FROM svc_statement_change c WHERE s.id = c.id"
        )
        cursor.execute("DROP TABLE svc_statement_change")


@transaction.atomic
def issue_statement(actor: User, statement, *, on: dt.date) -> MonthlyStatement:
    """A draft statement issued to the client (its number and reference stay)."""
    statement = _locked_statement(actor, statement)
    _move(statement, StatementStatus.ISSUED)
    statement.status, statement.issued_by, statement.issued_on = StatementStatus.ISSUED, actor, on
    statement.save(update_fields=["status", "issued_by", "issued_on", "updated_at"])
    record_event(
        actor,
        AuditAction.UPDATE,
        object_type=STATEMENT,
        object_id=statement.pk,
        centre_id=statement.centre_id,
        person_id=statement.person_id,
        changes={"status": [StatementStatus.DRAFT, StatementStatus.ISSUED], "issued_on": [None, on.isoformat()]},
    )
    return statement


@transaction.atomic
def issue_statements(actor: User, centre, month, *, on: dt.date) -> int:
    """Every draft statement of the month issued at once (one update, one audit event naming the clients)."""
    month = month_start(month)
    centre = _centre_of(actor, centre)
    drafts = MonthlyStatement.objects.filter(centre_id=centre.pk, month=month, status=StatementStatus.DRAFT)
    persons = list(drafts.values_list("person_id", flat=True))
    if not persons:
        return 0
    count = drafts.update(status=StatementStatus.ISSUED, issued_by=actor, issued_on=on, updated_at=timezone.now())
    record_event(
        actor,
        AuditAction.UPDATE,
        object_type=STATEMENTS_OF_MONTH,
        object_id=None,
        centre_id=centre.pk,
        person_ids=persons,
        changes={
            "month": [None, month.isoformat()],
            "status": [StatementStatus.DRAFT, StatementStatus.ISSUED],
            "issued": [None, count],
        },
    )
    return count


@transaction.atomic
def cancel_statement(actor: User, statement, *, on: dt.date, reason: str = "") -> MonthlyStatement:
    """A draft or issued statement cancelled (an issued one needs the reason)."""
    statement = _locked_statement(actor, statement)
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    _move(statement, StatementStatus.CANCELLED)
    if statement.status == StatementStatus.ISSUED and not reason:
        raise ValidationFailed({"reason": [_("Say why an issued statement is cancelled.")]})
    _cancel(actor, statement, reason, on)
    return statement


def _cancel(actor, statement, reason, on):
    before = statement.status
    statement.status = StatementStatus.CANCELLED
    statement.save(update_fields=["status", "updated_at"])
    record_event(
        actor,
        AuditAction.UPDATE,
        object_type=STATEMENT,
        object_id=statement.pk,
        centre_id=statement.centre_id,
        person_id=statement.person_id,
        changes={"status": [before, StatementStatus.CANCELLED], "reason": ["", reason], "on": [None, on.isoformat()]},
    )


@transaction.atomic
def correct_statement(actor: User, statement, *, on: dt.date, reason: str) -> MonthlyStatement:
    """An issued statement corrected: cancelled, and its replacement generated from the deliveries as they
    are now — a new draft with a new number that names the statement it replaces. Refused (nothing written)
    for a statement that is not issued, or without a reason."""
    statement = _locked_statement(actor, statement)
    reason = reason.strip() if isinstance(reason, str) else ""
    if statement.status != StatementStatus.ISSUED:
        raise InvalidServiceTransition(
            statement, statement.status, StatementStatus.CANCELLED, dict(StatementStatus.choices)
        )
    if not reason:
        raise ValidationFailed({"reason": [_("Say what the correction is for.")]})
    centre = _centre_of(actor, statement.centre_id)
    clients = compute_month(centre, statement.month, person_ids=[statement.person_id])
    _cancel(actor, statement, reason, on)
    client = clients.get(statement.person_id) or ClientMonth(statement.person_id)
    _write_month(
        actor,
        centre,
        statement.month,
        {statement.person_id: client},
        on=on,
        replaces={statement.person_id: statement},
        only=[statement.person_id],
    )
    return MonthlyStatement.objects.get(replaces=statement)


# --- words ------------------------------------------------------------------------------------------------


def service_label(country: str, code: str, language: str | None = None) -> str:
    """The catalogue's name of a service in the reader's language (the pack's catalogue, copay); the code
    while that catalogue does not know it."""
    try:
        from socius.rulebook import service_definition  # type: ignore[attr-defined]

        definition = service_definition(country, code)
    except Exception:
        return code
    return definition.label_in(language) if language else definition.label
