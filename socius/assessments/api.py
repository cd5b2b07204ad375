"""API for assessments (the environmental interview).

List the assessments you may read (?case= narrows to one case), read one with its answers, start one (POST), save the
draft's answers (PATCH), and move it only through the action endpoints POST /assessments/{id}/complete/
and /sign/, which answer 409 for a move the status map does not allow. Every read is audited by the
selectors (a view of the case, or of the assessment).
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from socius.accounts.api import API_PERMISSIONS
from socius.accounts.roles import VIEW_CASES, WORK_CASES
from socius.assessments.models import Assessment
from socius.assessments.selectors import assessments_readable_by, get_assessment_for
from socius.assessments.serializers import (
    AssessmentCompleteSerializer,
    AssessmentCreateSerializer,
    AssessmentDetailSerializer,
    AssessmentDraftSerializer,
    AssessmentQuerySerializer,
    AssessmentSerializer,
    AssessmentSignSerializer,
)
from socius.assessments.services import complete_assessment, save_draft, sign_assessment, start_assessment
from socius.casework.api_audit import AuditsCasesOfPage
from socius.common.api import NOT_FOUND as _NOT_FOUND
from socius.common.api import pk_or_404

_BAD_INPUT = OpenApiResponse(
    description="Field-level messages in the language of Accept-Language (answers keyed "
    '"answers.<section>.<field>"); completion also lists the missing mandatory fields under "missing".'
)
_FORBIDDEN = OpenApiResponse(description="Your role, or your relation to the case, does not allow it.")
_CONFLICT = OpenApiResponse(
    description='The assessment\'s status does not allow this, or its case is closed: {"detail": reason, "code": '
    "...}; nothing was changed."
)


@extend_schema_view(
    list=extend_schema(
        parameters=[AssessmentQuerySerializer],
        responses={200: AssessmentSerializer(many=True), 400: _BAD_INPUT, 403: _FORBIDDEN, 404: _NOT_FOUND},
        description="Assessments of the cases whose content you may read, newest first; with ?case=, that "
        "case's (audited as a view of the case).",
    ),
    retrieve=extend_schema(responses={200: AssessmentDetailSerializer, 403: _FORBIDDEN, 404: _NOT_FOUND}),
    create=extend_schema(
        request=AssessmentCreateSerializer,
        responses={201: AssessmentDetailSerializer, 400: _BAD_INPUT, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT},
        description="Start a draft on the form in force on the day the need was identified, with its due date.",
    ),
    partial_update=extend_schema(
        request=AssessmentDraftSerializer,
        responses={200: AssessmentDetailSerializer, 400: _BAD_INPUT, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT},
        description="Save the draft: answers are merged per field; nothing is saved when any value is wrong.",
    ),
)
@extend_schema(tags=["assessments"])
class AssessmentViewSet(AuditsCasesOfPage, viewsets.GenericViewSet):
    serializer_class = AssessmentSerializer
    permission_classes = API_PERMISSIONS
    capabilities = {
        "list": VIEW_CASES,
        "retrieve": VIEW_CASES,
        "options": VIEW_CASES,
        "create": WORK_CASES,
        "partial_update": WORK_CASES,
        "complete": WORK_CASES,
        "sign": WORK_CASES,
    }
    filter_backends = []
    lookup_value_regex = r"\d+"
    queryset = Assessment.objects.none()  # for the schema; requests read through the selectors

    def list(self, request):
        query = AssessmentQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        assessments = assessments_readable_by(request.user, query.validated_data.get("case"))
        page = self.paginate_queryset(assessments)
        return self.get_paginated_response(AssessmentSerializer(page, many=True).data)

    def _detail(self, assessment: Assessment, code: int = status.HTTP_200_OK) -> Response:
        return Response(AssessmentDetailSerializer(assessment).data, status=code)

    def retrieve(self, request, pk=None):
        return self._detail(get_assessment_for(request.user, pk_or_404(pk)))

    def create(self, request):
        body = AssessmentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        case_id = data.pop("case")
        assessment = start_assessment(request.user, case_id, **data)
        return self._detail(assessment, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        body = AssessmentDraftSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        assessment = save_draft(
            request.user,
            pk_or_404(pk),
            data["answers"],
            diagnosis=data.get("diagnosis"),
            conclusions=data.get("conclusions"),
        )
        return self._detail(assessment)

    @extend_schema(
        request=AssessmentCompleteSerializer,
        responses={200: AssessmentDetailSerializer, 400: _BAD_INPUT, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT},
        description="Draft → completed, once every required field of the mandatory sections is answered.",
    )
    @action(detail=True, methods=["post"], serializer_class=AssessmentCompleteSerializer)
    def complete(self, request, pk=None):
        body = AssessmentCompleteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        on = body.validated_data.get("on") or timezone.localdate()
        return self._detail(complete_assessment(request.user, pk_or_404(pk), on=on))

    @extend_schema(
        request=AssessmentSignSerializer,
        responses={200: AssessmentDetailSerializer, 400: _BAD_INPUT, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT},
        description="Completed → signed on the given day (not before completion, not in the future).",
    )
    @action(detail=True, methods=["post"], serializer_class=AssessmentSignSerializer)
    def sign(self, request, pk=None):
        body = AssessmentSignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        signed_on = body.validated_data.get("signed_on") or timezone.localdate()
        return self._detail(sign_assessment(request.user, pk_or_404(pk), signed_on))
