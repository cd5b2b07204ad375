"""Funds, their allocations and amendments, which fund each benefit draws on, transfers to institutions, and
commitments: what an approved decision or transfer reserves on its fund, refused with nothing written when
the fund has too little (row locks on the funds, in id order). The fund statement reads here too.

The figures of a fund and year (decision 0014):
- allocation: the sum of its allocation rows (the initial allocation and its amendments);
- committed: the sum of its commitments (a commitment covers `month_from`..`month_to` when its amount is
  above zero; a commitment released whole keeps its row with amount 0);
- spent: the payments of approved runs (approved, exported, reconciled) not cancelled, returned or reissued;
- available: allocation − committed − the spending no commitment covers (a reissue in a month no longer
  committed, a payment of a decision approved before its benefit had a fund).

A fund is checked for a year up to the current year always, and for a later year once it has an allocation
for it: next year's budget is adopted in December or January, and a grant from November to April must not
wait for it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError

from socius.accounts.audit import record_event
from socius.accounts.models import AuditAction, User
from socius.accounts.roles import AUTHORISE_APPROVERS
from socius.benefits.models import Decision
from socius.benefits.selectors import month_start
from socius.benefits.statuses import DecisionKind, DecisionStatus, GrantState
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.payments.errors import BudgetExceeded, FourEyesPayments, FundNotOpen
from socius.payments.models import (
    BenefitFund,
    Commitment,
    Fund,
    FundAllocation,
    Payment,
    PaymentApprover,
    Transfer,
)
from socius.payments.permissions import (
    can_approve_payments,
    can_manage_funds,
    can_prepare_payments,
    reads_every_payment,
)
from socius.payments.statuses import (
    LOCKED_RUN_STATUSES,
    AllocationKind,
    FundKind,
    PaymentChannel,
    PaymentStatus,
    TransferStatus,
)
from socius.registry.models import Person
from socius.rulebook.engine.jurisdiction import get_jurisdiction

ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("999999999999.99")
# Payments that no longer spend: cancelled, returned by the bank, or returned and paid again by a reissue.
NOT_SPENDING = (PaymentStatus.CANCELLED, PaymentStatus.RETURNED, PaymentStatus.REISSUED)
COMMITTING_KINDS = frozenset({DecisionKind.GRANT, DecisionKind.AMENDMENT, DecisionKind.RESUMPTION})
STOPPING_KINDS = frozenset(
    {DecisionKind.AMENDMENT, DecisionKind.SUSPENSION, DecisionKind.REVOCATION, DecisionKind.ENDING}
)


# --- months ---------------------------------------------------------------------------------------------


def add_months(month: dt.date, count: int) -> dt.date:
    years, index = divmod(month.month - 1 + count, 12)
    return dt.date(month.year + years, index + 1, 1)


def months_in(first: dt.date, last: dt.date) -> int:
    """Months from `first` to `last` inclusive (0 when `last` is before `first`)."""
    return max(0, (last.year - first.year) * 12 + last.month - first.month + 1)


def year_spans(first: dt.date, last: dt.date) -> list[tuple[int, dt.date, dt.date]]:
    """(year, first month, last month) for each year from `first` to `last` (months, inclusive)."""
    return [
        (year, max(first, dt.date(year, 1, 1)), min(last, dt.date(year, 12, 1)))
        for year in range(first.year, last.year + 1)
    ]


def _today() -> dt.date:
    return timezone.localdate()


# --- small checks ---------------------------------------------------------------------------------------


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _money(value, field: str, errors: dict) -> Decimal | None:
    try:
        amount = Decimal(str(value).strip().replace(",", ".")) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        errors[field] = [_("Enter an amount, such as 1250.00.")]
        return None
    if amount != amount.quantize(Decimal("0.01")) or abs(amount) > MAX_AMOUNT:
        errors[field] = [_("Enter an amount with at most two decimals.")]
        return None
    return amount.quantize(Decimal("0.01"))


def _date(value, field: str, errors: dict, *, required: bool = True) -> dt.date | None:
    if value in (None, "") and not required:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        errors[field] = [_("Enter a date as YYYY-MM-DD.")]
        return None


def _iban(value, field: str, errors: dict, *, required: bool) -> str:
    compact = "".join(str(value or "").split()).upper()
    if not compact:
        if required:
            errors[field] = [_("Enter the account's IBAN.")]
        return ""
    try:
        return stdnum_iban.validate(compact)
    except StdnumError:
        errors[field] = [_("This is not a valid IBAN: check the country, the check digits and the length.")]
        return ""


def _currency_of_centre(actor: User) -> str:
    return get_jurisdiction(actor.centre.jurisdiction).currency


def _fund_in_centre(actor: User, fund_id, *, lock: bool = False) -> Fund:
    pk = _as_int(fund_id)
    queryset = Fund.objects.select_for_update() if lock else Fund.objects
    fund = queryset.filter(pk=pk, centre_id=actor.centre_id).first() if pk else None
    if fund is None:
        raise NotFound()
    return fund


def _audit(actor: User, action: str, object_type: str, record, changes: dict, person_id=None) -> None:
    record_event(
        actor,
        action,
        object_type=object_type,
        object_id=record.pk,
        centre_id=record.centre_id,
        person_id=person_id,
        changes=changes,
    )


def _require(allowed: bool) -> None:
    if not allowed:
        raise Forbidden()


# --- funds, allocations, benefits' funds ---------------------------------------------------------------


def list_funds_for(actor: User) -> QuerySet[Fund]:
    """The funds of the actor's centre, for finance, the director, auditors and authorised approvers."""
    _require(reads_every_payment(actor))
    return Fund.objects.filter(centre_id=actor.centre_id).order_by("code")


def get_fund_for(actor: User, fund_id) -> Fund:
    _require(reads_every_payment(actor))
    return _fund_in_centre(actor, fund_id)


def create_fund(actor: User, data: dict) -> Fund:
    """A fund of the actor's centre: `code`, `name`, `kind`, `currency` (the country's by default),
    optional `valid_from`/`valid_until` (a project), and the debtor account of its bank files
    (`debtor_name`, `debtor_iban`, `debtor_bic`). Finance or the director; audited."""
    _require(can_manage_funds(actor))
    errors: dict[str, list] = {}
    code = _text(data.get("code")).lower()
    if not code or len(code) > 40 or not all(c.isalnum() or c in "-_" for c in code):
        errors["code"] = [_("Enter a short code of letters, digits, hyphens or underscores.")]
    name = _text(data.get("name"))
    if not name or len(name) > 200:
        errors["name"] = [_("Enter the fund's name.")]
    kind = data.get("kind")
    if kind not in FundKind.values:
        errors["kind"] = [_("Choose the kind of fund.")]
    currency = (_text(data.get("currency")) or _currency_of_centre(actor)).upper()
    if len(currency) != 3 or not currency.isalpha():
        errors["currency"] = [_("Enter the currency as a three-letter code, such as PLN.")]
    valid_from = _date(data.get("valid_from"), "valid_from", errors, required=False)
    valid_until = _date(data.get("valid_until"), "valid_until", errors, required=False)
    if valid_from and valid_until and valid_until <= valid_from:
        errors["valid_until"] = [_("The end must come after the start.")]
    debtor_iban = _iban(data.get("debtor_iban"), "debtor_iban", errors, required=False)
    debtor_bic = _text(data.get("debtor_bic")).upper()
    if debtor_bic and len(debtor_bic) not in (8, 11):
        errors["debtor_bic"] = [_("A BIC has 8 or 11 characters.")]
    debtor_name = _text(data.get("debtor_name"))[:140] or actor.centre.name[:140]
    if code and Fund.objects.filter(centre_id=actor.centre_id, code=code).exists():
        errors["code"] = [_("The centre already has a fund with this code.")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        try:
            with transaction.atomic():
                fund = Fund.objects.create(
                    centre_id=actor.centre_id,
                    code=code,
                    name=name,
                    kind=kind,
                    currency=currency,
                    valid_from=valid_from,
                    valid_until=valid_until,
                    debtor_name=debtor_name,
                    debtor_iban=debtor_iban,
                    debtor_bic=debtor_bic,
                )
        except IntegrityError:
            raise ValidationFailed({"code": [_("The centre already has a fund with this code.")]}) from None
        _audit(
            actor,
            AuditAction.CREATE,
            "fund",
            fund,
            {"code": [None, code], "name": [None, name], "kind": [None, kind], "currency": [None, currency]},
        )
        return fund


UPDATABLE_FIELDS = ("name", "valid_from", "valid_until", "debtor_name", "debtor_iban", "debtor_bic", "is_active")


def update_fund(actor: User, fund_id, data: dict) -> Fund:
    """Change a fund's name, period, debtor account (the IBAN its bank files debit) or close it (`is_active`
    false: no new benefit or transfer draws on it). Only the keys given change; code, kind and currency never
    do. Finance or the director; audited with the values before and after."""
    _require(can_manage_funds(actor))
    with transaction.atomic():
        fund = _fund_in_centre(actor, fund_id, lock=True)
        errors: dict[str, list] = {}
        values: dict = {}
        if "name" in data:
            values["name"] = _text(data.get("name"))
            if not values["name"] or len(values["name"]) > 200:
                errors["name"] = [_("Enter the fund's name.")]
        for field in ("valid_from", "valid_until"):
            if field in data:
                values[field] = _date(data.get(field), field, errors, required=False)
        if "debtor_name" in data:
            values["debtor_name"] = _text(data.get("debtor_name"))[:140]
        if "debtor_iban" in data:
            values["debtor_iban"] = _iban(data.get("debtor_iban"), "debtor_iban", errors, required=False)
        if "debtor_bic" in data:
            values["debtor_bic"] = _text(data.get("debtor_bic")).upper()
            if values["debtor_bic"] and len(values["debtor_bic"]) not in (8, 11):
                errors["debtor_bic"] = [_("A BIC has 8 or 11 characters.")]
        if "is_active" in data:
            values["is_active"] = data.get("is_active") in (True, "true", "1", 1, "on")
        start = values.get("valid_from", fund.valid_from)
        end = values.get("valid_until", fund.valid_until)
        if start and end and end <= start and not errors:
            errors["valid_until"] = [_("The end must come after the start.")]
        if errors:
            raise ValidationFailed(errors)
        changes = {
            field: [_plain(getattr(fund, field)), _plain(value)]
            for field, value in values.items()
            if getattr(fund, field) != value
        }
        if not changes:
            return fund
        for field in changes:
            setattr(fund, field, values[field])
        fund.save(update_fields=list(changes))
        _audit(actor, AuditAction.UPDATE, "fund", fund, changes)
        return fund


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def allocate(actor: User, fund_id, data: dict) -> FundAllocation:
    """The fund's allocation for `year` (the first row) or an amendment to it (each later row, positive or
    negative, with a `reason`): the year's allocation is the sum of its rows, never edited. An amendment
    that would leave less than is already committed and spent is refused (BudgetExceeded). Audited."""
    _require(can_manage_funds(actor))
    errors: dict[str, list] = {}
    year = _as_int(data.get("year"))
    if year is None or not 2000 <= year <= 2100:
        errors["year"] = [_("Enter the year, such as 2026.")]
    amount = _money(data.get("amount"), "amount", errors)
    decided_on = _date(data.get("decided_on") or _today(), "decided_on", errors)
    reason = _text(data.get("reason"))[:300]
    with transaction.atomic():
        fund = _fund_in_centre(actor, fund_id, lock=True)
        if errors:
            raise ValidationFailed(errors)
        first = not FundAllocation.objects.filter(fund=fund, year=year).exists()
        kind = AllocationKind.INITIAL if first else AllocationKind.AMENDMENT
        if first and amount < 0:
            raise ValidationFailed({"amount": [_("An allocation cannot be negative.")]})
        if not first and amount == 0:
            raise ValidationFailed({"amount": [_("An amendment changes the allocation: enter a non-zero amount.")]})
        if not first and not reason:
            raise ValidationFailed({"reason": [_("Give the reason for the amendment (the resolution).")]})
        row = FundAllocation.objects.create(
            fund=fund, year=year, kind=kind, amount=amount, reason=reason, decided_on=decided_on, recorded_by=actor
        )
        if amount < 0:
            _check_available({(fund.pk, year): -amount}, {fund.pk: fund}, check_every_year=True)
        record_event(
            actor,
            AuditAction.CREATE,
            object_type="fund_allocation",
            object_id=row.pk,
            centre_id=fund.centre_id,
            changes={
                "fund": [None, fund.pk],
                "year": [None, year],
                "kind": [None, kind],
                "amount": [None, str(amount)],
            },
        )
        return row


def _benefit_currency(benefit: str) -> str | None:
    country = benefit.split(".", 1)[0].upper() if isinstance(benefit, str) and "." in benefit else ""
    try:
        return get_jurisdiction(country).currency
    except KeyError:
        return None


def _benefits_of(jurisdiction: str) -> set[str]:
    try:
        return {definition.code for definition in get_jurisdiction(jurisdiction).benefits()}
    except KeyError:
        return set()


def set_benefit_fund(actor: User, benefit: str, fund_id) -> BenefitFund:
    """The fund a benefit of the centre's pack draws on from now on (commitments already made stay on their
    fund). A fund in another currency than the benefit's decisions is refused. Audited."""
    _require(can_manage_funds(actor))
    benefit = _text(benefit)
    if benefit not in _benefits_of(actor.centre.jurisdiction):
        raise ValidationFailed({"benefit": [_("Choose a benefit of the centre's country.")]})
    with transaction.atomic():
        fund = _fund_in_centre(actor, fund_id)
        if not fund.is_active:
            raise ValidationFailed({"fund": [_("This fund is closed: choose an active fund.")]})
        currencies = {_benefit_currency(benefit)} | set(
            Decision.objects.filter(centre_id=actor.centre_id, benefit=benefit, status=DecisionStatus.APPROVED)
            .values_list("currency", flat=True)
            .distinct()
        )
        currencies.discard(None)
        if currencies - {fund.currency}:
            raise ValidationFailed(
                {
                    "fund": [
                        _(
                            "The benefit's decisions are in %(currency)s and the fund is in %(fund_currency)s: "
                            "choose a fund in %(currency)s."
                        )
                        % {"currency": ", ".join(sorted(currencies - {fund.currency})), "fund_currency": fund.currency}
                    ]
                }
            )
        row = BenefitFund.objects.select_for_update().filter(centre_id=actor.centre_id, benefit=benefit).first()
        before = row.fund_id if row else None
        if row is None:
            row = BenefitFund.objects.create(centre_id=actor.centre_id, benefit=benefit, fund=fund)
        elif row.fund_id != fund.pk:
            row.fund = fund
            row.save(update_fields=["fund"])
        if before != fund.pk:
            _audit(
                actor,
                AuditAction.CREATE if before is None else AuditAction.UPDATE,
                "benefit_fund",
                row,
                {"benefit": [None, benefit], "fund": [before, fund.pk]},
            )
        return row


def fund_for_benefit(centre_id: int, benefit: str) -> Fund | None:
    """The fund the benefit draws on in the centre, or None when none is set (nothing is committed)."""
    row = BenefitFund.objects.filter(centre_id=centre_id, benefit=benefit).select_related("fund").first()
    return row.fund if row else None


# --- locks and the budget check -------------------------------------------------------------------------


def lock_funds(fund_ids: Iterable[int]) -> dict[int, Fund]:
    """SELECT … FOR UPDATE the funds in id order (the one order every writer takes, so none deadlocks):
    whoever commits or spends on a fund waits for the others until their transaction ends. Call inside
    a transaction."""
    ids = sorted({int(pk) for pk in fund_ids if pk is not None})
    if not ids:
        return {}
    return {fund.pk: fund for fund in Fund.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


def check_fund_open(fund: Fund, first: dt.date, last: dt.date) -> None:
    """Refuse (FundNotOpen) a commitment of the months `first`..`last` on a fund that is not active, or whose
    period (`valid_from` inclusive, `valid_until` exclusive: a project's) does not hold them all."""
    if not fund.is_active:
        raise FundNotOpen(fund, first)
    if fund.valid_from and first < month_start(fund.valid_from):
        raise FundNotOpen(fund, first)
    if fund.valid_until and last >= fund.valid_until:
        raise FundNotOpen(fund, last)


def _uncovered(payments: QuerySet[Payment]) -> QuerySet[Payment]:
    """The payments that no commitment of their fund covers for their month: not their decision's, not their
    transfer's, not a resumption's of their decision. Three NOT EXISTS, each an anti-join PostgreSQL hashes or
    probes by index (one EXISTS with the three branches OR-ed compares every payment with every commitment of
    its fund: 42 s for 20,000 payments)."""

    def commitments():
        return Commitment.objects.filter(
            fund_id=OuterRef("fund_id"),
            amount__gt=0,
            month_from__lte=OuterRef("month"),
            month_to__gte=OuterRef("month"),
        )

    return (
        payments.filter(~Exists(commitments().filter(decision_id=OuterRef("decision_id"))))
        .filter(~Exists(commitments().filter(transfer_id=OuterRef("transfer_id"))))
        .filter(
            ~Exists(
                commitments().filter(
                    decision__changes_id=OuterRef("decision_id"), decision__kind=DecisionKind.RESUMPTION
                )
            )
        )
    )


def _spending(fund_ids, years) -> QuerySet[Payment]:
    return (
        Payment.objects.filter(
            fund_id__in=list(fund_ids),
            month__year__in=list(years),
            run__status__in=list(LOCKED_RUN_STATUSES),
        )
        .exclude(status__in=NOT_SPENDING)
        .order_by()
    )


def _figures(fund_years: set[tuple[int, int]]) -> dict[tuple[int, int], dict[str, Decimal]]:
    """Allocation, committed and uncommitted spending of each (fund, year): three grouped queries."""
    fund_ids = {f for f, _y in fund_years}
    years = {y for _f, y in fund_years}
    out = {key: {"allocation": ZERO, "committed": ZERO, "uncommitted": ZERO} for key in fund_years}
    for row in (
        FundAllocation.objects.filter(fund_id__in=fund_ids, year__in=years)
        .order_by()
        .values("fund_id", "year")
        .annotate(total=Sum("amount"))
    ):
        if (row["fund_id"], row["year"]) in out:
            out[(row["fund_id"], row["year"])]["allocation"] = row["total"]
    for row in (
        Commitment.objects.filter(fund_id__in=fund_ids, year__in=years)
        .order_by()
        .values("fund_id", "year")
        .annotate(total=Sum("amount"))
    ):
        if (row["fund_id"], row["year"]) in out:
            out[(row["fund_id"], row["year"])]["committed"] = row["total"]
    for row in _uncovered(_spending(fund_ids, years)).values("fund_id", "month__year").annotate(total=Sum("amount")):
        if (row["fund_id"], row["month__year"]) in out:
            out[(row["fund_id"], row["month__year"])]["uncommitted"] = row["total"]
    return out


def available(fund_id: int, year: int) -> Decimal:
    f = _figures({(fund_id, year)})[(fund_id, year)]
    return f["allocation"] - f["committed"] - f["uncommitted"]


def _check_available(
    increases: dict[tuple[int, int], Decimal],
    funds: dict[int, Fund],
    *,
    extra: dict[tuple[int, int], Decimal] | None = None,
    check_every_year: bool = False,
    current: int | None = None,
) -> None:
    """Raise BudgetExceeded for the first (fund, year) that took more (`increases` > 0, already written, or
    `extra`, not written) and is now below zero; the funds are locked by the caller."""
    extra = extra or {}
    keys = {k for k, v in increases.items() if v > 0} | {k for k, v in extra.items() if v > 0}
    if not keys:
        return
    current = current or _today().year
    allocated = set(
        FundAllocation.objects.filter(fund_id__in={f for f, _y in keys}, year__in={y for _f, y in keys})
        .order_by()
        .values_list("fund_id", "year")
        .distinct()
    )
    keys = {k for k in keys if check_every_year or k[1] <= current or k in allocated}
    if not keys:
        return
    for key, f in sorted(_figures(keys).items()):
        left = f["allocation"] - f["committed"] - f["uncommitted"] - extra.get(key, ZERO)
        if left < 0:
            fund = funds.get(key[0]) or Fund.objects.get(pk=key[0])
            raise BudgetExceeded(fund, key[1], -left, fund.currency)


def check_spending(centre_id: int, amounts: dict[tuple[int, int], Decimal]) -> None:
    """For runs.approve_run, inside its transaction: `amounts` are the run's payments that no commitment
    covers, by (fund_id, year) (see uncommitted_in_run). Locks the funds and raises BudgetExceeded when
    one would go below zero for the year."""
    funds = lock_funds(fund_id for fund_id, _y in amounts)
    if any(f.centre_id != centre_id for f in funds.values()):
        raise NotFound()
    _check_available({}, funds, extra={k: Decimal(v) for k, v in amounts.items()})


def uncommitted_in_run(run_id: int) -> dict[tuple[int, int], Decimal]:
    """The run's live payments that no commitment covers, summed by (fund_id, year): one query."""
    rows = (
        _uncovered(Payment.objects.filter(run_id=run_id, fund_id__isnull=False).exclude(status__in=NOT_SPENDING))
        .order_by()
        .values("fund_id", "month__year")
        .annotate(total=Sum("amount"))
    )
    return {(r["fund_id"], r["month__year"]): r["total"] for r in rows}


# --- commitments of decisions (the benefits approval hook) ----------------------------------------------


def _decision_commits(decision: Decision) -> bool:
    """A grant, amendment or resumption that pays (the hook is called with approved decisions only; a refused
    grant carries `eligible` False or no amount)."""
    return (
        decision.kind in COMMITTING_KINDS
        and decision.eligible is not False
        and decision.amount is not None
        and decision.amount > 0
    )


def _year_decided(decision: Decision) -> int | None:
    """The approval's year, when the caller set it (never a query for a deferred field)."""
    decided_on = decision.__dict__.get("decided_on")
    return decided_on.year if decided_on else None


def _decision_spans(decision: Decision, horizon: int) -> list[tuple[int, dt.date, dt.date]]:
    """The months a decision commits, per year: one-off aid its month; a bounded grant its period; an
    open-ended grant to the end of the later of its first year and `horizon` (renewed each year)."""
    first = month_start(decision.period_from)
    if decision.one_off:
        last = first
    elif decision.period_to:
        last = month_start(decision.period_to)
    else:
        last = dt.date(max(horizon, first.year), 12, 1)
    return year_spans(first, last)


def _benefit_funds(pairs: set[tuple[int, str]]) -> dict[tuple[int, str], int]:
    if not pairs:
        return {}
    q = Q()
    for centre_id, benefit in pairs:
        q |= Q(centre_id=centre_id, benefit=benefit)
    return {
        (r.centre_id, r.benefit): r.fund_id
        for r in BenefitFund.objects.filter(q).only("centre_id", "benefit", "fund_id")
    }


def _ids(ids: list[int]):
    """The right-hand side of an `__in` over many ids: on PostgreSQL one array parameter (Django spends a
    second on 20,000 placeholders), elsewhere the list."""
    if connection.vendor == "postgresql" and len(ids) > 100:
        return RawSQL("SELECT unnest(%s::bigint[])", [list(ids)])
    return list(ids)


def _commitments_of_grants(grant_ids: list[int]) -> list[Commitment]:
    """The live commitments of these grants and of the resumptions that restarted them, each with `grant_id`:
    two queries (an OR across the join would scan)."""
    rows = list(Commitment.objects.filter(decision_id__in=_ids(grant_ids), amount__gt=0).order_by("pk"))
    for row in rows:
        row.grant_id = row.decision_id
    resumed = (
        Commitment.objects.filter(
            decision__changes_id__in=_ids(grant_ids), decision__kind=DecisionKind.RESUMPTION, amount__gt=0
        )
        .annotate(grant_id=F("decision__changes_id"))
        .order_by("pk")
    )
    return rows + list(resumed)


def _shorten(rows: list[Commitment], from_month: dict[int, dt.date], grant_of) -> dict[tuple[int, int], Decimal]:
    """Cut each commitment at the month its grant stops (in memory); returns the release per (fund, year)."""
    released: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    changed = []
    for row in rows:
        stop = from_month.get(grant_of(row))
        if stop is None or row.amount <= 0 or row.month_to < stop:
            continue
        last = add_months(stop, -1)
        months = months_in(row.month_from, last)
        amount = (row.monthly_amount * months).quantize(Decimal("0.01"))
        released[(row.fund_id, row.year)] += row.amount - amount
        row.amount = amount
        row.month_to = last if months else row.month_from
        changed.append(row)
    _write_shortened(changed)
    return released


def _write_shortened(rows: list[Commitment]) -> None:
    if not rows:
        return
    now = timezone.now()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                """UPDATE payments_commitment AS c SET month_to = v.month_to, amount = v.amount, updated_at = %s
                FROM unnest(%s::bigint[], %s::date[], %s::numeric[]) AS v(id, month_to, amount) WHERE c.id = v.id""",
                [now, [r.pk for r in rows], [r.month_to for r in rows], [r.amount for r in rows]],
            )
        return
    for row in rows:
        row.updated_at = now
    Commitment.objects.bulk_update(rows, ["month_to", "amount", "updated_at"], batch_size=1000)


_RELEASE_SQL = """
WITH s AS (SELECT * FROM unnest(%s::bigint[], %s::date[]) AS s(grant_id, stop)),
targets AS (
    SELECT c.id, c.amount AS before, s.stop FROM payments_commitment c JOIN s ON c.decision_id = s.grant_id
    WHERE c.amount > 0 AND c.month_to >= s.stop
    UNION ALL
    SELECT c.id, c.amount, s.stop FROM payments_commitment c
    JOIN benefits_decision d ON d.id = c.decision_id AND d.kind = 'resumption'
    JOIN s ON d.changes_id = s.grant_id
    WHERE c.amount > 0 AND c.month_to >= s.stop
),
cut AS (
    UPDATE payments_commitment AS c SET
        month_to = CASE WHEN t.stop > c.month_from THEN (t.stop - interval '1 month')::date ELSE c.month_from END,
        amount = c.monthly_amount * GREATEST(0,
            (extract(year FROM t.stop) * 12 + extract(month FROM t.stop))
            - (extract(year FROM c.month_from) * 12 + extract(month FROM c.month_from))),
        updated_at = %s
    FROM targets t WHERE c.id = t.id
    RETURNING c.fund_id, c.year, t.before - c.amount AS released
)
SELECT fund_id, year, sum(released) FROM cut GROUP BY fund_id, year
"""

_COMMIT_SQL = """
INSERT INTO payments_commitment
    (fund_id, year, decision_id, transfer_id, month_from, month_to, monthly_amount, amount, created_at, updated_at)
SELECT fund_id, year, decision_id, NULL, month_from, month_to, monthly_amount, amount, %s, %s
FROM unnest(%s::bigint[], %s::int[], %s::bigint[], %s::date[], %s::date[], %s::numeric[], %s::numeric[])
    AS v(fund_id, year, decision_id, month_from, month_to, monthly_amount, amount)
"""


def _release(stops: dict[int, dt.date]) -> dict[tuple[int, int], Decimal]:
    """Shorten the commitments of the stopped grants (and of their resumptions) from their month; the release
    per (fund, year). PostgreSQL: one statement, no rows in Python."""
    if not stops:
        return {}
    if connection.vendor != "postgresql":
        return _shorten(_commitments_of_grants(list(stops)), stops, lambda row: row.grant_id)
    with connection.cursor() as cursor:
        cursor.execute(_RELEASE_SQL, [list(stops), list(stops.values()), timezone.now()])
        return {(fund_id, year): released for fund_id, year, released in cursor.fetchall()}


def _insert_commitments(rows: list[tuple]) -> None:
    """Insert (fund_id, year, decision_id, month_from, month_to, monthly_amount, amount) rows."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute(_COMMIT_SQL, [now, now, *map(list, zip(*rows, strict=True))])
        return
    Commitment.objects.bulk_create(
        [
            Commitment(
                fund_id=fund_id,
                year=year,
                decision_id=decision_id,
                month_from=first,
                month_to=last,
                monthly_amount=monthly,
                amount=amount,
            )
            for fund_id, year, decision_id, first, last, monthly, amount in rows
        ],
        batch_size=2000,
    )


def on_decisions_approved(decisions: Sequence[Decision]) -> None:
    """The benefits approval hook (socius.benefits.hooks), inside the approving transaction: commit each
    approved grant, amendment or resumption on its benefit's fund for the centre (monthly amount × months
    of each year; open-ended to the end of the year, renewed by renew_commitments; one-off aid in its
    month), and shorten the commitments of the grant that a suspension, revocation, ending or amendment
    stops from its month. A benefit without a fund commits nothing. Raises BudgetExceeded when a fund would
    go below zero for a year; the approval then rolls back with nothing written.

    Set-based for a recalculation's many decisions: a handful of queries whatever their number."""
    approved = list(decisions)
    stops = {d.changes_id: month_start(d.period_from) for d in approved if d.kind in STOPPING_KINDS and d.changes_id}
    starts = [d for d in approved if _decision_commits(d)]
    if not stops and not starts:
        return
    mapping = _benefit_funds({(d.centre_id, d.benefit) for d in starts})
    starts = [d for d in starts if (d.centre_id, d.benefit) in mapping]
    # The grants being changed are locked by the approval: nobody else writes their commitments meanwhile.
    released = _release(stops)
    funds = lock_funds(set(mapping.values()) | {fund_id for fund_id, _year in released})
    changes: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for key, value in released.items():
        changes[key] -= value
    horizon = _today().year
    new = []
    for decision in starts:
        fund = funds[mapping[(decision.centre_id, decision.benefit)]]
        if decision.currency != fund.currency:
            raise Conflict(
                _(
                    "The decision is in %(currency)s and the fund “%(fund)s” in %(fund_currency)s: "
                    "set a fund in %(currency)s for the benefit."
                )
                % {"currency": decision.currency, "fund": fund.name, "fund_currency": fund.currency},
                code="currency_mismatch",
            )
        year_of_decision = _year_decided(decision) or horizon
        spans = _decision_spans(decision, year_of_decision)
        if spans:
            check_fund_open(fund, spans[0][1], spans[-1][2])
        for year, first, last in spans:
            amount = (decision.amount * months_in(first, last)).quantize(Decimal("0.01"))
            new.append((fund.pk, year, decision.pk, first, last, decision.amount, amount))
            changes[(fund.pk, year)] += amount
    _insert_commitments(new)
    _check_available(changes, funds, current=max(filter(None, map(_year_decided, approved)), default=None))


def renew_commitments(centre_id: int, year: int) -> int:
    """At the year's change: commit `year` for every active open-ended monthly grant of the centre that
    has a fund and no commitment for it yet (on its latest resumption when it was resumed). Idempotent;
    raises BudgetExceeded with nothing written when a fund has too little. Returns the number committed."""
    with transaction.atomic():
        grants = list(
            Decision.objects.filter(
                centre_id=centre_id,
                status=DecisionStatus.APPROVED,
                kind__in=(DecisionKind.GRANT, DecisionKind.AMENDMENT),
                state=GrantState.ACTIVE,
                one_off=False,
                period_to__isnull=True,
                period_from__lte=dt.date(year, 12, 1),
                amount__gt=0,
            )
            .only("id", "centre_id", "benefit", "amount", "currency", "period_from")
            .order_by("id")
        )
        if not grants:
            return 0
        carriers = {g.pk: g.pk for g in grants}
        for grant_id, resumption_id in (
            Decision.objects.filter(
                changes_id__in=list(carriers), kind=DecisionKind.RESUMPTION, status=DecisionStatus.APPROVED
            )
            .order_by("approved_at", "id")
            .values_list("changes_id", "id")
        ):
            carriers[grant_id] = resumption_id
        done = set(
            Commitment.objects.filter(year=year, decision_id__in=list(carriers.values())).values_list(
                "decision_id", flat=True
            )
        )
        mapping = _benefit_funds({(centre_id, g.benefit) for g in grants})
        todo = [g for g in grants if carriers[g.pk] not in done and (centre_id, g.benefit) in mapping]
        funds = lock_funds({mapping[(centre_id, g.benefit)] for g in todo})
        changes: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
        new = []
        for grant in todo:
            fund = funds[mapping[(centre_id, grant.benefit)]]
            if grant.currency != fund.currency:
                continue
            first = max(dt.date(year, 1, 1), month_start(grant.period_from))
            amount = (grant.amount * months_in(first, dt.date(year, 12, 1))).quantize(Decimal("0.01"))
            new.append(
                Commitment(
                    fund=fund,
                    year=year,
                    decision_id=carriers[grant.pk],
                    month_from=first,
                    month_to=dt.date(year, 12, 1),
                    monthly_amount=grant.amount,
                    amount=amount,
                )
            )
            changes[(fund.pk, year)] += amount
        Commitment.objects.bulk_create(new, batch_size=2000)
        _check_available(changes, funds, check_every_year=True)
        return len(new)


# --- transfers to institutions and one-off payments -----------------------------------------------------


def _transfer_in_centre(actor: User, transfer_id) -> Transfer:
    pk = _as_int(transfer_id)
    transfer = Transfer.objects.select_for_update().filter(pk=pk, centre_id=actor.centre_id).first() if pk else None
    if transfer is None:
        raise NotFound()
    return transfer


def propose_transfer(actor: User, data: dict) -> Transfer:
    """Finance proposes a transfer: `fund`, `payee_name`, `purpose`, `channel` (with `iban` for a bank
    transfer), `amount` (in the fund's currency), `month_from` and, for a monthly transfer, `month_to`;
    optionally the `person` paid and the `territory`. Another authorised person approves it."""
    _require(can_prepare_payments(actor))
    errors: dict[str, list] = {}
    fund = Fund.objects.filter(pk=_as_int(data.get("fund")), centre_id=actor.centre_id, is_active=True).first()
    if fund is None:
        errors["fund"] = [_("Choose an active fund of the centre.")]
    payee = _text(data.get("payee_name"))[:140]
    if not payee:
        errors["payee_name"] = [_("Enter who is paid.")]
    purpose = _text(data.get("purpose"))
    if not purpose or len(purpose) > 140:
        errors["purpose"] = [_("Enter the purpose of the payment (at most 140 characters).")]
    channel = data.get("channel") or PaymentChannel.BANK_TRANSFER
    if channel not in PaymentChannel.values:
        errors["channel"] = [_("Choose how it is paid.")]
    iban = _iban(data.get("iban"), "iban", errors, required=channel == PaymentChannel.BANK_TRANSFER)
    amount = _money(data.get("amount"), "amount", errors)
    if amount is not None and amount <= 0:
        errors["amount"] = [_("The amount must be above zero.")]
    currency = _text(data.get("currency")).upper()
    if fund is not None and currency and currency != fund.currency:
        errors["currency"] = [_("The fund pays in %(currency)s.") % {"currency": fund.currency}]
    month_from = _date(data.get("month_from"), "month_from", errors)
    month_to = _date(data.get("month_to"), "month_to", errors, required=False)
    if month_from and month_to and month_start(month_to) < month_start(month_from):
        errors["month_to"] = [_("The last month cannot come before the first.")]
    person = None
    if data.get("person") not in (None, ""):
        person = Person.objects.filter(pk=_as_int(data.get("person")), centre_id=actor.centre_id).first()
        if person is None:
            errors["person"] = [_("Choose a person of the centre.")]
    territory_id = _as_int(data.get("territory")) if data.get("territory") not in (None, "") else None
    if territory_id is not None:
        from socius.accounts.models import Territory

        if not Territory.objects.filter(pk=territory_id).exists():
            errors["territory"] = [_("Choose a locality.")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        transfer = Transfer.objects.create(
            centre_id=actor.centre_id,
            fund=fund,
            payee_name=payee,
            person=person,
            channel=channel,
            iban=iban,
            purpose=purpose,
            territory_id=territory_id,
            amount=amount,
            currency=fund.currency,
            month_from=month_start(month_from),
            month_to=month_start(month_to) if month_to else None,
            proposed_by=actor,
        )
        _audit(
            actor,
            AuditAction.CREATE,
            "transfer",
            transfer,
            {
                "fund": [None, fund.pk],
                "payee_name": [None, payee],
                "amount": [None, str(amount)],
                "month_from": [None, str(transfer.month_from)],
                "month_to": [None, str(transfer.month_to) if transfer.month_to else None],
            },
            person_id=transfer.person_id,
        )
        return transfer


def _transfer_spans(transfer: Transfer) -> list[tuple[int, dt.date, dt.date]]:
    return year_spans(transfer.month_from, transfer.month_to or transfer.month_from)


def approve_transfer(actor: User, transfer_id) -> Transfer:
    """Four eyes: the director or an authorised approver other than its proposer approves the transfer,
    which commits its months on the fund (BudgetExceeded, nothing written, when the fund has too little)."""
    with transaction.atomic():
        if not can_approve_payments(actor):
            if not Transfer.objects.filter(pk=_as_int(transfer_id), centre_id=actor.centre_id).exists():
                raise NotFound()
            raise Forbidden()
        transfer = _transfer_in_centre(actor, transfer_id)
        if transfer.status != TransferStatus.PROPOSED:
            raise Conflict(
                _("The transfer is “%(status)s”: only a proposed transfer can be approved.")
                % {"status": TransferStatus(transfer.status).label},
                code="invalid_transition",
            )
        if transfer.proposed_by_id == actor.pk:
            raise FourEyesPayments()
        funds = lock_funds([transfer.fund_id])
        transfer.status = TransferStatus.APPROVED
        transfer.approved_by = actor
        transfer.approved_at = timezone.now()
        transfer.save(update_fields=["status", "approved_by", "approved_at"])
        new, changes = [], {}
        spans = _transfer_spans(transfer)
        if spans:
            check_fund_open(funds[transfer.fund_id], spans[0][1], spans[-1][2])
        for year, first, last in spans:
            amount = (transfer.amount * months_in(first, last)).quantize(Decimal("0.01"))
            new.append(
                Commitment(
                    fund_id=transfer.fund_id,
                    year=year,
                    transfer=transfer,
                    month_from=first,
                    month_to=last,
                    monthly_amount=transfer.amount,
                    amount=amount,
                )
            )
            changes[(transfer.fund_id, year)] = amount
        Commitment.objects.bulk_create(new)
        _check_available(changes, funds)
        _audit(
            actor,
            AuditAction.UPDATE,
            "transfer",
            transfer,
            {"status": [TransferStatus.PROPOSED, TransferStatus.APPROVED]},
            person_id=transfer.person_id,
        )
        return transfer


def cancel_transfer(actor: User, transfer_id, reason: str) -> Transfer:
    """Cancel a proposed transfer, or stop an approved one: its commitment is released for the months not
    yet in a live payment. Finance or an approver; with a reason; audited."""
    with transaction.atomic():
        if not (can_prepare_payments(actor) or can_approve_payments(actor)):
            if not Transfer.objects.filter(pk=_as_int(transfer_id), centre_id=actor.centre_id).exists():
                raise NotFound()
            raise Forbidden()
        transfer = _transfer_in_centre(actor, transfer_id)
        reason = _text(reason)[:300]
        if not reason:
            raise ValidationFailed({"reason": [_("Give the reason for cancelling.")]})
        if transfer.status == TransferStatus.CANCELLED:
            raise Conflict(_("The transfer is already cancelled."), code="invalid_transition")
        before = transfer.status
        if before == TransferStatus.APPROVED:
            lock_funds([transfer.fund_id])
            last_paid = (
                Payment.objects.filter(transfer=transfer)
                .exclude(status=PaymentStatus.CANCELLED)
                .order_by("-month")
                .values_list("month", flat=True)
                .first()
            )
            stop = add_months(last_paid, 1) if last_paid else transfer.month_from
            rows = list(Commitment.objects.filter(transfer=transfer, amount__gt=0).order_by("pk"))
            _shorten(rows, {transfer.pk: stop}, lambda r: r.transfer_id)
        transfer.status = TransferStatus.CANCELLED
        transfer.cancelled_by = actor
        transfer.cancelled_at = timezone.now()
        transfer.cancel_reason = reason
        transfer.save(update_fields=["status", "cancelled_by", "cancelled_at", "cancel_reason"])
        _audit(
            actor,
            AuditAction.UPDATE,
            "transfer",
            transfer,
            {"status": [before, TransferStatus.CANCELLED], "cancel_reason": [None, reason]},
            person_id=transfer.person_id,
        )
        return transfer


# --- who may approve payments ---------------------------------------------------------------------------


def _may_authorise(actor: User) -> bool:
    """The director (who authorises approvers of decisions, and approves payments by role)."""
    from socius.accounts.roles import APPROVE_PAYMENTS

    return actor.can(AUTHORISE_APPROVERS) and actor.can(APPROVE_PAYMENTS)


def authorise_payment_approver(actor: User, user_id) -> PaymentApprover:
    """The director authorises a member of staff of the centre to approve payment runs and transfers."""
    with transaction.atomic():
        _require(_may_authorise(actor))
        user = User.objects.filter(pk=_as_int(user_id), centre_id=actor.centre_id, is_active=True).first()
        if user is None:
            raise NotFound()
        if PaymentApprover.objects.filter(user=user, revoked_at__isnull=True).exists():
            raise Conflict(_("This person is already authorised to approve payments."), code="already_authorised")
        grant = PaymentApprover.objects.create(centre_id=actor.centre_id, user=user, granted_by=actor)
        _audit(actor, AuditAction.CREATE, "payment_approver", grant, {"user": [None, user.pk]})
        return grant


def revoke_payment_approver(actor: User, user_id) -> PaymentApprover:
    with transaction.atomic():
        _require(_may_authorise(actor))
        grant = (
            PaymentApprover.objects.select_for_update()
            .filter(user_id=_as_int(user_id), centre_id=actor.centre_id, revoked_at__isnull=True)
            .first()
        )
        if grant is None:
            raise NotFound()
        grant.revoked_at = timezone.now()
        grant.revoked_by = actor
        grant.save(update_fields=["revoked_at", "revoked_by"])
        _audit(
            actor,
            AuditAction.UPDATE,
            "payment_approver",
            grant,
            {"revoked_at": [None, grant.revoked_at.isoformat()]},
        )
        return grant


# --- the fund statement ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FundMonth:
    """One month of a fund's year: what was committed for it and spent in it, and the figures to date
    (`available`: the allocation less what is committed up to this month and the spending no commitment
    covers; in December it is the year's available amount)."""

    month: dt.date
    committed: Decimal
    spent: Decimal
    committed_to_date: Decimal
    spent_to_date: Decimal
    available: Decimal


@dataclass(frozen=True)
class FundStatement:
    fund: Fund
    year: int
    currency: str
    allocation: Decimal  # the sum of the year's allocation and amendments
    committed: Decimal  # the year's commitments
    spent: Decimal  # payments of approved runs, not cancelled, returned or reissued
    uncommitted: Decimal  # spending that no commitment covers
    available: Decimal  # allocation − committed − uncommitted
    months: tuple[FundMonth, ...]


def fund_statement(fund: Fund, year: int) -> FundStatement:
    """The fund's figures for the year, per month and to date: five grouped queries."""
    allocation = FundAllocation.objects.filter(fund=fund, year=year).aggregate(t=Sum("amount"))["t"] or ZERO
    committed_month = defaultdict(lambda: ZERO)
    committed = ZERO
    for row in (
        Commitment.objects.filter(fund=fund, year=year, amount__gt=0)
        .order_by()
        .values("month_from", "month_to")
        .annotate(monthly=Sum("monthly_amount"), total=Sum("amount"))
    ):
        committed += row["total"]
        month = row["month_from"]
        while month <= row["month_to"]:
            committed_month[month] += row["monthly"]
            month = add_months(month, 1)
    spent_month = {
        r["month"]: r["total"] for r in _spending([fund.pk], [year]).values("month").annotate(total=Sum("amount"))
    }
    uncommitted_month = {
        r["month"]: r["total"]
        for r in _uncovered(_spending([fund.pk], [year])).values("month").annotate(total=Sum("amount"))
    }
    months = []
    committed_to_date = spent_to_date = uncommitted_to_date = ZERO
    for index in range(12):
        month = dt.date(year, index + 1, 1)
        committed_to_date += committed_month[month]
        spent_to_date += spent_month.get(month, ZERO)
        uncommitted_to_date += uncommitted_month.get(month, ZERO)
        months.append(
            FundMonth(
                month=month,
                committed=committed_month[month],
                spent=spent_month.get(month, ZERO),
                committed_to_date=committed_to_date,
                spent_to_date=spent_to_date,
                available=allocation - committed_to_date - uncommitted_to_date,
            )
        )
    return FundStatement(
        fund=fund,
        year=year,
        currency=fund.currency,
        allocation=allocation,
        committed=committed,
        spent=spent_to_date,
        uncommitted=uncommitted_to_date,
        available=allocation - committed - uncommitted_to_date,
        months=tuple(months),
    )


__all__ = [
    "FundMonth",
    "FundStatement",
    "allocate",
    "approve_transfer",
    "authorise_payment_approver",
    "available",
    "cancel_transfer",
    "check_spending",
    "create_fund",
    "fund_for_benefit",
    "fund_statement",
    "get_fund_for",
    "list_funds_for",
    "lock_funds",
    "on_decisions_approved",
    "propose_transfer",
    "renew_commitments",
    "revoke_payment_approver",
    "set_benefit_fund",
    "uncommitted_in_run",
    "update_fund",
]
