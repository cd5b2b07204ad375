"""LT quarterly report on cash social assistance (socialinė pašalpa, compensations) and MD yearly figures on ajutor
social and cold-season aid: per benefit, the families receiving it, the persons in them and the amount, by family
type. Rows and measures come from the layouts (`packs/lt/reports/cash_assistance.yaml`,
`packs/md/reports/yearly_aid.yaml`); the counting rules from `statutory.common`."""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from socius.casework.models import Case
from socius.registry.models import Person
from socius.reporting.indicators import Figure, Indicator, Scope, Unit
from socius.reporting.statuses import ReportKind
from socius.reporting.statutory import builders as b
from socius.reporting.statutory.common import (
    distinct_figure,
    families_of,
    figure_with_parts,
    group_map,
    money_figure,
    received_payments,
)
from socius.reporting.statutory.layouts import Item, layout

UNITS = {"families": Unit.HOUSEHOLDS, "family_members": Unit.PERSONS, "amount": Unit.MONEY}
DEFINITIONS = {
    "families": _(
        "Distinct families (the household of the case, or its single person) with a payment of the benefit for a "
        "month of the period in an approved, exported or reconciled run, not returned or cancelled; counted where "
        "the payment was made."
    ),
    "family_members": _("Distinct persons in those families: the persons counted in the family's latest decision."),
    "amount": _("The sum of those payments; returned and cancelled payments do not count."),
}
TYPES_NOTE = _("Family types: a child is a member under 18 on the period's last day; a family may be in two types.")
PREFIX = {ReportKind.LT_CASH_ASSISTANCE: "lt_cash", ReportKind.MD_YEARLY_AID: "md_yearly"}


def _rows(scope: Scope, section: Item):
    """[(payment pk, group, case id, amount)] of the section's benefits in the scope, and the families."""
    qs = received_payments(scope).filter(benefit__in=list(section.get("benefits") or ()))
    group_of = group_map(scope)
    rows = []
    for pk, territory_id, case_id, amount in qs.values_list("pk", "territory_id", "decision__case_id", "amount"):
        group = group_of(territory_id)
        if group is not None:
            rows.append((pk, group, case_id, amount))
    return rows, families_of(scope, {r[2] for r in rows}, qs)


def _measure(rows, families, measure: str):
    if measure == "families":
        return distinct_figure((g, c) for _pk, g, c, _a in rows)
    if measure == "family_members":
        return distinct_figure((g, p) for _pk, g, c, _a in rows for p in families[c].member_ids)
    return money_figure((g, a) for _pk, g, _c, a in rows)


def _indicator(kind: str, lay, section: Item, measure: Item, order: int) -> Indicator:
    code = f"{PREFIX[kind]}_{section.code}_{measure.code}"

    def type_of(code_):
        return next((t for t in lay.family_types if t.code == code_), None)

    def compute(scope: Scope) -> Figure:
        rows, families = _rows(scope, section)
        parts = []
        for family_type in lay.family_types:
            rule = family_type.get("rule")
            chosen = [r for r in rows if families[r[2]].matches(rule)]
            parts.append((family_type.code, family_type.label_in(), _measure(chosen, families, measure.code)))
        return figure_with_parts(_measure(rows, families, measure.code), parts)

    def records(scope: Scope, group: int | None, part: str | None):
        rows, families = _rows(scope, section)
        if part is not None:
            family_type = type_of(part)
            rows = [r for r in rows if family_type is not None and families[r[2]].matches(family_type.get("rule"))]
        if group is not None:
            rows = [r for r in rows if r[1] == group]
        if measure.code == "families":
            return Case.objects.filter(pk__in=sorted({r[2] for r in rows})).order_by("reference", "pk")
        if measure.code == "family_members":
            ids = sorted({p for r in rows for p in families[r[2]].member_ids})
            return Person.objects.filter(pk__in=ids).order_by("last_name", "pk")
        from socius.payments.models import Payment

        return Payment.objects.filter(pk__in=sorted(r[0] for r in rows)).select_related("run").order_by("month", "pk")

    audit, columns, visible, persons_of = {
        "families": ("case", b.CASE_COLUMNS, b.cases_visible, b.persons_of_cases),
        "family_members": ("person", b.PERSON_COLUMNS, b.persons_visible, b.persons_of_persons),
        "amount": ("payment", b.PAYMENT_COLUMNS, b.payments_visible, b.persons_of_payments),
    }[measure.code]
    unit = UNITS[measure.code]
    return Indicator(
        code=code,
        section=f"{PREFIX[kind]}_{section.code}",
        label=b.lazy_label(measure.label_in),
        unit=unit,
        definition=format_lazy("{} {}", DEFINITIONS[measure.code], TYPES_NOTE),
        compute=compute,
        records=records,
        visible=visible,
        columns=columns,
        persons_of=persons_of,
        audit_object_type=audit,
        kinds=frozenset({kind}),
        order=order,
        amount_field="amount" if unit == Unit.MONEY else None,
        stamp_fields=("pk", "status", "amount") if audit == "payment" else ("pk",),
        extra={"layout": lay.code, "section": section.code, "measure": measure.code},
    )


def build(kind: str) -> list[Indicator]:
    lay = layout(kind)
    return [
        _indicator(kind, lay, section, measure, i) for section in lay.sections for i, measure in enumerate(lay.measures)
    ]


def section_titles(kind: str) -> dict:
    lay = layout(kind)
    return {f"{PREFIX[kind]}_{s.code}": b.lazy_label(s.label_in) for s in lay.sections}
