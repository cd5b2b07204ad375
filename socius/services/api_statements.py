"""API of monthly service statements: /api/v1/services/statements/ (decision 0016).

Read (list, one statement): those who see every service (VIEW_SERVICES: team leaders, finance, the director,
auditors); every read is audited under the clients shown (object_type "service_statement", lists
"service_statements"). Writes (generate, issue all, issue, cancel, correct) need ISSUE_STATEMENTS (finance, the
director); a move the statuses do not allow answers 409 with the reason, nothing changed. The PDF (`pdf`) is
added by the web layer (`socius.web.views.services_statements.StatementApiViewSet`).
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from socius.accounts.api import API_PERMISSIONS
from socius.accounts.roles import ISSUE_STATEMENTS, VIEW_SERVICES
from socius.common.api import BAD_INPUT, NOT_FOUND
from socius.common.api import pk_or_404 as _pk
from socius.services import statements as services
from socius.services.models import MonthlyStatement
from socius.services.selectors_statements import (
    audit_statement_list,
    audit_statement_view,
    get_statement_for,
    list_statements_for,
)
from socius.services.serializers_statements import (
    ServiceStatementCorrectionSerializer,
    ServiceStatementDetailSerializer,
    ServiceStatementGenerationSerializer,
    ServiceStatementMonthSerializer,
    ServiceStatementQuerySerializer,
    ServiceStatementReasonSerializer,
    ServiceStatementSerializer,
    ServiceStatementsIssuedSerializer,
)

FORBIDDEN = OpenApiResponse(description="Your role may not do this (statements are issued by finance or the director).")
CONFLICT = OpenApiResponse(
    description="The statement's status does not allow it, or a service was delivered on a day without a price: "
    '{"detail": reason, "code": "invalid_transition" or "service_not_offered"}; nothing was changed.'
)
WRITE = {400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT}

CAPABILITIES = {
    "list": VIEW_SERVICES,
    "retrieve": VIEW_SERVICES,
    "options": VIEW_SERVICES,
    "pdf": VIEW_SERVICES,
    "generate": ISSUE_STATEMENTS,
    "issue_all": ISSUE_STATEMENTS,
    "issue": ISSUE_STATEMENTS,
    "cancel": ISSUE_STATEMENTS,
    "correct": ISSUE_STATEMENTS,
}


def today():
    return timezone.localdate()


@extend_schema_view(
    list=extend_schema(
        parameters=[ServiceStatementQuerySerializer],
        responses={200: ServiceStatementSerializer(many=True), 400: BAD_INPUT, 403: FORBIDDEN},
        description="The centre's monthly statements (newest month first, then by client), narrowed by month, "
        "status, client or a search. Audited under the clients shown.",
    ),
    retrieve=extend_schema(
        responses={200: ServiceStatementDetailSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
        description="One statement with its lines: per decision the units delivered in each price period, the "
        "cost, the co-payment applied and what is due; visits missed cost nothing. Audited.",
    ),
)
@extend_schema(tags=["services"])
class StatementViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = ServiceStatementSerializer
    permission_classes = API_PERMISSIONS
    capabilities = CAPABILITIES
    filter_backends = []
    lookup_value_regex = r"\d+"
    queryset = MonthlyStatement.objects.none()  # for the schema; requests read through the selectors

    def list(self, request):
        query = ServiceStatementQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        statements = list_statements_for(
            request.user,
            month=data.get("month"),
            status=data.get("status"),
            person=data.get("person"),
            search=data.get("q") or "",
        )
        page = self.paginate_queryset(statements)
        audit_statement_list(request.user, page, query=data.get("q") or "")
        return self.get_paginated_response(ServiceStatementSerializer(page, many=True).data)

    def _detail(self, request, pk, *, code=status.HTTP_200_OK):
        statement = get_statement_for(request.user, pk)
        audit_statement_view(request.user, statement)
        return Response(ServiceStatementDetailSerializer(statement).data, status=code)

    def retrieve(self, request, pk=None):
        return self._detail(request, _pk(pk))

    def _body(self, request, serializer_class) -> dict:
        body = serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)

    @extend_schema(
        request=ServiceStatementMonthSerializer,
        responses={200: ServiceStatementGenerationSerializer, **WRITE},
        description="Make the month's statements from the deliveries: new drafts, drafts replaced, drafts of "
        "clients with nothing left removed; issued statements are never touched (correct them one by one).",
    )
    @action(detail=False, methods=["post"], serializer_class=ServiceStatementMonthSerializer)
    def generate(self, request):
        month = self._body(request, ServiceStatementMonthSerializer)["month"]
        result = services.generate_statements(request.user, request.user.centre_id, month, on=today())
        return Response(ServiceStatementGenerationSerializer(result).data)

    @extend_schema(
        request=ServiceStatementMonthSerializer,
        responses={200: ServiceStatementsIssuedSerializer, **WRITE},
        description="Issue every draft statement of the month.",
    )
    @action(detail=False, methods=["post"], url_path="issue-all", serializer_class=ServiceStatementMonthSerializer)
    def issue_all(self, request):
        month = self._body(request, ServiceStatementMonthSerializer)["month"]
        count = services.issue_statements(request.user, request.user.centre_id, month, on=today())
        return Response(ServiceStatementsIssuedSerializer({"month": month, "issued": count}).data)

    @extend_schema(
        request=None, responses={200: ServiceStatementDetailSerializer, **WRITE}, description="Issue a draft."
    )
    @action(detail=True, methods=["post"], serializer_class=None)
    def issue(self, request, pk=None):
        statement = get_statement_for(request.user, _pk(pk))
        services.issue_statement(request.user, statement, on=today())
        return self._detail(request, statement.pk)

    @extend_schema(
        request=ServiceStatementReasonSerializer,
        responses={200: ServiceStatementDetailSerializer, **WRITE},
        description="Cancel a statement (an issued one needs the reason).",
    )
    @action(detail=True, methods=["post"], serializer_class=ServiceStatementReasonSerializer)
    def cancel(self, request, pk=None):
        statement = get_statement_for(request.user, _pk(pk))
        reason = self._body(request, ServiceStatementReasonSerializer)["reason"]
        services.cancel_statement(request.user, statement, on=today(), reason=reason)
        return self._detail(request, statement.pk)

    @extend_schema(
        request=ServiceStatementCorrectionSerializer,
        responses={201: ServiceStatementDetailSerializer, **WRITE},
        description="Correct an issued statement: it is cancelled and its replacement (a new draft naming it) "
        "is made from the deliveries as they are now. Answers the replacement.",
    )
    @action(detail=True, methods=["post"], serializer_class=ServiceStatementCorrectionSerializer)
    def correct(self, request, pk=None):
        statement = get_statement_for(request.user, _pk(pk))
        reason = self._body(request, ServiceStatementCorrectionSerializer)["reason"]
        replacement = services.correct_statement(request.user, statement, on=today(), reason=reason)
        return self._detail(request, replacement.pk, code=status.HTTP_201_CREATED)
