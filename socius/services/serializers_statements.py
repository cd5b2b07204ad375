"""Serializers of the monthly statements API (/api/v1/services/statements/). Amounts are strings ("354.00"),
months YYYY-MM."""

from __future__ import annotations

from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from socius.benefits.serializers import MonthField
from socius.common.api import IdField
from socius.services.models import MonthlyStatement
from socius.services.statements import service_label
from socius.services.statuses import StatementStatus


class ServiceStatementQuerySerializer(serializers.Serializer):
    month = MonthField(required=False, help_text="The month (YYYY-MM).")
    status = serializers.ChoiceField(choices=StatementStatus.choices, required=False)
    person = IdField(required=False, help_text="The client's id.")
    q = serializers.CharField(
        required=False, max_length=100, help_text="The statement's number or reference, or the client's name."
    )


class ServiceStatementClientSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")


class ServiceStatementSerializer(serializers.ModelSerializer):
    client = ServiceStatementClientSerializer(source="person")
    month = MonthField(read_only=True)
    total_units = serializers.DecimalField(max_digits=8, decimal_places=2)
    total_cost = serializers.DecimalField(max_digits=12, decimal_places=2)
    total_due = serializers.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        model = MonthlyStatement
        fields = [
            "id", "number", "month", "status", "client", "total_units", "total_cost", "total_due", "currency",
            "payment_reference", "issued_on", "replaces",
        ]  # fmt: skip


class ServiceStatementPeriodSerializer(serializers.Serializer):
    date_from = serializers.DateField(source="from")
    date_until = serializers.DateField(source="until")
    units = serializers.DecimalField(max_digits=8, decimal_places=2)
    unit_cost = serializers.DecimalField(max_digits=12, decimal_places=2)
    cost = serializers.DecimalField(max_digits=12, decimal_places=2)


class ServiceStatementCopaymentSerializer(serializers.Serializer):
    valid_from = serializers.DateField()
    free = serializers.BooleanField()
    share_of_cost_percent = serializers.DecimalField(max_digits=6, decimal_places=2)
    income_cap_percent = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    income = serializers.DecimalField(max_digits=12, decimal_places=2)


class ServiceStatementLineSerializer(serializers.Serializer):
    decision_id = serializers.IntegerField()
    decision_number = serializers.CharField()
    service_code = serializers.CharField()
    service = serializers.SerializerMethodField()
    unit = serializers.CharField()
    units = serializers.DecimalField(max_digits=8, decimal_places=2)
    delivered = serializers.IntegerField(help_text="Visits or days delivered.")
    missed = serializers.IntegerField(help_text="Visits missed (they cost nothing).")
    periods = ServiceStatementPeriodSerializer(many=True)
    cost = serializers.DecimalField(max_digits=12, decimal_places=2)
    copayment = ServiceStatementCopaymentSerializer(
        allow_null=True, help_text="The co-payment applied; null: none assessed."
    )
    due = serializers.DecimalField(max_digits=12, decimal_places=2)

    def get_service(self, line) -> str:
        return service_label(self.context.get("country", ""), line["service_code"], get_language())


class ServiceStatementDetailSerializer(ServiceStatementSerializer):
    lines = serializers.SerializerMethodField()
    issued_by = serializers.SerializerMethodField()

    class Meta(ServiceStatementSerializer.Meta):
        fields = [*ServiceStatementSerializer.Meta.fields, "lines", "issued_by", "generated_at"]

    @extend_schema_field(ServiceStatementLineSerializer(many=True))
    def get_lines(self, statement) -> list[dict]:
        context = {"country": statement.centre.jurisdiction}
        return ServiceStatementLineSerializer(statement.lines, many=True, context=context).data

    def get_issued_by(self, statement) -> str | None:
        user = statement.issued_by
        return (user.get_full_name() or user.username) if user else None


class ServiceStatementMonthSerializer(serializers.Serializer):
    month = MonthField(help_text="The month (YYYY-MM): this month or a past one.")


class ServiceStatementReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ServiceStatementCorrectionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class ServiceStatementGenerationSerializer(serializers.Serializer):
    month = MonthField(read_only=True)
    created = serializers.IntegerField()
    replaced = serializers.IntegerField()
    removed = serializers.IntegerField()
    issued_untouched = serializers.IntegerField(help_text="Clients whose issued statement was left as it is.")


class ServiceStatementsIssuedSerializer(serializers.Serializer):
    month = MonthField(read_only=True)
    issued = serializers.IntegerField()
