"""API shapes for home visits and social work. Shape only: the services check the rest."""

from __future__ import annotations

from rest_framework import serializers

from socius.casework.models import ActivityType, VisitStatus
from socius.common.api import ClockTimeField, IdField, IdListField
from socius.common.limits import NOTES_MAX_LENGTH


class HomeVisitSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    case = IdField(source="case_id", help_text="The case (id).")
    planned_on = serializers.DateField(
        required=False, allow_null=True, help_text="Required for a planned visit; the day done for a visit done."
    )
    planned_time = ClockTimeField(required=False, allow_null=True, help_text="Optional, hours and minutes.")
    done_on = serializers.DateField(
        required=False, allow_null=True, help_text='With status "done": the day it was done; today when left out.'
    )
    done_time = ClockTimeField(required=False, allow_null=True, help_text='With status "done": optional.')
    status = serializers.ChoiceField(
        choices=VisitStatus.choices,
        required=False,
        default=VisitStatus.PLANNED.value,
        help_text='"planned" when left out; "done" records a visit already made in one step (with its outcome); '
        '"cancelled" is refused.',
    )
    visitors = IdListField(
        required=False, default=list, help_text="Staff who go (user ids of your centre); you when left out."
    )
    place = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=250, help_text="The household's address when empty."
    )
    purpose = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTES_MAX_LENGTH)
    outcome = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=NOTES_MAX_LENGTH,
        help_text='With status "done": what was found and agreed; required.',
    )
    cancel_reason = serializers.CharField(read_only=True)
    next_visit = serializers.IntegerField(source="next_visit_id", read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)

    def validate_status(self, value):
        if value == VisitStatus.CANCELLED:
            raise serializers.ValidationError("A visit is created planned or done, never cancelled.")
        return value

    @property
    def is_done(self) -> bool:
        return self.validated_data.get("status") == VisitStatus.DONE

    def service_data(self) -> dict:
        data = self.validated_data
        common = {
            "visitors": data.get("visitors") or [],
            "place": data.get("place") or "",
            "purpose": data.get("purpose") or "",
        }
        if self.is_done:
            return {
                **common,
                "done_on": data.get("done_on") or data.get("planned_on"),
                "done_time": data.get("done_time") or data.get("planned_time"),
                "outcome": data.get("outcome") or "",
            }
        return {**common, "planned_on": data.get("planned_on"), "planned_time": data.get("planned_time")}


class VisitDoneSerializer(serializers.Serializer):
    done_on = serializers.DateField(required=False, allow_null=True, help_text="Today when left out.")
    done_time = ClockTimeField(required=False, allow_null=True, help_text="Optional, hours and minutes.")
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
