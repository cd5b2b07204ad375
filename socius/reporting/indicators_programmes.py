"""Indicators of benefits, payments, family support, child protection, community work and services for the monthly
activity report (issue 12).

Each indicator is described once (`_Source`: its records of the period, where they happened, what is counted and
the breakdowns) and the compute, drill-down and fingerprint all read that description, so the figure and the rows
behind it never disagree. The rules, one per indicator, are in each `definition`; those shared by all:

- an event counts where it happened: the locality kept on the record (`Payment.territory`, the payment list's
  locality; `OutreachEvent.territory`; `PotentialRecipient.territory`), or for records that keep none of their own
  the locality of the case they belong to (`Case.territory`, recorded when the case was opened), never where the
  person lives today; a record with no locality counts only in the whole-centre report (`NO_LOCALITY`);
- payments are those of the month's payment runs once approved (approved, exported or reconciled): a payment
  returned by the bank, reissued later (the reissue counts, in its own run's month) or cancelled does not count as
  received;
- distinct persons and households count once in the total and once in each group and part they appear in (a
  household paid from two funds: once in the total, once per fund).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from socius.accounts.models import User
from socius.common.errors import Forbidden
from socius.reporting.indicators import (
    NO_LOCALITY,
    Column,
    Figure,
    Indicator,
    Number,
    Part,
    Scope,
    Unit,
    register,
)
from socius.reporting.statuses import ReportKind

MONTHLY = frozenset({ReportKind.MONTHLY_ACTIVITY})

KEY = "_key"  # the annotation a distinct count counts
GROUP = "_grp"  # the annotation of a record's group
NO_VALUE = "-"  # the code of a part whose value is empty (a payment without a fund)


# --- the generic machinery -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Dimension:
    """A breakdown of a figure into parts: the value of `field` per record (a field or an annotation of the
    source's queryset), coded `prefix:value`, labelled by `labels(values, scope)`."""

    prefix: str
    field: str
    labels: Callable[[list, Scope], dict]
    order: Callable[[object], object] | None = None  # sort key of a value; None: by label
    cast: Callable[[str], object] = str  # a part code's value as the field holds it (int for a key)

    def code(self, value) -> str:
        text = NO_VALUE if value in (None, "") else str(value)
        return f"{self.prefix}:{text}"

    def matches(self, code: str) -> bool:
        return code.partition(":")[0] == self.prefix and ":" in code

    def filter(self, code: str) -> Q | None:
        """The records of the part `code` (None: a value this dimension never holds, e.g. `fund:x`)."""
        rest = code.partition(":")[2]
        if rest == NO_VALUE:
            empty = Q(**{f"{self.field}__isnull": True})
            return empty | Q(**{self.field: ""}) if self.cast is str else empty
        try:
            return Q(**{self.field: self.cast(rest)})
        except (TypeError, ValueError):
            return None


@dataclass(frozen=True)
class _Source:
    """What an indicator counts: `base(scope)` the records of the period (the centre's, before the locality
    filter), `path` the locality of each record (None: the records keep none), and the measure: every row,
    distinct values of `distinct` (an expression), or the sum of `amount`."""

    base: Callable[[Scope], QuerySet]
    path: str | None
    distinct: object | None = None
    amount: str | None = None
    dims: tuple[_Dimension, ...] = ()
    select: tuple[str, ...] = ()  # select_related of the drill-down rows
    ordering: tuple[str, ...] = ("-pk",)

    # -- filters

    def located(self, qs: QuerySet, scope: Scope, group: int | None = None) -> QuerySet:
        if self.path is None:
            # Records without a locality belong to the whole-centre report's NO_LOCALITY column only.
            if scope.territory_ids is not None or group not in (None, NO_LOCALITY):
                return qs.none()
            return qs
        return qs.filter(scope.in_group(self.path, group))

    def measured(self, qs: QuerySet) -> QuerySet:
        if self.distinct is not None:
            qs = qs.annotate(**{KEY: self.distinct})
        return qs

    def metric(self):
        if self.distinct is not None:
            return Count(KEY, distinct=True)
        if self.amount is not None:
            return Sum(self.amount)
        return Count("pk")

    def zero(self) -> Number:
        return Decimal("0.00") if self.amount == "amount" else 0

    def value(self, v) -> Number:
        if v is None:
            return self.zero()
        return v

    # -- the figure

    def compute(self, scope: Scope) -> Figure:
        """The figure: the database groups by the raw locality (one column, index-friendly) and the localities
        are folded into the report's columns here (`Scope.group_lookup`); a CASE over every territory of a
        district per row cost ten times more (docs/benchmarks.md, "Reporting")."""
        qs = self.measured(self.located(self.base(scope), scope)).order_by()
        if self.path is None:
            qs = qs.annotate(**{GROUP: Value(None, output_field=IntegerField())})
            where, of = GROUP, (lambda _territory_id: NO_LOCALITY)
        else:
            where, of = self.path, scope.group_lookup()
        if self.distinct is not None:
            return self._compute_distinct(qs, where, of, scope)
        metric = self.metric()
        by_group: dict[int, Number] = {}
        for territory_id, v in qs.values_list(where).annotate(v=metric).values_list(where, "v"):
            group = of(territory_id)
            if group is not None and v:
                by_group[group] = by_group.get(group, self.zero()) + v
        by_group = {g: v for g, v in by_group.items() if v}
        total = sum(by_group.values(), self.zero())
        parts: list[Part] = []
        for dim in self.dims:
            cells: dict[object, dict[int, Number]] = {}
            rows = qs.values_list(dim.field, where).annotate(v=metric).values_list(dim.field, where, "v")
            for value, territory_id, v in rows:
                group = of(territory_id)
                if group is not None and v:
                    groups = cells.setdefault(value, {})
                    groups[group] = groups.get(group, self.zero()) + v
            totals = {value: sum(groups.values(), self.zero()) for value, groups in cells.items()}
            parts.extend(self._parts(dim, cells, totals, scope))
        return Figure(total=total, by_group=by_group, parts=tuple(parts))

    def _compute_distinct(self, qs: QuerySet, where: str, of: Callable, scope: Scope) -> Figure:
        """Distinct values per column, and in total counted once (a person in two localities is one person)."""
        seen: dict[int, set] = {}
        everyone: set = set()
        for territory_id, key in qs.values_list(where, KEY).distinct():
            group = of(territory_id)
            if group is not None and key is not None:  # as COUNT(DISTINCT …) leaves out an empty value
                seen.setdefault(group, set()).add(key)
                everyone.add(key)
        parts: list[Part] = []
        for dim in self.dims:
            cells: dict[object, dict[int, set]] = {}
            across: dict[object, set] = {}
            for value, territory_id, key in qs.values_list(dim.field, where, KEY).distinct():
                group = of(territory_id)
                if group is not None and key is not None:
                    cells.setdefault(value, {}).setdefault(group, set()).add(key)
                    across.setdefault(value, set()).add(key)
            counted = {value: {g: len(keys) for g, keys in groups.items()} for value, groups in cells.items()}
            parts.extend(self._parts(dim, counted, {value: len(keys) for value, keys in across.items()}, scope))
        return Figure(
            total=len(everyone), by_group={g: len(keys) for g, keys in seen.items() if keys}, parts=tuple(parts)
        )

    def _parts(self, dim: _Dimension, cells: dict, totals: dict, scope: Scope) -> list[Part]:
        values = [v for v in cells if totals.get(v)]
        labels = dim.labels(values, scope)
        key = dim.order or (lambda v, labels=labels: str(labels.get(v, v)).casefold())
        return [
            Part(dim.code(value), str(labels.get(value, value)), totals[value], cells[value])
            for value in sorted(values, key=lambda v: (key(v), str(v)))
        ]

    # -- the records behind it

    def records(self, scope: Scope, group: int | None, part: str | None) -> QuerySet:
        qs = self.located(self.base(scope), scope, group)
        if part is not None:
            dim = next((d for d in self.dims if d.matches(part)), None)
            condition = dim.filter(part) if dim is not None else None
            if condition is None:
                return qs.none()
            qs = qs.filter(condition)
        if self.distinct is not None:
            # One row per distinct value: the first record of each (the list's length is the figure).
            firsts = (
                self.measured(qs)
                .filter(**{f"{KEY}__isnull": False})  # as COUNT(DISTINCT …) leaves out an empty value
                .order_by()
                .values(KEY)
                .annotate(first=Min("pk"))
                .values("first")
            )
            qs = qs.model.objects.filter(pk__in=firsts)
        if self.select:
            qs = qs.select_related(*self.select)
        return qs.order_by(*self.ordering)


def _database_key(text: str) -> int:
    """A primary key from a part code; ValueError for anything a key column cannot hold."""
    value = int(text)
    if not 0 < value < 2**63:
        raise ValueError(text)
    return value


def _visible_by(selector: Callable[[User], QuerySet]) -> Callable[[User, QuerySet], QuerySet]:
    """`visible` from the owning app's selector of what the reader may read (refused: nothing)."""

    def visible(actor: User, qs: QuerySet) -> QuerySet:
        try:
            readable = selector(actor)
        except Forbidden:
            return qs.none()
        return qs.filter(pk__in=readable.order_by().values("pk"))

    return visible


def _link(name: str, attr: str = "pk") -> Callable[[object], str | None]:
    def link(row) -> str | None:
        pk = row
        for step in attr.split("."):
            pk = getattr(pk, step, None) if pk is not None else None
        if not pk:
            return None
        try:
            return reverse(f"web:{name}", args=[pk])
        except NoReverseMatch:
            return None

    return link


def _date(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _money(value, currency: str = "") -> str:
    text = formats.number_format(value, 2, use_l10n=True, force_grouping=True) if value is not None else ""
    return f"{text} {currency}".strip()


def _name(obj) -> str:
    return str(obj) if obj is not None else ""


def _locality(row, attr: str = "territory") -> str:
    found = row
    for step in attr.split("."):
        found = getattr(found, step, None) if found is not None else None
    return found.name if found is not None else _("Locality not recorded")


def _choices_labels(choices) -> Callable[[list, Scope], dict]:
    return lambda values, scope: {v: dict(choices).get(v, v) for v in values}


def _ids(rows, attr: str) -> list[int]:
    out = []
    for row in rows:
        value = row
        for step in attr.split("."):
            value = getattr(value, step, None) if value is not None else None
        if value:
            out.append(value)
    return list(dict.fromkeys(out))


def _indicator(code: str, section: str, order: int, label, unit: str, definition, source: _Source, **kw) -> Indicator:
    if kw.get("audit_object_type") == "payment":
        definition = format_lazy("{} {}", definition, PAID_RULE)
    return Indicator(
        code=code,
        section=section,
        label=label,
        unit=unit,
        definition=definition,
        compute=source.compute,
        records=source.records,
        kinds=MONTHLY,
        order=order,
        extra={"source": source},
        **kw,
    )


# --- payments: social aid, the local support fund, canteens ------------------------------------------------------


def _paid(scope: Scope) -> QuerySet:
    """The payments of the scope's months' runs once approved, not returned, reissued or cancelled."""
    from socius.payments.models import Payment, PaymentRun
    from socius.payments.runs import LIVE_STATUSES
    from socius.payments.statuses import LOCKED_RUN_STATUSES

    runs = PaymentRun.objects.filter(
        centre_id=scope.centre.pk, month__gte=scope.start, month__lt=scope.end, status__in=LOCKED_RUN_STATUSES
    ).values("pk")
    return Payment.objects.filter(centre_id=scope.centre.pk, run_id__in=runs, status__in=LIVE_STATUSES)


def _funds_of_kind(scope: Scope, kinds) -> QuerySet:
    from socius.payments.models import Fund

    return Fund.objects.filter(centre_id=scope.centre.pk, kind__in=kinds).values("pk")


def _support_fund_kinds():
    from socius.payments.statuses import FundKind

    return (FundKind.LOCAL_SUPPORT_FUND,)


def _canteen_fund_kinds():
    from socius.payments.statuses import FundKind

    # The local support fund finances the social canteens (REPORTS.md 3.2, Law 827/2000); a centre may also keep
    # a fund of its own for a canteen.
    return (FundKind.LOCAL_SUPPORT_FUND, FundKind.SOCIAL_CANTEEN)


def _aid_payments(scope: Scope) -> QuerySet:
    """Payments of benefit decisions to persons, the local support fund's aid left to its own section."""
    return _paid(scope).filter(decision__isnull=False).exclude(fund_id__in=_funds_of_kind(scope, _support_fund_kinds()))


def _support_fund_payments(scope: Scope) -> QuerySet:
    return _with_purpose(
        _paid(scope).filter(decision__isnull=False, fund_id__in=_funds_of_kind(scope, _support_fund_kinds()))
    )


def _canteen_payments(scope: Scope) -> QuerySet:
    return _paid(scope).filter(
        transfer__isnull=False, person__isnull=True, fund_id__in=_funds_of_kind(scope, _canteen_fund_kinds())
    )


# The purposes of the local support fund's aid the district report names (REPORTS.md 3.1–3.2: "for buying food and
# medicines"; HG 1083/2000 pct. 2), every other purpose of the pack (fuel, repairs, other) under "other".
SUPPORT_FUND_PURPOSES = ("food", "medicines")
OTHER_PURPOSE = "other"
PURPOSE = "_purpose"


def _with_purpose(qs: QuerySet) -> QuerySet:
    whens = [When(decision__facts__purpose=code, then=Value(code)) for code in SUPPORT_FUND_PURPOSES]
    return qs.annotate(**{PURPOSE: Case(*whens, default=Value(OTHER_PURPOSE), output_field=CharField())})


def _purpose_labels(values, scope) -> dict:
    names = {"food": _("Food"), "medicines": _("Medicines"), OTHER_PURPOSE: _("Other needs")}
    return {v: names.get(v, v) for v in values}


def _purpose_order(value) -> int:
    order = (*SUPPORT_FUND_PURPOSES, OTHER_PURPOSE)
    return order.index(value) if value in order else len(order)


def _benefit_labels(values, scope) -> dict:
    from socius.benefits.selectors import benefit_name

    language = get_language()
    return {
        v: _("Benefit: %(name)s") % {"name": benefit_name(v, language)} if v else _("Benefit not recorded")
        for v in values
    }


def _fund_labels(values, scope) -> dict:
    from socius.payments.models import Fund

    names = dict(Fund.objects.filter(pk__in=[v for v in values if v]).values_list("pk", "name"))
    return {v: _("Fund: %(name)s") % {"name": names[v]} if v in names else _("Fund not recorded") for v in values}


def _payee_labels(values, scope) -> dict:
    return {v: v or _("Payee not recorded") for v in values}


BY_BENEFIT = _Dimension("benefit", "benefit", _benefit_labels)
BY_FUND = _Dimension("fund", "fund_id", _fund_labels, cast=_database_key)
BY_PURPOSE = _Dimension("purpose", PURPOSE, _purpose_labels, order=_purpose_order)
BY_PAYEE = _Dimension("payee", "payee_name", _payee_labels)

# A household counts once; a person paid without a household on record counts as a household of their own.
HOUSEHOLD_KEY = Case(
    When(household_id__isnull=False, then=F("household_id")),
    default=Value(0) - F("person_id"),
    output_field=IntegerField(),
)

PAYMENT_SELECT = ("fund", "territory", "run", "person", "household")
PAYMENT_ORDER = ("payee_name", "pk")


def _payments_visible(actor: User, qs: QuerySet) -> QuerySet:
    from socius.payments.selectors import payments_readable_by

    return _visible_by(payments_readable_by)(actor, qs)


def _benefit_text(row) -> str:
    from socius.benefits.selectors import benefit_name

    return benefit_name(row.benefit, get_language()) if row.benefit else ""


def _payment_columns(*, amount: bool = True, household: bool = False) -> tuple[Column, ...]:
    columns = [
        Column(gettext_lazy("Payee"), lambda r: r.payee_name, _link("person_detail", "person_id")),
    ]
    if household:
        columns.append(
            Column(
                gettext_lazy("Household"),
                lambda r: str(r.household) if r.household_id else _("Single person"),
                _link("household_detail", "household_id"),
            )
        )
    columns += [
        Column(gettext_lazy("Benefit"), _benefit_text),
        Column(gettext_lazy("Fund"), lambda r: _name(r.fund)),
        Column(gettext_lazy("Locality"), _locality),
        Column(gettext_lazy("Payment run"), lambda r: str(r.run), _link("payment_run", "run_id")),
    ]
    if amount:
        columns.append(Column(gettext_lazy("Amount"), lambda r: _money(r.amount, r.currency)))
    return tuple(columns)


def _payment_persons(rows) -> list[int]:
    return _ids(rows, "person_id")


AID_PERSONS = _Source(
    _aid_payments,
    "territory_id",
    distinct=F("person_id"),
    dims=(BY_BENEFIT, BY_FUND),
    select=PAYMENT_SELECT,
    ordering=PAYMENT_ORDER,
)
AID_HOUSEHOLDS = _Source(
    _aid_payments,
    "territory_id",
    distinct=HOUSEHOLD_KEY,
    dims=(BY_BENEFIT, BY_FUND),
    select=PAYMENT_SELECT,
    ordering=PAYMENT_ORDER,
)
AID_AMOUNT = _Source(
    _aid_payments, "territory_id", amount="amount", dims=(BY_BENEFIT, BY_FUND), select=PAYMENT_SELECT,
    ordering=PAYMENT_ORDER,
)  # fmt: skip
SUPPORT_PERSONS = _Source(
    _support_fund_payments,
    "territory_id",
    distinct=F("person_id"),
    dims=(BY_PURPOSE,),
    select=PAYMENT_SELECT,
    ordering=PAYMENT_ORDER,
)
SUPPORT_AMOUNT = _Source(
    _support_fund_payments, "territory_id", amount="amount", dims=(BY_PURPOSE,), select=PAYMENT_SELECT,
    ordering=PAYMENT_ORDER,
)  # fmt: skip
CANTEENS = _Source(
    _canteen_payments, "territory_id", amount="amount", dims=(BY_PAYEE,), select=("fund", "territory", "run"),
    ordering=PAYMENT_ORDER,
)  # fmt: skip

PAID_RULE = gettext_lazy(
    "Payments of the month's payment runs once approved (approved, sent to the bank or reconciled); a payment "
    "returned by the bank, reissued or cancelled does not count as received (a reissue counts in the month of the "
    "run that pays it). Each payment counts at the locality on the payment list."
)

PAYMENT_STAMP = ("pk", "status", "amount", "run_id", "territory_id", "fund_id")

register(
    _indicator(
        "aid_persons",
        "aid",
        10,
        gettext_lazy("Persons who received social aid"),
        Unit.PERSONS,
        gettext_lazy(
            "Distinct persons paid a benefit according to the payment lists (aid from the local support fund is "
            "counted in its own section). A person counts once in the total, and once under each benefit and fund "
            "they were paid from."
        ),
        AID_PERSONS,
        visible=_payments_visible,
        columns=_payment_columns(amount=False),
        persons_of=_payment_persons,
        audit_object_type="payment",
        stamp_fields=PAYMENT_STAMP,
    ),
    _indicator(
        "aid_households",
        "aid",
        20,
        gettext_lazy("Households that received social aid"),
        Unit.HOUSEHOLDS,
        gettext_lazy(
            "Distinct households paid a benefit according to the payment lists (a person paid without a household "
            "on record counts as a household of their own). A household paid from two funds counts once in the "
            "total and once under each fund."
        ),
        AID_HOUSEHOLDS,
        visible=_payments_visible,
        columns=_payment_columns(amount=False, household=True),
        persons_of=_payment_persons,
        audit_object_type="payment",
        stamp_fields=PAYMENT_STAMP,
    ),
    _indicator(
        "aid_amount",
        "aid",
        30,
        gettext_lazy("Total social aid paid"),
        Unit.MONEY,
        gettext_lazy(
            "The sum of the benefit payments on the payment lists, per benefit and per fund (aid from the local "
            "support fund is counted in its own section)."
        ),
        AID_AMOUNT,
        visible=_payments_visible,
        columns=_payment_columns(),
        persons_of=_payment_persons,
        audit_object_type="payment",
        amount_field="amount",
        stamp_fields=PAYMENT_STAMP,
    ),
    _indicator(
        "support_fund_beneficiaries",
        "fund",
        10,
        gettext_lazy("Beneficiaries of the local support fund"),
        Unit.PERSONS,
        gettext_lazy(
            "Distinct persons paid aid from the local social support fund according to the payment lists, by the "
            "purpose of the aid (food, medicines, other needs); a person aided for two purposes counts once in the "
            "total and once under each."
        ),
        SUPPORT_PERSONS,
        visible=_payments_visible,
        columns=_payment_columns(amount=False),
        persons_of=_payment_persons,
        audit_object_type="payment",
        stamp_fields=PAYMENT_STAMP,
    ),
    _indicator(
        "support_fund_amount",
        "fund",
        20,
        gettext_lazy("Aid from the local support fund"),
        Unit.MONEY,
        gettext_lazy(
            "The sum of the local social support fund's aid to persons on the payment lists, by purpose (food, "
            "medicines, other needs: fuel, repairs and the rest)."
        ),
        SUPPORT_AMOUNT,
        visible=_payments_visible,
        columns=_payment_columns(),
        persons_of=_payment_persons,
        audit_object_type="payment",
        amount_field="amount",
        stamp_fields=PAYMENT_STAMP,
    ),
    _indicator(
        "canteen_transfers",
        "fund",
        30,
        gettext_lazy("Transfers to social canteens"),
        Unit.MONEY,
        gettext_lazy(
            "The sum of the transfers to institutions (no person named) paid from the local support fund or a "
            "social canteen fund on the month's payment lists, by institution, at the locality of the transfer."
        ),
        CANTEENS,
        visible=_payments_visible,
        columns=(
            Column(gettext_lazy("Institution"), lambda r: r.payee_name),
            Column(gettext_lazy("Purpose"), lambda r: r.purpose),
            Column(gettext_lazy("Fund"), lambda r: _name(r.fund)),
            Column(gettext_lazy("Locality"), _locality),
            Column(gettext_lazy("Payment run"), lambda r: str(r.run), _link("payment_run", "run_id")),
            Column(gettext_lazy("Amount"), lambda r: _money(r.amount, r.currency)),
        ),
        persons_of=lambda rows: [],
        audit_object_type="payment",
        amount_field="amount",
        stamp_fields=PAYMENT_STAMP,
    ),
)


# --- child protection: commission meetings, children examined ----------------------------------------------------


def _held_meetings(scope: Scope) -> QuerySet:
    from socius.family.models import Meeting
    from socius.family.statuses import MeetingStatus

    return Meeting.objects.filter(
        centre_id=scope.centre.pk, status=MeetingStatus.HELD, held_on__gte=scope.start, held_on__lt=scope.end
    )


def _children_examined(scope: Scope) -> QuerySet:
    """The children's records examined by a meeting held in the period: the child an agenda item names, and for an
    item on the family as a whole every child recorded on its case and open in the period."""
    from socius.family.models import AgendaItem, ChildInDifficulty

    items = AgendaItem.objects.filter(meeting__in=_held_meetings(scope).values("pk"))
    named = items.filter(child__isnull=False).values("child_id")
    families = items.filter(child__isnull=True).values("case_id")
    open_then = Q(identified_on__lt=scope.end) & (Q(closed_on__isnull=True) | Q(closed_on__gte=scope.start))
    return ChildInDifficulty.objects.filter(centre_id=scope.centre.pk).filter(
        Q(pk__in=named) | (Q(case_id__in=families) & open_then)
    )


def _meeting_body_labels(values, scope) -> dict:
    from socius.family.statuses import MeetingBody

    return _choices_labels(MeetingBody.choices)(values, scope)


def _meetings_visible(actor: User, qs: QuerySet) -> QuerySet:
    from socius.family.selectors_protection import list_meetings_for

    return _visible_by(list_meetings_for)(actor, qs)


def _children_visible(actor: User, qs: QuerySet) -> QuerySet:
    from socius.family.selectors_protection import list_children_for

    return _visible_by(list_children_for)(actor, qs)


MEETINGS = _Source(
    _held_meetings, None, dims=(_Dimension("body", "body", _meeting_body_labels),), ordering=("held_on", "pk")
)
CHILDREN = _Source(
    _children_examined,
    "case__territory_id",
    distinct=F("child_id"),
    select=("child", "case", "case__territory"),
    ordering=("child__last_name", "child__first_name", "pk"),
)

register(
    _indicator(
        "commission_meetings",
        "children",
        30,
        gettext_lazy("Child protection meetings held"),
        Unit.COUNT,
        gettext_lazy(
            "Meetings on children's cases (the child protection commission, interdisciplinary teams and groups, "
            "case meetings) held in the month, by body. Meetings keep no locality: they count in the whole-centre "
            "report only."
        ),
        MEETINGS,
        visible=_meetings_visible,
        columns=(
            Column(gettext_lazy("Body"), lambda r: r.get_body_display(), _link("meeting_detail")),
            Column(gettext_lazy("Held on"), lambda r: _date(r.held_on)),
            Column(gettext_lazy("Place"), lambda r: r.place),
        ),
        persons_of=lambda rows: [],
        audit_object_type="meeting",
        stamp_fields=("pk", "updated_at"),
    ),
    _indicator(
        "children_examined",
        "children",
        40,
        gettext_lazy("Children's cases examined"),
        Unit.PERSONS,
        gettext_lazy(
            "Distinct children whose cases a meeting held in the month examined: the child an agenda item names, "
            "and for an item on the family as a whole every child in difficulty recorded on that case and open in "
            "the month. A child counts at the locality of the case (where it was opened)."
        ),
        CHILDREN,
        visible=_children_visible,
        columns=(
            Column(gettext_lazy("Child"), lambda r: str(r.child), _link("child_detail")),
            Column(gettext_lazy("Case"), lambda r: r.case.reference, _link("case_detail", "case_id")),
            Column(gettext_lazy("Locality"), lambda r: _locality(r, "case.territory")),
        ),
        persons_of=lambda rows: _ids(rows, "child_id"),
        audit_object_type="child_in_difficulty",
        stamp_fields=("pk", "child_id", "updated_at"),
    ),
)


# --- family assistant --------------------------------------------------------------------------------------------


def _families_assisted(scope: Scope) -> QuerySet:
    """Enrolments an assistant worked on during the month: work started before its end, not closed before its
    start (a family in the monitoring that follows is not assisted)."""
    from socius.family.models import FamilyEnrolment

    return FamilyEnrolment.objects.filter(
        centre_id=scope.centre.pk, started_on__isnull=False, started_on__lt=scope.end
    ).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=scope.start))


def _enrolments_visible(actor: User, qs: QuerySet) -> QuerySet:
    from socius.family.selectors_support import visible_enrolments

    return _visible_by(visible_enrolments)(actor, qs)


def _family_members(rows) -> list[int]:
    from socius.registry.models import Membership

    households = _ids(rows, "household_id")
    if not households:
        return []
    return list(
        Membership.objects.filter(household_id__in=households, valid_until__isnull=True)
        .order_by("person_id")
        .values_list("person_id", flat=True)
        .distinct()
    )


FAMILIES = _Source(
    _families_assisted,
    "case__territory_id",
    distinct=F("household_id"),
    select=("household", "assistant", "case", "case__territory"),
    ordering=("-started_on", "pk"),
)

register(
    _indicator(
        "families_assisted",
        "children",
        10,
        gettext_lazy("Families with a family assistant"),
        Unit.HOUSEHOLDS,
        gettext_lazy(
            "Distinct families (households) an assistant worked with during the month: the work started before "
            "the month ended and was not closed before it began (monitoring after the work is not counted). A "
            "family counts at the locality of its case."
        ),
        FAMILIES,
        visible=_enrolments_visible,
        columns=(
            Column(gettext_lazy("Family"), lambda r: str(r.household), _link("family_enrolment")),
            Column(gettext_lazy("Family assistant"), lambda r: r.assistant.get_full_name() if r.assistant else ""),
            Column(gettext_lazy("Work started on"), lambda r: _date(r.started_on)),
            Column(gettext_lazy("Work closed on"), lambda r: _date(r.closed_on)),
            Column(gettext_lazy("Locality"), lambda r: _locality(r, "case.territory")),
        ),
        persons_of=_family_members,
        audit_object_type="family_enrolment",
        stamp_fields=("pk", "household_id", "updated_at"),
    ),
)


# --- community work: supervision, outreach, potential recipients --------------------------------------------------


def _supervisions(scope: Scope) -> QuerySet:
    from socius.community.models import Supervision
    from socius.community.statuses import SupervisionStatus

    return Supervision.objects.filter(
        centre_id=scope.centre.pk, status=SupervisionStatus.HELD, date__gte=scope.start, date__lt=scope.end
    )


def _outreach(scope: Scope) -> QuerySet:
    from socius.community.models import OutreachEvent
    from socius.community.statuses import EventStatus

    return OutreachEvent.objects.filter(
        centre_id=scope.centre.pk, status=EventStatus.HELD, date__gte=scope.start, date__lt=scope.end
    ).annotate(_headcount=Coalesce("headcount", 0))


def _recipients(scope: Scope) -> QuerySet:
    from socius.community.models import PotentialRecipient

    return PotentialRecipient.objects.filter(
        centre_id=scope.centre.pk, found_on__gte=scope.start, found_on__lt=scope.end
    )


def _supervisions_visible(actor: User, qs: QuerySet) -> QuerySet:
    from socius.community.selectors_supervision import list_supervisions_for

    return _visible_by(list_supervisions_for)(actor, qs)


def _events_visible(actor: User, qs: QuerySet) -> QuerySet:
    from socius.community.selectors_outreach import list_events_for

    return _visible_by(list_events_for)(actor, qs)


def _recipients_visible(actor: User, qs: QuerySet) -> QuerySet:
    from socius.community.selectors_outreach import list_recipients_for

    return _visible_by(list_recipients_for)(actor, qs)


def _event_kind_labels(values, scope) -> dict:
    from socius.community.statuses import EventKind

    return _choices_labels(EventKind.choices)(values, scope)


def _recipient_status_labels(values, scope) -> dict:
    from socius.community.statuses import RecipientStatus

    return _choices_labels(RecipientStatus.choices)(values, scope)


BY_EVENT_KIND = _Dimension("kind", "kind", _event_kind_labels)
SUPERVISIONS = _Source(_supervisions, None, ordering=("date", "pk"))
OUTREACH = _Source(_outreach, "territory_id", dims=(BY_EVENT_KIND,), select=("territory",), ordering=("date", "pk"))
ATTENDANCE = _Source(
    _outreach, "territory_id", amount="_headcount", dims=(BY_EVENT_KIND,), select=("territory",),
    ordering=("date", "pk"),
)  # fmt: skip
RECIPIENTS = _Source(
    _recipients,
    "territory_id",
    dims=(_Dimension("status", "status", _recipient_status_labels),),
    select=("territory", "event", "person"),
    ordering=("found_on", "pk"),
)

EVENT_COLUMNS = (
    Column(gettext_lazy("Event"), lambda r: str(r), _link("outreach_event")),
    Column(gettext_lazy("Date"), lambda r: _date(r.date)),
    Column(gettext_lazy("Locality"), _locality),
    Column(gettext_lazy("Attendance (headcount)"), lambda r: str(r.headcount or 0)),
)

register(
    _indicator(
        "supervisions",
        "community",
        10,
        gettext_lazy("Group supervisions held"),
        Unit.COUNT,
        gettext_lazy(
            "Staff group supervision sessions held in the month. Sessions keep no locality: they count in the "
            "whole-centre report only."
        ),
        SUPERVISIONS,
        visible=_supervisions_visible,
        columns=(
            Column(gettext_lazy("Date"), lambda r: _date(r.date), _link("supervision")),
            Column(gettext_lazy("Facilitator"), lambda r: r.get_facilitator_kind_display()),
        ),
        persons_of=lambda rows: [],
        audit_object_type="supervision",
        stamp_fields=("pk", "updated_at"),
    ),
    _indicator(
        "outreach_meetings",
        "community",
        20,
        gettext_lazy("Outreach meetings held"),
        Unit.COUNT,
        gettext_lazy(
            "Outreach events held in the month (planned or cancelled ones are not counted), by type, in the "
            "territory where each took place."
        ),
        OUTREACH,
        visible=_events_visible,
        columns=EVENT_COLUMNS,
        persons_of=lambda rows: [],
        audit_object_type="outreach_event",
        stamp_fields=("pk", "updated_at"),
    ),
    _indicator(
        "outreach_attendance",
        "community",
        30,
        gettext_lazy("Attendance at outreach meetings"),
        Unit.COUNT,
        gettext_lazy(
            "The sum of the headcounts recorded at the outreach events held in the month (an event held without a "
            "headcount adds nothing). The list behind it is the events; their headcounts add up to the figure."
        ),
        ATTENDANCE,
        visible=_events_visible,
        columns=EVENT_COLUMNS,
        persons_of=lambda rows: [],
        audit_object_type="outreach_event",
        amount_field="headcount",
        stamp_fields=("pk", "headcount", "updated_at"),
    ),
    _indicator(
        "potential_recipients_found",
        "community",
        40,
        gettext_lazy("Potential recipients found"),
        Unit.COUNT,
        gettext_lazy(
            "Persons who may need help found in the community in the month (by the date they were found), at the "
            "place recorded for them (the event's territory when none was given), by what became of them."
        ),
        RECIPIENTS,
        visible=_recipients_visible,
        columns=(
            Column(gettext_lazy("Name"), lambda r: str(r)),
            Column(gettext_lazy("Found on"), lambda r: _date(r.found_on)),
            Column(gettext_lazy("Locality"), _locality),
            Column(gettext_lazy("Status"), lambda r: r.get_status_display()),
            Column(
                gettext_lazy("Event"), lambda r: str(r.event) if r.event_id else "", _link("outreach_event", "event_id")
            ),
        ),
        persons_of=lambda rows: _ids(rows, "person_id"),
        audit_object_type="potential_recipient",
        stamp_fields=("pk", "status", "territory_id", "updated_at"),
    ),
)


# --- social services -------------------------------------------------------------------------------------------


def _deliveries(scope: Scope) -> QuerySet:
    from socius.services.models import Delivery
    from socius.services.statuses import DeliveryOutcome

    return Delivery.objects.filter(
        centre_id=scope.centre.pk, outcome=DeliveryOutcome.DELIVERED, date__gte=scope.start, date__lt=scope.end
    ).annotate(_service=F("decision__service_code"))


def _service_labels(values, scope) -> dict:
    from socius.rulebook import UnknownCode
    from socius.services.catalogue import service_definition

    language = get_language()
    out = {}
    for value in values:
        try:
            out[value] = service_definition(scope.centre, value).label_in(language)
        except UnknownCode:
            out[value] = value
    return out


def _deliveries_visible(actor: User, qs: QuerySet) -> QuerySet:
    from socius.services.selectors import visible_decisions

    return qs.filter(decision_id__in=visible_decisions(actor).order_by().values("pk"))


def _service_text(row) -> str:
    from socius.rulebook import UnknownCode
    from socius.services.catalogue import service_definition

    try:
        return service_definition(row.centre, row.decision.service_code).label_in(get_language())
    except UnknownCode:
        return row.decision.service_code


SERVICES = _Source(
    _deliveries,
    "decision__case__territory_id",
    dims=(_Dimension("service", "_service", _service_labels),),
    select=("decision", "decision__person", "decision__case", "decision__case__territory", "centre"),
    ordering=("date", "pk"),
)

register(
    _indicator(
        "services_delivered",
        "services",
        10,
        gettext_lazy("Services delivered"),
        Unit.COUNT,
        gettext_lazy(
            "Deliveries of social services recorded as delivered in the month (a care visit, a trip, a day's "
            "meals; missed visits are not counted), by service. Deliveries keep no locality of their own: each "
            "counts at the locality of the decision's case, and without a case under 'locality not recorded'."
        ),
        SERVICES,
        visible=_deliveries_visible,
        columns=(
            Column(
                gettext_lazy("Client"), lambda r: str(r.decision.person), _link("person_detail", "decision.person_id")
            ),
            Column(gettext_lazy("Service"), _service_text, _link("service_decision", "decision_id")),
            Column(gettext_lazy("Date"), lambda r: _date(r.date)),
            Column(gettext_lazy("Units delivered"), lambda r: formats.number_format(r.units, use_l10n=True)),
            Column(gettext_lazy("Locality"), lambda r: _locality(r, "decision.case.territory")),
        ),
        persons_of=lambda rows: _ids(rows, "decision.person_id"),
        audit_object_type="service_delivery",
        stamp_fields=("pk", "units", "outcome", "date"),
    ),
)
