"""The figure cache: a figure is served while the records behind it are unchanged, recomputed as soon as any of
them changes (added, changed, moved into or out of the period, moved to another column, deleted), and a change
to another period leaves it served."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from socius.accounts.models import TerritoryLevel
from socius.casework.models import Contact, ContactChannel
from socius.casework.tests.factories import ContactFactory
from socius.reporting import cache
from socius.reporting.indicators import (
    REGISTRY,
    Figure,
    Indicator,
    Part,
    Unit,
    build_scope,
    count_by_group,
)
from socius.reporting.models import FigureCache, Report
from socius.reporting.report import report_data
from socius.reporting.statuses import ReportKind
from socius.testing.factories import CentreFactory, TerritoryFactory, UserFactory

pytestmark = pytest.mark.django_db

CALLS: list[str] = []


def _records(scope, group=None, part=None):
    qs = Contact.objects.filter(
        centre=scope.centre,
        occurred_at__gte=dt.datetime.combine(scope.start, dt.time(), tzinfo=dt.UTC),
        occurred_at__lt=dt.datetime.combine(scope.end, dt.time(), tzinfo=dt.UTC),
    ).filter(scope.in_group("territory_id", group))
    if part is not None:
        qs = qs.filter(channel=part)
    return qs


def _compute(scope) -> Figure:
    CALLS.append(f"{scope.start:%Y-%m}")
    figure = count_by_group(_records(scope), "territory_id", scope)
    rows = (
        _records(scope)
        .annotate(_group=scope.group_of("territory_id"))
        .values("channel", "_group")
        .annotate(n=Count("pk"))
        .order_by()
    )
    parts: dict[str, dict[int, int]] = {}
    for row in rows:
        parts.setdefault(row["channel"], {})[row["_group"]] = row["n"]
    labels = dict(ContactChannel.choices)
    return Figure(
        figure.total,
        figure.by_group,
        tuple(Part(code, str(labels[code]), sum(g.values()), g) for code, g in sorted(parts.items())),
    )


CONTACTS = Indicator(
    code="cache_test_contacts",
    section="casework",
    label="contacts",
    unit=Unit.COUNT,
    definition="contacts in the month",
    compute=_compute,
    records=_records,
    visible=lambda actor, qs: qs,
    columns=(),
    persons_of=lambda rows: [],
    audit_object_type="contact",
    kinds=frozenset({ReportKind.MONTHLY_ACTIVITY}),
)


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


@pytest.fixture
def world():
    CALLS.clear()
    root = TerritoryFactory(level=TerritoryLevel.MUNICIPALITY, name="Gmina")
    north = TerritoryFactory(parent=root, level=TerritoryLevel.VILLAGE, name="North")
    south = TerritoryFactory(parent=root, level=TerritoryLevel.VILLAGE, name="South")
    centre = CentreFactory(territory=root)
    scope = build_scope(centre, dt.date(2026, 10, 1), dt.date(2026, 11, 1))
    return {"centre": centre, "root": root, "north": north, "south": south, "scope": scope}


def figures(scope):
    return cache.cached_figures(scope, ReportKind.MONTHLY_ACTIVITY, [CONTACTS])["cache_test_contacts"]


def test_computed_once_then_served(world):
    ContactFactory.create_batch(
        2, centre=world["centre"], occurred_at=at(dt.date(2026, 10, 5)), territory=world["north"]
    )
    ContactFactory(centre=world["centre"], occurred_at=at(dt.date(2026, 10, 31), 23), territory=world["south"])
    first = figures(world["scope"])
    assert (first.total, first.by_group) == (3, {world["north"].pk: 2, world["south"].pk: 1})
    assert CALLS == ["2026-10"]
    row = FigureCache.objects.get(centre=world["centre"], period="2026-10", territory=None)
    assert row.figures["cache_test_contacts"]["total"] == 3
    assert row.stamps["records"]["cache_test_contacts"][0] == 3

    again = figures(world["scope"])
    assert again == first
    assert CALLS == ["2026-10"]  # not computed again
    assert (cache.LAST_STATS.served, cache.LAST_STATS.computed) == (1, 0)


def test_a_new_record_in_the_period_is_counted(world):
    ContactFactory(centre=world["centre"], occurred_at=at(dt.date(2026, 10, 5)), territory=world["north"])
    assert figures(world["scope"]).total == 1
    ContactFactory(centre=world["centre"], occurred_at=at(dt.date(2026, 10, 6)), territory=world["north"])
    assert figures(world["scope"]).total == 2
    assert CALLS == ["2026-10", "2026-10"]


def test_a_change_in_another_month_leaves_the_figure_served(world):
    ContactFactory(centre=world["centre"], occurred_at=at(dt.date(2026, 10, 5)), territory=world["north"])
    figures(world["scope"])
    ContactFactory(centre=world["centre"], occurred_at=at(dt.date(2026, 11, 2)), territory=world["north"])
    assert figures(world["scope"]).total == 1
    assert CALLS == ["2026-10"]
    assert (cache.LAST_STATS.checked, cache.LAST_STATS.computed) == (1, 0)
    # Checked once: the next read is back to the table clocks alone.
    figures(world["scope"])
    assert (cache.LAST_STATS.served, cache.LAST_STATS.checked) == (1, 0)


def test_a_record_moved_out_of_the_period_is_no_longer_counted(world):
    moved = ContactFactory(centre=world["centre"], occurred_at=at(dt.date(2026, 10, 5)), territory=world["north"])
    ContactFactory(centre=world["centre"], occurred_at=at(dt.date(2026, 10, 6)), territory=world["north"])
    assert figures(world["scope"]).total == 2
    moved.occurred_at = at(dt.date(2026, 9, 30))
    moved.save()
    assert figures(world["scope"]).total == 1


def test_a_record_moved_to_another_column_is_recounted(world):
    contact = ContactFactory(centre=world["centre"], occurred_at=at(dt.date(2026, 10, 5)), territory=world["north"])
    assert figures(world["scope"]).by_group == {world["north"].pk: 1}
    contact.territory = world["south"]
    contact.save()
    assert figures(world["scope"]).by_group == {world["south"].pk: 1}


def test_a_record_changed_in_a_part_is_recounted(world):
    contact = ContactFactory(
        centre=world["centre"], occurred_at=at(dt.date(2026, 10, 5)), territory=world["north"], channel="office"
    )
    assert [p.code for p in figures(world["scope"]).parts] == ["office"]
    contact.channel = ContactChannel.PHONE
    contact.save()
    assert [p.code for p in figures(world["scope"]).parts] == ["phone"]


def test_a_new_column_in_the_territorial_tree_recomputes(world):
    ContactFactory(centre=world["centre"], occurred_at=at(dt.date(2026, 10, 5)), territory=world["north"])
    figures(world["scope"])
    TerritoryFactory(parent=world["root"], level=TerritoryLevel.VILLAGE, name="East")
    scope = build_scope(world["centre"], dt.date(2026, 10, 1), dt.date(2026, 11, 1))
    assert figures(scope).total == 1
    assert CALLS == ["2026-10", "2026-10"]


def test_another_centres_records_do_not_change_the_figure(world):
    ContactFactory(centre=world["centre"], occurred_at=at(dt.date(2026, 10, 5)), territory=world["north"])
    figures(world["scope"])
    ContactFactory(occurred_at=at(dt.date(2026, 10, 5)))  # another centre
    assert figures(world["scope"]).total == 1
    assert CALLS == ["2026-10"]


def test_a_territory_scope_is_cached_apart(world):
    ContactFactory(centre=world["centre"], occurred_at=at(dt.date(2026, 10, 5)), territory=world["north"])
    ContactFactory(centre=world["centre"], occurred_at=at(dt.date(2026, 10, 5)), territory=world["south"])
    assert figures(world["scope"]).total == 2
    north = build_scope(world["centre"], dt.date(2026, 10, 1), dt.date(2026, 11, 1), world["north"])
    assert figures(north).total == 1
    assert figures(world["scope"]).total == 2
    assert FigureCache.objects.filter(centre=world["centre"], period="2026-10").count() == 2


def test_part_labels_follow_the_readers_language(world):
    from django.utils import translation

    ContactFactory(centre=world["centre"], occurred_at=at(dt.date(2026, 10, 5)), channel="phone")
    with translation.override("en"):
        english = figures(world["scope"]).parts[0].label
    with translation.override("pl"):
        polish = figures(world["scope"]).parts[0].label
    with translation.override("en"):
        assert figures(world["scope"]).parts[0].label == english
        assert cache.LAST_STATS.computed == 0
    assert english == "Phone"
    assert polish != english


def test_period_keys():
    centre = CentreFactory.build()
    scope = build_scope(centre, dt.date(2026, 1, 1), dt.date(2027, 1, 1))
    assert cache._period_key(scope) == "2026"
    from dataclasses import replace

    assert cache._period_key(replace(scope, end=dt.date(2026, 7, 1))) == "2026-H1"
    assert cache._period_key(replace(scope, start=dt.date(2026, 7, 1), end=dt.date(2026, 10, 1))) == "2026-Q3"
    with pytest.raises(ValueError):
        cache._period_key(replace(scope, end=dt.date(2026, 1, 15)))


def test_invalidate_drops_the_rows(world):
    figures(world["scope"])
    assert cache.invalidate(world["centre"].pk) == 1
    figures(world["scope"])
    assert CALLS == ["2026-10", "2026-10"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the change trail is PostgreSQL's")
def test_a_delete_and_a_bulk_update_are_seen_through_the_change_trail(world):
    assert "casework_contact" in cache.trailed_tables()
    a = ContactFactory(centre=world["centre"], occurred_at=at(dt.date(2026, 10, 5)), territory=world["north"])
    ContactFactory(centre=world["centre"], occurred_at=at(dt.date(2026, 10, 6)), territory=world["north"])
    assert figures(world["scope"]).total == 2
    Contact.persons.through.objects.filter(contact=a).delete()
    Contact.objects.filter(pk=a.pk).delete()
    assert figures(world["scope"]).total == 1
    # An UPDATE that leaves updated_at as it was (raw or queryset.update) still moves the table's clock.
    Contact.objects.filter(centre=world["centre"]).update(territory=world["south"])
    assert figures(world["scope"]).by_group == {world["south"].pk: 1}


def test_report_data_reads_the_month_and_its_history_from_the_cache(world, monkeypatch):
    monkeypatch.setitem(REGISTRY, CONTACTS.code, CONTACTS)
    ContactFactory(centre=world["centre"], occurred_at=at(dt.date(2026, 10, 5)), territory=world["north"])
    ContactFactory(centre=world["centre"], occurred_at=at(dt.date(2026, 3, 5)), territory=world["north"])
    director = UserFactory(centre=world["centre"], role="director")
    report = Report.objects.create(
        centre=world["centre"],
        kind=ReportKind.MONTHLY_ACTIVITY,
        period="2026-10",
        period_start=dt.date(2026, 10, 1),
        period_end=dt.date(2026, 11, 1),
    )
    data = report_data(director, report)
    row = data.row(CONTACTS.code)
    assert row.figure.total == 1
    history = {p.key: v for p, v in row.history}
    assert len(history) == 12 and history["2026-03"] == 1 and history["2026-09"] == 0
    assert FigureCache.objects.filter(centre=world["centre"]).count() == 13
    assert len(CALLS) == 13

    again = report_data(director, report)
    assert len(CALLS) == 13  # nothing recomputed
    assert [r.history for r in again.rows] == [r.history for r in data.rows]
    ContactFactory(centre=world["centre"], occurred_at=at(dt.date(2026, 3, 20)), territory=world["south"])
    third = report_data(director, report)
    assert {p.key: v for p, v in third.row(CONTACTS.code).history}["2026-03"] == 2
    assert CALLS[13:] == ["2026-03"]  # only the month that changed
    assert timezone.now()  # the cache rows are dated


def test_the_command_precomputes_last_months_report_and_its_history(world, monkeypatch):
    from io import StringIO

    from django.core.management import CommandError, call_command

    monkeypatch.setitem(REGISTRY, CONTACTS.code, CONTACTS)
    ContactFactory(centre=world["centre"], occurred_at=at(dt.date(2026, 10, 5)), territory=world["north"])
    from socius.reporting.indicators import indicators_for

    n = 39 * len(indicators_for(ReportKind.MONTHLY_ACTIVITY))  # every indicator of the report, ours included
    out = StringIO()
    call_command("precompute_reports", month="2026-10", centre=world["centre"].code, stdout=out)
    # The whole centre and its two villages, each for October and the 12 months before.
    assert f"{world['centre'].code}: 3 scopes x 13 months; served 0, checked 0, computed {n}" in out.getvalue()
    assert FigureCache.objects.filter(centre=world["centre"]).count() == 39
    north = FigureCache.objects.get(centre=world["centre"], territory=world["north"], period="2026-10")
    assert north.figures[CONTACTS.code]["total"] == 1

    out = StringIO()
    call_command("precompute_reports", month="2026-10", centre=world["centre"].code, stdout=out)
    # Served, none recomputed (figures reading a table without a clock are checked by their record stamp).
    assert f"served {n}, checked " in out.getvalue()
    assert out.getvalue().strip().endswith("computed 0")

    with pytest.raises(CommandError):
        call_command("precompute_reports", month="2026-13", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("precompute_reports", centre="nowhere", stdout=StringIO())


def test_the_task_defaults_to_last_month(world, monkeypatch):
    from socius.reporting.tasks import last_month, precompute_reports_task

    assert last_month(dt.date(2026, 1, 15)) == "2025-12"
    from socius.reporting.indicators import indicators_for

    monkeypatch.setitem(REGISTRY, CONTACTS.code, CONTACTS)
    result = precompute_reports_task.delay("2026-10", world["centre"].pk).get()
    assert result[world["centre"].code]["computed"] == 39 * len(indicators_for(ReportKind.MONTHLY_ACTIVITY))


@pytest.mark.parametrize(
    ("kind", "period"),
    [
        (ReportKind.MONTHLY_ACTIVITY, "2026-10"),
        (ReportKind.MRPIPS_03, "2026-H1"),
        (ReportKind.OZPS, "2026"),
        (ReportKind.LT_CASH_ASSISTANCE, "2026-Q3"),
        (ReportKind.MD_YEARLY_AID, "2026"),
    ],
)
def test_every_registered_indicator_goes_through_the_cache(world, kind, period):
    from socius.reporting.indicators import indicators_for
    from socius.reporting.periods import parse_period

    indicators = indicators_for(kind)
    found = parse_period(period)
    scope = build_scope(world["centre"], found.start, found.end)
    first = cache.cached_figures(scope, kind, indicators, period=found.key)
    assert cache.LAST_STATS.computed == len(indicators)
    for indicator in indicators:
        assert cache.source_tables(indicator, scope)
    again = cache.cached_figures(scope, kind, indicators, period=found.key)
    assert again == first
    assert cache.LAST_STATS.computed == 0
