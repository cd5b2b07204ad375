"""API shapes of reports (decision 0017): the monthly activity report's figures, the reports and their versions,
and the bodies of their actions. Shape only: the selectors and services check every value (the period, the
centre's area, the states)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from socius.common.api import IdField
from socius.reporting.services import NARRATIVE_MAX, REASON_MAX
from socius.reporting.statuses import NarrativeStatus, ReportKind, VersionStatus

# The documents of a report (socius.reporting.exports).
REPORT_FORMATS = (("pdf", "PDF"), ("xlsx", "XLSX"), ("csv", "CSV"))
DIFFERENCE_KINDS = (
    ("added", "added"),
    ("removed", "removed"),
    ("amount", "amount"),
    ("changed", "changed"),
)
UNITS = (("count", "count"), ("persons", "persons"), ("households", "households"), ("money", "money"))

# A figure is a whole number (count, persons, households) or, for money, a decimal string with two places.
NUMBER_SCHEMA = {"oneOf": [{"type": "integer"}, {"type": "string", "format": "decimal", "pattern": r"^-?\d+\.\d{2}$"}]}


def number_json(value):
    if isinstance(value, Decimal | str | float):  # money (frozen as a string; never a float in practice)
        return str(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    return int(value)


@extend_schema_field(NUMBER_SCHEMA)
class NumberField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return number_json(value)


@extend_schema_field({"type": "object", "additionalProperties": NUMBER_SCHEMA})
class ByGroupField(serializers.Field):
    """{group id: value}: the group ids of the report's `groups` (0: locality not recorded); absent: nothing."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return {str(k): number_json(v) for k, v in value.items()}


# --- queries and bodies -----------------------------------------------------------------------------------------


class MonthlyActivityQuerySerializer(serializers.Serializer):
    month = serializers.CharField(max_length=7, help_text="The month: YYYY-MM.")
    territory = IdField(
        required=False,
        help_text="A territory of the centre's area (its columns are that node's children); none: the whole centre.",
    )
    format = serializers.ChoiceField(
        choices=REPORT_FORMATS,
        required=False,
        help_text="Download the report as a document instead of JSON (the download is audited).",
    )


class ReportListQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReportKind.choices, required=False)
    period = serializers.CharField(required=False, max_length=10, help_text="2026-10, 2026-Q3, 2026-H1 or 2026.")
    territory = IdField(required=False, help_text="A territory of the centre's area.")


class ReportStartSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    period = serializers.CharField(
        max_length=10,
        help_text="The period of the kind: 2026-10 (monthly), 2026-H1 or 2026 (MRPiPS-03), 2026-Q3, 2026.",
    )
    territory = IdField(
        required=False, allow_null=True, help_text="A territory of the centre's area; none: the whole centre."
    )


class NarrativeSerializer(serializers.Serializer):
    narrative = serializers.CharField(allow_blank=True, max_length=NARRATIVE_MAX, trim_whitespace=True)


class NewVersionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX, help_text="Why a new version is issued.")


class EmptySerializer(serializers.Serializer):
    pass


# --- output -----------------------------------------------------------------------------------------------------


class ReportTerritorySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class ReportStaffSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.username


class VersionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(choices=VersionStatus.choices, read_only=True)
    narrative = serializers.CharField(read_only=True)
    narrative_status = serializers.ChoiceField(choices=NarrativeStatus.choices, read_only=True)
    narrative_signed_by = ReportStaffSerializer(read_only=True, allow_null=True)
    narrative_signed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    approved_by = ReportStaffSerializer(read_only=True, allow_null=True)
    approved_at = serializers.DateTimeField(read_only=True, allow_null=True)
    reason = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=ReportKind.choices, read_only=True)
    period = serializers.CharField(read_only=True)
    period_start = serializers.DateField(read_only=True)
    period_end = serializers.DateField(read_only=True, help_text="Exclusive: the day after the period's last day.")
    territory = ReportTerritorySerializer(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    versions = VersionSerializer(many=True, read_only=True, help_text="Newest first.")


class PeriodSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    start = serializers.DateField(read_only=True)
    end = serializers.DateField(read_only=True, help_text="Exclusive.")


class GroupSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="0: locality not recorded (or the scope's own node).")
    name = serializers.CharField(read_only=True)


class PartSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    total = NumberField()
    by_group = ByGroupField()


class HistorySerializer(serializers.Serializer):
    period = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    total = NumberField()


class DifferenceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DIFFERENCE_KINDS, read_only=True)
    delta = NumberField(help_text="Live minus frozen (0 for changed).")
    frozen = NumberField()
    live = NumberField()
    text = serializers.CharField(read_only=True)


class IndicatorFigureSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    section = serializers.CharField(read_only=True)
    section_label = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    unit = serializers.ChoiceField(choices=UNITS, read_only=True)
    definition = serializers.CharField(read_only=True)
    total = NumberField(help_text="Frozen for an approved version, live for a draft.")
    by_group = ByGroupField()
    parts = PartSerializer(many=True, read_only=True)
    live_total = NumberField(help_text="The records as they are now.")
    history = HistorySerializer(many=True, read_only=True, help_text="The previous 12 months' totals, oldest first.")
    difference = DifferenceSerializer(read_only=True, allow_null=True, help_text="What changed since approval.")
    drilldown_url = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="The records behind the figure (the web page); add `group` and `part` for one cell.",
    )


class MonthlyActivitySerializer(serializers.Serializer):
    report = serializers.IntegerField(read_only=True, help_text="The report's id (actions: /api/v1/reports/{id}/…).")
    kind = serializers.ChoiceField(choices=ReportKind.choices, read_only=True)
    version = serializers.IntegerField(read_only=True, allow_null=True, help_text="The version's number.")
    version_id = serializers.IntegerField(read_only=True, allow_null=True)
    status = serializers.ChoiceField(
        choices=VersionStatus.choices, read_only=True, allow_null=True, help_text="None: not started (read live)."
    )
    is_frozen = serializers.BooleanField(read_only=True)
    period = PeriodSerializer(read_only=True)
    territory = ReportTerritorySerializer(read_only=True, allow_null=True)
    currency = serializers.CharField(read_only=True)
    computed_at = serializers.DateTimeField(read_only=True)
    groups = GroupSerializer(many=True, read_only=True, help_text="The report's columns, in order.")
    indicators = IndicatorFigureSerializer(many=True, read_only=True)
