"""Shared pieces of the statutory indicators: lazy labels from the layouts, drill-down columns, reader filters."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from socius.common.errors import Forbidden
from socius.reporting.indicators import Column


def lazy_label(fn):
    """A label computed in the reader's language each time it is shown (pack labels carry their translations)."""
    return lazy(fn, str)()


def _link(name: str):
    return lambda obj: reverse(f"web:{name}", args=[obj.pk])


PERSON_COLUMNS = (
    Column(_("Person"), lambda p: p.full_name, _link("person_detail")),
    Column(_("Birth date"), lambda p: formats.date_format(p.birth_date, "SHORT_DATE_FORMAT") if p.birth_date else ""),
)
CASE_COLUMNS = (
    Column(_("Case"), lambda c: c.reference, _link("case_detail")),
    Column(_("Opened on"), lambda c: formats.date_format(c.opened_on, "SHORT_DATE_FORMAT")),
)
PAYMENT_COLUMNS = (
    Column(_("Payee"), lambda p: p.payee_name),
    Column(_("Month"), lambda p: formats.date_format(p.month, "YEAR_MONTH_FORMAT")),
    Column(_("Amount"), lambda p: formats.number_format(p.amount, 2, use_l10n=True)),
    Column(_("Payment run"), lambda p: str(p.run), lambda p: reverse("web:payment_run", args=[p.run_id])),
)
CONTRACT_COLUMNS = (
    Column(_("Case"), lambda c: c.case.reference, lambda c: reverse("web:case_detail", args=[c.case_id])),
    Column(_("Signed on"), lambda c: formats.date_format(c.signed_on, "SHORT_DATE_FORMAT") if c.signed_on else ""),
)


def persons_visible(actor, qs: QuerySet) -> QuerySet:
    from socius.registry.selectors import list_persons_for

    try:
        return qs.filter(pk__in=list_persons_for(actor).values("pk"))
    except Forbidden:
        return qs.none()


def cases_visible(actor, qs: QuerySet) -> QuerySet:
    from socius.casework.selectors import readable_case_ids

    try:
        return qs.filter(pk__in=readable_case_ids(actor))
    except Forbidden:
        return qs.none()


def payments_visible(actor, qs: QuerySet) -> QuerySet:
    from socius.payments.selectors import payments_readable_by

    try:
        return qs.filter(pk__in=payments_readable_by(actor).values("pk"))
    except Forbidden:
        return qs.none()


def contracts_visible(actor, qs: QuerySet) -> QuerySet:
    from socius.casework.selectors import readable_case_ids

    try:
        return qs.filter(case_id__in=readable_case_ids(actor))
    except Forbidden:
        return qs.none()


def persons_of_persons(rows) -> list[int]:
    return [p.pk for p in rows]


def persons_of_cases(rows) -> list[int]:
    from socius.casework.selectors import persons_shown_by_cases

    found = persons_shown_by_cases(rows)
    return sorted({p for ids in found.values() for p in ids})


def persons_of_payments(rows) -> list[int]:
    return sorted({p.person_id for p in rows if p.person_id})


def persons_of_contracts(rows) -> list[int]:
    return sorted({c.case.person_id for c in rows if c.case.person_id})
