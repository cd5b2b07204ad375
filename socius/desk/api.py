"""API for the read models across the domain apps: the worker's desk, the caseload and the timelines.

GET /api/v1/desk/, GET /api/v1/caseload/?team=3, GET /api/v1/households/{id}/timeline/?kind=visit&limit=50,
GET /api/v1/persons/{id}/timeline/
and GET /api/v1/cases/{id}/timeline/?group=visit&group=contract&page=2.
Thin: the selectors decide scope and access (see the desk and case_timeline modules), these only shape.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from socius.accounts.api import API_PERMISSIONS
from socius.accounts.roles import ASSIGN_CASES, VIEW_CASES, WORK_CASES
from socius.casework.selectors import get_case_content_for
from socius.casework.serializers import CaseloadQuerySerializer, CaseloadRowSerializer
from socius.common.api import BAD_INPUT as _BAD_INPUT
from socius.common.api import NOT_FOUND as _CASE_NOT_FOUND
from socius.common.api import pk_or_404
from socius.desk.case_timeline import Group, described_entries, timeline_rows
from socius.desk.selectors import TimelineKind, caseload_for, household_timeline, person_timeline, worker_desk_items
from socius.desk.sources import desk_sections, timeline_sources

_NOT_FOUND = OpenApiResponse(description="No such household in your centre.")
_PERSON_NOT_FOUND = OpenApiResponse(description="No such person in your centre.")


class TimelineItemSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=TimelineKind.CHOICES)
    title = serializers.CharField()
    detail = serializers.CharField()
    link = serializers.CharField(allow_null=True)
    case_id = serializers.IntegerField(allow_null=True)
    case_reference = serializers.CharField()
    restricted = serializers.BooleanField(help_text="A case seen only as a summary: the event, without details.")


class TimelineQuerySerializer(serializers.Serializer):
    kind = serializers.ListField(child=serializers.ChoiceField(choices=TimelineKind.CHOICES), required=False)
    limit = serializers.IntegerField(min_value=1, max_value=500, default=100)


class HouseholdTimelineView(viewsets.ViewSet):
    """Routed as `households/<pk>/timeline/` with {"get": "list"} (a view set, so its action is declared)."""

    permission_classes = API_PERMISSIONS
    capabilities = {"list": VIEW_CASES, "options": VIEW_CASES}

    @extend_schema(
        parameters=[TimelineQuerySerializer],
        responses={200: TimelineItemSerializer(many=True), 400: _BAD_INPUT, 404: _NOT_FOUND},
        description="Contacts and case history of the household and its members, newest first. Content of a "
        "case only for those who may read it (the view is audited); other cases show their lifecycle events only.",
    )
    def list(self, request, pk=None):
        return _timeline_response(request, household_timeline, pk)


class PersonTimelineView(HouseholdTimelineView):
    """Routed as `persons/<pk>/timeline/` with {"get": "list"}."""

    @extend_schema(
        parameters=[TimelineQuerySerializer],
        responses={200: TimelineItemSerializer(many=True), 400: _BAD_INPUT, 404: _PERSON_NOT_FOUND},
        description="Contacts naming the person and the case history of the person's own cases and of the "
        "households they have belonged to, newest first; case content only for those who may read it (audited).",
    )
    def list(self, request, pk=None):
        return _timeline_response(request, person_timeline, pk)


def _timeline_response(request, read, pk) -> Response:
    """`?kind=` and `?limit=` checked (400 naming the field), then the read model (404 outside the centre)."""
    query = TimelineQuerySerializer(data={"kind": request.query_params.getlist("kind"), **_limit(request)})
    query.is_valid(raise_exception=True)
    kinds = set(query.validated_data.get("kind") or ()) or None
    items = read(request.user, pk_or_404(pk), kinds=kinds, limit=query.validated_data["limit"])
    return Response(TimelineItemSerializer(items, many=True).data)


def _limit(request) -> dict:
    return {"limit": request.query_params["limit"]} if "limit" in request.query_params else {}


class DeskCaseRefSerializer(serializers.Serializer):
    case_id = serializers.IntegerField()
    case_reference = serializers.CharField()
    client_name = serializers.CharField(
        help_text="Whose case it is: the person's name, or the household's head's name with \"(household)\"."
    )
    due_on = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    title = serializers.CharField()


class DeskContactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    occurred_at = serializers.DateTimeField()
    channel = serializers.CharField()
    household_id = serializers.IntegerField(allow_null=True)
    person_ids = serializers.ListField(child=serializers.IntegerField())


def _desk_serializer() -> type[serializers.Serializer]:
    """The desk's shape: its day, one list of case rows per section the apps offer (socius.desk.sources),
    in their order, and the recent contacts."""
    fields = {"day": serializers.DateField()}
    fields.update({section.code: DeskCaseRefSerializer(many=True) for section in desk_sections()})
    fields["recent_contacts"] = DeskContactSerializer(many=True)
    return type("DeskSerializer", (serializers.Serializer,), fields)


DeskSerializer = _desk_serializer()


def desk_data(desk) -> dict:
    """The desk as plain data (a fixed shape; every due item points at its case)."""
    contacts = [
        {
            "id": c.pk,
            "occurred_at": c.occurred_at,
            "channel": c.channel,
            "household_id": c.household_id,
            "person_ids": [p.pk for p in c.persons.all()],
        }
        for c in desk.recent_contacts
    ]
    return {"day": desk.day, **desk.refs(), "recent_contacts": contacts}


class DeskView(viewsets.ViewSet):
    """Routed as `desk/` with {"get": "retrieve"}: one object, not a collection."""

    permission_classes = API_PERMISSIONS
    capabilities = {"retrieve": WORK_CASES, "options": WORK_CASES}

    @extend_schema(
        responses={200: DeskSerializer},
        description="The logged-in worker's desk: what is due on their own open cases (interviews, visits, plan "
        "actions, contract deadlines, referrals, benefit decisions ending this month), the benefit proposals "
        "waiting for their approval (an empty list for those without the right), and their recent contacts.",
    )
    def retrieve(self, request):
        return Response(DeskSerializer(desk_data(worker_desk_items(request.user))).data)


# --- a case's timeline -----------------------------------------------------------------------------


class CaseTimelineEntrySerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Unique across the timeline: the source and the event's id.")
    source = serializers.ChoiceField(
        choices=[s.events.source for s in timeline_sources() if s.events is not None],
        help_text="The table it came from.",
    )
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    group = serializers.ChoiceField(choices=Group.CHOICES)
    kind = serializers.CharField(help_text="The event kind within its source (e.g. visit_done, contract_breached).")
    label = serializers.CharField(help_text="The kind, in words, in the language of Accept-Language.")
    actor = serializers.IntegerField(source="actor_id", allow_null=True, help_text="User id.")
    actor_name = serializers.CharField()
    lines = serializers.ListField(child=serializers.CharField(), help_text="What happened, in words.")
    data = serializers.JSONField(help_text="Details of the event as recorded, by kind (e.g. from, to, reason).")


class CaseTimelineQuerySerializer(serializers.Serializer):
    group = serializers.ListField(child=serializers.ChoiceField(choices=Group.CHOICES), required=False)


class CaseTimelineView(viewsets.GenericViewSet):
    """Routed as `cases/<pk>/timeline/` with {"get": "list"}: the case's whole history, newest first."""

    permission_classes = API_PERMISSIONS
    capabilities = {"list": VIEW_CASES, "options": VIEW_CASES}
    serializer_class = CaseTimelineEntrySerializer
    filter_backends = []

    @extend_schema(
        tags=["cases"],
        parameters=[CaseTimelineQuerySerializer],
        responses={
            200: CaseTimelineEntrySerializer(many=True),
            400: _BAD_INPUT,
            403: OpenApiResponse(description="The case's content is not yours to read."),
            404: _CASE_NOT_FOUND,
        },
        description="The case's whole timeline, newest first and paged: its lifecycle, sharing, home visits, "
        "social work, referrals and documents, its interviews, help plans, social contracts and benefit "
        "decisions. Content, for those who may read it: the view is audited.",
    )
    def list(self, request, pk=None):
        query = CaseTimelineQuerySerializer(data={"group": request.query_params.getlist("group")})
        query.is_valid(raise_exception=True)
        case = get_case_content_for(request.user, pk_or_404(pk))
        rows = timeline_rows(case.pk, set(query.validated_data.get("group") or ()) or None)
        page = self.paginate_queryset(rows)
        entries = described_entries(page, case.centre_id)
        return self.get_paginated_response(CaseTimelineEntrySerializer(entries, many=True).data)


# --- the caseload ------------------------------------------------------------------------------------


class OverdueSerializer(serializers.Serializer):
    visits = serializers.IntegerField(help_text="Visits still planned for a day already past.")
    interviews = serializers.IntegerField(help_text="Interviews past their due or renewal date.")
    plan_actions = serializers.IntegerField(help_text="Open actions of live help plans past their due date.")
    obligations = serializers.IntegerField(help_text="Unmet obligations of running social contracts past due.")
    referrals = serializers.IntegerField(help_text="Referrals awaiting an answer past the response date.")
    total = serializers.IntegerField()


class CaseloadLineSerializer(CaseloadRowSerializer):
    overdue = OverdueSerializer(help_text="Overdue items on the worker's open cases, as on the worker's desk.")


class CaseloadView(viewsets.GenericViewSet):
    """Routed as `caseload/` with {"get": "list"}: one row per worker of the team(s) or centre."""

    serializer_class = CaseloadLineSerializer
    permission_classes = API_PERMISSIONS
    capabilities = {"list": ASSIGN_CASES, "options": ASSIGN_CASES}
    filter_backends = []
    pagination_class = None

    @extend_schema(
        tags=["cases"],
        parameters=[CaseloadQuerySerializer],
        responses={
            200: CaseloadLineSerializer(many=True),
            403: OpenApiResponse(description="Only team leaders (for their teams) and the director."),
            404: _CASE_NOT_FOUND,
        },
        description="Open cases per worker, visits done this month and overdue items, for balancing: a team "
        "leader's teams (or one of them), or the whole centre for the director.",
    )
    def list(self, request):
        query = CaseloadQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        lines = caseload_for(request.user, team=query.validated_data.get("team"))
        return Response(CaseloadLineSerializer(lines, many=True).data)
