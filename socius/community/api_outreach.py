"""API of outreach: /api/v1/community/events/ (+ held, cancel, replan, follow-up-done),
/api/v1/community/potential-recipients/ (+ make-contact, refer, dismiss, reopen), /api/v1/community/territories/
(the territory view) and /api/v1/community/diagnosis/ (decision 0016).

Every collection lists the caller's centre's records (whoever reads cases); those who do community work plan,
record and follow up. A state move the record's state refuses answers 409 with the reason, nothing written; a
territory outside the centre's area is refused (409 territory_outside_centre). Reads that show named attendees
or potential recipients are audited under the persons named.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from socius.accounts.api import API_PERMISSIONS
from socius.accounts.roles import VIEW_CASES, WORK_COMMUNITY
from socius.common.api import BAD_INPUT, NOT_FOUND, pk_or_404
from socius.common.errors import ValidationFailed
from socius.community import outreach, recipients
from socius.community import selectors_outreach as selectors
from socius.community.models import OutreachEvent, PotentialRecipient
from socius.community.serializers_outreach import (
    DiagnosisQuerySerializer,
    DiagnosisSerializer,
    DismissSerializer,
    EmptySerializer,
    EventCancelSerializer,
    EventCreateSerializer,
    EventHeldSerializer,
    EventListSerializer,
    EventQuerySerializer,
    EventReplanSerializer,
    EventSerializer,
    EventUpdateSerializer,
    FollowUpDoneSerializer,
    MakeContactSerializer,
    RecipientCreateSerializer,
    RecipientQuerySerializer,
    RecipientSerializer,
    ReferSerializer,
    TerritoryViewQuerySerializer,
    TerritoryViewSerializer,
)

TAG = "community"
FORBIDDEN = OpenApiResponse(description="Your role does not allow it.")
CONFLICT = OpenApiResponse(
    description="The record's state does not allow this, or the territory is outside your centre's area: {\"detail\": "
    'reason, "code": "invalid_transition" | "already_followed_up" | "territory_outside_centre" | "case_closed"}; '
    "nothing was changed."
)
WRITE = {400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT}
READ = {403: FORBIDDEN, 404: NOT_FOUND}
READ_AREA = {400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT}


def _today():
    return timezone.localdate()


def _data(serializer_class, source) -> dict:
    serializer = serializer_class(data=source)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _nested(value):
    """Validated nested serializers give OrderedDicts; the services read plain dicts and lists."""
    if isinstance(value, dict):
        return {k: _nested(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nested(v) for v in value]
    return value


class _CommunityViewSet(viewsets.GenericViewSet):
    permission_classes = API_PERMISSIONS
    filter_backends = []
    lookup_value_regex = r"\d+"


# --- events -----------------------------------------------------------------------------------------------


def _show_event(actor, event_id, code=status.HTTP_200_OK) -> Response:
    event = selectors.get_event_for(actor, event_id)  # audited under the persons it names
    return Response(EventSerializer(event).data, status=code)


def _move(description: str, request_serializer):
    return extend_schema(request=request_serializer, responses={200: EventSerializer, **WRITE}, description=description)


@extend_schema_view(
    list=extend_schema(
        parameters=[EventQuerySerializer],
        responses={200: EventListSerializer(many=True), 400: BAD_INPUT, 403: FORBIDDEN, 409: CONFLICT},
        description="The centre's outreach events, newest first (no names: not audited).",
    ),
    retrieve=extend_schema(
        responses={200: EventSerializer, **READ},
        description="One event with its partners, named attendees, leaflets, follow-ups and potential recipients. "
        "Audited under the persons named.",
    ),
    create=extend_schema(
        request=EventCreateSerializer,
        responses={201: EventSerializer, **WRITE},
        description="Plan an event in a territory of the centre's area (409 territory_outside_centre otherwise).",
    ),
    partial_update=extend_schema(
        request=EventUpdateSerializer,
        responses={200: EventSerializer, **WRITE},
        description="Change a planned event (the fields given; staff and partners replace the lists).",
    ),
)
@extend_schema(tags=[TAG])
class OutreachEventViewSet(_CommunityViewSet):
    serializer_class = EventSerializer
    queryset = OutreachEvent.objects.none()  # for the schema; requests read through the selectors
    http_method_names = ["get", "post", "patch", "head", "options"]
    capabilities = {
        "list": VIEW_CASES,
        "retrieve": VIEW_CASES,
        "options": VIEW_CASES,
        "create": WORK_COMMUNITY,
        "partial_update": WORK_COMMUNITY,
        "held": WORK_COMMUNITY,
        "cancel": WORK_COMMUNITY,
        "replan": WORK_COMMUNITY,
        "follow_up_done": WORK_COMMUNITY,
    }

    def list(self, request):
        filters = EventQuerySerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        events = selectors.list_events_for(request.user, **filters.as_selector_kwargs())
        page = self.paginate_queryset(events)
        return self.get_paginated_response(EventListSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return _show_event(request.user, pk_or_404(pk))

    def create(self, request):
        data = _nested(_data(EventCreateSerializer, request.data))
        event = outreach.plan_event(request.user, data, on=_today())
        return _show_event(request.user, event.pk, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        pk = pk_or_404(pk)
        selectors.get_event_for(request.user, pk, audit=False)
        data = _nested(_data(EventUpdateSerializer, request.data))
        outreach.update_event(request.user, pk, data, on=_today())
        return _show_event(request.user, pk)

    @_move(
        "Record the event as held: headcount, partners, named attendees (only with consent), leaflets per service "
        "of the catalogue, questions, follow-ups (planned → held). The lists given replace the event's.",
        EventHeldSerializer,
    )
    @action(detail=True, methods=["post"], serializer_class=EventHeldSerializer)
    def held(self, request, pk=None):
        pk = pk_or_404(pk)
        data = _nested(_data(EventHeldSerializer, request.data))
        outreach.record_event_held(request.user, pk, data, on=_today())
        return _show_event(request.user, pk)

    @_move("Cancel a planned event with the reason (planned → cancelled).", EventCancelSerializer)
    @action(detail=True, methods=["post"], serializer_class=EventCancelSerializer)
    def cancel(self, request, pk=None):
        pk = pk_or_404(pk)
        data = _data(EventCancelSerializer, request.data)
        outreach.cancel_event(request.user, pk, reason=data["reason"], on=_today())
        return _show_event(request.user, pk)

    @_move("Plan a cancelled event again on a new day (cancelled → planned).", EventReplanSerializer)
    @action(detail=True, methods=["post"], serializer_class=EventReplanSerializer)
    def replan(self, request, pk=None):
        pk = pk_or_404(pk)
        data = _data(EventReplanSerializer, request.data)
        outreach.replan_event(
            request.user,
            pk,
            date=data["date"],
            on=_today(),
            starts_at=data.get("starts_at"),
            ends_at=data.get("ends_at"),
        )
        return _show_event(request.user, pk)

    @_move("Mark one of the event's follow-ups done today (or not done).", FollowUpDoneSerializer)
    @action(detail=True, methods=["post"], url_path="follow-up-done", serializer_class=FollowUpDoneSerializer)
    def follow_up_done(self, request, pk=None):
        pk = pk_or_404(pk)
        data = _data(FollowUpDoneSerializer, request.data)
        event = selectors.get_event_for(request.user, pk, audit=False)
        if not event.follow_ups.filter(pk=data["follow_up"]).exists():
            raise ValidationFailed({"follow_up": [_("Choose a follow-up of this event.")]})
        outreach.mark_follow_up_done(request.user, data["follow_up"], on=_today(), done=data["done"])
        return _show_event(request.user, pk)


# --- potential recipients ---------------------------------------------------------------------------------


def _show_recipient(actor, pk, code=status.HTTP_200_OK) -> Response:
    recipient = selectors.get_recipient_for(actor, pk)  # audited under the person
    return Response(RecipientSerializer(recipient).data, status=code)


def _step(description: str, request_serializer):
    return extend_schema(
        request=request_serializer, responses={200: RecipientSerializer, **WRITE}, description=description
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[RecipientQuerySerializer],
        responses={200: RecipientSerializer(many=True), 400: BAD_INPUT, 403: FORBIDDEN, 409: CONFLICT},
        description="The centre's potential recipients, newest first. Audited under the registered persons shown.",
    ),
    retrieve=extend_schema(responses={200: RecipientSerializer, **READ}, description="Audited under the person."),
    create=extend_schema(
        request=RecipientCreateSerializer,
        responses={201: RecipientSerializer, **WRITE},
        description="Note someone who may need help (at an event or not): a name or a description, the need, the "
        "place.",
    ),
)
@extend_schema(tags=[TAG])
class PotentialRecipientViewSet(_CommunityViewSet):
    serializer_class = RecipientSerializer
    queryset = PotentialRecipient.objects.none()
    http_method_names = ["get", "post", "head", "options"]
    capabilities = {
        "list": VIEW_CASES,
        "retrieve": VIEW_CASES,
        "options": VIEW_CASES,
        "create": WORK_COMMUNITY,
        "make_contact": WORK_COMMUNITY,
        "refer": WORK_COMMUNITY,
        "dismiss": WORK_COMMUNITY,
        "reopen": WORK_COMMUNITY,
    }

    def list(self, request):
        filters = _data(RecipientQuerySerializer, request.query_params)
        rows = selectors.list_recipients_for(
            request.user,
            status=filters.get("status"),
            event=filters.get("event"),
            territory=filters.get("territory"),
            search=filters.get("q") or None,
        )
        page = self.paginate_queryset(rows)
        selectors.audit_recipients_shown(request.user, page, filters.get("q") or "")
        return self.get_paginated_response(RecipientSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return _show_recipient(request.user, pk_or_404(pk))

    def create(self, request):
        data = _data(RecipientCreateSerializer, request.data)
        recipient = recipients.record_potential_recipient(request.user, data, on=_today())
        return _show_recipient(request.user, recipient.pk, status.HTTP_201_CREATED)

    @_step(
        'Turn the potential recipient into a contact ("citizen heard", channel outreach) in one step; the person '
        "may be registered on the way. Once: a second try is 409 already_followed_up.",
        MakeContactSerializer,
    )
    @action(detail=True, methods=["post"], url_path="make-contact", serializer_class=MakeContactSerializer)
    def make_contact(self, request, pk=None):
        pk = pk_or_404(pk)
        data = _nested(_data(MakeContactSerializer, request.data))
        recipients.make_contact(request.user, pk, data, on=_today())
        return _show_recipient(request.user, pk)

    @_step(
        "Refer the potential recipient to a partner on the person's open case (or the case given), in one step. "
        "Once: a second try is 409 already_followed_up; no case you work on: 400 on case.",
        ReferSerializer,
    )
    @action(detail=True, methods=["post"], serializer_class=ReferSerializer)
    def refer(self, request, pk=None):
        pk = pk_or_404(pk)
        data = _data(ReferSerializer, request.data)
        recipients.refer(request.user, pk, data, on=_today())
        return _show_recipient(request.user, pk)

    @_step("Close without follow-up, with the reason (open → dismissed).", DismissSerializer)
    @action(detail=True, methods=["post"], serializer_class=DismissSerializer)
    def dismiss(self, request, pk=None):
        pk = pk_or_404(pk)
        data = _data(DismissSerializer, request.data)
        recipients.dismiss(request.user, pk, reason=data["reason"], on=_today())
        return _show_recipient(request.user, pk)

    @_step("Open a dismissed potential recipient again (dismissed → open).", EmptySerializer)
    @action(detail=True, methods=["post"], serializer_class=EmptySerializer)
    def reopen(self, request, pk=None):
        pk = pk_or_404(pk)
        recipients.reopen(request.user, pk, on=_today())
        return _show_recipient(request.user, pk)


# --- the territory view and the diagnosis -----------------------------------------------------------------


class TerritoryViewView(APIView):
    permission_classes = API_PERMISSIONS
    capabilities = {"get": VIEW_CASES, "options": VIEW_CASES}

    @extend_schema(
        tags=[TAG],
        parameters=[TerritoryViewQuerySerializer],
        responses={200: TerritoryViewSerializer, **READ_AREA},
        description="Every eldership, village or locality under the centre's territory (or `root`) with what "
        "happened there in `year`: visited (events held), planned (from today on) or not reached.",
    )
    def get(self, request):
        query = _data(TerritoryViewQuerySerializer, request.query_params)
        view = selectors.territory_view(request.user, query.get("root"), query.get("year"), on=_today())
        return Response(TerritoryViewSerializer(view).data)


class DiagnosisView(APIView):
    permission_classes = API_PERMISSIONS
    capabilities = {"get": VIEW_CASES, "options": VIEW_CASES}

    @extend_schema(
        tags=[TAG],
        parameters=[DiagnosisQuerySerializer],
        responses={200: DiagnosisSerializer, **READ_AREA},
        description="The community needs diagnosis of a territory and everything below it: population of the "
        "registry, open cases by circumstance, beneficiaries, services received, potential recipients and events. "
        "Counts only: names no one.",
    )
    def get(self, request):
        query = _data(DiagnosisQuerySerializer, request.query_params)
        diagnosis = selectors.community_diagnosis(request.user, query.get("territory"), on=query.get("on") or _today())
        return Response(DiagnosisSerializer(diagnosis).data)
