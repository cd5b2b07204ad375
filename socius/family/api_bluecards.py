"""API of the Blue Card: /api/v1/blue-cards/ (PL "Niebieska Karta").

Only the current staff members of a card's group and the director see it: the list holds only those cards,
and any other caller (auditors and other centres included) is answered 404 for a card; centres whose pack has
no Blue Card procedure (MD, LT) get 404 everywhere. Every read is audited under the persons of the procedure
(object_type "blue_card"). Writes need the right to start Blue Cards (403 by role otherwise); a status the map
does not allow answers 409 with the reason, nothing changed.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from socius.accounts.api import API_PERMISSIONS
from socius.accounts.roles import START_BLUE_CARD, VIEW_REGISTRY
from socius.common.api import BAD_INPUT, NOT_FOUND
from socius.common.api import pk_or_404 as _pk
from socius.family.bluecards import services
from socius.family.bluecards.selectors import (
    audit_blue_card_list,
    audit_blue_card_view,
    blue_card_page,
    get_blue_card_for,
    list_blue_cards_for,
)
from socius.family.bluecards.serializers import (
    BlueCardCloseSerializer,
    BlueCardCreateSerializer,
    BlueCardDetailSerializer,
    BlueCardFormCreateSerializer,
    BlueCardFormSerializer,
    BlueCardMeetingCreateSerializer,
    BlueCardMeetingSerializer,
    BlueCardMemberCreateSerializer,
    BlueCardMemberRemoveSerializer,
    BlueCardMemberSerializer,
    BlueCardMonitoringCreateSerializer,
    BlueCardMonitoringSerializer,
    BlueCardMoveSerializer,
    BlueCardPlanItemCreateSerializer,
    BlueCardPlanItemDoneSerializer,
    BlueCardPlanItemSerializer,
    BlueCardQuerySerializer,
    BlueCardSerializer,
)
from socius.family.models import BlueCard
from socius.family.statuses import BlueCardStatus

_FORBIDDEN = OpenApiResponse(description="Your role may not work Blue Cards.")
_NOT_FOUND_CARD = OpenApiResponse(
    description="No such card, or you are not a current member of its group nor the director (the same answer)."
)
_CONFLICT = OpenApiResponse(
    description='The card\'s status does not allow it: {"detail": reason, "code": "invalid_transition", '
    '"card_closed", "plan_not_done" or "last_member"}; nothing was changed.'
)
_WRITE = {400: BAD_INPUT, 403: _FORBIDDEN, 404: _NOT_FOUND_CARD, 409: _CONFLICT}

CAPABILITIES = {
    "list": VIEW_REGISTRY,  # every role: what one sees is decided per card (members and the director)
    "retrieve": VIEW_REGISTRY,
    "options": VIEW_REGISTRY,
    "create": START_BLUE_CARD,
    "members": START_BLUE_CARD,
    "remove_member": START_BLUE_CARD,
    "forms": START_BLUE_CARD,
    "meetings": START_BLUE_CARD,
    "plan_items": START_BLUE_CARD,
    "plan_item_done": START_BLUE_CARD,
    "monitoring": START_BLUE_CARD,
    "move": START_BLUE_CARD,
    "close": START_BLUE_CARD,
}


def _write(request_serializer, response_serializer, description: str, code: int = 201):
    return extend_schema(
        request=request_serializer,
        responses={code: response_serializer, **_WRITE},
        description=description,
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[BlueCardQuerySerializer],
        responses={200: BlueCardSerializer(many=True), 400: BAD_INPUT, 404: NOT_FOUND},
        description="The Blue Cards you may see (your groups'; all of the centre's for the director), newest "
        "first. Audited under the persons shown. 404 where the centre's jurisdiction has no Blue Card.",
    ),
    retrieve=extend_schema(
        responses={200: BlueCardDetailSerializer, 404: _NOT_FOUND_CARD},
        description="The card with its parties, group, forms, meetings, help plan, monitoring and deadlines. Audited.",
    ),
    create=extend_schema(
        request=BlueCardCreateSerializer,
        responses={201: BlueCardDetailSerializer, 400: BAD_INPUT, 403: _FORBIDDEN, 404: NOT_FOUND},
        description="Form NK-A: start the procedure with every person affected and every person suspected "
        "(at least one of each). You become a member of the card's group.",
    ),
)
@extend_schema(tags=["blue-cards"])
class BlueCardViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = BlueCardSerializer
    permission_classes = API_PERMISSIONS
    capabilities = CAPABILITIES
    filter_backends = []
    lookup_value_regex = r"\d+"
    queryset = BlueCard.objects.none()  # for the schema; requests read through the selectors

    def list(self, request):
        query = BlueCardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        cards = list_blue_cards_for(request.user, status=data.get("status"), q=data.get("q"))
        page = self.paginate_queryset(cards)
        audit_blue_card_list(request.user, page, query=data.get("q") or "")
        return self.get_paginated_response(BlueCardSerializer(page, many=True).data)

    def _detail(self, request, card, *, code=status.HTTP_200_OK):
        card = get_blue_card_for(request.user, card.pk)
        audit_blue_card_view(request.user, card)
        return Response(BlueCardDetailSerializer(blue_card_page(request.user, card)).data, status=code)

    def retrieve(self, request, pk=None):
        return self._detail(request, get_blue_card_for(request.user, _pk(pk)))

    def create(self, request):
        body = BlueCardCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        card = services.start_blue_card(request.user, **body.validated_data)
        return self._detail(request, card, code=status.HTTP_201_CREATED)

    def _body(self, request, serializer_class) -> dict:
        body = serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)

    def _card(self, request, pk) -> BlueCard:
        return get_blue_card_for(request.user, _pk(pk))  # 404 before reading the body for a card not seen

    @_write(
        BlueCardMemberCreateSerializer,
        BlueCardMemberSerializer,
        "Add a member to the card's group: a staff "
        "member of your centre (who then sees the card) or an outside member by name (e.g. the police officer).",
    )
    @action(detail=True, methods=["post"], serializer_class=BlueCardMemberCreateSerializer)
    def members(self, request, pk=None):
        card = self._card(request, pk)
        member = services.add_group_member(request.user, card, **self._body(request, BlueCardMemberCreateSerializer))
        return Response(BlueCardMemberSerializer(member).data, status=status.HTTP_201_CREATED)

    @_write(
        BlueCardMemberRemoveSerializer,
        BlueCardMemberSerializer,
        "A member leaves the group on the day; a "
        "staff member no longer sees the card. The group keeps at least one staff member (409).",
        200,
    )
    @action(detail=True, methods=["post"], url_path="remove-member", serializer_class=BlueCardMemberRemoveSerializer)
    def remove_member(self, request, pk=None):
        card = self._card(request, pk)
        member = services.remove_group_member(request.user, card, **self._body(request, BlueCardMemberRemoveSerializer))
        return Response(BlueCardMemberSerializer(member).data)

    @_write(
        BlueCardFormCreateSerializer,
        BlueCardFormSerializer,
        "Record form NK-B (handed to a person affected), "
        "NK-C (filled in with a person affected) or NK-D (filled in with a person suspected).",
    )
    @action(detail=True, methods=["post"], serializer_class=BlueCardFormCreateSerializer)
    def forms(self, request, pk=None):
        card = self._card(request, pk)
        record = services.record_form(request.user, card, **self._body(request, BlueCardFormCreateSerializer))
        return Response(BlueCardFormSerializer(record).data, status=status.HTTP_201_CREATED)

    @_write(
        BlueCardMeetingCreateSerializer,
        BlueCardMeetingSerializer,
        "Record a meeting of the group; the first one sets the card to in_progress.",
    )
    @action(detail=True, methods=["post"], serializer_class=BlueCardMeetingCreateSerializer)
    def meetings(self, request, pk=None):
        card = self._card(request, pk)
        meeting = services.record_meeting(request.user, card, **self._body(request, BlueCardMeetingCreateSerializer))
        return Response(BlueCardMeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)

    @_write(
        BlueCardPlanItemCreateSerializer,
        BlueCardPlanItemSerializer,
        "Add a measure of the individual help plan for a person affected.",
    )
    @action(detail=True, methods=["post"], url_path="plan-items", serializer_class=BlueCardPlanItemCreateSerializer)
    def plan_items(self, request, pk=None):
        card = self._card(request, pk)
        item = services.add_plan_item(request.user, card, **self._body(request, BlueCardPlanItemCreateSerializer))
        return Response(BlueCardPlanItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @_write(BlueCardPlanItemDoneSerializer, BlueCardPlanItemSerializer, "Mark a measure of the plan done.", 200)
    @action(detail=True, methods=["post"], url_path="plan-item-done", serializer_class=BlueCardPlanItemDoneSerializer)
    def plan_item_done(self, request, pk=None):
        card = self._card(request, pk)
        item = services.mark_plan_item_done(request.user, card, **self._body(request, BlueCardPlanItemDoneSerializer))
        return Response(BlueCardPlanItemSerializer(item).data)

    @_write(
        BlueCardMonitoringCreateSerializer,
        BlueCardMonitoringSerializer,
        "Add a monitoring note (also after the procedure is closed).",
    )
    @action(detail=True, methods=["post"], serializer_class=BlueCardMonitoringCreateSerializer)
    def monitoring(self, request, pk=None):
        card = self._card(request, pk)
        note = services.add_monitoring_note(
            request.user, card, **self._body(request, BlueCardMonitoringCreateSerializer)
        )
        return Response(BlueCardMonitoringSerializer(note).data, status=status.HTTP_201_CREATED)

    @_write(
        BlueCardMoveSerializer,
        BlueCardDetailSerializer,
        "Move the card: started → in_progress; in_progress → "
        "monitoring; monitoring → in_progress. Anything else answers 409 (closing: /close/).",
        200,
    )
    @action(detail=True, methods=["post"], serializer_class=BlueCardMoveSerializer)
    def move(self, request, pk=None):
        card = self._card(request, pk)
        data = self._body(request, BlueCardMoveSerializer)
        card = services.change_blue_card_status(request.user, card, to=data["to"], on=data["on"])
        return self._detail(request, card)

    @_write(
        BlueCardCloseSerializer,
        BlueCardDetailSerializer,
        "Close the procedure on a ground: violence_ceased "
        "(every measure of the help plan done, else 409 plan_not_done) or not_justified.",
        200,
    )
    @action(detail=True, methods=["post"], serializer_class=BlueCardCloseSerializer)
    def close(self, request, pk=None):
        card = self._card(request, pk)
        data = self._body(request, BlueCardCloseSerializer)
        card = services.change_blue_card_status(
            request.user,
            card,
            to=BlueCardStatus.CLOSED,
            on=data["on"],
            closure_ground=data["closure_ground"],
            closure_note=data["closure_note"],
        )
        return self._detail(request, card)
