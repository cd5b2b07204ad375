"""API for recalculations: /api/v1/recalculations/ (create = start; retrieve with progress; items: the grants
old against new; action `approve`: the run's proposals in bulk).

Team leaders and the director start a run (they propose and read every decision of the centre); approvers
read runs and approve them (never their own proposals: 403). Items name persons: each page is audited.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from socius.accounts.api import API_PERMISSIONS
from socius.accounts.audit import record_views
from socius.accounts.roles import PROPOSE_DECISIONS, VIEW_CASES
from socius.benefits import recalculation, services
from socius.benefits.models_recalculation import RecalculationReason, RecalculationRun, RecalculationStatus
from socius.benefits.serializers import CODE_PATTERN, MonthField
from socius.common.api import BAD_INPUT, NOT_FOUND, IdField
from socius.common.api import pk_or_404 as _pk

_FORBIDDEN = OpenApiResponse(description="Your role does not allow this.")
_CONFLICT = OpenApiResponse(description='The run\'s state does not allow this: {"detail": reason, "code": ...}.')


class RecalculationStartSerializer(serializers.Serializer):
    month = MonthField(help_text="The month recalculated, from which the amendments apply (YYYY-MM).")
    benefit = serializers.RegexField(
        CODE_PATTERN, required=False, allow_blank=True, default="", help_text="A benefit code; empty: every one."
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class RecalculationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    benefit = serializers.CharField()
    month = MonthField()
    comment = serializers.CharField()
    status = serializers.ChoiceField(choices=RecalculationStatus.choices)
    total = serializers.IntegerField(help_text="Active grants to check.")
    done = serializers.IntegerField(help_text="Grants checked so far.")
    percent = serializers.IntegerField()
    proposed = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    skipped = serializers.IntegerField()
    approved = serializers.IntegerField()
    error = serializers.CharField()
    started_by = serializers.IntegerField(source="started_by_id")
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)


class RecalculationReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class RecalculationItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    decision = serializers.IntegerField(source="decision_id")
    decision_reference = serializers.CharField(source="decision.reference")
    benefit = serializers.CharField(source="decision.benefit")
    applicant = serializers.IntegerField(source="decision.applicant_id")
    applicant_name = serializers.SerializerMethodField()
    proposal = serializers.IntegerField(source="proposal_id", allow_null=True)
    proposal_kind = serializers.SerializerMethodField()
    proposal_status = serializers.SerializerMethodField()
    proposal_reference = serializers.SerializerMethodField()
    old_amount = serializers.CharField()
    new_amount = serializers.CharField(allow_null=True)
    difference = serializers.CharField(allow_null=True)
    currency = serializers.CharField()
    reasons = serializers.SerializerMethodField()
    skipped = serializers.CharField(help_text="Why no proposal was made (change_pending, case_closed, ...); empty.")

    @extend_schema_field(serializers.CharField())
    def get_applicant_name(self, obj) -> str:
        person = obj.decision.applicant
        return f"{person.first_name} {person.last_name}"

    @extend_schema_field(serializers.CharField())
    def get_proposal_kind(self, obj) -> str:
        return obj.proposal.kind if obj.proposal_id else ""

    @extend_schema_field(serializers.CharField())
    def get_proposal_status(self, obj) -> str:
        return obj.proposal.status if obj.proposal_id else ""

    @extend_schema_field(serializers.CharField())
    def get_proposal_reference(self, obj) -> str:
        return obj.proposal.reference if obj.proposal_id else ""

    @extend_schema_field(RecalculationReasonSerializer(many=True))
    def get_reasons(self, obj) -> list[dict]:
        return [{"code": code, "label": str(RecalculationReason(code).label)} for code in obj.reasons]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        for name in ("old_amount", "new_amount", "difference"):
            value = getattr(instance, name)
            data[name] = None if value is None else str(value)
        return data


class RecalculationApproveSerializer(serializers.Serializer):
    items = serializers.ListField(
        child=IdField(),
        required=False,
        allow_null=True,
        default=None,
        max_length=100_000,
        help_text="Items of the run to approve; absent: every proposal waiting.",
    )


class RecalculationApprovalSerializer(serializers.Serializer):
    approved = serializers.IntegerField()
    left_out = serializers.IntegerField(help_text="Proposals already decided one by one, or whose grant changed.")
    run = RecalculationSerializer()


def audit_items(actor, items) -> None:
    """One VIEW per item shown, naming the grant's party and the persons its proposal counted."""
    record_views(
        actor,
        [
            {
                "object_type": "benefit_decision",
                "object_id": item.decision_id,
                "centre_id": item.decision.centre_id,
                "person_id": item.decision.applicant_id,
                "person_ids": [
                    *(item.decision.member_ids or []),
                    *((item.proposal.member_ids or []) if item.proposal_id else []),
                ],
            }
            for item in items
        ],
    )


@extend_schema(tags=["benefit decisions"])
class RecalculationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Recalculations of the centre's active grants after a change in law or in incomes."""

    serializer_class = RecalculationSerializer
    permission_classes = API_PERMISSIONS
    capabilities = {
        "list": VIEW_CASES,
        "retrieve": VIEW_CASES,
        "items": VIEW_CASES,
        "options": VIEW_CASES,
        "create": PROPOSE_DECISIONS,
        # Approvers are team leaders, the director and staff the director authorised: the service decides.
        "approve": VIEW_CASES,
    }
    filter_backends = []
    lookup_value_regex = r"\d+"
    queryset = RecalculationRun.objects.none()

    def get_queryset(self):
        return recalculation.recalculations_readable_by(self.request.user).order_by("-created_at", "-id")

    @extend_schema(
        request=RecalculationStartSerializer,
        responses={201: RecalculationSerializer, 400: BAD_INPUT, 403: _FORBIDDEN, 409: _CONFLICT},
        description="Start a recalculation of the centre's active grants (of `benefit`, or all) for `month`: a "
        "background job proposes an amendment for every grant whose amount changes. 409 while another runs.",
    )
    def create(self, request):
        body = RecalculationStartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        run = recalculation.start_recalculation(request.user, body.validated_data)
        run.refresh_from_db()
        return Response(RecalculationSerializer(run).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: RecalculationSerializer, 403: _FORBIDDEN, 404: NOT_FOUND})
    def retrieve(self, request, pk=None):
        run = recalculation.get_recalculation_for(request.user, _pk(pk))
        return Response(RecalculationSerializer(run).data)

    @extend_schema(
        responses={200: RecalculationItemSerializer(many=True), 403: _FORBIDDEN, 404: NOT_FOUND},
        description="The grants the run changed: old against new amount, the difference, the reasons, the proposal.",
    )
    @action(detail=True, methods=["get"], serializer_class=RecalculationItemSerializer)
    def items(self, request, pk=None):
        run = recalculation.get_recalculation_for(request.user, _pk(pk))
        page = self.paginate_queryset(recalculation.items_of(run))
        audit_items(request.user, page)
        return self.get_paginated_response(RecalculationItemSerializer(page, many=True).data)

    @extend_schema(
        request=RecalculationApproveSerializer,
        responses={
            200: RecalculationApprovalSerializer,
            400: BAD_INPUT,
            403: _FORBIDDEN,
            404: NOT_FOUND,
            409: _CONFLICT,
        },
        description="Approve the run's waiting proposals (or `items`) at once, numbered without gaps. Four eyes: "
        "who started the run proposed them and cannot approve them (403, nothing changed).",
    )
    @action(detail=True, methods=["post"], serializer_class=RecalculationApproveSerializer)
    def approve(self, request, pk=None):
        body = RecalculationApproveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            result = recalculation.approve_recalculation(request.user, _pk(pk), body.validated_data["items"])
        except services.FourEyes:
            raise PermissionDenied(
                detail=_("Nobody approves their own proposal: another person with the right must approve it."),
                code="four_eyes",
            ) from None
        run = recalculation.get_recalculation_for(request.user, _pk(pk))
        return Response({**result, "run": RecalculationSerializer(run).data})
