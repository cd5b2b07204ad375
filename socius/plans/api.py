"""API for help plans and social contracts: /api/v1/help-plans/ and /api/v1/social-contracts/.

Both are case content: lists hold only what the actor may read; `?case=` reads one case (audited,
403 without its content). Statuses change only through POST action endpoints, which answer 409 on a
move the map does not allow; there is no PUT or PATCH.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from socius.accounts.api import API_PERMISSIONS
from socius.accounts.roles import VIEW_CASES, WORK_CASES
from socius.casework.api_audit import AuditsCasesOfPage
from socius.common.api import BAD_INPUT as _BAD_INPUT
from socius.common.api import NOT_FOUND as _NOT_FOUND
from socius.common.api import pk_or_404 as _pk
from socius.common.errors import NotFound
from socius.plans import services
from socius.plans.models import Goal, HelpPlan, Obligation, PlanAction, SocialContract
from socius.plans.selectors_read import contracts_readable_by, get_contract_for, get_plan_for, plans_readable_by
from socius.plans.serializers import (
    ActionStatusSerializer,
    AddActionSerializer,
    BreachSerializer,
    CaseQuerySerializer,
    FulfilSerializer,
    GoalSerializer,
    HelpPlanSerializer,
    ObligationMarkSerializer,
    ObligationSerializer,
    OnSerializer,
    PlanActionSerializer,
    PlanStatusSerializer,
    ReviewSerializer,
    SignSerializer,
    SocialContractSerializer,
    TerminateSerializer,
)
from socius.plans.statuses import PlanStatus

_FORBIDDEN = OpenApiResponse(description="You may not read or work this case's content.")
_CONFLICT = OpenApiResponse(
    description='The status (or the closed case) does not allow this: {"detail": reason, "code": ...}; '
    "nothing was changed."
)
_WRITE = {400: _BAD_INPUT, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT}


def _case_filter(request):
    query = CaseQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data.get("case")


def _child_of(model, pk, **parent) -> int:
    """A goal, action or obligation id that belongs to the plan or contract in the URL, else 404."""
    if not model.objects.filter(pk=pk, **parent).exists():
        raise NotFound()
    return pk


@extend_schema_view(
    list=extend_schema(parameters=[CaseQuerySerializer], description="Help plans you may read, newest first."),
    retrieve=extend_schema(responses={200: HelpPlanSerializer, 403: _FORBIDDEN, 404: _NOT_FOUND}),
    create=extend_schema(responses={201: HelpPlanSerializer, **_WRITE}, description="A draft plan on an open case."),
)
@extend_schema(tags=["help plans"])
class HelpPlanViewSet(AuditsCasesOfPage, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = HelpPlanSerializer
    permission_classes = API_PERMISSIONS
    capabilities = {
        "list": VIEW_CASES,
        "retrieve": VIEW_CASES,
        "options": VIEW_CASES,
        "create": WORK_CASES,
        "goals": WORK_CASES,
        "actions": WORK_CASES,
        "action_status": WORK_CASES,
        "activate": WORK_CASES,
        "complete": WORK_CASES,
        "cancel": WORK_CASES,
        "review": WORK_CASES,
    }
    filter_backends = []
    lookup_value_regex = r"\d+"
    queryset = HelpPlan.objects.none()  # for the schema; requests read through the selectors

    def get_queryset(self):
        return plans_readable_by(self.request.user, case=_case_filter(self.request))

    def retrieve(self, request, pk=None):
        return Response(HelpPlanSerializer(get_plan_for(request.user, _pk(pk))).data)

    def create(self, request):
        body = HelpPlanSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        payload = {"title": data["title"], "valid_from": data["valid_from"], "review_on": data.get("review_on")}
        if "assessment_id" in data:  # left out: the service takes the latest completed interview
            payload["assessment"] = data["assessment_id"]
        plan = services.create_plan(request.user, data["case_id"], payload)
        return Response(HelpPlanSerializer(get_plan_for(request.user, plan.pk)).data, status=status.HTTP_201_CREATED)

    def _plan(self, request, pk):
        return Response(HelpPlanSerializer(get_plan_for(request.user, _pk(pk))).data)

    @extend_schema(request=GoalSerializer, responses={201: GoalSerializer, **_WRITE}, description="Add a goal.")
    @action(detail=True, methods=["post"], serializer_class=GoalSerializer)
    def goals(self, request, pk=None):
        body = GoalSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        goal = services.add_goal(
            request.user, _pk(pk), description=body.validated_data["description"], order=body.validated_data["order"]
        )
        return Response(GoalSerializer(goal).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=AddActionSerializer,
        responses={201: PlanActionSerializer, **_WRITE},
        description="Add an action towards one of the plan's goals.",
    )
    @action(detail=True, methods=["post"], serializer_class=AddActionSerializer)
    def actions(self, request, pk=None):
        body = AddActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        get_plan_for(request.user, _pk(pk))  # 404/403 before the goal is looked at
        goal_id = _child_of(Goal, data.pop("goal_id"), plan_id=_pk(pk))
        new = services.add_action(request.user, goal_id, data)
        return Response(PlanActionSerializer(new).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ActionStatusSerializer,
        responses={200: PlanActionSerializer, **_WRITE},
        description="Move one of the plan's actions to another status (409 when the map does not allow it).",
    )
    @action(detail=True, methods=["post"], url_path="action-status", serializer_class=ActionStatusSerializer)
    def action_status(self, request, pk=None):
        body = ActionStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        get_plan_for(request.user, _pk(pk))
        action_id = _child_of(PlanAction, body.validated_data["action"], goal__plan_id=_pk(pk))
        moved = services.change_action_status(
            request.user, action_id, body.validated_data["status"], outcome=body.validated_data["outcome"]
        )
        return Response(PlanActionSerializer(moved).data)

    def _move(self, request, pk, to_status):
        body = PlanStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.change_plan_status(request.user, _pk(pk), to_status, outcome=body.validated_data["outcome"])
        return self._plan(request, pk)

    @extend_schema(
        request=PlanStatusSerializer,
        responses={200: HelpPlanSerializer, **_WRITE},
        description="draft → active (the plan needs a goal).",
    )
    @action(detail=True, methods=["post"], serializer_class=PlanStatusSerializer)
    def activate(self, request, pk=None):
        return self._move(request, pk, PlanStatus.ACTIVE)

    @extend_schema(
        request=PlanStatusSerializer,
        responses={200: HelpPlanSerializer, **_WRITE},
        description="active → completed, with the outcome.",
    )
    @action(detail=True, methods=["post"], serializer_class=PlanStatusSerializer)
    def complete(self, request, pk=None):
        return self._move(request, pk, PlanStatus.COMPLETED)

    @extend_schema(
        request=PlanStatusSerializer,
        responses={200: HelpPlanSerializer, **_WRITE},
        description="draft or active → cancelled.",
    )
    @action(detail=True, methods=["post"], serializer_class=PlanStatusSerializer)
    def cancel(self, request, pk=None):
        return self._move(request, pk, PlanStatus.CANCELLED)

    @extend_schema(
        request=ReviewSerializer,
        responses={200: HelpPlanSerializer, **_WRITE},
        description="Record a review of an active plan, with a note and the next review date.",
    )
    @action(detail=True, methods=["post"], serializer_class=ReviewSerializer)
    def review(self, request, pk=None):
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.review_plan(request.user, _pk(pk), data["on"], data["note"], next_review_on=data.get("next_review_on"))
        return self._plan(request, pk)


@extend_schema_view(
    list=extend_schema(parameters=[CaseQuerySerializer], description="Social contracts you may read, newest first."),
    retrieve=extend_schema(responses={200: SocialContractSerializer, 403: _FORBIDDEN, 404: _NOT_FOUND}),
    create=extend_schema(
        responses={201: SocialContractSerializer, **_WRITE}, description="A draft contract on an open case."
    ),
)
@extend_schema(tags=["social contracts"])
class SocialContractViewSet(AuditsCasesOfPage, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = SocialContractSerializer
    permission_classes = API_PERMISSIONS
    capabilities = {
        "list": VIEW_CASES,
        "retrieve": VIEW_CASES,
        "options": VIEW_CASES,
        **dict.fromkeys(
            ("create", "obligations", "obligation_done", "sign", "start", "breach", "refuse", "fulfil", "terminate"),
            WORK_CASES,
        ),
    }
    filter_backends = []
    lookup_value_regex = r"\d+"
    queryset = SocialContract.objects.none()

    def get_queryset(self):
        return contracts_readable_by(self.request.user, case=_case_filter(self.request))

    def _contract(self, request, pk, code=status.HTTP_200_OK):
        return Response(SocialContractSerializer(get_contract_for(request.user, _pk(pk))).data, status=code)

    def retrieve(self, request, pk=None):
        return self._contract(request, pk)

    def create(self, request):
        body = SocialContractSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        case_id = data.pop("case_id")
        contract = services.draft_contract(request.user, case_id, data)
        return self._contract(request, contract.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=ObligationSerializer,
        responses={201: ObligationSerializer, **_WRITE},
        description="Add an obligation of the client or the centre (draft contracts only).",
    )
    @action(detail=True, methods=["post"], serializer_class=ObligationSerializer)
    def obligations(self, request, pk=None):
        body = ObligationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        obligation = services.add_obligation(request.user, _pk(pk), **body.validated_data)
        return Response(ObligationSerializer(obligation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ObligationMarkSerializer,
        responses={200: ObligationSerializer, **_WRITE},
        description="Tick (or untick) an obligation as done while the contract is signed or in progress.",
    )
    @action(detail=True, methods=["post"], url_path="obligation-done", serializer_class=ObligationMarkSerializer)
    def obligation_done(self, request, pk=None):
        body = ObligationMarkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        get_contract_for(request.user, _pk(pk))
        obligation_id = _child_of(Obligation, body.validated_data["obligation"], contract_id=_pk(pk))
        obligation = services.mark_obligation(request.user, obligation_id, is_done=body.validated_data["is_done"])
        return Response(ObligationSerializer(obligation).data)

    @extend_schema(
        request=SignSerializer, responses={200: SocialContractSerializer, **_WRITE}, description="draft → signed."
    )
    @action(detail=True, methods=["post"], serializer_class=SignSerializer)
    def sign(self, request, pk=None):
        body = SignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.sign_contract(request.user, _pk(pk), body.validated_data["signed_on"])
        return self._contract(request, pk)

    @extend_schema(
        request=OnSerializer, responses={200: SocialContractSerializer, **_WRITE}, description="signed → in progress."
    )
    @action(detail=True, methods=["post"], serializer_class=OnSerializer)
    def start(self, request, pk=None):
        body = OnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.start_contract(request.user, _pk(pk), on=body.validated_data["on"])
        return self._contract(request, pk)

    @extend_schema(
        request=BreachSerializer,
        responses={200: SocialContractSerializer, **_WRITE},
        description="signed or in progress → breached, with reasons and the centre's decision on consequences; "
        "raises a flag on the case.",
    )
    @action(detail=True, methods=["post"], serializer_class=BreachSerializer)
    def breach(self, request, pk=None):
        body = BreachSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.record_breach(request.user, _pk(pk), **body.validated_data)
        return self._contract(request, pk)

    @extend_schema(
        request=BreachSerializer,
        responses={200: SocialContractSerializer, **_WRITE},
        description="draft → refused, with reasons and the consequence; raises a flag on the case.",
    )
    @action(detail=True, methods=["post"], serializer_class=BreachSerializer)
    def refuse(self, request, pk=None):
        body = BreachSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.record_refusal(request.user, _pk(pk), **body.validated_data)
        return self._contract(request, pk)

    @extend_schema(
        request=FulfilSerializer,
        responses={200: SocialContractSerializer, **_WRITE},
        description="in progress → fulfilled, with the evaluation.",
    )
    @action(detail=True, methods=["post"], serializer_class=FulfilSerializer)
    def fulfil(self, request, pk=None):
        body = FulfilSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.fulfil_contract(request.user, _pk(pk), evaluation=data["evaluation"], on=data["on"])
        return self._contract(request, pk)

    @extend_schema(
        request=TerminateSerializer,
        responses={200: SocialContractSerializer, **_WRITE},
        description="signed or in progress → terminated, with reasons.",
    )
    @action(detail=True, methods=["post"], serializer_class=TerminateSerializer)
    def terminate(self, request, pk=None):
        body = TerminateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.terminate_contract(request.user, _pk(pk), reasons=data["reasons"], on=data["on"])
        return self._contract(request, pk)
