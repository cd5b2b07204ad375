"""API shapes for case documents. Shape only: the service checks the file's type and size."""

from __future__ import annotations

from rest_framework import serializers

from socius.casework.models_documents import DocumentKind
from socius.common.api import IdField


class CaseDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    case = IdField(source="case_id", help_text="The case (id).")
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    title = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200, help_text="The file's name when left empty."
    )
    file = serializers.FileField(
        write_only=True, allow_empty_file=True, help_text="PDF, JPEG, PNG or TIFF (checked by content)."
    )
    original_name = serializers.CharField(read_only=True)
    content_type = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True, help_text="In bytes.")
    sha256 = serializers.CharField(read_only=True)
    uploaded_by = serializers.IntegerField(source="uploaded_by_id", read_only=True, allow_null=True)
    uploaded_at = serializers.DateTimeField(read_only=True)


class DocumentQuerySerializer(serializers.Serializer):
    case = IdField(required=False, help_text="Of this case (id).")
