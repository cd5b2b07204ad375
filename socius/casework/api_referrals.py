"""API for partner institutions and referrals.

Partners: list, read, create, update (no delete: deactivate with is_active false). Referrals: list
(?case=, ?overdue=), read, create; a referral's status changes only through the action endpoints
(POST /referrals/{id}/acknowledge/, answer/, close/), which answer 409 for a move the map does not allow.
Referrals are case content: reading them is audited as a view of their case.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from socius.accounts.api import API_PERMISSIONS
from socius.accounts.roles import VIEW_CASES, WORK_CASES
from socius.casework.models import Partner, Referral
from socius.casework.selectors import audit_case_reads, get_case_content_for
from socius.casework.selectors_referrals import (
    get_partner_for,
    list_partners_for,
    referral_case_id_for,
    referrals_readable_by,
    with_overdue,
)
from socius.casework.serializers_referrals import (
    PartnerQuerySerializer,
    PartnerSerializer,
    ReferralCreateSerializer,
    ReferralMoveSerializer,
    ReferralQuerySerializer,
    ReferralSerializer,
)
from socius.casework.services.referrals import change_referral_status, create_partner, create_referral, update_partner
from socius.casework.statuses import ReferralStatus
from socius.common.api import BAD_INPUT as _BAD_INPUT
from socius.common.api import NOT_FOUND as _NOT_FOUND
from socius.common.api import pk_or_404 as _pk

_FORBIDDEN = OpenApiResponse(description="Your role, or your relation to the case, does not allow it.")
_CONFLICT = OpenApiResponse(
    description='The referral\'s status does not allow this move, or its case is closed: {"detail": reason, '
    '"code": "invalid_transition" or "case_closed"}; nothing was changed.'
)


# --- partners -------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(parameters=[PartnerQuerySerializer], description="The centre's partner institutions by name."),
    retrieve=extend_schema(responses={200: PartnerSerializer, 404: _NOT_FOUND}),
    create=extend_schema(responses={201: PartnerSerializer, 400: _BAD_INPUT, 403: _FORBIDDEN}),
    update=extend_schema(responses={200: PartnerSerializer, 400: _BAD_INPUT, 403: _FORBIDDEN, 404: _NOT_FOUND}),
    partial_update=extend_schema(
        responses={200: PartnerSerializer, 400: _BAD_INPUT, 403: _FORBIDDEN, 404: _NOT_FOUND},
        description="Change some details, or deactivate the partner with is_active false.",
    ),
)
@extend_schema(tags=["partners"])
class PartnerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = PartnerSerializer
    permission_classes = API_PERMISSIONS
    capabilities = {
        "list": VIEW_CASES,
        "retrieve": VIEW_CASES,
        "options": VIEW_CASES,
        "create": WORK_CASES,
        "update": WORK_CASES,
        "partial_update": WORK_CASES,
    }
    filter_backends = []
    lookup_value_regex = r"\d+"
    queryset = Partner.objects.none()  # for the schema; requests read through the selectors

    def get_queryset(self):
        if self.action != "list":
            return list_partners_for(self.request.user, active=None)
        query = PartnerQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return list_partners_for(self.request.user, **query.as_selector_kwargs())

    def retrieve(self, request, pk=None):
        return Response(PartnerSerializer(get_partner_for(request.user, _pk(pk))).data)

    def create(self, request, *args, **kwargs):
        body = PartnerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        partner = create_partner(request.user, dict(body.validated_data))
        return Response(PartnerSerializer(partner).data, status=status.HTTP_201_CREATED)

    def update(self, request, pk=None, partial=False):
        partner = get_partner_for(request.user, _pk(pk))
        body = PartnerSerializer(partner, data=request.data, partial=partial)
        body.is_valid(raise_exception=True)
        data = {k: v for k, v in body.validated_data.items() if partial is False or k in request.data}
        return Response(PartnerSerializer(update_partner(request.user, partner.pk, data)).data)

    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)


# --- referrals ------------------------------------------------------------------------------------

REFERRAL_CAPABILITIES = {
    "list": VIEW_CASES,
    "retrieve": VIEW_CASES,
    "options": VIEW_CASES,
    "create": WORK_CASES,
    "acknowledge": WORK_CASES,
    "answer": WORK_CASES,
    "close": WORK_CASES,
}


def _action_schema(description: str):
    return extend_schema(
        request=ReferralMoveSerializer,
        responses={200: ReferralSerializer, 400: _BAD_INPUT, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT},
        description=description,
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[ReferralQuerySerializer],
        responses={200: ReferralSerializer(many=True), 403: _FORBIDDEN, 404: _NOT_FOUND},
        description="Referrals on the cases whose content you may read, newest first; with ?case= that case's "
        "(403 when its content is not yours to read). Audited as views of the cases shown.",
    ),
    retrieve=extend_schema(responses={200: ReferralSerializer, 403: _FORBIDDEN, 404: _NOT_FOUND}),
    create=extend_schema(
        request=ReferralCreateSerializer,
        responses={201: ReferralSerializer, 400: _BAD_INPUT, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT},
        description="Record an outgoing or incoming referral of an open case you work.",
    ),
)
@extend_schema(tags=["referrals"])
class ReferralViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = ReferralSerializer
    permission_classes = API_PERMISSIONS
    capabilities = REFERRAL_CAPABILITIES
    filter_backends = []
    lookup_value_regex = r"\d+"
    queryset = Referral.objects.none()  # for the schema; requests read through the selectors

    def list(self, request):
        query = ReferralQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        referrals = referrals_readable_by(request.user, on=timezone.localdate())
        if data.get("case"):
            case = get_case_content_for(request.user, data["case"])  # 404/403, and audits the view
            referrals = referrals.filter(case_id=case.pk)
        if data.get("overdue") is not None:
            referrals = referrals.filter(is_overdue=data["overdue"])
        page = self.paginate_queryset(referrals)
        if not data.get("case"):
            audit_case_reads(request.user, {r.case_id: r.case for r in page}.values())
        return self.get_paginated_response(ReferralSerializer(page, many=True).data)

    def _read(self, referral_id) -> Referral:
        qs = with_overdue(Referral.objects.select_related("case", "partner"), timezone.localdate())
        return qs.get(pk=referral_id)

    def retrieve(self, request, pk=None):
        case_id = referral_case_id_for(request.user, _pk(pk))
        get_case_content_for(request.user, case_id)  # 403 without content access; audits the view
        return Response(ReferralSerializer(self._read(_pk(pk))).data)

    def create(self, request):
        body = ReferralCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        case_id = data.pop("case")
        referral = create_referral(request.user, case_id, data)
        return Response(ReferralSerializer(self._read(referral.pk)).data, status=status.HTTP_201_CREATED)

    def _move(self, request, pk, to_status):
        body = ReferralMoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        referral = change_referral_status(
            request.user, _pk(pk), to_status, outcome=data.get("outcome") or "", on=data.get("on")
        )
        return Response(ReferralSerializer(self._read(referral.pk)).data)

    @_action_schema("The partner confirmed receipt: sent → acknowledged.")
    @action(detail=True, methods=["post"], serializer_class=ReferralMoveSerializer)
    def acknowledge(self, request, pk=None):
        return self._move(request, pk, ReferralStatus.ACKNOWLEDGED)

    @_action_schema("The answer came (or was given), with its outcome: sent or acknowledged → answered.")
    @action(detail=True, methods=["post"], serializer_class=ReferralMoveSerializer)
    def answer(self, request, pk=None):
        return self._move(request, pk, ReferralStatus.ANSWERED)

    @_action_schema("Close the referral with an outcome: any open status → closed.")
    @action(detail=True, methods=["post"], serializer_class=ReferralMoveSerializer)
    def close(self, request, pk=None):
        return self._move(request, pk, ReferralStatus.CLOSED)
