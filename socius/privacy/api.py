"""API of subject-access requests (GDPR art. 15, decision 0022): /api/v1/subject-access/ (list, record) and
/api/v1/subject-access/{id}/ with the actions approve, refuse, retry-export, deliver and the download.

Recording is for casework staff, the DPO and the director; approval and refusal the director's (four eyes: not the
one who recorded it); the download the director's and the recorder's. Requests the caller may not see are 404; a
state that does not allow the action 409 with the reason, nothing written. Every step is audited under the person.
"""

from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from socius.accounts.api import API_PERMISSIONS
from socius.accounts.audit import record_list_view, record_view
from socius.accounts.roles import APPROVE_SUBJECT_ACCESS, REQUEST_SUBJECT_ACCESS
from socius.common.api import BAD_INPUT, NOT_FOUND, pk_or_404
from socius.privacy import selectors, services
from socius.privacy.models import SubjectAccessRequest
from socius.privacy.serializers import (
    EmptySerializer,
    SarCreateSerializer,
    SarListQuerySerializer,
    SarRefuseSerializer,
    SubjectAccessRequestSerializer,
)

TAG = "subject-access"
FORBIDDEN = OpenApiResponse(description="Your role does not allow it.")
CONFLICT = OpenApiResponse(
    description='The request\'s state does not allow this: {"detail": reason, "code": "invalid_transition" | '
    '"self_approval" | "export_not_ready"}; nothing was changed.'
)
READ = {403: FORBIDDEN, 404: NOT_FOUND}
WRITE = {400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT}


def _data(serializer_class, source) -> dict:
    serializer = serializer_class(data=source)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _show(request, sar: SubjectAccessRequest, code=status.HTTP_200_OK) -> Response:
    sar = selectors.get_request_for(request.user, sar.pk)
    record_view(
        request.user,
        object_type=services.SAR,
        object_id=sar.pk,
        centre_id=sar.centre_id,
        person_id=sar.person_id,
    )
    return Response(SubjectAccessRequestSerializer(sar, context={"request": request}).data, status=code)


def _action(description: str, request_serializer):
    return extend_schema(
        request=request_serializer, responses={200: SubjectAccessRequestSerializer, **WRITE}, description=description
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[SarListQuerySerializer],
        responses={200: SubjectAccessRequestSerializer(many=True), 400: BAD_INPUT, 403: FORBIDDEN},
        description="The centre's subject-access requests, newest first (the director, the DPO: all of them; other "
        "staff: those they recorded). `status=requested` is the director's queue.",
    ),
    retrieve=extend_schema(responses={200: SubjectAccessRequestSerializer, **READ}, description="One request."),
    create=extend_schema(
        request=SarCreateSerializer,
        responses={201: SubjectAccessRequestSerializer, **WRITE},
        description="Record a person's request to see their data (GDPR art. 15), received by the caller; the "
        "director then approves (which produces the export) or refuses it.",
    ),
)
@extend_schema(tags=[TAG])
class SubjectAccessViewSet(viewsets.GenericViewSet):
    permission_classes = API_PERMISSIONS
    filter_backends = []
    lookup_value_regex = r"\d+"
    serializer_class = SubjectAccessRequestSerializer
    queryset = SubjectAccessRequest.objects.none()  # for the schema; requests read through the selectors
    http_method_names = ["get", "post", "head", "options"]
    capabilities = {
        "list": REQUEST_SUBJECT_ACCESS,
        "retrieve": REQUEST_SUBJECT_ACCESS,
        "options": REQUEST_SUBJECT_ACCESS,
        "create": REQUEST_SUBJECT_ACCESS,
        "approve": APPROVE_SUBJECT_ACCESS,
        "refuse": APPROVE_SUBJECT_ACCESS,
        "retry_export": APPROVE_SUBJECT_ACCESS,
        "deliver": REQUEST_SUBJECT_ACCESS,
        "download": REQUEST_SUBJECT_ACCESS,
    }

    def perform_content_negotiation(self, request, force=False):
        # The download answers a ZIP whatever the client accepts; its errors answer JSON.
        if getattr(self, "action", None) == "download":
            renderer = JSONRenderer()
            return renderer, renderer.media_type
        return super().perform_content_negotiation(request, force)

    def list(self, request):
        query = _data(SarListQuerySerializer, request.query_params)
        qs = selectors.list_requests_for(request.user, status=query.get("status"), person_id=query.get("person"))
        page = self.paginate_queryset(qs)
        record_list_view(request.user, object_type=services.SAR, person_ids=[s.person_id for s in page])
        return self.get_paginated_response(
            SubjectAccessRequestSerializer(page, many=True, context={"request": request}).data
        )

    def retrieve(self, request, pk=None):
        return _show(request, selectors.get_request_for(request.user, pk_or_404(pk)))

    def create(self, request):
        data = _data(SarCreateSerializer, request.data)
        sar = services.record_subject_access_request(
            request.user,
            data["person"],
            received_on=data["received_on"],
            requester=data["requester"],
            channel=data["channel"],
            language=data.get("language") or "",
            representative_name=data.get("representative_name") or "",
            note=data.get("note") or "",
        )
        return _show(request, sar, status.HTTP_201_CREATED)

    @_action(
        "Approve the request (the director; not the one who recorded it: 409 self_approval): the export is produced "
        "(a job when a broker is configured, at once otherwise); `export_state` tells when it is ready.",
        EmptySerializer,
    )
    @action(detail=True, methods=["post"], serializer_class=EmptySerializer)
    def approve(self, request, pk=None):
        sar = services.approve_subject_access_request(request.user, pk_or_404(pk))
        return _show(request, sar)

    @_action("Refuse the request with the reason given to the person (the director; four eyes).", SarRefuseSerializer)
    @action(detail=True, methods=["post"], serializer_class=SarRefuseSerializer)
    def refuse(self, request, pk=None):
        pk = pk_or_404(pk)
        selectors.get_request_for(request.user, pk)
        data = _data(SarRefuseSerializer, request.data)
        sar = services.refuse_subject_access_request(request.user, pk, data["reason"])
        return _show(request, sar)

    @_action("Produce again an approved request's export whose production failed (the director).", EmptySerializer)
    @action(detail=True, methods=["post"], url_path="retry-export", serializer_class=EmptySerializer)
    def retry_export(self, request, pk=None):
        sar = services.retry_export(request.user, pk_or_404(pk))
        return _show(request, sar)

    @_action(
        "Record that the export was handed over to the person (the director or the one who recorded the request).",
        EmptySerializer,
    )
    @action(detail=True, methods=["post"], serializer_class=EmptySerializer)
    def deliver(self, request, pk=None):
        sar = services.deliver_subject_access_request(request.user, pk_or_404(pk))
        return _show(request, sar)

    @extend_schema(
        responses={(200, "application/zip"): OpenApiTypes.BINARY, **READ, 409: CONFLICT},
        description="The export (a ZIP: JSON per record type, the documents' files, a PDF, a manifest with SHA-256 "
        "sums), for the director and the one who recorded the request; audited as an export under the person. "
        "409 export_not_ready while it is produced.",
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        sar, handle = services.open_export(request.user, pk_or_404(pk))
        return export_response(sar, handle)


def export_response(sar: SubjectAccessRequest, handle) -> FileResponse:
    response = FileResponse(
        handle, as_attachment=True, filename=f"subject-access-{sar.pk}.zip", content_type="application/zip"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
