"""API of social services: /api/v1/services/catalogue/, offers/, providers/, workers/, decisions/ and
waiting-list/ (decision 0016).

Every collection lists what the caller may see (the catalogue, offers, providers and workers: every member of
the centre's staff; decisions: those of the cases whose content the caller reads and their own drafts, all of
the centre for those who read every service record; waiting lists: those who order services or read them all);
filters narrow it. State moves are actions (issue, suspend, resume, end, cancel, copayment; place, withdraw,
restore, priority) answering 409 with the reason when the state, the four-eyes rule or the capacity refuses them,
nothing written. Every answer showing a client's data is audited under the client (and the case's persons).
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from socius.accounts.audit import record_list_view, record_view
from socius.accounts.roles import APPROVE_DECISIONS, MANAGE_SERVICES, ORDER_SERVICES, VIEW_SERVICES
from socius.common.api import BAD_INPUT, NOT_FOUND
from socius.common.api import pk_or_404 as _pk
from socius.common.errors import NotFound
from socius.services import catalogue, decisions, selectors, waiting
from socius.services.copayment import assess_copayment
from socius.services.models import (
    CopaymentAssessment,
    Provider,
    ServiceDecision,
    ServiceOffer,
    ServiceWorker,
    WaitingListEntry,
)
from socius.services.serializers import (
    ServiceAssessSerializer,
    ServiceCancelSerializer,
    ServiceCatalogueQuerySerializer,
    ServiceCatalogueRowSerializer,
    ServiceCopaymentSerializer,
    ServiceDecisionQuerySerializer,
    ServiceDecisionSerializer,
    ServiceDecisionUpdateSerializer,
    ServiceDecisionWriteSerializer,
    ServiceIssueSerializer,
    ServiceOfferCreateSerializer,
    ServiceOfferQuerySerializer,
    ServiceOfferSerializer,
    ServicePlaceSerializer,
    ServicePrioritySerializer,
    ServiceProviderCapacitySerializer,
    ServiceProviderQuerySerializer,
    ServiceProviderSerializer,
    ServiceProviderWriteSerializer,
    ServiceResumeSerializer,
    ServiceSuspendSerializer,
    ServiceWaitingCreateSerializer,
    ServiceWaitingEntrySerializer,
    ServiceWaitingQuerySerializer,
    ServiceWithdrawSerializer,
    ServiceWorkerQuerySerializer,
    ServiceWorkerSerializer,
    ServiceWorkerWriteSerializer,
)

TAG = "services"
ANY_STAFF = "*"  # every member of a centre's staff (carers too)
READ_DECISIONS = (ORDER_SERVICES, VIEW_SERVICES, APPROVE_DECISIONS)
READ_WAITING = (ORDER_SERVICES, VIEW_SERVICES)

FORBIDDEN = OpenApiResponse(description="Your role, or your relation to the client's case, does not allow it.")
CONFLICT = OpenApiResponse(
    description='The record\'s state does not allow this: {"detail": reason, "code": ...} with codes such as '
    '"invalid_transition", "four_eyes", "capacity_exceeded", "service_not_offered", "decision_not_draft", '
    '"already_waiting", "waiting_entry_not_waiting", "decision_closed"; nothing was changed.'
)
WRITE = {400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT}
READ = {403: FORBIDDEN, 404: NOT_FOUND}


class HasServicesCapability(BasePermission):
    """Like accounts.api.HasCapability, but an action may name several capabilities (any one suffices) or
    ANY_STAFF (every active member of a centre's staff). An action not declared is refused."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        method = request.method.lower()
        if not hasattr(view, method):
            raise MethodNotAllowed(request.method)
        needed = getattr(view, "capabilities", {}).get(getattr(view, "action", None) or method)
        if needed is None:
            return False
        if needed == ANY_STAFF:
            return bool(user.centre_id) and user.is_active
        return any(user.can(c) for c in ((needed,) if isinstance(needed, str) else needed))


class ServicesViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, HasServicesCapability]
    filter_backends = []
    lookup_value_regex = r"\d+"

    def page(self, records, serializer_class, *, audit=None):
        page = self.paginate_queryset(records)
        if audit is not None:
            audit(page)
        return self.get_paginated_response(serializer_class(page, many=True).data)


def _query(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _body(serializer_class, request, *, partial: bool = False) -> dict:
    serializer = serializer_class(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _today():
    return timezone.localdate()


def _pattern(data: dict) -> dict:
    if "weekly_pattern" in data:
        data["weekly_pattern"] = [
            {"weekday": r["weekday"], "start": r["start"], "units": r["units"]} for r in data["weekly_pattern"]
        ]
    return data


# --- the catalogue and the offer --------------------------------------------------------------------------------


@extend_schema(tags=[TAG])
class CatalogueViewSet(ServicesViewSet):
    """The services of the centre's pack with the centre's offer in force and this week's use of its capacity."""

    capabilities = {"list": ANY_STAFF, "options": ANY_STAFF}
    pagination_class = None
    serializer_class = ServiceCatalogueRowSerializer

    @extend_schema(
        parameters=[ServiceCatalogueQuerySerializer], responses={200: ServiceCatalogueRowSerializer(many=True), **READ}
    )
    def list(self, request):
        query = _query(ServiceCatalogueQuerySerializer, request)
        rows = selectors.catalogue_for(request.user, on=query.get("on") or _today(), offered_only=query["offered"])
        return Response(ServiceCatalogueRowSerializer(rows, many=True).data)


@extend_schema_view(
    list=extend_schema(
        parameters=[ServiceOfferQuerySerializer],
        responses={200: ServiceOfferSerializer(many=True), **READ},
        description="Every price of the centre, newest first per service (the history).",
    ),
    create=extend_schema(
        request=ServiceOfferCreateSerializer,
        responses={201: ServiceOfferSerializer, **WRITE},
        description="A price (and the capacity of the centre's staff) from a day; the same day again replaces it.",
    ),
)
@extend_schema(tags=[TAG])
class OfferViewSet(mixins.ListModelMixin, ServicesViewSet):
    capabilities = {"list": ANY_STAFF, "options": ANY_STAFF, "create": MANAGE_SERVICES}
    serializer_class = ServiceOfferSerializer
    queryset = ServiceOffer.objects.none()

    def list(self, request):
        query = _query(ServiceOfferQuerySerializer, request)
        records = ServiceOffer.objects.filter(centre_id=request.user.centre_id).order_by(
            "service_code", "-valid_from", "-id"
        )
        if query.get("service_code"):
            records = records.filter(service_code=query["service_code"])
        return self.page(records, ServiceOfferSerializer)

    def create(self, request):
        data = _body(ServiceOfferCreateSerializer, request)
        offer = catalogue.set_offer(request.user, data.pop("service_code"), **data)
        return Response(ServiceOfferSerializer(offer).data, status=status.HTTP_201_CREATED)


# --- providers and workers ---------------------------------------------------------------------------------------


def _providers(actor):
    return Provider.objects.filter(centre_id=actor.centre_id).prefetch_related("capacities").order_by("name", "id")


@extend_schema_view(
    list=extend_schema(
        parameters=[ServiceProviderQuerySerializer], responses={200: ServiceProviderSerializer(many=True), **READ}
    ),
    retrieve=extend_schema(responses={200: ServiceProviderSerializer, **READ}),
    create=extend_schema(request=ServiceProviderWriteSerializer, responses={201: ServiceProviderSerializer, **WRITE}),
    partial_update=extend_schema(
        request=ServiceProviderWriteSerializer, responses={200: ServiceProviderSerializer, **WRITE}
    ),
)
@extend_schema(tags=[TAG])
class ProviderViewSet(mixins.ListModelMixin, ServicesViewSet):
    capabilities = {
        "list": ANY_STAFF,
        "retrieve": ANY_STAFF,
        "options": ANY_STAFF,
        "create": MANAGE_SERVICES,
        "partial_update": MANAGE_SERVICES,
        "capacity": MANAGE_SERVICES,
    }
    serializer_class = ServiceProviderSerializer
    queryset = Provider.objects.none()

    def _get(self, pk) -> Provider:
        found = _providers(self.request.user).filter(pk=_pk(pk)).first()
        if found is None:
            raise NotFound()
        return found

    def list(self, request):
        query = _query(ServiceProviderQuerySerializer, request)
        records = _providers(request.user)
        if query.get("active") is not None:
            records = records.filter(is_active=query["active"])
        return self.page(records, ServiceProviderSerializer)

    def retrieve(self, request, pk=None):
        return Response(ServiceProviderSerializer(self._get(pk)).data)

    def create(self, request):
        provider = catalogue.create_provider(request.user, _body(ServiceProviderWriteSerializer, request))
        return Response(ServiceProviderSerializer(self._get(provider.pk)).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        self._get(pk)
        provider = catalogue.update_provider(
            request.user, _pk(pk), _body(ServiceProviderWriteSerializer, request, partial=True)
        )
        return Response(ServiceProviderSerializer(self._get(provider.pk)).data)

    @extend_schema(
        request=ServiceProviderCapacitySerializer,
        responses={200: ServiceProviderSerializer, **WRITE},
        description="The provider's units a week of a service; units_per_week null removes the limit.",
    )
    @action(detail=True, methods=["post"], serializer_class=ServiceProviderCapacitySerializer)
    def capacity(self, request, pk=None):
        self._get(pk)
        data = _body(ServiceProviderCapacitySerializer, request)
        catalogue.set_provider_capacity(request.user, _pk(pk), data["service_code"], data["units_per_week"])
        return Response(ServiceProviderSerializer(self._get(pk)).data)


@extend_schema_view(
    list=extend_schema(
        parameters=[ServiceWorkerQuerySerializer], responses={200: ServiceWorkerSerializer(many=True), **READ}
    ),
    retrieve=extend_schema(responses={200: ServiceWorkerSerializer, **READ}),
    create=extend_schema(request=ServiceWorkerWriteSerializer, responses={201: ServiceWorkerSerializer, **WRITE}),
    partial_update=extend_schema(
        request=ServiceWorkerWriteSerializer, responses={200: ServiceWorkerSerializer, **WRITE}
    ),
)
@extend_schema(tags=[TAG])
class WorkerViewSet(mixins.ListModelMixin, ServicesViewSet):
    capabilities = {
        "list": ANY_STAFF,
        "retrieve": ANY_STAFF,
        "options": ANY_STAFF,
        "create": MANAGE_SERVICES,
        "partial_update": MANAGE_SERVICES,
    }
    serializer_class = ServiceWorkerSerializer
    queryset = ServiceWorker.objects.none()

    def _records(self):
        return ServiceWorker.objects.filter(centre_id=self.request.user.centre_id).order_by("name", "id")

    def _get(self, pk) -> ServiceWorker:
        found = self._records().filter(pk=_pk(pk)).first()
        if found is None:
            raise NotFound()
        return found

    def list(self, request):
        query = _query(ServiceWorkerQuerySerializer, request)
        records = self._records()
        if query.get("provider"):
            records = records.filter(provider_id=query["provider"])
        if query.get("active") is not None:
            records = records.filter(is_active=query["active"])
        if query.get("service_code"):
            # JSON containment is not on SQLite: the few workers of a centre are filtered here.
            code = query["service_code"]
            records = [w for w in records if code in (w.service_codes or [])]
        return self.page(records, ServiceWorkerSerializer)

    def retrieve(self, request, pk=None):
        return Response(ServiceWorkerSerializer(self._get(pk)).data)

    def create(self, request):
        worker = catalogue.create_worker(request.user, _body(ServiceWorkerWriteSerializer, request))
        return Response(ServiceWorkerSerializer(worker).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        self._get(pk)
        worker = catalogue.update_worker(
            request.user, _pk(pk), _body(ServiceWorkerWriteSerializer, request, partial=True)
        )
        return Response(ServiceWorkerSerializer(worker).data)


# --- decisions --------------------------------------------------------------------------------------------------


def _with_copayment(qs):
    return qs.prefetch_related(
        Prefetch(
            "copayments",
            queryset=CopaymentAssessment.objects.order_by("decision_id", "-valid_from", "-id"),
            to_attr="copayments_all",
        )
    )


def _newest_copayment(records) -> None:
    for d in records:
        d.copayments_newest = d.copayments_all[:1]


def _decision(actor, pk) -> ServiceDecision:
    return selectors.get_decision_for(actor, _pk(pk))


def _show_decision(actor, decision: ServiceDecision, code=status.HTTP_200_OK):
    shown = _with_copayment(
        selectors.visible_decisions(actor).select_related("person", "provider", "case", "drafted_by")
    )
    decision = shown.filter(pk=decision.pk).first()
    if decision is None:
        raise NotFound()
    _newest_copayment([decision])
    record_view(
        actor,
        object_type="service_decision",
        object_id=decision.pk,
        centre_id=actor.centre_id,
        person_ids=decisions.persons_of(decision),
    )
    return Response(ServiceDecisionSerializer(decision).data, status=code)


def _move(description: str, request_serializer):
    return extend_schema(
        request=request_serializer, responses={200: ServiceDecisionSerializer, **WRITE}, description=description
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[ServiceDecisionQuerySerializer],
        responses={200: ServiceDecisionSerializer(many=True), **READ, 400: BAD_INPUT},
        description="The decisions you may read, newest first. Audited under their clients.",
    ),
    retrieve=extend_schema(responses={200: ServiceDecisionSerializer, **READ}),
    create=extend_schema(
        request=ServiceDecisionWriteSerializer,
        responses={201: ServiceDecisionSerializer, **WRITE},
        description="Draft a decision for a client on a case you work on; another person issues it. The income "
        "facts (income, household_size, lives_alone), all or none, give the co-payment when it is issued.",
    ),
    partial_update=extend_schema(
        request=ServiceDecisionUpdateSerializer,
        responses={200: ServiceDecisionSerializer, **WRITE},
        description="Change a draft (409 decision_not_draft once issued: a change is a new decision).",
    ),
)
@extend_schema(tags=[TAG])
class DecisionViewSet(mixins.ListModelMixin, ServicesViewSet):
    serializer_class = ServiceDecisionSerializer
    queryset = ServiceDecision.objects.none()
    capabilities = {
        "list": READ_DECISIONS,
        "retrieve": READ_DECISIONS,
        "options": READ_DECISIONS,
        "create": ORDER_SERVICES,
        "partial_update": ORDER_SERVICES,
        "cancel": ORDER_SERVICES,
        "issue": APPROVE_DECISIONS,
        "suspend": APPROVE_DECISIONS,
        "resume": APPROVE_DECISIONS,
        "end": APPROVE_DECISIONS,
        "copayment": (ORDER_SERVICES, APPROVE_DECISIONS),
    }

    def list(self, request):
        query = _query(ServiceDecisionQuerySerializer, request)
        records = _with_copayment(selectors.list_decisions_for(request.user, **query))

        def audit(page):
            _newest_copayment(page)
            record_list_view(
                request.user,
                object_type="service_decision",
                person_ids=[p for d in page for p in decisions.persons_of(d)],
            )

        return self.page(records, ServiceDecisionSerializer, audit=audit)

    def retrieve(self, request, pk=None):
        return _show_decision(request.user, _decision(request.user, pk))

    def create(self, request):
        data = _pattern(_body(ServiceDecisionWriteSerializer, request))
        decision = decisions.draft_decision(request.user, data)
        return _show_decision(request.user, decision, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        decision = _decision(request.user, pk)
        data = _pattern(_body(ServiceDecisionUpdateSerializer, request, partial=True))
        return _show_decision(request.user, decisions.update_draft(request.user, decision, data))

    @_move("Issue a draft (four eyes: not its drafter; capacity of the week): draft → issued.", ServiceIssueSerializer)
    @action(detail=True, methods=["post"], serializer_class=ServiceIssueSerializer)
    def issue(self, request, pk=None):
        decision = _decision(request.user, pk)
        data = _body(ServiceIssueSerializer, request)
        return _show_decision(
            request.user, decisions.issue_decision(request.user, decision, on=data.get("on") or _today())
        )

    @_move("The services stop for a while: issued → suspended.", ServiceSuspendSerializer)
    @action(detail=True, methods=["post"], serializer_class=ServiceSuspendSerializer)
    def suspend(self, request, pk=None):
        decision = _decision(request.user, pk)
        data = _body(ServiceSuspendSerializer, request)
        decision = decisions.suspend_decision(
            request.user, decision, on=data.get("on") or _today(), reason=data["reason"]
        )
        return _show_decision(request.user, decision)

    @_move("The services go on: suspended → issued.", ServiceResumeSerializer)
    @action(detail=True, methods=["post"], serializer_class=ServiceResumeSerializer)
    def resume(self, request, pk=None):
        decision = _decision(request.user, pk)
        data = _body(ServiceResumeSerializer, request)
        return _show_decision(
            request.user, decisions.resume_decision(request.user, decision, on=data.get("on") or _today())
        )

    @_move("The services end on the day given (their last day): issued or suspended → ended.", ServiceSuspendSerializer)
    @action(detail=True, methods=["post"], serializer_class=ServiceSuspendSerializer)
    def end(self, request, pk=None):
        decision = _decision(request.user, pk)
        data = _body(ServiceSuspendSerializer, request)
        decision = decisions.end_decision(request.user, decision, on=data.get("on") or _today(), reason=data["reason"])
        return _show_decision(request.user, decision)

    @_move("Withdraw a draft before it is issued: draft → cancelled.", ServiceCancelSerializer)
    @action(detail=True, methods=["post"], serializer_class=ServiceCancelSerializer)
    def cancel(self, request, pk=None):
        decision = _decision(request.user, pk)
        data = _body(ServiceCancelSerializer, request)
        return _show_decision(request.user, decisions.cancel_draft(request.user, decision, reason=data["reason"]))

    @extend_schema(
        request=ServiceAssessSerializer,
        responses={201: ServiceCopaymentSerializer, **WRITE},
        description="(Re)assess the co-payment from a day with the client's income facts (the pack's dated rules).",
    )
    @action(detail=True, methods=["post"], serializer_class=ServiceAssessSerializer)
    def copayment(self, request, pk=None):
        actor = request.user
        decision = _decision(actor, pk)
        data = _body(ServiceAssessSerializer, request)
        row = assess_copayment(
            actor,
            decision,
            income=data["income"],
            household_size=data["household_size"],
            lives_alone=data["lives_alone"],
            valid_from=data.get("valid_from") or decision.starts_on,
            on=_today(),
        )
        record_view(
            actor,
            object_type="service_decision",
            object_id=decision.pk,
            centre_id=actor.centre_id,
            person_ids=decisions.persons_of(decision),
        )
        return Response(ServiceCopaymentSerializer(row).data, status=status.HTTP_201_CREATED)


# --- waiting lists -----------------------------------------------------------------------------------------------


def _waiting(actor, pk):
    return selectors.get_waiting_entry_for(actor, _pk(pk))


def _show_entry(actor, entry, code=status.HTTP_200_OK):
    entry = selectors.list_waiting_for(actor, status=None).filter(pk=entry.pk).first()
    record_view(
        actor,
        object_type="service_waiting_entry",
        object_id=entry.pk,
        centre_id=actor.centre_id,
        person_ids=[entry.person_id],
    )
    return Response(ServiceWaitingEntrySerializer(entry).data, status=code)


def _entry_move(description: str, request_serializer):
    return extend_schema(
        request=request_serializer, responses={200: ServiceWaitingEntrySerializer, **WRITE}, description=description
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[ServiceWaitingQuerySerializer],
        responses={200: ServiceWaitingEntrySerializer(many=True), **READ, 400: BAD_INPUT},
        description="The centre's waiting lists by service, priority and the day asked (status waiting unless "
        "asked: all for every entry). Audited under the persons shown.",
    ),
    retrieve=extend_schema(responses={200: ServiceWaitingEntrySerializer, **READ}),
    create=extend_schema(
        request=ServiceWaitingCreateSerializer, responses={201: ServiceWaitingEntrySerializer, **WRITE}
    ),
)
@extend_schema(tags=[TAG])
class WaitingListViewSet(mixins.ListModelMixin, ServicesViewSet):
    serializer_class = ServiceWaitingEntrySerializer
    queryset = WaitingListEntry.objects.none()
    capabilities = {
        "list": READ_WAITING,
        "retrieve": READ_WAITING,
        "options": READ_WAITING,
        "create": ORDER_SERVICES,
        "priority": ORDER_SERVICES,
        "withdraw": ORDER_SERVICES,
        "restore": ORDER_SERVICES,
        "place": ORDER_SERVICES,
    }

    def list(self, request):
        query = _query(ServiceWaitingQuerySerializer, request)
        wanted = query.pop("status", "waiting")
        records = selectors.list_waiting_for(request.user, status=None if wanted == "all" else wanted, **query)

        def audit(page):
            position: dict = {}
            for entry in page:
                if entry.status == "waiting":
                    position[entry.service_code] = position.get(entry.service_code, 0) + 1
                    entry.position = position[entry.service_code]
                else:
                    entry.position = None
            record_list_view(request.user, object_type="service_waiting_entry", person_ids=[e.person_id for e in page])

        return self.page(records, ServiceWaitingEntrySerializer, audit=audit)

    def retrieve(self, request, pk=None):
        return _show_entry(request.user, _waiting(request.user, pk))

    def create(self, request):
        data = _body(ServiceWaitingCreateSerializer, request)
        entry = waiting.add_to_waiting_list(
            request.user,
            person=data["person"],
            service_code=data["service_code"],
            case=data.get("case"),
            priority=data["priority"],
            reason=data["reason"],
            requested_on=data.get("requested_on") or _today(),
        )
        return _show_entry(request.user, entry, status.HTTP_201_CREATED)

    @_entry_move("Another priority, with its reason (only while waiting).", ServicePrioritySerializer)
    @action(detail=True, methods=["post"], serializer_class=ServicePrioritySerializer)
    def priority(self, request, pk=None):
        entry = _waiting(request.user, pk)
        data = _body(ServicePrioritySerializer, request)
        entry = waiting.change_priority(request.user, entry, priority=data["priority"], reason=data["reason"])
        return _show_entry(request.user, entry)

    @_entry_move("The person no longer waits: waiting → withdrawn.", ServiceWithdrawSerializer)
    @action(detail=True, methods=["post"], serializer_class=ServiceWithdrawSerializer)
    def withdraw(self, request, pk=None):
        entry = _waiting(request.user, pk)
        data = _body(ServiceWithdrawSerializer, request)
        entry = waiting.withdraw(request.user, entry, on=data.get("on") or _today(), reason=data["reason"])
        return _show_entry(request.user, entry)

    @_entry_move("Withdrawn by mistake: withdrawn → waiting.", None)
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        entry = _waiting(request.user, pk)
        return _show_entry(request.user, waiting.restore(request.user, entry))

    @extend_schema(
        request=ServicePlaceSerializer,
        responses={201: ServiceDecisionSerializer, **WRITE},
        description="A draft decision for the person waiting (their service and case); the entry is placed when "
        "the decision is issued.",
    )
    @action(detail=True, methods=["post"], serializer_class=ServicePlaceSerializer)
    def place(self, request, pk=None):
        entry = _waiting(request.user, pk)
        data = _pattern(_body(ServicePlaceSerializer, request))
        data.update(person=entry.person_id, case=entry.case_id, service_code=entry.service_code, waiting_entry=entry.pk)
        decision = decisions.draft_decision(request.user, data)
        return _show_decision(request.user, decision, status.HTTP_201_CREATED)
