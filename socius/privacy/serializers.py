"""API shapes of subject-access requests (decision 0022). Shape only: the services check every value."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from rest_framework import serializers

from socius.common.api import IdField
from socius.privacy.models import SubjectAccessRequest
from socius.privacy.statuses import ExportState, Requester, SarChannel, SarStatus

NOTE_MAX = 2000
REASON_MAX = 2000


class EmptySerializer(serializers.Serializer):
    pass


class SarListQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=SarStatus.choices, required=False)
    person = IdField(required=False)


class SarCreateSerializer(serializers.Serializer):
    person = IdField()
    received_on = serializers.DateField()
    requester = serializers.ChoiceField(choices=Requester.choices)
    representative_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    channel = serializers.ChoiceField(choices=SarChannel.choices)
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        allow_blank=True,
        default="",
        help_text="The export's language; the centre's when left out.",
    )
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True, default="")


class SarRefuseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX, help_text="Given to the person.")


class _User(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class SubjectAccessRequestSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    received_by = _User(read_only=True)
    approved_by = _User(read_only=True, allow_null=True)
    refused_by = _User(read_only=True, allow_null=True)
    delivered_by = _User(read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=SarStatus.choices, read_only=True)
    export_state = serializers.ChoiceField(choices=ExportState.choices, read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = SubjectAccessRequest
        fields = [
            "id",
            "person",
            "person_name",
            "received_on",
            "received_by",
            "requester",
            "representative_name",
            "channel",
            "language",
            "note",
            "status",
            "approved_by",
            "approved_at",
            "refused_by",
            "refused_at",
            "refusal_reason",
            "export_state",
            "export_sha256",
            "export_size",
            "exported_at",
            "delivered_by",
            "delivered_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, obj) -> str | None:
        """The export's download (GET …/download/) when it is ready; null before."""
        if not obj.is_ready or obj.status not in (SarStatus.APPROVED, SarStatus.DELIVERED):
            return None
        request = self.context.get("request")
        path = reverse("api-subject-access-download", args=[obj.pk])
        return request.build_absolute_uri(path) if request is not None else path
