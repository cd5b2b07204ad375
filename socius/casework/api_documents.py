"""API for case documents: /api/v1/case-documents/.

Documents are case content: lists hold only what the actor may read; `?case=` reads one case (audited,
403 without its content). Create is multipart; GET /{id}/download/ streams the file (audited);
DELETE removes it softly. There is no PUT or PATCH.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from socius.accounts.api import API_PERMISSIONS
from socius.accounts.roles import VIEW_CASES, WORK_CASES
from socius.casework import services
from socius.casework.api_audit import AuditsCasesOfPage
from socius.casework.downloads import document_response
from socius.casework.models_documents import CaseDocument
from socius.casework.selectors_documents import documents_readable_by, get_document_for, open_document_for
from socius.casework.serializers_documents import CaseDocumentSerializer, DocumentQuerySerializer
from socius.common.api import BAD_INPUT as _BAD_INPUT

_NOT_FOUND = OpenApiResponse(description="No such document (or case) in your centre.")
_FORBIDDEN = OpenApiResponse(description="You may not read or work this case's content.")
_CONFLICT = OpenApiResponse(description='The case is closed: {"detail": reason, "code": ...}; nothing was changed.')


@extend_schema_view(
    list=extend_schema(parameters=[DocumentQuerySerializer], description="Documents you may read, newest first."),
    retrieve=extend_schema(responses={200: CaseDocumentSerializer, 403: _FORBIDDEN, 404: _NOT_FOUND}),
    create=extend_schema(
        responses={201: CaseDocumentSerializer, 400: _BAD_INPUT, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT},
        description="Attach a file to an open case (multipart/form-data).",
    ),
    destroy=extend_schema(
        responses={204: None, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT},
        description="Remove the document from the case (kept for the audit trail, hidden everywhere).",
    ),
)
@extend_schema(tags=["case documents"])
class CaseDocumentViewSet(AuditsCasesOfPage, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = CaseDocumentSerializer
    permission_classes = API_PERMISSIONS
    parser_classes = [MultiPartParser, FormParser]
    capabilities = {
        "list": VIEW_CASES,
        "retrieve": VIEW_CASES,
        "download": VIEW_CASES,
        "options": VIEW_CASES,
        "create": WORK_CASES,
        "destroy": WORK_CASES,
    }
    filter_backends = []
    lookup_value_regex = r"\d+"
    queryset = CaseDocument.objects.none()  # for the schema; requests read through the selectors

    def get_queryset(self):
        query = DocumentQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return documents_readable_by(self.request.user, case=query.validated_data.get("case"))

    def retrieve(self, request, pk=None):
        return Response(CaseDocumentSerializer(get_document_for(request.user, pk)).data)

    def create(self, request):
        body = CaseDocumentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        document = services.attach_document(
            request.user, data["case_id"], data["file"], kind=data["kind"], title=data.get("title") or ""
        )
        return Response(CaseDocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        services.remove_document(request.user, pk)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            403: _FORBIDDEN,
            404: _NOT_FOUND,
        },
        description="The file itself, as an attachment under its original name (audited).",
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        return document_response(open_document_for(request.user, pk))
