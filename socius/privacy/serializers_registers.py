"""Shapes of consents, processing activities and breaches in the API (shape only; the services check)."""

from __future__ import annotations

from rest_framework import serializers

from socius.common.api import IdField
from socius.common.limits import NOTES_MAX_LENGTH
from socius.privacy.models_registers import BreachNature, BreachRisk, DataBreach, ProcessingActivity
from socius.registry.models_consents import Consent, ConsentMethod, ConsentPurpose

TEXT_MAX = 5000


class RegistryConsentSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="person_id", read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True)
    withdrawn_by = serializers.CharField(source="withdrawn_by.username", read_only=True, allow_null=True, default=None)
    is_live = serializers.SerializerMethodField()

    class Meta:
        model = Consent
        fields = [
            "id",
            "person",
            "purpose",
            "given_on",
            "method",
            "note",
            "source",
            "recorded_by",
            "recorded_at",
            "withdrawn_on",
            "withdrawn_by",
            "withdrawal_note",
            "is_live",
        ]
        read_only_fields = fields

    def get_is_live(self, consent) -> bool:
        return consent.withdrawn_on is None


class RegistryConsentCreateSerializer(serializers.Serializer):
    person = IdField()
    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices)
    given_on = serializers.DateField()
    method = serializers.ChoiceField(choices=ConsentMethod.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTES_MAX_LENGTH, default="")


class RegistryConsentWithdrawSerializer(serializers.Serializer):
    withdrawn_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTES_MAX_LENGTH, default="")


class RegistryConsentQuerySerializer(serializers.Serializer):
    person = IdField(required=False)
    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices, required=False)
    live = serializers.BooleanField(required=False, allow_null=True, default=None)


def _text(required=True, max_length=TEXT_MAX):
    return serializers.CharField(required=required, allow_blank=not required, max_length=max_length)


class ProcessingActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcessingActivity
        fields = [
            "id",
            "code",
            "name",
            "purpose",
            "legal_basis",
            "data_subjects",
            "data_categories",
            "recipients",
            "transfers",
            "retention",
            "retention_keys",
            "security_measures",
            "source",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ProcessingActivityWriteSerializer(serializers.Serializer):
    name = _text(max_length=200)
    purpose = _text()
    legal_basis = _text()
    data_subjects = _text()
    data_categories = _text()
    recipients = _text(required=False)
    transfers = _text(required=False)
    retention = _text()
    security_measures = _text()
    is_active = serializers.BooleanField(required=False, default=True)


class DataBreachSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True)
    notified_in_time = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        model = DataBreach
        fields = [
            "id",
            "title",
            "discovered_at",
            "occurred_at",
            "nature",
            "description",
            "data_categories",
            "subjects_count",
            "records_count",
            "consequences",
            "measures",
            "risk",
            "authority",
            "notification_due_at",
            "notified_at",
            "notified_in_time",
            "notification_reference",
            "delay_reason",
            "not_notified_reason",
            "persons_informed_at",
            "persons_informed_how",
            "recorded_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class DataBreachWriteSerializer(serializers.Serializer):
    title = _text(max_length=200)
    discovered_at = serializers.DateTimeField()
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)
    nature = serializers.ChoiceField(choices=BreachNature.choices)
    description = _text()
    data_categories = _text()
    subjects_count = serializers.IntegerField(min_value=0, max_value=100_000_000)
    records_count = serializers.IntegerField(min_value=0, max_value=100_000_000, required=False, allow_null=True)
    consequences = _text()
    measures = _text()
    risk = serializers.ChoiceField(choices=BreachRisk.choices)
    notified_at = serializers.DateTimeField(required=False, allow_null=True)
    notification_reference = _text(required=False, max_length=100)
    delay_reason = _text(required=False)
    not_notified_reason = _text(required=False)
    persons_informed_at = serializers.DateTimeField(required=False, allow_null=True)
    persons_informed_how = _text(required=False)
