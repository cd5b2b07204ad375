"""API of staff group supervision and the centre's calendar (decision 0016): /api/v1/community/supervisions/
(+ held, cancel), /api/v1/community/calendar/ (the merged items), /api/v1/community/calendar-entries/ and
/api/v1/calendar.ics (the caller's calendar as iCalendar).

Supervisions are listed to those who read cases (date, status, facilitator, how many took part); their
topics, notes, participants and follow-ups only to the participants, the facilitator on staff and the
director (a read of them is audited, object_type "supervision"). The calendar and its entries are read by
every member of a centre's staff; entries are kept by those who manage the calendar.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from socius.accounts.api import HasCapability
from socius.accounts.roles import MANAGE_CALENDAR, VIEW_CASES, WORK_COMMUNITY
from socius.common.api import BAD_INPUT, NOT_FOUND
from socius.common.api import pk_or_404 as _pk
from socius.common.errors import NotFound
from socius.community import calendar as entries
from socius.community import supervision as services
from socius.community.models import CalendarEntry, Supervision
from socius.community.permissions import can_view_calendar
from socius.community.selectors_calendar import calendar_for, calendar_ics, feed_period
from socius.community.selectors_supervision import get_supervision_for, list_supervisions_for
from socius.community.serializers_calendar import (
    CalendarEntryInputSerializer,
    CalendarEntryQuerySerializer,
    CalendarEntrySerializer,
    CalendarItemSerializer,
    CalendarQuerySerializer,
    SupervisionCancelSerializer,
    SupervisionCreateSerializer,
    SupervisionDetailSerializer,
    SupervisionHeldSerializer,
    SupervisionQuerySerializer,
    SupervisionSerializer,
)

FORBIDDEN = OpenApiResponse(description="Your role, or your part in the session, does not allow it.")
CONFLICT = OpenApiResponse(
    description='The record\'s state does not allow this: {"detail": reason, "code": "invalid_transition"}; '
    "nothing was changed."
)
WRITE = {400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT}
READ = {403: FORBIDDEN, 404: NOT_FOUND}

# Every member of a centre's staff reads the calendar (no capability of a role: being on a centre's staff).
CENTRE_STAFF = "centre_staff"


class CalendarPermission(HasCapability):
    """HasCapability, where CENTRE_STAFF means any active user of a centre."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        action_name = getattr(view, "action", None) or request.method.lower()
        if getattr(view, "capabilities", {}).get(action_name) == CENTRE_STAFF:
            return can_view_calendar(user)
        return super().has_permission(request, view)


def _query(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _body(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _today() -> dt.date:
    return timezone.localdate()


class _ViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, CalendarPermission]
    filter_backends = []
    lookup_value_regex = r"\d+"


# --- supervisions ---------------------------------------------------------------------------------------


def _supervision_for(actor, pk) -> Supervision:
    return get_supervision_for(actor, _pk(pk))


def _show(actor, record, code=status.HTTP_200_OK) -> Response:
    return Response(SupervisionDetailSerializer(get_supervision_for(actor, record.pk)).data, status=code)


@extend_schema_view(
    list=extend_schema(
        parameters=[SupervisionQuerySerializer],
        responses={200: SupervisionSerializer(many=True), 400: BAD_INPUT, **READ},
        description="The centre's group supervision sessions, latest first: date, status, facilitator and how many "
        "took part (never topics or notes).",
    ),
    retrieve=extend_schema(
        responses={200: SupervisionDetailSerializer, **READ},
        description="A session. Participants, topics, notes and follow-ups are filled only for its participants, "
        "its facilitator on staff and the director (can_read_notes); that read is audited.",
    ),
    create=extend_schema(
        request=SupervisionCreateSerializer,
        responses={201: SupervisionDetailSerializer, **WRITE},
        description="Plan a session: a member of staff facilitates it (internal) or an external supervisor.",
    ),
)
@extend_schema(tags=["community"])
class SupervisionViewSet(mixins.ListModelMixin, _ViewSet):
    serializer_class = SupervisionSerializer
    queryset = Supervision.objects.none()
    capabilities = {
        "list": VIEW_CASES,
        "retrieve": VIEW_CASES,
        "options": VIEW_CASES,
        "create": WORK_COMMUNITY,
        "held": WORK_COMMUNITY,
        "cancel": WORK_COMMUNITY,
    }

    def list(self, request):
        data = _query(SupervisionQuerySerializer, request)
        records = list_supervisions_for(
            request.user, date_from=data.get("date_from"), date_until=data.get("date_until"), status=data.get("status")
        )
        page = self.paginate_queryset(records)
        return self.get_paginated_response(SupervisionSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(SupervisionDetailSerializer(_supervision_for(request.user, pk)).data)

    def create(self, request):
        data = _body(SupervisionCreateSerializer, request)
        record = services.plan_supervision(request.user, **data, on=_today())
        return _show(request.user, record, status.HTTP_201_CREATED)

    @extend_schema(
        request=SupervisionHeldSerializer,
        responses={200: SupervisionDetailSerializer, **WRITE},
        description="The session took place: who took part, topics, notes, follow-ups (planned → held). Only its "
        "participants, its facilitator on staff and the director record it.",
    )
    @action(detail=True, methods=["post"], serializer_class=SupervisionHeldSerializer)
    def held(self, request, pk=None):
        actor = request.user
        record = _supervision_for(actor, pk)
        data = _body(SupervisionHeldSerializer, request)
        follow_ups = [services.FollowUpInput(**row) for row in data.pop("follow_ups")]
        services.record_supervision_held(actor, record, follow_ups=follow_ups, on=_today(), **data)
        return _show(actor, record)

    @extend_schema(
        request=SupervisionCancelSerializer,
        responses={200: SupervisionDetailSerializer, **WRITE},
        description="Cancel a planned session (planned → cancelled).",
    )
    @action(detail=True, methods=["post"], serializer_class=SupervisionCancelSerializer)
    def cancel(self, request, pk=None):
        actor = request.user
        record = _supervision_for(actor, pk)
        services.cancel_supervision(actor, record, on=_today())
        return _show(actor, record)


# --- the calendar ---------------------------------------------------------------------------------------


def _period(data: dict) -> tuple[dt.date, dt.date]:
    start, end = data.get("date_from"), data.get("date_until")
    if start is None and end is None:
        today = _today()
        start = today.replace(day=1)
    if start is None:
        start = end.replace(day=1)
    if end is None:
        end = start.replace(day=pycalendar.monthrange(start.year, start.month)[1])
    return start, end


@extend_schema(tags=["community"])
class CalendarViewSet(_ViewSet):
    capabilities = {"list": CENTRE_STAFF, "options": CENTRE_STAFF}
    pagination_class = None  # a bounded period (at most 400 days): the whole list
    serializer_class = CalendarItemSerializer

    @extend_schema(
        parameters=[CalendarQuerySerializer],
        responses={200: CalendarItemSerializer(many=True), 400: BAD_INPUT, **READ},
        description="The centre's calendar for a period (default: this month; at most 400 days): outreach events, "
        "commission meetings (body, time, place — no agenda), supervisions (for those not taking part: the date "
        "only) and the calendar's entries, by day and time. Filters: a staff member, a territory (with what lies "
        "below it), kinds.",
    )
    def list(self, request):
        data = _query(CalendarQuerySerializer, request)
        start, end = _period(data)
        items = calendar_for(
            request.user,
            start,
            end,
            staff=data.get("staff"),
            territory=data.get("territory"),
            kinds=sorted(data["kind"]) if data.get("kind") else None,
        )
        return Response(CalendarItemSerializer(items, many=True).data)


@extend_schema_view(
    list=extend_schema(
        parameters=[CalendarEntryQuerySerializer],
        responses={200: CalendarEntrySerializer(many=True), 400: BAD_INPUT, **READ},
        description="The calendar's own entries (trainings, office closures, other), by first day.",
    ),
    retrieve=extend_schema(responses={200: CalendarEntrySerializer, **READ}),
    create=extend_schema(
        request=CalendarEntryInputSerializer,
        responses={201: CalendarEntrySerializer, **WRITE},
        description="Add an entry (team leaders, the director, the administrator).",
    ),
    update=extend_schema(
        request=CalendarEntryInputSerializer,
        responses={200: CalendarEntrySerializer, **WRITE},
        description="Change an entry (replaces every field).",
    ),
    destroy=extend_schema(responses={204: None, **READ}, description="Remove an entry."),
)
@extend_schema(tags=["community"])
class CalendarEntryViewSet(mixins.ListModelMixin, _ViewSet):
    serializer_class = CalendarEntrySerializer
    queryset = CalendarEntry.objects.none()
    capabilities = {
        "list": CENTRE_STAFF,
        "retrieve": CENTRE_STAFF,
        "options": CENTRE_STAFF,
        "create": MANAGE_CALENDAR,
        "update": MANAGE_CALENDAR,
        "destroy": MANAGE_CALENDAR,
    }
    http_method_names = ["get", "post", "put", "delete", "head", "options"]

    def _entries(self):
        return CalendarEntry.objects.filter(centre_id=self.request.user.centre_id).prefetch_related("staff")

    def _entry(self, pk) -> CalendarEntry:
        record = self._entries().filter(pk=_pk(pk)).first()
        if record is None:
            raise NotFound()
        return record

    def list(self, request):
        data = _query(CalendarEntryQuerySerializer, request)
        records = self._entries()
        if data.get("date_from"):
            records = records.filter(ends_on__gte=data["date_from"])
        if data.get("date_until"):
            records = records.filter(starts_on__lte=data["date_until"])
        if data.get("kind"):
            records = records.filter(kind=data["kind"])
        page = self.paginate_queryset(records.order_by("starts_on", "starts_at", "id"))
        return self.get_paginated_response(CalendarEntrySerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(CalendarEntrySerializer(self._entry(pk)).data)

    def create(self, request):
        data = _body(CalendarEntryInputSerializer, request)
        record = entries.create_entry(request.user, data, on=_today())
        return Response(CalendarEntrySerializer(self._entry(record.pk)).data, status=status.HTTP_201_CREATED)

    def update(self, request, pk=None):
        record = self._entry(pk)
        data = _body(CalendarEntryInputSerializer, request)
        entries.update_entry(request.user, record, data, on=_today())
        return Response(CalendarEntrySerializer(self._entry(record.pk)).data)

    def destroy(self, request, pk=None):
        record = self._entry(pk)
        entries.delete_entry(request.user, record, on=_today())
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- iCalendar --------------------------------------------------------------------------------------------


def ics_response(content: bytes, filename: str = "calendar.ics") -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class CalendarIcsView(APIView):
    """The caller's calendar as iCalendar (the last three months and the next year)."""

    permission_classes = [IsAuthenticated, CalendarPermission]
    capabilities = {"get": CENTRE_STAFF}

    def perform_content_negotiation(self, request, force=False):
        renderer = JSONRenderer()  # the body is iCalendar; errors answer JSON
        return renderer, renderer.media_type

    @extend_schema(
        tags=["community"],
        responses={(200, "text/calendar"): OpenApiTypes.BINARY, **READ},
        description="Your calendar (what you may see of it, no client's data) as an iCalendar (RFC 5545) file in "
        "the centre's time zone: the last three months and the next year. For a calendar application that "
        "cannot log in, use your private feed address (the calendar page's “Subscribe”).",
    )
    def get(self, request):
        start, end = feed_period(_today())
        return ics_response(calendar_ics(request.user, start, end))
