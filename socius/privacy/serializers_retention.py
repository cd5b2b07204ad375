"""Shapes of the retention and erasure API (decision 0023): shape only, the services decide."""

from __future__ import annotations

from rest_framework import serializers

from socius.common.api import IdField
from socius.privacy.statuses_retention import ErasureStatus, ReviewStatus


class RetentionEmptySerializer(serializers.Serializer):
    pass


class RetentionReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why (required, not blank).")


class RecordBasisSerializer(serializers.Serializer):
    record_type = serializers.ChoiceField(
        choices=["registry_entry", "contact", "case_file", "benefit_decision", "payment"], read_only=True
    )
    record_id = serializers.IntegerField(read_only=True)
    anchor_on = serializers.DateField(read_only=True, allow_null=True, help_text="Null: the record is still open.")
    expires_on = serializers.DateField(read_only=True, allow_null=True)
    years = serializers.IntegerField(read_only=True, allow_null=True)
    legal_basis = serializers.CharField(read_only=True)
    source = serializers.CharField(read_only=True)
    confirmed = serializers.BooleanField(read_only=True, help_text="False: the period is not confirmed in law.")
    statutory_keep = serializers.BooleanField(read_only=True)


class KeptRecordSerializer(RecordBasisSerializer):
    keep_reason = serializers.CharField(read_only=True, help_text="The statute that keeps the record, in words.")
    open = serializers.BooleanField(read_only=True)


class RetentionItemSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person_id", read_only=True)
    expired_on = serializers.DateField(read_only=True, help_text="The day the person's last record expired.")
    basis = RecordBasisSerializer(many=True, read_only=True)


class RetentionReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    reviewed_on = serializers.DateField(read_only=True)
    status = serializers.ChoiceField(choices=ReviewStatus.choices, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    created_by = serializers.IntegerField(source="created_by_id", read_only=True, allow_null=True)
    decided_by = serializers.IntegerField(source="decided_by_id", read_only=True, allow_null=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    rejection_reason = serializers.CharField(read_only=True)
    rules_version = serializers.CharField(read_only=True)
    anonymised_count = serializers.IntegerField(read_only=True)
    persons = serializers.IntegerField(read_only=True, help_text="Persons listed.")


class RetentionReviewDetailSerializer(RetentionReviewSerializer):
    items = RetentionItemSerializer(many=True, read_only=True)


class ErasureCreateSerializer(serializers.Serializer):
    person = IdField()
    received_on = serializers.DateField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ErasureRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    person = serializers.IntegerField(source="person_id", read_only=True)
    received_on = serializers.DateField(read_only=True)
    received_by = serializers.IntegerField(source="received_by_id", read_only=True)
    note = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=ErasureStatus.choices, read_only=True)
    kept_by_law = KeptRecordSerializer(many=True, read_only=True)
    refusal_reason = serializers.CharField(read_only=True)
    decided_by = serializers.IntegerField(source="decided_by_id", read_only=True, allow_null=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
