"""API: the change trail of one record, for auditors and directors (docs/decisions/0008)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets

from socius.accounts.api import API_PERMISSIONS
from socius.accounts.audit import record_view
from socius.accounts.models import ChangeTrailEntry
from socius.accounts.roles import VIEW_AUDIT
from socius.accounts.trail import TRAIL_RECORD_TYPES, changed_fields, list_change_trail_for, person_of

MAX_ID = 2**63 - 1


class ChangeTrailQuerySerializer(serializers.Serializer):
    record_type = serializers.ChoiceField(choices=sorted(TRAIL_RECORD_TYPES), help_text="Which kind of record.")
    record_id = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="The record's id.")


class ChangeTrailEntrySerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="actor_id", read_only=True, allow_null=True)
    username = serializers.SerializerMethodField()
    changes = serializers.SerializerMethodField(help_text="{column: [before, after]} of the columns that changed.")
    old = serializers.JSONField(source="old_row", read_only=True, help_text="The row before (null for an insert).")
    new = serializers.JSONField(source="new_row", read_only=True, help_text="The row after (null for a delete).")

    class Meta:
        model = ChangeTrailEntry
        fields = ["id", "at", "operation", "user", "username", "db_user", "transaction_id", "changes", "old", "new"]
        read_only_fields = fields

    def get_username(self, entry) -> str:
        return entry.actor.username if entry.actor_id and entry.actor else ""

    def get_changes(self, entry) -> dict:
        return changed_fields(entry)


@extend_schema(
    tags=["audit"],
    parameters=[ChangeTrailQuerySerializer],
    description="What the database itself recorded of one record: every insert, update and delete, also those "
    "made outside the application's services (bulk updates, raw SQL, migrations, the shell), with the row "
    "before and after, the time, the database role and the application user when known. PostgreSQL only "
    "(triggers); on the embedded SQLite the list is empty. Reading it is audited as a view.",
)
class ChangeTrailViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = ChangeTrailEntrySerializer
    permission_classes = API_PERMISSIONS
    capabilities = {"list": VIEW_AUDIT, "options": VIEW_AUDIT}
    filter_backends = []

    def get_queryset(self):
        query = ChangeTrailQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        self.trail_query = query.validated_data
        return list_change_trail_for(self.request.user, **query.validated_data)

    def persons_shown(self, entries: list[ChangeTrailEntry]) -> list[int]:
        """The persons whose data the entries show, for the view event. Here the record's own person; the
        web layer, which sees the casework and plans apps, names a case's persons too (web.api_trail)."""
        person_id = person_of(self.trail_query["record_type"], self.trail_query["record_id"], entries)
        return [person_id] if person_id else []

    def list(self, request, *args, **kwargs):
        entries = self.paginate_queryset(self.get_queryset())
        if entries:
            record_type, record_id = self.trail_query["record_type"], self.trail_query["record_id"]
            record_view(
                request.user,
                object_type=record_type,
                object_id=record_id,
                centre_id=request.user.centre_id,
                person_ids=self.persons_shown(entries),
            )
        return self.get_paginated_response(self.get_serializer(entries, many=True).data)
