"""UI views of the monthly activity report (issue 12): the list of the centre's reports with the form that opens
one, the report's page (per section a table of the indicators per territory group, each number a link to the
records behind it, a sparkline against the previous 12 months with a table alternative, the definition, the
difference found since approval), its narrative block (written and signed off by the head of service), approval
and new versions (the director), the drill-down list of records and the downloads (PDF, XLSX, CSV).

Reads go through socius.reporting.selectors and `report.report_data` (the one read model the API and the exports
render too); writes are one call each of socius.reporting.services. Figures are counts and sums, not personal
data; the drill-down lists name persons, so each page of one is narrowed by the indicator's `visible` and audited
under the persons it shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socius.accounts.audit import record_event, record_list_view
from socius.accounts.models import AuditAction
from socius.accounts.roles import APPROVE_REPORTS, VIEW_REPORTS, WRITE_REPORT_NARRATIVE
from socius.common.errors import Conflict, Forbidden, ValidationFailed
from socius.common.formatting import format_money
from socius.reporting import permissions
from socius.reporting.charts import sparkline_svg
from socius.reporting.indicators import NO_LOCALITY, Indicator, Number, Unit, get_indicator, indicators_for
from socius.reporting.models import Report, ReportVersion
from socius.reporting.report import ReportData, Row, report_data, scope_of
from socius.reporting.statuses import NarrativeStatus, ReportKind, VersionStatus
from socius.web.access import requires
from socius.web.forms_reports import NarrativeForm, NewVersionForm, ReportChoiceForm
from socius.web.views._helpers import add_domain_errors, domain_404, paginate

EXPORT_FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _selectors():
    from socius.reporting import selectors

    return selectors


def _services():
    from socius.reporting import services

    return services


# --- reading a report ----------------------------------------------------------------------------------------


def _report(actor, pk: int) -> Report:
    """The report (404 for a missing one or another centre's, 403 when the reader may not read reports)."""
    report = _selectors().get_report_for(actor, pk)
    if not permissions.can_view_report(actor, report):
        raise PermissionDenied
    return report


def _version(request, report: Report) -> ReportVersion | None:
    """The version asked with `?version=N`, else the latest (the draft if there is one)."""
    versions = report.versions.all()
    number = request.GET.get("version")
    if number:
        try:
            found = versions.filter(number=int(number)).first()
        except ValueError:
            found = None
        if found is None:
            raise Http404()
        return found
    return versions.order_by("-number").first()


def _format(value: Number, unit: str, currency: str) -> str:
    if unit == Unit.MONEY:
        return format_money(value, currency)
    return formats.number_format(value, 0, use_l10n=True, force_grouping=True)


def _drill_url(report: Report, code: str, group_id: int | None = None, part: str | None = None) -> str:
    url = reverse("web:report_drilldown", args=(report.pk, code))
    query = {k: v for k, v in (("group", group_id), ("part", part)) if v is not None}
    return f"{url}?{urlencode(query)}" if query else url


def _differences(data: ReportData) -> dict[str, list[str]]:
    """Per indicator, the changes found since approval in words (part 3's `differences`), as lists."""
    if not data.is_frozen:
        return {}
    services = _services()
    found = services.differences(data) if hasattr(services, "differences") else {}
    out: dict[str, list[str]] = {}
    for code, said in (found or {}).items():
        if not said:
            continue
        if isinstance(said, str):
            out[code] = [said]
        elif hasattr(said, "text"):  # services.Difference
            out[code] = [str(said.text)]
        elif isinstance(said, dict):
            out[code] = [str(said.get("text") or said.get("message") or said)]
        else:
            out[code] = [str(s) for s in said if s]
    return out


@dataclass
class Cell:
    text: str
    href: str
    value: Number


def _cells(data: ReportData, row: Row, part: str | None = None) -> tuple[Cell, list[Cell]]:
    """The total and per-group cells of an indicator (or of one of its parts), each linking to its records."""
    unit, currency, report = row.indicator.unit, data.currency, data.report
    code = row.indicator.code
    total = row.figure.value(None, part)
    total_cell = Cell(_format(total, unit, currency), _drill_url(report, code, None, part), total)
    groups = []
    for group in data.scope.groups:
        value = row.figure.value(group.id, part)
        groups.append(Cell(_format(value, unit, currency), _drill_url(report, code, group.id, part), value))
    return total_cell, groups


def _chart(row: Row, data: ReportData) -> dict | None:
    if not row.history:
        return None
    months = [*row.history, (data.period, row.figure.total)]
    labels = [period.label() for period, _value in months]
    values = [value for _period, value in months]
    title = _("%(indicator)s, the last %(count)s months") % {"indicator": row.indicator.label, "count": len(months)}
    return {
        "svg": sparkline_svg(values, labels, title=title),
        "title": title,
        "points": [
            {"label": label, "text": _format(value, row.indicator.unit, data.currency)}
            for label, value in zip(labels, values, strict=True)
        ],
    }


def report_page_context(request, data: ReportData) -> dict:
    """The report's tables: per section, per indicator its cells, parts, chart and difference."""
    differences = _differences(data)
    sections = []
    for code, heading, rows in data.sections():
        lines = []
        for row in rows:
            total, groups = _cells(data, row)
            parts = []
            for part in row.figure.parts:
                p_total, p_groups = _cells(data, row, part.code)
                parts.append({"part": part, "total": p_total, "groups": p_groups})
            lines.append(
                {
                    "row": row,
                    "indicator": row.indicator,
                    "total": total,
                    "groups": groups,
                    "parts": parts,
                    "chart": _chart(row, data),
                    "differences": differences.get(row.indicator.code, []),
                }
            )
        sections.append({"code": code, "heading": heading, "lines": lines})
    return {"sections": sections, "any_difference": bool(differences)}


def _page_title(report: Report, data: ReportData | None = None) -> str:
    where = report.territory.name if report.territory_id else report.centre.name
    period = data.period.label() if data else report.period
    return _("%(report)s, %(period)s, %(where)s") % {
        "report": report.get_kind_display(),
        "period": period,
        "where": where,
    }


def _narrative_context(request, report: Report, version: ReportVersion | None, **extra) -> dict:
    actor = request.user
    is_draft = version is not None and version.status == VersionStatus.DRAFT
    may_write = is_draft and permissions.can_write_narrative(actor, report)
    signed = version is not None and version.narrative_status == NarrativeStatus.SIGNED
    context = {
        "report": report,
        "version": version,
        "may_edit_narrative": may_write and not signed,
        "may_sign_narrative": may_write and not signed,
        "narrative_signed": signed,
    }
    if context["may_edit_narrative"] and "narrative_form" not in extra:
        context["narrative_form"] = NarrativeForm(initial={"text": version.narrative}, auto_id="narrative_%s")
    context.update(extra)
    return context


@requires(VIEW_REPORTS)
@domain_404
def report_list(request):
    actor = request.user
    form = ReportChoiceForm(actor=actor, auto_id="report_%s")
    return _list_page(request, form)


def _list_page(request, form, status: int = 200):
    actor = request.user
    reports = _selectors().list_reports_for(actor)
    page = paginate(request, reports)
    for report in page.object_list:
        report.latest = report.versions.order_by("-number").first()
    return render(
        request,
        "web/reports/list.html",
        {"form": form, "page": page, "reports": page.object_list},
        status=status,
    )


@requires(VIEW_REPORTS)
@domain_404
def report_monthly(request):
    """`/reports/monthly/?month=&territory=`: the month's report for the territory, started (a draft showing the
    live figures) the first time it is opened, then its page."""
    actor = request.user
    form = ReportChoiceForm(request.GET, actor=actor, auto_id="report_%s")
    if not form.is_valid():
        return _list_page(request, form, status=400)
    territory = form.cleaned_data["territory"]
    territory_id = territory.pk if territory else None
    month = form.cleaned_data["month"]
    kind = ReportKind.MONTHLY_ACTIVITY
    try:
        report = _selectors().find_report(actor, kind, month, territory_id)
        may_start = permissions.can_write_narrative(actor, report) or permissions.can_approve_report(actor, report)
        if may_start and (report.pk is None or not report.versions.exists()):
            report = _services().start_report(actor, kind, month, territory_id)  # its draft v1
        elif report.pk is None:
            # A reader who does not start reports (finance, auditor): stored without a version, read live.
            report = _services().open_report(actor, kind, month, territory_id)
    except ValidationFailed as exc:
        add_domain_errors(form, exc)
        return _list_page(request, form, status=400)
    except Forbidden:
        raise PermissionDenied from None
    return redirect("web:report_detail", pk=report.pk)


@requires(VIEW_REPORTS)
@domain_404
def report_detail(request, pk: int):
    actor = request.user
    report = _report(actor, pk)
    version = _version(request, report)
    data = report_data(actor, report, version)
    latest = report.versions.order_by("-number").first()
    is_latest = version is None or latest is None or version.pk == latest.pk
    context = {
        "report": report,
        "data": data,
        "version": version,
        "versions": list(report.versions.order_by("-number").select_related("approved_by", "narrative_signed_by")),
        "is_latest": is_latest,
        "title": _page_title(report, data),
        "groups": data.scope.groups,
        "may_start": version is None
        and (permissions.can_write_narrative(actor, report) or permissions.can_approve_report(actor, report)),
        "may_approve": is_latest
        and version is not None
        and version.status == VersionStatus.DRAFT
        and permissions.can_approve_report(actor, report),
        "may_issue_new_version": is_latest
        and version is not None
        and version.status == VersionStatus.APPROVED
        and permissions.can_approve_report(actor, report),
        "new_version_form": NewVersionForm(auto_id="new_version_%s"),
        "exports": [
            (
                fmt,
                reverse(f"web:report_export_{fmt}", args=(report.pk,))
                + (f"?version={version.number}" if version else ""),
            )
            for fmt in EXPORT_FORMATS
        ],
        **report_page_context(request, data),
        **_narrative_context(request, report, version),
    }
    return render(request, "web/reports/detail.html", context)


# --- the narrative, approval and new versions ------------------------------------------------------------------


def _latest_version(report: Report) -> ReportVersion:
    version = report.versions.order_by("-number").first()
    if version is None:
        raise Http404()
    return version


def _narrative_answer(request, report: Report, version: ReportVersion, *, status: int = 200, **extra):
    """The narrative section again (htmx), or the report's page at the section (without JavaScript)."""
    if request.htmx:
        context = _narrative_context(request, report, version, **extra)
        return render(request, "web/reports/_narrative.html", context, status=status)
    if extra.get("section_refusal"):
        messages.error(request, str(extra["section_refusal"]))
    elif extra.get("section_notice"):
        messages.success(request, extra["section_notice"])
    return redirect(reverse("web:report_detail", args=(report.pk,)) + "#narrative")


@requires(WRITE_REPORT_NARRATIVE)
@require_POST
@domain_404
def report_narrative(request, pk: int):
    actor = request.user
    report = _report(actor, pk)
    if not permissions.can_write_narrative(actor, report):
        raise PermissionDenied
    version = _latest_version(report)
    form = NarrativeForm(request.POST, auto_id="narrative_%s")
    if not form.is_valid():
        refusal = "; ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items())
        return _narrative_answer(request, report, version, status=400, narrative_form=form, section_refusal=refusal)
    try:
        version = _services().write_narrative(actor, version.pk, form.cleaned_data["text"])
    except ValidationFailed as exc:
        add_domain_errors(form, exc)
        refusal = "; ".join(str(m) for ms in exc.errors.values() for m in ms)
        return _narrative_answer(request, report, version, status=400, narrative_form=form, section_refusal=refusal)
    except Conflict as exc:
        return _narrative_answer(request, report, version, status=409, section_refusal=str(exc.message))
    return _narrative_answer(request, report, version, section_notice=_("The narrative is saved."))


@requires(WRITE_REPORT_NARRATIVE)
@require_POST
@domain_404
def report_narrative_sign(request, pk: int):
    actor = request.user
    report = _report(actor, pk)
    if not permissions.can_write_narrative(actor, report):
        raise PermissionDenied
    version = _latest_version(report)
    try:
        version = _services().sign_narrative(actor, version.pk)
    except ValidationFailed as exc:
        refusal = "; ".join(str(m) for ms in exc.errors.values() for m in ms)
        return _narrative_answer(request, report, version, status=400, section_refusal=refusal)
    except Conflict as exc:
        return _narrative_answer(request, report, version, status=409, section_refusal=str(exc.message))
    return _narrative_answer(request, report, version, section_notice=_("The narrative is signed off."))


def _refused(request, report: Report, message) -> HttpResponse:
    messages.error(request, str(message))
    return redirect("web:report_detail", pk=report.pk)


@requires(APPROVE_REPORTS)
@require_POST
@domain_404
def report_approve(request, pk: int):
    actor = request.user
    report = _report(actor, pk)
    if not permissions.can_approve_report(actor, report):
        raise PermissionDenied
    version = _latest_version(report)
    try:
        version = _services().approve_version(actor, version.pk)
    except Conflict as exc:
        return _refused(request, report, exc.message)
    except ValidationFailed as exc:
        return _refused(request, report, " ".join(str(m) for ms in exc.errors.values() for m in ms))
    messages.success(
        request, _("Version %(number)s is approved and its figures are frozen.") % {"number": version.number}
    )
    return redirect("web:report_detail", pk=report.pk)


@requires(APPROVE_REPORTS)
@require_POST
@domain_404
def report_new_version(request, pk: int):
    actor = request.user
    report = _report(actor, pk)
    if not permissions.can_approve_report(actor, report):
        raise PermissionDenied
    form = NewVersionForm(request.POST, auto_id="new_version_%s")
    if not form.is_valid():
        return _refused(
            request, report, "; ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items())
        )
    try:
        version = _services().issue_new_version(actor, report.pk, form.cleaned_data["reason"])
    except Conflict as exc:
        return _refused(request, report, exc.message)
    except ValidationFailed as exc:
        return _refused(request, report, " ".join(str(m) for ms in exc.errors.values() for m in ms))
    messages.success(request, _("Version %(number)s is started as a draft.") % {"number": version.number})
    return redirect("web:report_detail", pk=report.pk)


# --- the drill-down ---------------------------------------------------------------------------------------------


def _indicator_of(actor, report: Report, code: str) -> Indicator:
    indicator = get_indicator(code)
    if indicator is None or indicator not in indicators_for(report.kind):
        raise Http404()
    if indicator.requires is not None and not indicator.requires(actor):
        raise PermissionDenied
    return indicator


@requires(VIEW_REPORTS)
@domain_404
def report_drilldown(request, pk: int, code: str):
    """The records behind a figure (`?group=` a column, `?part=` a breakdown line), narrowed to what the reader
    may see, paged; audited under the persons the page names."""
    actor = request.user
    report = _report(actor, pk)
    indicator = _indicator_of(actor, report, code)
    scope = scope_of(report)
    errors: dict[str, list[str]] = {}
    group_id: int | None = None
    raw_group = request.GET.get("group", "").strip()
    if raw_group:
        try:
            group_id = int(raw_group)
        except ValueError:
            group_id = None
        if group_id is None or scope.group(group_id) is None:
            errors["group"] = [_("Choose one of the report's columns.")]
            group_id = None
    part = request.GET.get("part", "").strip() or None
    part_label = None
    if part is not None:
        part_label = next((p.label for p in indicator.compute(scope).parts if p.code == part), None)
        if part_label is None:
            errors["part"] = [_("Choose one of the figure's lines.")]
            part = None
    if errors:
        return render(
            request,
            "web/reports/drilldown.html",
            {"report": report, "indicator": indicator, "errors": errors, "title": indicator.label},
            status=400,
        )
    records = indicator.records(scope, group_id, part)
    visible = indicator.visible(actor, records)
    if not visible.ordered:
        visible = visible.order_by("pk")
    behind = records.count()
    page = paginate(request, visible)
    rows = list(page.object_list)
    seen = page.paginator.count
    record_list_view(
        actor,
        object_type=indicator.audit_object_type,
        person_ids=indicator.persons_of(rows),
        query=f"report {report.pk} {code}"
        + (f" group {group_id}" if group_id is not None else "")
        + (f" part {part}" if part else ""),
    )
    table = [
        [
            {"text": column.text(record), "href": column.link(record) if column.link else None}
            for column in indicator.columns
        ]
        for record in rows
    ]
    group = scope.group(group_id) if group_id is not None else None
    amount = None
    if indicator.amount_field:  # a sum (money, or a headcount): the figure is the sum of this field
        from django.db.models import Sum

        total = records.aggregate(s=Sum(indicator.amount_field))["s"] or 0
        if indicator.unit == Unit.MONEY:
            amount = format_money(Decimal(str(total)), _currency(report))
        else:
            amount = _format(total, indicator.unit, "")
    return render(
        request,
        "web/reports/drilldown.html",
        {
            "report": report,
            "indicator": indicator,
            "title": indicator.label,
            "period_label": _period_label(report),
            "group": group,
            "group_name": (group.name if group and group.id != NO_LOCALITY else (str(group.name) if group else "")),
            "part_label": part_label,
            "columns": indicator.columns,
            "table": table,
            "page": page,
            "behind": behind,
            "seen": seen,
            "fewer": seen < behind,
            "amount": amount,
            "amount_is_money": indicator.unit == Unit.MONEY,
        },
    )


def _period_label(report: Report) -> str:
    from socius.reporting.periods import parse_period

    return parse_period(report.period).label()


def _currency(report: Report) -> str:
    from socius.rulebook.engine.jurisdiction import get_jurisdiction

    return get_jurisdiction(report.centre.jurisdiction).currency


# --- downloads ------------------------------------------------------------------------------------------------


def _export(request, pk: int, fmt: str) -> HttpResponse:
    actor = request.user
    report = _report(actor, pk)
    version = _version(request, report)
    data = report_data(actor, report, version)
    from socius.reporting import exports

    render_document = {"pdf": exports.report_pdf, "xlsx": exports.report_xlsx, "csv": exports.report_csv}[fmt]
    body = render_document(data)
    record_event(
        actor,
        AuditAction.EXPORT,
        object_type="report",
        object_id=report.pk,
        centre_id=report.centre_id,
        changes={"format": [None, fmt], "version": [None, version.number if version else None]},
    )
    where = f"-{report.territory_id}" if report.territory_id else ""
    filename = f"report-{report.kind}-{report.period}{where}.{fmt}"
    response = HttpResponse(body, content_type=EXPORT_FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@requires(VIEW_REPORTS)
@domain_404
def report_export_pdf(request, pk: int):
    return _export(request, pk, "pdf")


@requires(VIEW_REPORTS)
@domain_404
def report_export_xlsx(request, pk: int):
    return _export(request, pk, "xlsx")


@requires(VIEW_REPORTS)
@domain_404
def report_export_csv(request, pk: int):
    return _export(request, pk, "csv")
