"""Indicators made for the engine's tests (approval, differences, the API): the contacts of the month counted
and priced at 50.00 each, so the tests do not depend on the real indicator modules. `use_engine_indicators` swaps
the registry for these two."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import DecimalField, Value
from django.utils import timezone

from socius.casework.models import Contact
from socius.casework.tests.factories import ContactFactory
from socius.reporting import indicators as indicators_module
from socius.reporting.indicators import Column, Indicator, Unit, count_by_group, sum_by_group
from socius.reporting.statuses import ReportKind
from socius.testing.factories import TerritoryFactory

PRICE = Decimal("50.00")


def _contacts(scope, group=None, part=None):
    qs = Contact.objects.filter(
        centre=scope.centre, occurred_at__date__gte=scope.start, occurred_at__date__lt=scope.end
    ).filter(scope.in_group("territory_id", group))
    if part is not None:
        qs = qs.filter(channel=part)
    return qs


def _priced(scope, group=None, part=None):
    return _contacts(scope, group, part).annotate(
        price=Value(PRICE, output_field=DecimalField(max_digits=10, decimal_places=2))
    )


TEST_CONTACTS = Indicator(
    code="t_contacts",
    section="casework",
    label="Citizens heard",
    unit=Unit.COUNT,
    definition="Contacts of the month where they happened.",
    compute=lambda scope: count_by_group(_contacts(scope), "territory_id", scope),
    records=_contacts,
    visible=lambda actor, qs: qs,
    columns=(Column("Date", lambda c: str(c.occurred_at)),),
    persons_of=lambda rows: [],
    audit_object_type="contact",
    kinds=frozenset({ReportKind.MONTHLY_ACTIVITY}),
    order=1,
    stamp_fields=("pk", "updated_at", "territory_id"),
)

TEST_AMOUNT = Indicator(
    code="t_amount",
    section="aid",
    label="Amount paid",
    unit=Unit.MONEY,
    definition="50.00 per contact.",
    compute=lambda scope: sum_by_group(_priced(scope), "territory_id", scope, "price"),
    records=_priced,
    visible=lambda actor, qs: qs,
    columns=(),
    persons_of=lambda rows: [],
    audit_object_type="contact",
    kinds=frozenset({ReportKind.MONTHLY_ACTIVITY}),
    order=1,
    amount_field="price",
    stamp_fields=("pk", "updated_at"),
)


def use_engine_indicators(monkeypatch) -> dict:
    """The registry holds only the two test indicators (monkeypatch restores it after the test)."""
    monkeypatch.setattr(indicators_module, "REGISTRY", {"t_contacts": TEST_CONTACTS, "t_amount": TEST_AMOUNT})
    return indicators_module.REGISTRY


def make_md_area(md_centre) -> dict:
    """Two communities under the district, a village in the first."""
    root = md_centre.territory
    first = TerritoryFactory(jurisdiction="MD", level="community", name="Coşniţa", parent=root)
    second = TerritoryFactory(jurisdiction="MD", level="community", name="Oxentea", parent=root)
    village = TerritoryFactory(jurisdiction="MD", level="village", name="Pohrebea", parent=first)
    return {"root": root, "first": first, "second": second, "village": village}


def october(day: int = 15, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, 10, day, hour, 0))


def contacts(centre, territory, n: int, *, day: int = 15, **kwargs) -> list[Contact]:
    return [ContactFactory(centre=centre, territory=territory, occurred_at=october(day), **kwargs) for _ in range(n)]
