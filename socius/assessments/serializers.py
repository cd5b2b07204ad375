"""API shapes for assessments. Shape only: the services check every value (answers per field)."""

from __future__ import annotations

from rest_framework import serializers

from socius.assessments.models import AssessmentKind, AssessmentStatus
from socius.common.api import IdField
from socius.common.limits import NOTES_MAX_LENGTH


class AssessmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    case = serializers.IntegerField(source="case_id", read_only=True)
    instrument_code = serializers.CharField(read_only=True)
    instrument_version = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=AssessmentKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=AssessmentStatus.choices, read_only=True)
    need_identified_on = serializers.DateField(read_only=True)
    urgent = serializers.BooleanField(read_only=True)
    permanent_help = serializers.BooleanField(read_only=True)
    due_on = serializers.DateField(read_only=True, allow_null=True)
    completed_on = serializers.DateField(read_only=True, allow_null=True)
    signed_on = serializers.DateField(read_only=True, allow_null=True)
    renewal_due_on = serializers.DateField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class AssessmentDetailSerializer(AssessmentSerializer):
    answers = serializers.DictField(
        child=serializers.DictField(), read_only=True, help_text="Section code → field code → stored value."
    )
    diagnosis = serializers.CharField(read_only=True)
    conclusions = serializers.CharField(read_only=True)


class AssessmentCreateSerializer(serializers.Serializer):
    case = IdField(help_text="The case (id).")
    kind = serializers.ChoiceField(choices=AssessmentKind.choices)
    need_identified_on = serializers.DateField()
    urgent = serializers.BooleanField(required=False, default=False)
    permanent_help = serializers.BooleanField(required=False, default=False)
    instrument_code = serializers.CharField(
        required=False, max_length=60, help_text="Only when the jurisdiction has several forms in force."
    )


class AssessmentDraftSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.DictField(),
        required=False,
        default=dict,
        help_text="Section code → field code → value; partial answers are fine, an empty value removes one.",
    )
    diagnosis = serializers.CharField(required=False, allow_blank=True, max_length=NOTES_MAX_LENGTH)
    conclusions = serializers.CharField(required=False, allow_blank=True, max_length=NOTES_MAX_LENGTH)


class AssessmentQuerySerializer(serializers.Serializer):
    case = IdField(required=False, help_text="Of this case (id); every case whose content you may read when left out.")


class AssessmentCompleteSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="The day of completion; today when left out.")


class AssessmentSignSerializer(serializers.Serializer):
    signed_on = serializers.DateField(required=False, help_text="The day of signing; today when left out.")
