"""Celery tasks of the reports: precompute last month's figures into the figure cache (socius.reporting.cache),
so the first reader of a month's report, and every chart of its last 12 months, is served from the cache.
Inline when no broker is configured; `manage.py precompute_reports` runs the same from a cron line."""

from __future__ import annotations

import datetime as dt

from celery import shared_task


def last_month(today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    first = today.replace(day=1) - dt.timedelta(days=1)
    return f"{first:%Y-%m}"


def precompute(
    period_key: str | None = None,
    centre_id: int | None = None,
    *,
    history: int = 12,
    territories: bool = True,
) -> dict:
    """The monthly activity figures of `period_key` (default: last month) and of the `history` months before it,
    for the whole centre and for each of its first-level territories (the report's columns), every centre or
    one. Returns per centre the figures served, checked and computed."""
    from socius.accounts.models import Centre
    from socius.reporting.cache import CacheStats, cached_figures
    from socius.reporting.indicators import NO_LOCALITY, build_scope, indicators_for
    from socius.reporting.periods import parse_period
    from socius.reporting.statuses import ReportKind

    period = parse_period(period_key or last_month(), kinds=("month",))
    months = [*period.previous_months(history), period]
    kind = ReportKind.MONTHLY_ACTIVITY
    indicators = indicators_for(kind)
    centres = Centre.objects.order_by("pk")
    if centre_id is not None:
        centres = centres.filter(pk=centre_id)
    result: dict = {}
    for centre in centres:
        from socius.reporting import cache

        totals = CacheStats()
        whole = build_scope(centre, period.start, period.end)
        scopes = [whole]
        if territories and whole.territory_ids is None:
            from socius.accounts.models import Territory

            ids = [g.id for g in whole.groups if g.id != NO_LOCALITY]
            for territory in Territory.objects.filter(pk__in=ids).order_by("name"):
                scopes.append(build_scope(centre, period.start, period.end, territory))
        from dataclasses import replace

        for scope in scopes:
            for month in months:
                cached_figures(replace(scope, start=month.start, end=month.end), kind, indicators, period=month.key)
                totals.add(cache.LAST_STATS)
        result[centre.code] = {
            "scopes": len(scopes),
            "months": len(months),
            "served": totals.served,
            "checked": totals.checked,
            "computed": totals.computed,
        }
    return result


@shared_task(name="socius.reporting.precompute_reports")
def precompute_reports_task(period_key: str | None = None, centre_id: int | None = None) -> dict:
    """Early each month (beat or cron): last month's report figures and their 12 months of history."""
    return precompute(period_key, centre_id)
