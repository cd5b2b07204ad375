"""API of consents (/api/v1/consents/, with the withdraw action), the register of processing activities
(/api/v1/processing-activities/) and the breach log (/api/v1/data-breaches/). Thin: serializers shape, services
write, selectors read. Reading consents is audited under their persons."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from socius.accounts.api import API_PERMISSIONS
from socius.accounts.audit import record_list_view, record_view
from socius.accounts.roles import EDIT_REGISTRY, KEEP_PRIVACY_REGISTERS, VIEW_PRIVACY_REGISTERS, VIEW_REGISTRY
from socius.common.api import BAD_INPUT, NOT_FOUND, pk_or_404
from socius.privacy import services_registers as services
from socius.privacy.consents import record_consent, withdraw_person_consent
from socius.privacy.models_registers import DataBreach, ProcessingActivity
from socius.privacy.selectors_registers import (
    get_breach_for,
    get_processing_activity_for,
    list_breaches_for,
    list_processing_activities_for,
)
from socius.privacy.serializers_registers import (
    DataBreachSerializer,
    DataBreachWriteSerializer,
    ProcessingActivitySerializer,
    ProcessingActivityWriteSerializer,
    RegistryConsentCreateSerializer,
    RegistryConsentQuerySerializer,
    RegistryConsentSerializer,
    RegistryConsentWithdrawSerializer,
)
from socius.registry.models_consents import Consent
from socius.registry.selectors import get_person_for
from socius.registry.selectors_consents import get_consent_for, list_consents_for

FORBIDDEN = OpenApiResponse(description="Your role does not allow this.")
CONFLICT = OpenApiResponse(
    description='The record\'s state does not allow this: {"detail": reason, "code": ...} with codes "consent_live" '
    '(a live consent for this purpose exists: withdraw it first), "consent_withdrawn", "breach_notified"; '
    "nothing was changed."
)
READ = {403: FORBIDDEN, 404: NOT_FOUND}
WRITE = {400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT}


def _body(serializer_class, request, **kwargs):
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- consents -------------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        parameters=[RegistryConsentQuerySerializer],
        responses={200: RegistryConsentSerializer(many=True), **READ, 400: BAD_INPUT},
        description="The consents of your centre's persons, newest first (?person=, ?purpose=, ?live=). Audited.",
    ),
    retrieve=extend_schema(responses={200: RegistryConsentSerializer, **READ}, description="Audited."),
    create=extend_schema(
        request=RegistryConsentCreateSerializer,
        responses={201: RegistryConsentSerializer, **WRITE},
        description="Record a person's consent for a purpose (one live consent per person and purpose).",
    ),
    withdraw=extend_schema(
        request=RegistryConsentWithdrawSerializer,
        responses={200: RegistryConsentSerializer, **WRITE},
        description="The person withdraws the consent (dated, never deleted). Withdrawing the consent to the family "
        "assistant programme also withdraws the family's consent, which may close the work.",
    ),
)
class PersonConsentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = RegistryConsentSerializer
    queryset = Consent.objects.none()
    permission_classes = API_PERMISSIONS
    capabilities = {
        "list": VIEW_REGISTRY,
        "retrieve": VIEW_REGISTRY,
        "options": VIEW_REGISTRY,
        "create": EDIT_REGISTRY,
        "withdraw": EDIT_REGISTRY,
    }
    filter_backends: list = []
    lookup_value_regex = r"\d+"

    def list(self, request, *args, **kwargs):
        query = RegistryConsentQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        consents = list_consents_for(request.user).order_by("-given_on", "-id")
        wanted = query.validated_data
        if wanted.get("person"):
            consents = consents.filter(person_id=wanted["person"])
        if wanted.get("purpose"):
            consents = consents.filter(purpose=wanted["purpose"])
        if wanted.get("live") is not None:
            consents = consents.filter(withdrawn_on__isnull=wanted["live"])
        page = self.paginate_queryset(consents)
        record_list_view(request.user, object_type="consent", person_ids=[c.person_id for c in page])
        return self.get_paginated_response(RegistryConsentSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        consent = get_consent_for(request.user, pk_or_404(kwargs["pk"]))
        record_view(
            request.user,
            object_type="consent",
            object_id=consent.pk,
            centre_id=consent.centre_id,
            person_id=consent.person_id,
        )
        return Response(RegistryConsentSerializer(consent).data)

    def create(self, request, *args, **kwargs):
        data = _body(RegistryConsentCreateSerializer, request)
        person = get_person_for(request.user, data["person"])
        consent = record_consent(
            request.user,
            person,
            purpose=data["purpose"],
            given_on=data["given_on"],
            method=data["method"],
            note=data["note"],
        )
        return Response(
            RegistryConsentSerializer(get_consent_for(request.user, consent.pk)).data, status=status.HTTP_201_CREATED
        )

    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        consent = get_consent_for(request.user, pk_or_404(pk))
        data = _body(RegistryConsentWithdrawSerializer, request)
        withdraw_person_consent(request.user, consent, withdrawn_on=data["withdrawn_on"], note=data["note"])
        return Response(RegistryConsentSerializer(get_consent_for(request.user, consent.pk)).data)


# --- the register of processing activities --------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(responses={200: ProcessingActivitySerializer(many=True), **READ}),
    retrieve=extend_schema(responses={200: ProcessingActivitySerializer, **READ}),
    create=extend_schema(
        request=ProcessingActivityWriteSerializer, responses={201: ProcessingActivitySerializer, **WRITE}
    ),
    partial_update=extend_schema(
        request=ProcessingActivityWriteSerializer(partial=True),
        responses={200: ProcessingActivitySerializer, **WRITE},
        description="Change the fields given; an activity no longer carried out: is_active false (never deleted).",
    ),
    seed=extend_schema(
        request=None,
        responses={200: ProcessingActivitySerializer(many=True), 403: FORBIDDEN},
        description="Add the model entries of the country's pack the register does not hold yet; answers those "
        "added (none the second time).",
    ),
)
class ProcessingActivityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ProcessingActivitySerializer
    queryset = ProcessingActivity.objects.none()
    permission_classes = API_PERMISSIONS
    capabilities = {
        "list": VIEW_PRIVACY_REGISTERS,
        "retrieve": VIEW_PRIVACY_REGISTERS,
        "options": VIEW_PRIVACY_REGISTERS,
        "create": KEEP_PRIVACY_REGISTERS,
        "partial_update": KEEP_PRIVACY_REGISTERS,
        "seed": KEEP_PRIVACY_REGISTERS,
    }
    filter_backends: list = []
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return list_processing_activities_for(self.request.user)

    def retrieve(self, request, *args, **kwargs):
        return Response(
            ProcessingActivitySerializer(get_processing_activity_for(request.user, pk_or_404(kwargs["pk"]))).data
        )

    def create(self, request, *args, **kwargs):
        activity = services.add_processing_activity(
            request.user, dict(_body(ProcessingActivityWriteSerializer, request))
        )
        return Response(ProcessingActivitySerializer(activity).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        activity = get_processing_activity_for(request.user, pk_or_404(kwargs["pk"]))
        data = _body(ProcessingActivityWriteSerializer, request, partial=True)
        return Response(
            ProcessingActivitySerializer(services.update_processing_activity(request.user, activity, dict(data))).data
        )

    @action(detail=False, methods=["post"])
    def seed(self, request):
        return Response(ProcessingActivitySerializer(services.seed_processing_activities(request.user), many=True).data)


# --- the breach log -------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(responses={200: DataBreachSerializer(many=True), **READ}),
    retrieve=extend_schema(responses={200: DataBreachSerializer, **READ}),
    create=extend_schema(
        request=DataBreachWriteSerializer,
        responses={201: DataBreachSerializer, **WRITE},
        description="Record a breach; the authority and the deadline to notify it come from the country's pack, "
        "counted from discovered_at. A late notified_at needs delay_reason.",
    ),
    partial_update=extend_schema(
        request=DataBreachWriteSerializer(partial=True),
        responses={200: DataBreachSerializer, **WRITE},
        description="Complete the entry: the notification, the persons informed, the measures.",
    ),
)
class DataBreachViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DataBreachSerializer
    queryset = DataBreach.objects.none()
    permission_classes = API_PERMISSIONS
    capabilities = {
        "list": VIEW_PRIVACY_REGISTERS,
        "retrieve": VIEW_PRIVACY_REGISTERS,
        "options": VIEW_PRIVACY_REGISTERS,
        "create": KEEP_PRIVACY_REGISTERS,
        "partial_update": KEEP_PRIVACY_REGISTERS,
    }
    filter_backends: list = []
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return list_breaches_for(self.request.user)

    def retrieve(self, request, *args, **kwargs):
        return Response(DataBreachSerializer(get_breach_for(request.user, pk_or_404(kwargs["pk"]))).data)

    def create(self, request, *args, **kwargs):
        breach = services.record_breach(request.user, dict(_body(DataBreachWriteSerializer, request)))
        return Response(DataBreachSerializer(breach).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        breach = get_breach_for(request.user, pk_or_404(kwargs["pk"]))
        data = _body(DataBreachWriteSerializer, request, partial=True)
        return Response(DataBreachSerializer(services.update_breach(request.user, breach, dict(data))).data)
