"""API shapes for home visits and social work. Shape only: the services check the rest."""

from __future__ import annotations

from rest_framework import serializers

from socius.casework.models import ActivityType, VisitStatus
from socius.common.api import IdField, IdListField
from socius.common.limits import NOTES_MAX_LENGTH


class HomeVisitSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    case = IdField(source="case_id", help_text="The case (id).")
    planned_on = serializers.DateField()
    done_on = serializers.DateField(read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=VisitStatus.choices, read_only=True)
    visitors = IdListField(
        required=False, default=list, help_text="Staff who go (user ids of your centre); you when left out."
    )
    place = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=250, help_text="The household's address when empty."
    )
    purpose = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTES_MAX_LENGTH)
    outcome = serializers.CharField(read_only=True)
    cancel_reason = serializers.CharField(read_only=True)
    next_visit = serializers.IntegerField(source="next_visit_id", read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)

    def service_data(self) -> dict:
        data = self.validated_data
        return {
            "planned_on": data["planned_on"],
            "visitors": data.get("visitors") or [],
            "place": data.get("place") or "",
            "purpose": data.get("purpose") or "",
        }


class VisitDoneSerializer(serializers.Serializer):
    done_on = serializers.DateField(required=False, allow_null=True, help_text="Today when left out.")
    outcome = serializers.CharField(
        allow_blank=True, help_text="What was found and agreed; required.", max_length=NOTES_MAX_LENGTH
    )
    next_visit_on = serializers.DateField(
        required=False, allow_null=True, help_text="When given, a new visit is planned for that day."
    )


class VisitCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class VisitQuerySerializer(serializers.Serializer):
    case = IdField(required=False, help_text="Of this case (id).")


class SocialWorkSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    case = IdField(source="case_id", help_text="The case (id).")
    type = serializers.ChoiceField(choices=ActivityType.choices)
    performed_on = serializers.DateField()
    duration_minutes = serializers.IntegerField(help_text="From 1 to 600.")
    participants = IdListField(
        required=False, default=list, help_text="Persons of the case's household (or the case's person), ids."
    )
    performed_by = IdField(
        source="performed_by_id", required=False, allow_null=True, help_text="User id; you when left out."
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTES_MAX_LENGTH)
    created_at = serializers.DateTimeField(read_only=True)

    def service_data(self) -> dict:
        data = self.validated_data
        return {
            "type": data["type"],
            "performed_on": data["performed_on"],
            "duration_minutes": data["duration_minutes"],
            "participants": data.get("participants") or [],
            "performed_by": data.get("performed_by_id"),
            "notes": data.get("notes") or "",
        }
