"""PL MRPiPS-03 (half-yearly and yearly) and the figures of the OZPS assessment taken from the same records: forms
of help by task type (five measures each), reasons for granting help (art. 7 u.p.s.), family types, families and
persons actually helped, social work and social contracts. Rows and columns come from the layout
(`packs/pl/reports/mrpips03.yaml`); the counting rules from `statutory.common`."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from socius.benefits.models import Decision
from socius.benefits.statuses import DecisionKind, DecisionStatus
from socius.casework.models import Case
from socius.casework.models_visits import SocialWorkActivity
from socius.plans.models import SocialContract
from socius.registry.models import Person
from socius.reporting.indicators import Figure, Indicator, Part, Scope, Unit, count_by_group, sum_by_group
from socius.reporting.statuses import ReportKind
from socius.reporting.statutory import builders as b
from socius.reporting.statutory.common import (
    as_money,
    distinct_figure,
    families_figure,
    families_of,
    figure_with_parts,
    group_map,
    received_payments,
)
from socius.reporting.statutory.layouts import Item, layout
from socius.rulebook.engine.jurisdiction import get_jurisdiction

KINDS = frozenset({ReportKind.MRPIPS_03, ReportKind.OZPS})
LAYOUT = "mrpips_03"
MEASURE_UNITS = {
    "persons": Unit.PERSONS,
    "benefits": Unit.COUNT,
    "amount": Unit.MONEY,
    "families": Unit.HOUSEHOLDS,
    "family_members": Unit.PERSONS,
}
COMMISSIONED = "state_commissioned"

MEASURE_DEFINITIONS = {
    "persons": _(
        "Distinct persons (the decision's party) with a benefit of the form received in the period: a payment for a "
        "month of the period in an approved, exported or reconciled run, not returned or cancelled. A person in two "
        "forms of help counts under each form and once in the total."
    ),
    "benefits": _("Payments received in the period (one a month for a monthly benefit)."),
    "amount": _("The sum of the payments received in the period; returned and cancelled payments do not count."),
    "families": _(
        "Distinct families (the household of the case, or the single person of the case) with a benefit received "
        "in the period."
    ),
    "family_members": _(
        "Distinct persons in those families: the persons counted in the family's latest decision of the period."
    ),
}
WHERE = _(
    "Counted where the payment was made (its locality); the task type is the kind of the fund paid from "
    "(commissioned-task funds: zadania zlecone; any other: zadania własne)."
)


def _layout():
    return layout(LAYOUT)


# --- forms of help (benefits sections) -------------------------------------------------------------------------


def _section_payments(scope: Scope, section: Item):
    qs = received_payments(scope)
    kinds = section.get("fund_kinds")
    if kinds == "*":
        return qs.filter(~Q(fund__kind=COMMISSIONED) | Q(fund__isnull=True))
    return qs.filter(fund__kind__in=list(kinds))


def _row_filter(section: Item, row: Item) -> Q:
    if row.get("rest"):
        mapped = sorted(
            {code for r in _layout().rows(section) if not r.get("rest") for code in r.get("benefits") or ()}
        )
        return ~Q(benefit__in=mapped)
    return Q(benefit__in=list(row.get("benefits") or ())) if row.get("benefits") else Q(pk__in=[])


def _benefit_base(scope: Scope, section_code: str, part: str | None):
    section = _layout().section(section_code)
    qs = _section_payments(scope, section)
    if part is not None:
        row = next((r for r in _layout().rows(section) if r.code == part), None)
        qs = qs.filter(_row_filter(section, row)) if row else qs.none()
    return qs


def _benefit_measure_of(qs, measure: str, scope: Scope, ids_only=False):
    """(total, by_group) of one measure over payments `qs`."""
    if measure == "persons":
        f = count_by_group(qs, "territory_id", scope, distinct="decision__applicant_id")
    elif measure == "families":
        f = count_by_group(qs, "territory_id", scope, distinct="decision__case_id")
    elif measure == "benefits":
        f = count_by_group(qs, "territory_id", scope)
    elif measure == "amount":
        f = sum_by_group(qs, "territory_id", scope, "amount")
        return as_money((f.total, f.by_group))
    else:  # family_members
        return _members_by_group(qs, scope)
    return f.total, f.by_group


def _members_by_group(qs, scope: Scope):
    group_of = group_map(scope)
    rows = list(qs.values_list("territory_id", "decision__case_id").distinct())
    families = families_of(scope, {c for _t, c in rows}, qs)
    entries = []
    for territory_id, case_id in rows:
        group = group_of(territory_id)
        if group is not None:
            entries.extend((group, p) for p in families[case_id].member_ids)
    return distinct_figure(entries)


def _member_ids(qs, scope: Scope) -> set[int]:
    group_of = group_map(scope)
    rows = [
        (t, c) for t, c in qs.values_list("territory_id", "decision__case_id").distinct() if group_of(t) is not None
    ]
    families = families_of(scope, {c for _t, c in rows}, qs)
    return {p for _t, c in rows for p in families[c].member_ids}


def _benefit_indicator(section: Item, measure: Item, order: int) -> Indicator:
    code = f"mrpips03_{section.code}_{measure.code}"
    unit = MEASURE_UNITS[measure.code]

    def compute(scope: Scope) -> Figure:
        parts = []
        for row in _layout().rows(section):
            parts.append(
                (
                    row.code,
                    row.label_in(),
                    _benefit_measure_of(_benefit_base(scope, section.code, row.code), measure.code, scope),
                )
            )
        return figure_with_parts(
            _benefit_measure_of(_benefit_base(scope, section.code, None), measure.code, scope), parts
        )

    def records(scope: Scope, group: int | None, part: str | None):
        qs = _benefit_base(scope, section.code, part).filter(scope.in_group("territory_id", group))
        if measure.code == "persons":
            return Person.objects.filter(pk__in=qs.values("decision__applicant_id")).order_by("last_name", "pk")
        if measure.code == "families":
            return Case.objects.filter(pk__in=qs.values("decision__case_id")).order_by("reference", "pk")
        if measure.code == "family_members":
            return Person.objects.filter(pk__in=sorted(_member_ids(qs, scope))).order_by("last_name", "pk")
        return qs.select_related("run").order_by("month", "pk")

    kind_of = {
        "persons": ("person", b.PERSON_COLUMNS, b.persons_visible, b.persons_of_persons),
        "family_members": ("person", b.PERSON_COLUMNS, b.persons_visible, b.persons_of_persons),
        "families": ("case", b.CASE_COLUMNS, b.cases_visible, b.persons_of_cases),
        "benefits": ("payment", b.PAYMENT_COLUMNS, b.payments_visible, b.persons_of_payments),
        "amount": ("payment", b.PAYMENT_COLUMNS, b.payments_visible, b.persons_of_payments),
    }
    audit, columns, visible, persons_of = kind_of[measure.code]
    return Indicator(
        code=code,
        section=f"mrpips03_{section.code}",
        label=b.lazy_label(lambda: f"{measure.get('column', '')}. {measure.label_in()}"),
        unit=unit,
        definition=format_lazy("{} {}", MEASURE_DEFINITIONS[measure.code], WHERE),
        compute=compute,
        records=records,
        visible=visible,
        columns=columns,
        persons_of=persons_of,
        audit_object_type=audit,
        kinds=KINDS,
        order=order,
        amount_field="amount" if unit == Unit.MONEY else None,
        stamp_fields=("pk", "status", "amount") if audit == "payment" else ("pk",),
        extra={"layout": LAYOUT, "section": section.code, "measure": measure.code},
    )


# --- families helped (reasons, family types, social work) ---------------------------------------------------------


def _activity_cases(scope: Scope):
    return SocialWorkActivity.objects.filter(
        case__centre_id=scope.centre.pk, performed_on__gte=scope.start, performed_on__lt=scope.end
    ).values("case_id")


def _helped(scope: Scope):
    """The families helped in the period: a benefit received, or social work recorded (a case each)."""
    payments = received_payments(scope)
    benefit_cases = set(payments.values_list("decision__case_id", flat=True))
    work_cases = set(_activity_cases(scope).values_list("case_id", flat=True))
    families = families_of(scope, benefit_cases | work_cases, payments)
    return families, benefit_cases, work_cases


def _circumstance_rows(scope: Scope):
    jurisdiction = get_jurisdiction(scope.centre.jurisdiction)
    try:
        items = jurisdiction.circumstances(scope.end - dt.timedelta(days=1))
    except LookupError:
        return []
    return [(c.code, f"{c.point}. {c.label_in(None)}" if c.point else c.label_in(None)) for c in items]


def _family_rows(scope: Scope, section_code: str):
    if section_code == "reasons":
        return [
            (code, label, lambda f, code=code: code in f.circumstances) for code, label in _circumstance_rows(scope)
        ]
    if section_code == "family_types":
        section = _layout().section("family_types")
        rows = _layout().rows(section)
        return [(r.code, r.label_in(), lambda f, row=r: f.matches(row.data.get("rule"))) for r in rows]
    return [
        ("benefits", str(_("Helped with benefits")), lambda f, ctx=None: f.case_id in ctx[0]),
        ("social_work", str(_("Helped with social work")), lambda f, ctx=None: f.case_id in ctx[1]),
        ("social_work_only", str(_("Helped only with social work")), lambda f, ctx=None: f.case_id in ctx[1] - ctx[0]),
    ]


def _selected(scope: Scope, section_code: str, part: str | None):
    families, benefit_cases, work_cases = _helped(scope)
    chosen = list(families.values())
    if part is not None:
        row = next((r for r in _family_rows(scope, section_code) if r[0] == part), None)
        if row is None:
            return []
        test = row[2]
        if section_code == "helped":
            chosen = [f for f in chosen if test(f, ctx=(benefit_cases, work_cases))]
        else:
            chosen = [f for f in chosen if test(f)]
    return chosen


def _family_indicator(section_code: str, persons: bool, label, definition, order: int) -> Indicator:
    code = f"mrpips03_{section_code}_{'persons' if persons else 'families'}"

    def compute(scope: Scope) -> Figure:
        group_of = group_map(scope)
        families, benefit_cases, work_cases = _helped(scope)
        parts = []
        for row_code, row_label, test in _family_rows(scope, section_code):
            if section_code == "helped":
                chosen = [f for f in families.values() if test(f, ctx=(benefit_cases, work_cases))]
            else:
                chosen = [f for f in families.values() if test(f)]
            parts.append((row_code, row_label, families_figure(chosen, group_of, persons=persons)))
        return figure_with_parts(families_figure(families.values(), group_of, persons=persons), parts)

    def records(scope: Scope, group: int | None, part: str | None):
        group_of = group_map(scope)
        chosen = [
            f
            for f in _selected(scope, section_code, part)
            if group_of(f.territory_id) is not None and (group is None or group_of(f.territory_id) == group)
        ]
        if persons:
            ids = sorted({p for f in chosen for p in f.member_ids})
            return Person.objects.filter(pk__in=ids).order_by("last_name", "pk")
        return Case.objects.filter(pk__in=sorted(f.case_id for f in chosen)).order_by("reference", "pk")

    return Indicator(
        code=code,
        section=f"mrpips03_{section_code}",
        label=label,
        unit=Unit.PERSONS if persons else Unit.HOUSEHOLDS,
        definition=definition,
        compute=compute,
        records=records,
        visible=b.persons_visible if persons else b.cases_visible,
        columns=b.PERSON_COLUMNS if persons else b.CASE_COLUMNS,
        persons_of=b.persons_of_persons if persons else b.persons_of_cases,
        audit_object_type="person" if persons else "case",
        kinds=KINDS,
        order=order,
        extra={"layout": LAYOUT, "section": section_code, "measure": "family_members" if persons else "families"},
    )


FAMILIES_HELPED = _(
    "Families helped in the period: a benefit received (see the forms of help) or social work recorded on their "
    "case. A family is the household of a case, or its single person; it counts where its case was opened."
)


# --- social contracts ------------------------------------------------------------------------------------------


def _contracts(scope: Scope):
    return SocialContract.objects.filter(
        case__centre_id=scope.centre.pk,
        signed_on__isnull=False,
        signed_on__lt=scope.end,
        valid_from__lt=scope.end,
        valid_until__gte=scope.start,
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=scope.start))


def _contracts_compute(scope: Scope) -> Figure:
    qs = _contracts(scope)
    signed = count_by_group(qs.filter(signed_on__gte=scope.start), "case__territory_id", scope)
    total = count_by_group(qs, "case__territory_id", scope)
    return Figure(
        total.total,
        total.by_group,
        (Part("signed_in_period", str(_("of which signed in the period")), signed.total, signed.by_group),),
    )


def _contracts_records(scope: Scope, group, part):
    qs = _contracts(scope).filter(scope.in_group("case__territory_id", group))
    if part == "signed_in_period":
        qs = qs.filter(signed_on__gte=scope.start)
    elif part is not None:
        qs = qs.none()
    return qs.select_related("case").order_by("signed_on", "pk")


# --- OZPS: refusals of help ------------------------------------------------------------------------------------


def _refusals(scope: Scope):
    return Decision.objects.filter(
        centre_id=scope.centre.pk,
        status=DecisionStatus.APPROVED,
        kind=DecisionKind.REFUSAL,
        decided_on__gte=scope.start,
        decided_on__lt=scope.end,
    )


def _refusals_compute(scope: Scope) -> Figure:
    return count_by_group(_refusals(scope), "case__territory_id", scope, distinct="case_id")


def _refusals_records(scope: Scope, group, part):
    if part is not None:
        return Case.objects.none()
    qs = _refusals(scope).filter(scope.in_group("case__territory_id", group))
    return Case.objects.filter(pk__in=qs.values("case_id")).order_by("reference", "pk")


def build() -> list[Indicator]:
    out: list[Indicator] = []
    lay = _layout()
    for section in lay.sections:
        if section.get("kind") == "benefits":
            out.extend(_benefit_indicator(section, m, i) for i, m in enumerate(lay.measures))
    out += [
        _family_indicator("reasons", False, _("Families, by reason for granting help"), FAMILIES_HELPED, 0),
        _family_indicator(
            "reasons",
            True,
            _("Persons in those families, by reason for granting help"),
            format_lazy("{} {}", FAMILIES_HELPED, _("A family with two reasons counts under each, once in the total.")),
            1,
        ),
        _family_indicator("family_types", False, _("Families, by type"), FAMILIES_HELPED, 0),
        _family_indicator("family_types", True, _("Persons in those families, by type"), FAMILIES_HELPED, 1),
        _family_indicator("helped", False, _("Families helped"), FAMILIES_HELPED, 0),
        _family_indicator("helped", True, _("Persons in the families helped"), FAMILIES_HELPED, 1),
        Indicator(
            code="mrpips03_social_contracts",
            section="mrpips03_helped",
            label=_("Social contracts in force"),
            unit=Unit.COUNT,
            definition=_(
                "Social contracts signed and in force on at least one day of the period (art. 108 u.p.s.); "
                "counted where the case was opened."
            ),
            compute=_contracts_compute,
            records=_contracts_records,
            visible=b.contracts_visible,
            columns=b.CONTRACT_COLUMNS,
            persons_of=b.persons_of_contracts,
            audit_object_type="social_contract",
            kinds=KINDS,
            order=2,
            stamp_fields=("pk", "status", "valid_until", "ended_on"),
        ),
        Indicator(
            code="ozps_refusals",
            section="mrpips03_helped",
            label=_("Families refused help by decision"),
            unit=Unit.HOUSEHOLDS,
            definition=_("Distinct cases with an approved refusal decided in the period (OZPS: refusals of help)."),
            compute=_refusals_compute,
            records=_refusals_records,
            visible=b.cases_visible,
            columns=b.CASE_COLUMNS,
            persons_of=b.persons_of_cases,
            audit_object_type="case",
            kinds=frozenset({ReportKind.OZPS}),
            order=3,
        ),
    ]
    return out


def section_titles() -> dict:
    lay = _layout()
    titles = {}
    for section in lay.sections:
        key = "mrpips03_helped" if section.code == "social_work" else f"mrpips03_{section.code}"
        titles[key] = b.lazy_label(lambda s=section: f"{_('Section')} {s.get('letter')}. {s.label_in()}")
    return titles
