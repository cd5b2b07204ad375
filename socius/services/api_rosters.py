"""API of rosters, visits, deliveries and the canteen's day: /api/v1/services/rosters/ (+ generate, publish,
reopen), visits/ (+ move, cancel, deliver, miss), deliveries/ (+ correct), canteen-days/ (decision 0016).

Every collection lists what the caller may see: the centre's rosters for those who see services; a carer their
own visits of published rosters; a caseworker the visits and deliveries of decisions they drafted or of cases
they read. Refusals of the carer's week, the client's decision or a state answer 409 with the reason, nothing
written. Every answer showing clients is audited under them.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from socius.accounts.api import API_PERMISSIONS
from socius.accounts.audit import record_list_view, record_view
from socius.accounts.roles import MANAGE_SERVICES, RECORD_DELIVERIES, VIEW_SERVICES
from socius.common.api import BAD_INPUT, NOT_FOUND
from socius.common.api import pk_or_404 as _pk
from socius.common.errors import ValidationFailed
from socius.services import deliveries, rosters
from socius.services import selectors_rosters as selectors
from socius.services.models import Delivery, Roster, ServiceDecision, ServiceWorker, Visit
from socius.services.serializers_rosters import (
    CanteenDayInputSerializer,
    CanteenDaySerializer,
    CanteenQuerySerializer,
    DeliveryCorrectSerializer,
    DeliveryCreateSerializer,
    DeliveryQuerySerializer,
    DeliverySerializer,
    RosterDetailSerializer,
    RosterGeneratedSerializer,
    RosterGenerateSerializer,
    RosterQuerySerializer,
    RosterSerializer,
    ServiceVisitCancelSerializer,
    ServiceVisitCreateSerializer,
    ServiceVisitDeliverSerializer,
    ServiceVisitMissSerializer,
    ServiceVisitMoveSerializer,
    ServiceVisitQuerySerializer,
    ServiceVisitSerializer,
)

TAG = "services: rosters"
FORBIDDEN = OpenApiResponse(description="Your role does not allow it.")
CONFLICT = OpenApiResponse(
    description='{"detail": reason, "code": ...} with codes "invalid_transition", "roster_published", '
    '"worker_overbooked", "outside_decision", "visit_in_future", "service_not_offered", "statement_issued", '
    '"delivery_missed"; nothing was changed.'
)
WRITE = {400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT}
READ = {403: FORBIDDEN, 404: NOT_FOUND}


def _today():
    return timezone.localdate()


def _query(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _body(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _named(actor, model, pk, field: str):
    """A record a body names, of the caller's centre; else 400 on that field."""
    if pk is None:
        return None
    centre_field = "roster__centre_id" if model is Visit else "centre_id"
    record = model.objects.filter(pk=pk, **{centre_field: actor.centre_id}).first()
    if record is None:
        raise ValidationFailed({field: [_unknown()]})
    return record


def _unknown():
    from django.utils.translation import gettext as _

    return _("No such record in your centre.")


class _Base(viewsets.GenericViewSet):
    permission_classes = API_PERMISSIONS
    filter_backends = []
    lookup_value_regex = r"\d+"

    def page(self, records, serializer_class, *, object_type: str, persons):
        page = self.paginate_queryset(records)
        record_list_view(self.request.user, object_type=object_type, person_ids=persons(page))
        return self.get_paginated_response(serializer_class(page, many=True).data)


# --- rosters --------------------------------------------------------------------------------------------


def _show_roster(actor, roster: Roster, code=status.HTTP_200_OK) -> Response:
    roster.shown_visits = list(
        roster.visits.select_related("decision__person", "worker").order_by("date", "starts_at", "id")
    )
    persons = [v.decision.person_id for v in roster.shown_visits]
    if persons:
        record_view(actor, object_type="service_roster", object_id=roster.pk, centre_id=actor.centre_id,
                    person_ids=persons)  # fmt: skip
    return Response(RosterDetailSerializer(roster).data, status=code)


@extend_schema_view(
    list=extend_schema(
        parameters=[RosterQuerySerializer],
        responses={200: RosterSerializer(many=True), **READ, 400: BAD_INPUT},
        description="The centre's weekly rosters, newest first.",
    ),
    retrieve=extend_schema(
        responses={200: RosterDetailSerializer, **READ},
        description="A roster with its visits. Audited under the clients shown.",
    ),
)
@extend_schema(tags=[TAG])
class RosterViewSet(mixins.ListModelMixin, _Base):
    serializer_class = RosterSerializer
    queryset = Roster.objects.none()
    capabilities = {
        "list": VIEW_SERVICES,
        "retrieve": VIEW_SERVICES,
        "options": VIEW_SERVICES,
        "generate": MANAGE_SERVICES,
        "publish": MANAGE_SERVICES,
        "reopen": MANAGE_SERVICES,
    }

    def list(self, request):
        filters = _query(RosterQuerySerializer, request)
        records = selectors.list_rosters_for(request.user)
        if filters.get("week_start"):
            records = records.filter(week_start=filters["week_start"])
        if filters.get("status"):
            records = records.filter(status=filters["status"])
        page = self.paginate_queryset(records)
        return self.get_paginated_response(RosterSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return _show_roster(request.user, selectors.get_roster_for(request.user, _pk(pk)))

    @extend_schema(
        request=RosterGenerateSerializer,
        responses={200: RosterGeneratedSerializer, **WRITE},
        description="Plan the week's visits from the decisions in force (a draft roster; planned visits are "
        "planned again, recorded ones kept). Unplaced visits come back with their reason.",
    )
    @action(detail=False, methods=["post"], serializer_class=RosterGenerateSerializer)
    def generate(self, request):
        data = _body(RosterGenerateSerializer, request)
        result = rosters.generate_roster(request.user, request.user.centre, data["week_start"], on=_today())
        return Response(
            RosterGeneratedSerializer(
                {
                    "roster": result.roster,
                    "planned": len(result.visits),
                    "unplaced": [u.as_dict() for u in result.unplaced],
                }
            ).data
        )

    @extend_schema(request=None, responses={200: RosterDetailSerializer, **WRITE}, description="draft → published.")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        roster = selectors.get_roster_for(request.user, _pk(pk))
        return _show_roster(request.user, rosters.publish_roster(request.user, roster))

    @extend_schema(request=None, responses={200: RosterDetailSerializer, **WRITE}, description="published → draft.")
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        roster = selectors.get_roster_for(request.user, _pk(pk))
        return _show_roster(request.user, rosters.reopen_roster(request.user, roster))


# --- visits ---------------------------------------------------------------------------------------------


def _visit(actor, pk) -> Visit:
    return selectors.get_visit_for(actor, _pk(pk))


def _show_visit(actor, visit: Visit, code=status.HTTP_200_OK) -> Response:
    visit = (
        selectors.visits_for(actor).select_related("decision__person", "worker").filter(pk=visit.pk).first() or visit
    )
    record_view(actor, object_type="service_visit", object_id=visit.pk, centre_id=actor.centre_id,
                person_id=visit.decision.person_id)  # fmt: skip
    return Response(ServiceVisitSerializer(visit).data, status=code)


def _visit_move(description, request_serializer):
    return extend_schema(request=request_serializer, responses={200: ServiceVisitSerializer, **WRITE},
                         description=description)  # fmt: skip


@extend_schema_view(
    list=extend_schema(
        parameters=[ServiceVisitQuerySerializer],
        responses={200: ServiceVisitSerializer(many=True), **READ, 400: BAD_INPUT},
        description="Visits you may see (a carer: their own on published rosters). Audited under the clients.",
    ),
    retrieve=extend_schema(responses={200: ServiceVisitSerializer, **READ}),
    create=extend_schema(
        request=ServiceVisitCreateSerializer,
        responses={201: ServiceVisitSerializer, **WRITE},
        description="Add a visit to a draft roster (checked against the carer's week and the client's decision).",
    ),
)
@extend_schema(tags=[TAG])
class VisitViewSet(mixins.ListModelMixin, _Base):
    serializer_class = ServiceVisitSerializer
    queryset = Visit.objects.none()
    capabilities = {
        "list": RECORD_DELIVERIES,
        "retrieve": RECORD_DELIVERIES,
        "options": RECORD_DELIVERIES,
        "create": MANAGE_SERVICES,
        "move": MANAGE_SERVICES,
        "cancel": MANAGE_SERVICES,
        "deliver": RECORD_DELIVERIES,
        "miss": RECORD_DELIVERIES,
    }

    def list(self, request):
        filters = _query(ServiceVisitQuerySerializer, request)
        records = selectors.visits_for(request.user).select_related("decision__person", "worker")
        for key, lookup in (
            ("date_from", "date__gte"),
            ("date_to", "date__lte"),
            ("roster", "roster_id"),
            ("worker", "worker_id"),
            ("status", "status"),
        ):
            if filters.get(key) is not None:
                records = records.filter(**{lookup: filters[key]})
        records = records.order_by("date", "starts_at", "id")
        return self.page(records, ServiceVisitSerializer, object_type="service_visit",
                         persons=lambda page: [v.decision.person_id for v in page])  # fmt: skip

    def retrieve(self, request, pk=None):
        return _show_visit(request.user, _visit(request.user, pk))

    def create(self, request):
        actor = request.user
        data = _body(ServiceVisitCreateSerializer, request)
        visit = rosters.add_visit(
            actor,
            _named(actor, Roster, data["roster"], "roster"),
            decision=_named(actor, ServiceDecision, data["decision"], "decision"),
            worker=_named(actor, ServiceWorker, data["worker"], "worker"),
            date=data["date"],
            starts_at=data["starts_at"],
            units=data["units"],
        )
        return _show_visit(actor, visit, status.HTTP_201_CREATED)

    @_visit_move("Move a planned visit (another carer, day, time or length).", ServiceVisitMoveSerializer)
    @action(detail=True, methods=["post"], serializer_class=ServiceVisitMoveSerializer)
    def move(self, request, pk=None):
        actor = request.user
        visit = _visit(actor, pk)
        data = _body(ServiceVisitMoveSerializer, request)
        visit = rosters.move_visit(
            actor, visit, worker=_named(actor, ServiceWorker, data["worker"], "worker"), date=data["date"],
            starts_at=data["starts_at"], units=data["units"],
        )  # fmt: skip
        return _show_visit(actor, visit)

    @_visit_move("planned → cancelled.", ServiceVisitCancelSerializer)
    @action(detail=True, methods=["post"], serializer_class=ServiceVisitCancelSerializer)
    def cancel(self, request, pk=None):
        actor = request.user
        visit = _visit(actor, pk)
        data = _body(ServiceVisitCancelSerializer, request)
        return _show_visit(actor, rosters.cancel_visit(actor, visit, reason=data["reason"]))

    @_visit_move("The visit took place: planned → delivered, with the units given.", ServiceVisitDeliverSerializer)
    @action(detail=True, methods=["post"], serializer_class=ServiceVisitDeliverSerializer)
    def deliver(self, request, pk=None):
        actor = request.user
        visit = _visit(actor, pk)
        data = _body(ServiceVisitDeliverSerializer, request)
        deliveries.record_delivery(actor, visit, units=data["units"], on=_today(), note=data["note"])
        return _show_visit(actor, visit)

    @_visit_move("The visit did not take place: planned → missed, with the reason.", ServiceVisitMissSerializer)
    @action(detail=True, methods=["post"], serializer_class=ServiceVisitMissSerializer)
    def miss(self, request, pk=None):
        actor = request.user
        visit = _visit(actor, pk)
        data = _body(ServiceVisitMissSerializer, request)
        deliveries.record_missed(actor, visit, data["reason"], data["note"], on=_today())
        return _show_visit(actor, visit)


# --- deliveries -----------------------------------------------------------------------------------------


def _show_delivery(actor, delivery: Delivery, code=status.HTTP_200_OK) -> Response:
    record_view(actor, object_type="service_delivery", object_id=delivery.pk, centre_id=actor.centre_id,
                person_id=delivery.decision.person_id)  # fmt: skip
    return Response(DeliverySerializer(delivery).data, status=code)


@extend_schema_view(
    list=extend_schema(
        parameters=[DeliveryQuerySerializer],
        responses={200: DeliverySerializer(many=True), **READ, 400: BAD_INPUT},
        description="Deliveries you may see, newest first. Audited under the clients.",
    ),
    retrieve=extend_schema(responses={200: DeliverySerializer, **READ}),
    create=extend_schema(
        request=DeliveryCreateSerializer,
        responses={201: DeliverySerializer, **WRITE},
        description="A service given without a visit on the roster, within the client's decision.",
    ),
)
@extend_schema(tags=[TAG])
class DeliveryViewSet(mixins.ListModelMixin, _Base):
    serializer_class = DeliverySerializer
    queryset = Delivery.objects.none()
    capabilities = {
        "list": RECORD_DELIVERIES,
        "retrieve": RECORD_DELIVERIES,
        "options": RECORD_DELIVERIES,
        "create": RECORD_DELIVERIES,
        "correct": MANAGE_SERVICES,
    }

    def list(self, request):
        filters = _query(DeliveryQuerySerializer, request)
        records = selectors.deliveries_for(request.user).select_related("decision")
        for key, lookup in (
            ("date_from", "date__gte"),
            ("date_to", "date__lte"),
            ("decision", "decision_id"),
            ("outcome", "outcome"),
        ):
            if filters.get(key) is not None:
                records = records.filter(**{lookup: filters[key]})
        records = records.order_by("-date", "-id")
        return self.page(records, DeliverySerializer, object_type="service_delivery",
                         persons=lambda page: [d.decision.person_id for d in page])  # fmt: skip

    def retrieve(self, request, pk=None):
        return _show_delivery(request.user, selectors.get_delivery_for(request.user, _pk(pk)))

    def create(self, request):
        actor = request.user
        data = _body(DeliveryCreateSerializer, request)
        delivery = deliveries.record_unplanned_delivery(
            actor,
            _named(actor, ServiceDecision, data["decision"], "decision"),
            units=data["units"],
            date=data["date"],
            on=_today(),
            worker=_named(actor, ServiceWorker, data.get("worker"), "worker"),
            note=data["note"],
        )
        return _show_delivery(actor, delivery, status.HTTP_201_CREATED)

    @extend_schema(
        request=DeliveryCorrectSerializer,
        responses={200: DeliverySerializer, **WRITE},
        description="Correct the units of a delivery (with a note); refused once the month's statement is issued.",
    )
    @action(detail=True, methods=["post"], serializer_class=DeliveryCorrectSerializer)
    def correct(self, request, pk=None):
        actor = request.user
        delivery = selectors.get_delivery_for(actor, _pk(pk))
        data = _body(DeliveryCorrectSerializer, request)
        return _show_delivery(
            actor, deliveries.correct_delivery(actor, delivery, units=data["units"], note=data["note"])
        )


# --- the canteen's day ----------------------------------------------------------------------------------


class _OneSheetSchema(AutoSchema):
    """The canteen's day is one sheet (an object), not a list, although it answers the collection's GET."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


@extend_schema(tags=[TAG])
class CanteenDayViewSet(_Base):
    schema = _OneSheetSchema()
    serializer_class = CanteenDaySerializer
    queryset = Delivery.objects.none()
    capabilities = {"list": RECORD_DELIVERIES, "create": RECORD_DELIVERIES, "options": RECORD_DELIVERIES}
    pagination_class = None

    @extend_schema(
        parameters=[CanteenQuerySerializer],
        responses={200: CanteenDaySerializer, **READ, 400: BAD_INPUT},
        description="The canteen's day sheet: every client with a decision for the service that day and the meals "
        "recorded. Audited under them.",
    )
    def list(self, request):
        data = _query(CanteenQuerySerializer, request)
        day = data.get("day") or _today()
        code = data.get("service_code") or next(iter(selectors.canteen_services(request.user.centre_id, day)), "")
        sheet = selectors.canteen_day_sheet(request.user, code, day)
        return Response(CanteenDaySerializer(sheet).data)

    @extend_schema(
        request=CanteenDayInputSerializer,
        responses={200: CanteenDaySerializer, **WRITE},
        description="Record the day's meals in one transaction (replacing those recorded before for that day); "
        "any wrong line writes nothing.",
    )
    def create(self, request):
        actor = request.user
        data = _body(CanteenDayInputSerializer, request)
        meals = {}
        for row in data["meals"]:
            meals[row["decision"]] = row["meals"]
        deliveries.record_canteen_day(actor, data["service_code"], data["day"], meals, on=_today())
        sheet = selectors.canteen_day_sheet(actor, data["service_code"], data["day"])
        return Response(CanteenDaySerializer(sheet).data)
