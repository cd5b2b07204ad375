"""Serializers of the rosters API: rosters, visits, deliveries, the canteen's day (decision 0016)."""

from __future__ import annotations

from rest_framework import serializers

from socius.common.api import ClockTimeField, IdField
from socius.services.models import Delivery, Roster, Visit
from socius.services.statuses import DeliveryOutcome, MissedReason, RosterStatus, VisitStatus

UNITS = {"max_digits": 8, "decimal_places": 2}
_NOTE = {"max_length": 2000, "allow_blank": True, "required": False, "default": ""}


class RosterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Roster
        fields = ["id", "week_start", "status", "generated_by", "published_by", "published_at"]
        read_only_fields = fields


class ServiceVisitSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="decision.person_id", read_only=True)
    person_name = serializers.CharField(source="decision.person.full_name", read_only=True)
    address = serializers.CharField(source="decision.person.street_address", read_only=True)
    service_code = serializers.CharField(source="decision.service_code", read_only=True)
    unit = serializers.CharField(source="decision.unit", read_only=True)
    worker_name = serializers.CharField(source="worker.name", read_only=True)
    starts_at = ClockTimeField(read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id", "roster", "decision", "person", "person_name", "address", "service_code", "unit", "worker",
            "worker_name", "date", "starts_at", "units", "status",
        ]  # fmt: skip
        read_only_fields = fields


class RosterDetailSerializer(RosterSerializer):
    visits = ServiceVisitSerializer(many=True, read_only=True, source="shown_visits")

    class Meta(RosterSerializer.Meta):
        fields = [*RosterSerializer.Meta.fields, "visits"]
        read_only_fields = fields


class UnplacedSerializer(serializers.Serializer):
    decision = serializers.IntegerField()
    person = serializers.IntegerField()
    service_code = serializers.CharField()
    date = serializers.DateField()
    starts_at = serializers.CharField(allow_null=True, help_text="HH:MM, or null when the decision has no usual week.")
    units = serializers.DecimalField(**UNITS)
    reason = serializers.CharField()


class RosterGenerateSerializer(serializers.Serializer):
    week_start = serializers.DateField(help_text="The Monday of the week.")


class RosterGeneratedSerializer(serializers.Serializer):
    roster = RosterSerializer()
    planned = serializers.IntegerField(help_text="Visits planned by this run.")
    unplaced = UnplacedSerializer(many=True)


class RosterQuerySerializer(serializers.Serializer):
    week_start = serializers.DateField(required=False)
    status = serializers.ChoiceField(choices=RosterStatus.choices, required=False)


class ServiceVisitQuerySerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    roster = IdField(required=False)
    worker = IdField(required=False)
    status = serializers.ChoiceField(choices=VisitStatus.choices, required=False)


class ServiceVisitCreateSerializer(serializers.Serializer):
    roster = IdField()
    decision = IdField()
    worker = IdField()
    date = serializers.DateField()
    starts_at = ClockTimeField()
    units = serializers.DecimalField(min_value=0, **UNITS)


class ServiceVisitMoveSerializer(serializers.Serializer):
    worker = IdField()
    date = serializers.DateField()
    starts_at = ClockTimeField()
    units = serializers.DecimalField(min_value=0, **UNITS)


class ServiceVisitCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")


class ServiceVisitDeliverSerializer(serializers.Serializer):
    units = serializers.DecimalField(min_value=0, **UNITS)
    note = serializers.CharField(**_NOTE)


class ServiceVisitMissSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=MissedReason.choices)
    note = serializers.CharField(**_NOTE)


class DeliverySerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="decision.person_id", read_only=True)
    missed_reason = serializers.ChoiceField(
        choices=MissedReason.choices, allow_blank=True, read_only=True, help_text="Empty when delivered."
    )

    class Meta:
        model = Delivery
        fields = [
            "id", "decision", "person", "visit", "worker", "date", "outcome", "units", "missed_reason", "note",
            "recorded_by", "recorded_at",
        ]  # fmt: skip
        read_only_fields = fields


class DeliveryQuerySerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    decision = IdField(required=False)
    outcome = serializers.ChoiceField(choices=DeliveryOutcome.choices, required=False)


class DeliveryCreateSerializer(serializers.Serializer):
    decision = IdField()
    date = serializers.DateField()
    units = serializers.DecimalField(min_value=0, **UNITS)
    worker = IdField(required=False, allow_null=True)
    note = serializers.CharField(**_NOTE)


class DeliveryCorrectSerializer(serializers.Serializer):
    units = serializers.DecimalField(min_value=0, **UNITS)
    note = serializers.CharField(max_length=2000)


class CanteenQuerySerializer(serializers.Serializer):
    service_code = serializers.CharField(
        max_length=60, required=False, help_text="A canteen service of the catalogue; the first in force by default."
    )
    day = serializers.DateField(required=False, help_text="Today by default.")


class CanteenMealsSerializer(serializers.Serializer):
    decision = IdField()
    meals = serializers.IntegerField(min_value=0, max_value=5)


class CanteenDayInputSerializer(serializers.Serializer):
    service_code = serializers.CharField(max_length=60)
    day = serializers.DateField()
    meals = CanteenMealsSerializer(many=True, max_length=2000)


class CanteenLineSerializer(serializers.Serializer):
    decision = serializers.IntegerField(source="decision.pk")
    person = serializers.IntegerField(source="decision.person_id")
    person_name = serializers.CharField(source="decision.person.full_name")
    meals = serializers.IntegerField()


class CanteenDaySerializer(serializers.Serializer):
    service_code = serializers.CharField()
    day = serializers.DateField()
    total = serializers.IntegerField()
    lines = CanteenLineSerializer(many=True)
