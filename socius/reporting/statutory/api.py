"""API of the statutory statistics: GET /api/v1/reports/mrpips-03/?period=YYYY-H1|YYYY,
/api/v1/reports/ozps/?year=YYYY, /api/v1/reports/lt-cash-assistance/?quarter=YYYY-Qn,
/api/v1/reports/md-yearly-aid/?year=YYYY, each with an optional `territory` and `format=xlsx` for the form's XLSX.

Figures only (counts and sums): no one is named, so nothing is audited but the XLSX download (an export).
A report of another country's centre is 404; a bad period or a territory outside the centre's area 400."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from socius.accounts.api import API_PERMISSIONS
from socius.accounts.audit import record_event
from socius.accounts.models import AuditAction
from socius.accounts.roles import VIEW_REPORTS
from socius.common.api import BAD_INPUT, NOT_FOUND, IdField
from socius.reporting.indicators import Figure
from socius.reporting.statutory import xlsx
from socius.reporting.statutory.statistics import KINDS, Statistics, statistics_for

TAG = "reports"
FORBIDDEN = OpenApiResponse(
    description="Your role does not allow it (reports: director, team leader, finance, auditor)."
)


def _text(value) -> str:
    return str(value)


class StatutoryColumnSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()


class StatutoryTableRowSerializer(serializers.Serializer):
    code = serializers.CharField(allow_null=True, help_text="The form's row (null: the total line).")
    label = serializers.CharField()
    values = serializers.ListField(
        child=serializers.CharField(), help_text='One per column: a number as text, or "." (no data recorded).'
    )
    source = serializers.CharField()
    confirmed = serializers.BooleanField()


class StatutoryTableSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    source = serializers.CharField()
    confirmed = serializers.BooleanField()
    columns = StatutoryColumnSerializer(many=True)
    rows = StatutoryTableRowSerializer(many=True)


class StatutoryIndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    section = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    definition = serializers.CharField()
    figure = serializers.JSONField(help_text="total, by_group {group id: value} and parts; money as text.")
    drilldown_url = serializers.CharField(allow_null=True)


class StatutoryGroupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class StatutoryPeriodSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField(help_text="Exclusive: the day after the period's last day.")


class StatutoryStatisticsSerializer(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    source = serializers.CharField()
    confirmed = serializers.BooleanField()
    period = StatutoryPeriodSerializer()
    territory = StatutoryGroupSerializer(allow_null=True)
    report = serializers.IntegerField(allow_null=True, help_text="The saved report, if one was started.")
    version = serializers.IntegerField(allow_null=True)
    status = serializers.CharField(allow_null=True)
    frozen = serializers.BooleanField()
    currency = serializers.CharField()
    groups = StatutoryGroupSerializer(many=True)
    sections = StatutoryTableSerializer(many=True)
    indicators = StatutoryIndicatorSerializer(many=True)


def _drilldown(stats: Statistics, code: str) -> str | None:
    if stats.report.pk is None:
        return None
    try:
        return reverse("web:report_drilldown", args=[stats.report.pk, code])
    except NoReverseMatch:  # the report pages' route (another part of issue 12) not merged yet
        return None


def as_json(stats: Statistics) -> dict:
    data = stats.data
    return {
        "kind": stats.rule.kind,
        "title": stats.title,
        "source": stats.source,
        "confirmed": stats.confirmed,
        "period": {
            "key": stats.period.key,
            "label": stats.period.label(),
            "start": stats.period.start,
            "end": stats.period.end,
        },
        "territory": {"id": stats.territory.pk, "name": stats.territory.name} if stats.territory else None,
        "report": stats.report.pk,
        "version": data.version.number if data.version else None,
        "status": data.version.status if data.version else None,
        "frozen": data.is_frozen,
        "currency": data.currency,
        "groups": [{"id": g.id, "name": g.name} for g in data.scope.groups],
        "sections": [
            {
                "code": table.section,
                "title": table.title,
                "source": table.source,
                "confirmed": table.confirmed,
                "columns": [{"code": c, "label": label, "unit": unit} for c, label, unit in table.columns],
                "rows": [
                    {
                        "code": line.code,
                        "label": line.label,
                        "values": [_text(cell.value) for cell in line.cells],
                        "source": line.source,
                        "confirmed": line.confirmed,
                    }
                    for line in table.rows
                ],
            }
            for table in stats.tables
        ],
        "indicators": [
            {
                "code": row.indicator.code,
                "section": row.indicator.section,
                "label": str(row.indicator.label),
                "unit": row.indicator.unit,
                "definition": str(row.indicator.definition),
                "figure": Figure.as_json(row.figure),
                "drilldown_url": _drilldown(stats, row.indicator.code),
            }
            for row in data.rows
        ],
    }


def _query_serializer(param: str, example: str):
    name = f"{param.capitalize()}StatisticsQuery"
    fields = {
        param: serializers.CharField(help_text=f"The period, e.g. {example}."),
        "territory": IdField(required=False, help_text="A territory of the centre's area."),
        "format": serializers.ChoiceField(
            choices=[("json", "json"), ("xlsx", "xlsx")], required=False, help_text="xlsx: the form as a workbook."
        ),
    }
    return type(name, (serializers.Serializer,), fields)


def _view(slug: str, example: str, description: str):
    rule = KINDS[slug]
    query = _query_serializer(rule.param, example)
    query.__name__ = f"{rule.layout.title().replace('_', '')}{'Ozps' if slug == 'ozps' else ''}Query"

    class StatisticsView(APIView):
        permission_classes = API_PERMISSIONS
        capabilities = {"get": VIEW_REPORTS, "options": VIEW_REPORTS}

        def perform_content_negotiation(self, request, force=False):
            # ?format=xlsx names the form's workbook, not one of DRF's renderers; errors answer JSON.
            renderer = JSONRenderer()
            return renderer, renderer.media_type

        @extend_schema(
            tags=[TAG],
            operation_id=f"reports_{slug.replace('-', '_')}",
            parameters=[query],
            responses={
                (200, "application/json"): StatutoryStatisticsSerializer,
                (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY,
                400: BAD_INPUT,
                403: FORBIDDEN,
                404: NOT_FOUND,
            },
            description=description,
        )
        def get(self, request):
            params = query(data=request.query_params)
            params.is_valid(raise_exception=True)
            values = params.validated_data
            stats = statistics_for(request.user, slug, values.get(rule.param), values.get("territory"))
            if values.get("format") == "xlsx":
                content = xlsx.statistics_xlsx(stats)
                # Figures name no one; the download is still recorded as an export of the report.
                record_event(
                    request.user,
                    AuditAction.EXPORT,
                    object_type="statutory_report",
                    object_id=stats.report.pk,
                    centre_id=request.user.centre_id,
                    changes={"kind": [None, rule.kind], "period": [None, stats.period.key], "format": [None, "xlsx"]},
                )
                response = HttpResponse(
                    content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                )
                response["Content-Disposition"] = f'attachment; filename="{xlsx.filename(stats)}"'
                response["Cache-Control"] = "private, no-store"
                return response
            return Response(StatutoryStatisticsSerializer(as_json(stats)).data)

    StatisticsView.__name__ = f"{query.__name__[:-5]}View"
    return StatisticsView


MrpipsView = _view(
    "mrpips-03",
    "2026-H1 or 2026",
    "MRPiPS-03 for a half-year (YYYY-H1) or a year (YYYY): forms of help by task type (persons, benefits, amount, "
    "families, persons in families), reasons for granting help (art. 7 u.p.s.), family types, families helped, social "
    "work and social contracts, in the layout of the form as far as it is known (each section and row with its source "
    'and whether it is confirmed; "." where Socius records no data). Counts only: names no one.',
)
OzpsView = _view(
    "ozps",
    "2026",
    "The figures of the OZPS assessment for a year taken from the records (persons and families helped, reasons, "
    "benefits, social work, contracts, refusals). Counts only.",
)
LtCashView = _view(
    "lt-cash-assistance",
    "2026-Q1",
    "The quarterly report on cash social assistance (socialinė pašalpa, heating and water compensations): families "
    "receiving it, persons in them and the amount, by family type. Counts only.",
)
MdYearlyView = _view(
    "md-yearly-aid",
    "2026",
    "The yearly figures on ajutor social and cold-season aid: families, persons in them and the amount, by family "
    "type. Counts only.",
)
