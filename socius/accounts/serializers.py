"""API shapes for accounts: token exchange and the audit log (shape only, no business rules)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from socius.accounts.audit import persons_of_events
from socius.accounts.models import AuditAction, AuditEvent
from socius.common.api import IdField


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True, help_text="After this moment the token answers 401.")


class AuditEventQuerySerializer(serializers.Serializer):
    """The filters of the audit log, read from the query string."""

    person = IdField(required=False, help_text="Events concerning this person (id).")
    user = IdField(required=False, help_text="Events by this user (id).")
    action = serializers.ChoiceField(required=False, choices=AuditAction.choices)
    object_type = serializers.CharField(required=False, max_length=40, help_text="e.g. person, household, membership")
    object_id = IdField(required=False)
    date_from = serializers.DateField(required=False, help_text="On or after this day (inclusive).")
    date_to = serializers.DateField(required=False, help_text="On or before this day (inclusive).")

    def as_selector_kwargs(self) -> dict:
        data = self.validated_data
        return {
            "person_id": data.get("person"),
            "user_id": data.get("user"),
            "action": data.get("action"),
            "object_type": data.get("object_type"),
            "object_id": data.get("object_id"),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }


class AuditEventSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="actor_id", read_only=True, allow_null=True)
    username = serializers.CharField(source="actor_username", read_only=True)
    person = serializers.IntegerField(source="person_id", read_only=True, allow_null=True)
    changes = serializers.JSONField(read_only=True, help_text="{field: [before, after]}")
    persons = serializers.SerializerMethodField(
        help_text="Every person whose data the event showed or changed (ids), `person` first when set."
    )

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "user",
            "username",
            "action",
            "object_type",
            "object_id",
            "person",
            "persons",
            "changes",
            "ip",
            "channel",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_persons(self, obj: AuditEvent) -> list[int]:
        named = getattr(obj, "named_persons", None)  # set by the view for the page, in one query
        if named is None:
            named = persons_of_events([obj])[obj.pk]
        return named
