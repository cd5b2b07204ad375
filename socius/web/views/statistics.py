"""UI views of the statutory statistics (issue 12): the list of the centre's country's reports with a period and a
territory to choose, the report laid out like the form (a table per section: the form's rows × its columns, each
section and row with its source and whether the layout is confirmed, "." where Socius records no data) and its
XLSX. Figures only: no one is named, so the pages are not audited; the XLSX download is (an export).

Reads: socius.reporting.statutory.statistics.statistics_for (the same read model as the API and the XLSX).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from socius.accounts.audit import record_event
from socius.accounts.models import AuditAction, Territory
from socius.accounts.roles import VIEW_REPORTS
from socius.common.errors import ValidationFailed
from socius.reporting.indicators import build_scope
from socius.reporting.statutory import xlsx
from socius.reporting.statutory.statistics import KINDS, NO_DATA, NOT_APPLICABLE, kinds_for, statistics_for
from socius.web.access import requires
from socius.web.views._helpers import domain_404


def default_period(kinds: tuple[str, ...], today: dt.date) -> str:
    """The last whole period of the report's kind before today (the one usually filed next)."""
    if "half" in kinds:
        return f"{today.year}-H1" if today.month > 6 else f"{today.year - 1}"
    if "quarter" in kinds:
        quarter = (today.month - 1) // 3
        return f"{today.year}-Q{quarter}" if quarter else f"{today.year - 1}-Q4"
    return str(today.year - 1)


def _territories(actor) -> list[Territory]:
    centre = actor.centre
    if not centre.territory_id:
        return []
    day = timezone.localdate()
    ids = build_scope(centre, day, day, centre.territory).territory_ids or ()
    return list(Territory.objects.filter(pk__in=sorted(ids)).order_by("level", "name"))


@requires(VIEW_REPORTS)
@domain_404
def statistics_index(request):
    today = timezone.localdate()
    reports = [
        {"rule": rule, "label": rule_label(rule), "default": default_period(rule.periods, today)}
        for rule in kinds_for(request.user)
    ]
    return render(
        request,
        "web/statistics/index.html",
        {"reports": reports, "territories": _territories(request.user)},
    )


def rule_label(rule) -> str:
    from socius.reporting.statuses import ReportKind

    return str(ReportKind(rule.kind).label)


def _tables(stats) -> list[dict]:
    """The tables with each cell's drill-down URL, when the report was saved and the report pages are there."""
    urls: dict[str, str | None] = {}
    for row in stats.data.rows:
        code = row.indicator.code
        try:
            urls[code] = reverse("web:report_drilldown", args=[stats.report.pk, code]) if stats.report.pk else None
        except NoReverseMatch:  # the report pages (another part of issue 12) not merged yet
            urls[code] = None
    out = []
    for table in stats.tables:
        lines = []
        for line in table.rows:
            cells = []
            for cell in line.cells:
                url = urls.get(cell.indicator)
                if url and cell.part:
                    url = f"{url}?{urlencode({'part': cell.part})}"
                shown = cell.value not in (NO_DATA, NOT_APPLICABLE)
                cells.append({"cell": cell, "url": url if shown else None, "number": shown})
            lines.append({"line": line, "cells": cells})
        out.append({"table": table, "lines": lines})
    return out


@requires(VIEW_REPORTS)
@domain_404
def statistics_report(request, slug: str):
    rule = KINDS.get(slug)
    if rule is None:
        raise Http404
    period_key = request.GET.get(rule.param) or default_period(rule.periods, timezone.localdate())
    territory_id = request.GET.get("territory") or None
    context = {
        "rule": rule,
        "label": rule_label(rule),
        "period_key": period_key,
        "territory_id": territory_id,
        "territories": _territories(request.user),
        "no_data": NO_DATA,
        "not_applicable": NOT_APPLICABLE,
    }
    try:
        stats = statistics_for(request.user, slug, period_key, territory_id)
    except ValidationFailed as error:
        context["errors"] = error.errors if hasattr(error, "errors") else {}
        return render(request, "web/statistics/report.html", context, status=400)
    context.update({"stats": stats, "tables": _tables(stats), "query": request.GET.urlencode()})
    return render(request, "web/statistics/report.html", context)


@requires(VIEW_REPORTS)
@domain_404
def statistics_export(request, slug: str):
    rule = KINDS.get(slug)
    if rule is None:
        raise Http404
    try:
        stats = statistics_for(request.user, slug, request.GET.get(rule.param), request.GET.get("territory") or None)
    except ValidationFailed:
        return statistics_report(request, slug)
    content = xlsx.statistics_xlsx(stats)
    record_event(
        request.user,
        AuditAction.EXPORT,
        object_type="statutory_report",
        object_id=stats.report.pk,
        centre_id=request.user.centre_id,
        changes={"kind": [None, rule.kind], "period": [None, stats.period.key], "format": [None, "xlsx"]},
    )
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{xlsx.filename(stats)}"'
    response["Cache-Control"] = "private, no-store"
    return response
