"""API for the read models of socius.plans.desk: the logged-in worker's desk and a household's timeline.

GET /api/v1/desk/ and GET /api/v1/households/{id}/timeline/?kind=visit&kind=contract&limit=50.
Thin: the selectors decide scope and access (see the desk module's docstring), these only shape.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from socius.accounts.api import API_PERMISSIONS
from socius.accounts.roles import VIEW_CASES, WORK_CASES
from socius.common.api import BAD_INPUT as _BAD_INPUT
from socius.plans.desk import TimelineKind, household_timeline, worker_desk_items
from socius.registry.selectors import get_household_for

_NOT_FOUND = OpenApiResponse(description="No such household in your centre.")


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
        query = TimelineQuerySerializer(data={"kind": request.query_params.getlist("kind"), **_limit(request)})
        query.is_valid(raise_exception=True)
        household = get_household_for(request.user, pk)
        items = household_timeline(
            request.user,
            household.pk,
            kinds=set(query.validated_data.get("kind") or ()) or None,
            limit=query.validated_data["limit"],
        )
        return Response(TimelineItemSerializer(items, many=True).data)


def _limit(request) -> dict:
    return {"limit": request.query_params["limit"]} if "limit" in request.query_params else {}


class DeskCaseRefSerializer(serializers.Serializer):
    case_id = serializers.IntegerField()
    case_reference = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    title = serializers.CharField()


class DeskContactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    occurred_at = serializers.DateTimeField()
    channel = serializers.CharField()
    household_id = serializers.IntegerField(allow_null=True)
    person_ids = serializers.ListField(child=serializers.IntegerField())


class DeskSerializer(serializers.Serializer):
    day = serializers.DateField()
    interviews = DeskCaseRefSerializer(many=True)
    visits = DeskCaseRefSerializer(many=True)
    plan_actions = DeskCaseRefSerializer(many=True)
    contract_deadlines = DeskCaseRefSerializer(many=True)
    referrals = DeskCaseRefSerializer(many=True)
    recent_contacts = DeskContactSerializer(many=True)


def _ref(case, due_on, overdue, title) -> dict:
    return {"case_id": case.pk, "case_reference": case.reference, "due_on": due_on, "overdue": overdue, "title": title}


def desk_data(desk) -> dict:
    """The desk as plain data (a fixed shape; every due item points at its case)."""
    day = desk.day
    interviews = [
        _ref(a.case, a.due_on if a.status == "draft" else a.renewal_due_on, True, a.get_kind_display())
        for a in desk.interviews_overdue
    ] + [_ref(a.case, a.due_on, False, a.get_kind_display()) for a in desk.interviews_due]
    visits = [_ref(v.case, v.planned_on, v.planned_on < day, v.place) for v in desk.visits.overdue] + [
        _ref(v.case, v.planned_on, False, v.place) for v in desk.visits.this_week
    ]
    actions = [
        _ref(a.goal.plan.case, a.due_on, bool(a.due_on and a.due_on < day), a.description) for a in desk.plan_actions
    ]
    contracts = [
        _ref(o.contract.case, o.due_on, bool(o.due_on and o.due_on < day), o.description) for o in desk.obligations
    ] + [_ref(c.case, c.valid_until, c.valid_until < day, str(c.get_variant_display())) for c in desk.contracts_ending]
    referrals = [_ref(r.case, r.response_due_on, r.is_overdue, r.partner.name) for r in desk.referrals]
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
    return {
        "day": day,
        "interviews": interviews,
        "visits": visits,
        "plan_actions": actions,
        "contract_deadlines": contracts,
        "referrals": referrals,
        "recent_contacts": contacts,
    }


class DeskView(viewsets.ViewSet):
    """Routed as `desk/` with {"get": "list"}."""

    permission_classes = API_PERMISSIONS
    capabilities = {"list": WORK_CASES, "options": WORK_CASES}

    @extend_schema(
        responses={200: DeskSerializer},
        description="The logged-in worker's desk: what is due on their own open cases, and their recent contacts.",
    )
    def list(self, request):
        return Response(DeskSerializer(desk_data(worker_desk_items(request.user))).data)
