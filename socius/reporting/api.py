"""API of reports (decision 0017): /api/v1/reports/monthly-activity/ (the figures as JSON with each figure's
drill-down URL, or the PDF, XLSX or CSV), /api/v1/reports/ (list, start) and /api/v1/reports/{id}/ with the
actions narrative, sign-narrative, approve and new-version.

Reading reports is the directors', team leaders', finance's and auditors'; the narrative the team leaders' and the
director's; approval and new versions the director's. Another centre's report is 404; a state that does not allow
the action 409 with the reason, nothing written. The figures are counts and sums (no audit of a read); a download
is audited as an export.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from socius.accounts.api import API_PERMISSIONS
from socius.accounts.audit import record_event
from socius.accounts.models import AuditAction
from socius.accounts.roles import APPROVE_REPORTS, VIEW_REPORTS, WRITE_REPORT_NARRATIVE
from socius.common.api import BAD_INPUT, NOT_FOUND, pk_or_404
from socius.common.errors import Conflict
from socius.reporting import selectors, services
from socius.reporting.errors import ReportFrozen
from socius.reporting.indicators import SECTIONS
from socius.reporting.models import Report, ReportVersion
from socius.reporting.report import ReportData, report_data
from socius.reporting.serializers import (
    EmptySerializer,
    MonthlyActivityQuerySerializer,
    MonthlyActivitySerializer,
    NarrativeSerializer,
    NewVersionSerializer,
    ReportListQuerySerializer,
    ReportSerializer,
    ReportStartSerializer,
)
from socius.reporting.statuses import ReportKind, VersionStatus

TAG = "reports"
FORBIDDEN = OpenApiResponse(description="Your role does not allow it.")
CONFLICT = OpenApiResponse(
    description='The version\'s state does not allow this: {"detail": reason, "code": "invalid_transition" | '
    '"report_frozen" | "narrative_signed" | "narrative_not_signed" | "draft_exists" | "not_approved" | '
    '"not_started" | "export_unavailable"}; nothing was changed.'
)
READ = {403: FORBIDDEN, 404: NOT_FOUND}
WRITE = {400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT}

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _data(serializer_class, source) -> dict:
    serializer = serializer_class(data=source)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- the monthly activity report as JSON ------------------------------------------------------------------------


def drilldown_url(request, report: Report, code: str) -> str | None:
    """The web page of the records behind an indicator's figure (`web:report_drilldown`), or None while that
    route is not there."""
    if report.pk is None:
        return None
    try:
        path = reverse("web:report_drilldown", args=[report.pk, code])
    except NoReverseMatch:
        return None
    return request.build_absolute_uri(path) if request is not None else path


def report_json(data: ReportData, request=None) -> dict:
    """The report as the API answers it (MonthlyActivitySerializer's shape)."""
    found = services.differences(data)
    version = data.version
    report = data.report
    return {
        "report": report.pk,
        "kind": report.kind,
        "version": version.number if version else None,
        "version_id": version.pk if version else None,
        "status": version.status if version else None,
        "is_frozen": data.is_frozen,
        "period": {
            "key": data.period.key,
            "label": data.period.label(),
            "start": data.period.start,
            "end": data.period.end,
        },
        "territory": {"id": report.territory.pk, "name": report.territory.name} if report.territory_id else None,
        "currency": data.currency,
        "computed_at": data.computed_at,
        "groups": [{"id": g.id, "name": g.name} for g in data.scope.groups],
        "indicators": [
            {
                "code": row.indicator.code,
                "section": row.indicator.section,
                "section_label": str(SECTIONS.get(row.indicator.section, row.indicator.section)),
                "label": str(row.indicator.label),
                "unit": row.indicator.unit,
                "definition": str(row.indicator.definition),
                "total": row.figure.total,
                "by_group": row.figure.by_group,
                "parts": [
                    {"code": p.code, "label": str(p.label), "total": p.total, "by_group": p.by_group}
                    for p in row.figure.parts
                ],
                "live_total": row.live.total,
                "history": [{"period": p.key, "label": p.label(), "total": total} for p, total in row.history],
                "difference": found.get(row.indicator.code),
                "drilldown_url": drilldown_url(request, report, row.indicator.code),
            }
            for row in data.rows
        ],
    }


def document_response(actor, data: ReportData, fmt: str) -> HttpResponse:
    """The report as a PDF, XLSX or CSV (socius.reporting.exports), as an attachment; the download is audited."""
    try:
        from socius.reporting import exports
    except ImportError:
        exports = None
    render = getattr(exports, f"report_{fmt}", None) if exports is not None else None
    if render is None:
        raise Conflict(_("This document cannot be made yet."), code="export_unavailable")
    content = render(data, language=get_language()) if fmt == "pdf" else render(data)
    report = data.report
    record_event(
        actor,
        AuditAction.EXPORT,
        object_type=services.REPORT,
        object_id=report.pk,
        centre_id=report.centre_id,
        changes={"format": [None, fmt], "version": [None, data.version.number if data.version else None]},
    )
    where = f"-{report.territory_id}" if report.territory_id else ""
    name = f"{report.kind.replace('_', '-')}-{report.period}{where}.{fmt}"
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class MonthlyActivityView(APIView):
    permission_classes = API_PERMISSIONS
    capabilities = {"get": VIEW_REPORTS, "options": VIEW_REPORTS}

    def perform_content_negotiation(self, request, force=False):
        # ?format= names the report's document (pdf, xlsx, csv), not one of DRF's renderers; errors answer JSON.
        renderer = JSONRenderer()
        return renderer, renderer.media_type

    @extend_schema(
        tags=[TAG],
        parameters=[MonthlyActivityQuerySerializer],
        responses={
            200: MonthlyActivitySerializer,
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, CONTENT_TYPES["xlsx"]): OpenApiTypes.BINARY,
            (200, "text/csv"): OpenApiTypes.BINARY,
            400: BAD_INPUT,
            403: FORBIDDEN,
            409: CONFLICT,
        },
        description="The monthly activity report of a month for the whole centre or one territory of its area: "
        "per indicator its definition, the total, per group (the territory's children; 0 the locality not "
        "recorded) and per part, the previous 12 months, the difference found since approval and the drill-down "
        "URL. The approved version's figures are the frozen ones. The report is stored (without a version) on "
        "first reading, so it has an id. `format=pdf|xlsx|csv` answers the document instead (audited).",
    )
    def get(self, request):
        query = _data(MonthlyActivityQuerySerializer, request.query_params)
        report = _open_monthly(request.user, query)
        data = report_data(request.user, report)
        if query.get("format"):
            return document_response(request.user, data, query["format"])
        return Response(MonthlyActivitySerializer(report_json(data, request)).data)


def _open_monthly(actor, query) -> Report:
    """The month's report, stored on first reading; a bad month is refused on `month`."""
    selectors.find_report(
        actor, ReportKind.MONTHLY_ACTIVITY, query["month"], query.get("territory"), period_field="month"
    )
    return services.open_report(actor, ReportKind.MONTHLY_ACTIVITY, query["month"], query.get("territory"))


# --- reports and their actions ---------------------------------------------------------------------------------


def _draft_of(report: Report) -> ReportVersion:
    """The report's draft version: the one its narrative and approval act on."""
    versions = selectors.versions_of(report)
    draft = next((v for v in versions if v.status == VersionStatus.DRAFT), None)
    if draft is not None:
        return draft
    if not versions:
        raise Conflict(_("This report has not been started yet."), code="not_started")
    raise ReportFrozen(versions[0])


def _show(actor, report_id, code=status.HTTP_200_OK) -> Response:
    report = selectors.get_report_for(actor, report_id)
    return Response(ReportSerializer(_with_versions(report, selectors.versions_of(report))).data, status=code)


def _with_versions(report: Report, versions: list[ReportVersion]) -> dict:
    return {
        "id": report.pk,
        "kind": report.kind,
        "period": report.period,
        "period_start": report.period_start,
        "period_end": report.period_end,
        "territory": report.territory,
        "created_at": report.created_at,
        "versions": versions,
    }


def _action(description: str, request_serializer):
    return extend_schema(
        request=request_serializer, responses={200: ReportSerializer, **WRITE}, description=description
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[ReportListQuerySerializer],
        responses={200: ReportSerializer(many=True), 400: BAD_INPUT, 403: FORBIDDEN},
        description="The centre's stored reports, newest period first, each with its versions (newest first).",
    ),
    retrieve=extend_schema(responses={200: ReportSerializer, **READ}, description="One report with its versions."),
    create=extend_schema(
        request=ReportStartSerializer,
        responses={201: ReportSerializer, 200: ReportSerializer, **WRITE},
        description="Start the report of a kind, period and territory: stored with its draft v1 (201), or the "
        "report already started (200). Team leaders and the director.",
    ),
)
@extend_schema(tags=[TAG])
class ReportViewSet(viewsets.GenericViewSet):
    permission_classes = API_PERMISSIONS
    filter_backends = []
    lookup_value_regex = r"\d+"
    serializer_class = ReportSerializer
    queryset = Report.objects.none()  # for the schema; requests read through the selectors
    http_method_names = ["get", "post", "head", "options"]
    capabilities = {
        "list": VIEW_REPORTS,
        "retrieve": VIEW_REPORTS,
        "options": VIEW_REPORTS,
        "create": WRITE_REPORT_NARRATIVE,
        "narrative": WRITE_REPORT_NARRATIVE,
        "sign_narrative": WRITE_REPORT_NARRATIVE,
        "approve": APPROVE_REPORTS,
        "new_version": APPROVE_REPORTS,
    }

    def list(self, request):
        query = _data(ReportListQuerySerializer, request.query_params)
        reports = selectors.list_reports_for(
            request.user, kind=query.get("kind"), period=query.get("period"), territory=query.get("territory")
        )
        page = self.paginate_queryset(reports)
        return self.get_paginated_response(
            ReportSerializer([_with_versions(r, list(r.versions.all())) for r in page], many=True).data
        )

    def retrieve(self, request, pk=None):
        return _show(request.user, pk_or_404(pk))

    def create(self, request):
        data = _data(ReportStartSerializer, request.data)
        before = selectors.find_report(request.user, data["kind"], data["period"], data.get("territory"))
        existed = before.pk is not None and before.versions.exists()
        report = services.start_report(request.user, data["kind"], data["period"], data.get("territory"))
        return _show(request.user, report.pk, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @_action(
        "Write (or rewrite) the narrative of the report's draft; empty text leaves it not written. 409 when the "
        "narrative is signed off or the report has no draft.",
        NarrativeSerializer,
    )
    @action(detail=True, methods=["post"], serializer_class=NarrativeSerializer)
    def narrative(self, request, pk=None):
        report = selectors.get_report_for(request.user, pk_or_404(pk))
        data = _data(NarrativeSerializer, request.data)
        services.write_narrative(request.user, _draft_of(report).pk, data["narrative"])
        return _show(request.user, report.pk)

    @_action(
        "Sign off the narrative of the report's draft (the head of service): it is then locked, and the director may "
        "approve. 400 on narrative when it is empty; 409 when already signed.",
        EmptySerializer,
    )
    @action(detail=True, methods=["post"], url_path="sign-narrative", serializer_class=EmptySerializer)
    def sign_narrative(self, request, pk=None):
        report = selectors.get_report_for(request.user, pk_or_404(pk))
        services.sign_narrative(request.user, _draft_of(report).pk)
        return _show(request.user, report.pk)

    @_action(
        "Approve the report's draft (the director): its figures and the fingerprints of the records behind them are "
        "frozen, and the version approved before is superseded (it stays readable). The monthly report needs the "
        "narrative signed off (409 narrative_not_signed).",
        EmptySerializer,
    )
    @action(detail=True, methods=["post"], serializer_class=EmptySerializer)
    def approve(self, request, pk=None):
        report = selectors.get_report_for(request.user, pk_or_404(pk))
        services.approve_version(request.user, _draft_of(report).pk)
        return _show(request.user, report.pk)

    @_action(
        "Issue a new draft of an approved report with the reason (the director); the approved version stays until "
        "the new one is approved. 409 draft_exists or not_approved.",
        NewVersionSerializer,
    )
    @action(detail=True, methods=["post"], url_path="new-version", serializer_class=NewVersionSerializer)
    def new_version(self, request, pk=None):
        report = selectors.get_report_for(request.user, pk_or_404(pk))
        data = _data(NewVersionSerializer, request.data)
        services.issue_new_version(request.user, report.pk, data["reason"])
        return _show(request.user, report.pk)
