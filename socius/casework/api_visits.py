"""API for home visits and social work: /api/v1/home-visits/ and /api/v1/social-work/.

Both are case content: lists hold only what the actor may read; `?case=` reads one case (audited,
403 without its content). A visit's status changes only through POST /home-visits/{id}/done/ and
/cancel/ (409 on a move the map does not allow); there is no PUT or PATCH.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from socius.accounts.api import API_PERMISSIONS
from socius.accounts.roles import VIEW_CASES, WORK_CASES
from socius.casework import services
from socius.casework.api_audit import AuditsCasesOfPage
from socius.casework.models import HomeVisit, SocialWorkActivity
from socius.casework.selectors import activities_readable_by, get_case_content_for, visits_readable_by
from socius.casework.serializers_visits import (
    HomeVisitSerializer,
    SocialWorkSerializer,
    VisitCancelSerializer,
    VisitDoneSerializer,
    VisitQuerySerializer,
)
from socius.common.api import BAD_INPUT as _BAD_INPUT
from socius.common.api import NOT_FOUND as _NOT_FOUND
from socius.common.api import pk_or_404 as _pk
from socius.common.errors import NotFound

_FORBIDDEN = OpenApiResponse(description="You may not read or work this case's content.")
_CONFLICT = OpenApiResponse(
    description='The visit\'s status (or the closed case) does not allow this: {"detail": reason, "code": ...}; '
    "nothing was changed."
)


def _case_filter(request):
    query = VisitQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data.get("case")


def _readable(actor, model, pk):
    """One visit or activity: 404 outside the centre, 403 without the case's content (the view is audited)."""
    case_id = (
        model.objects.filter(pk=_pk(pk), case__centre_id=actor.centre_id).values_list("case_id", flat=True).first()
    )
    if case_id is None:
        raise NotFound()
    get_case_content_for(actor, case_id)
    return model.objects.get(pk=_pk(pk))


@extend_schema_view(
    list=extend_schema(parameters=[VisitQuerySerializer], description="Visits you may read, newest planned first."),
    retrieve=extend_schema(responses={200: HomeVisitSerializer, 403: _FORBIDDEN, 404: _NOT_FOUND}),
    create=extend_schema(
        responses={201: HomeVisitSerializer, 400: _BAD_INPUT, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT},
        description='Plan a visit on an open case, or (status "done") record one already made, in one step.',
    ),
)
@extend_schema(tags=["home visits"])
class HomeVisitViewSet(AuditsCasesOfPage, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = HomeVisitSerializer
    permission_classes = API_PERMISSIONS
    capabilities = {
        "list": VIEW_CASES,
        "retrieve": VIEW_CASES,
        "options": VIEW_CASES,
        "create": WORK_CASES,
        "done": WORK_CASES,
        "cancel": WORK_CASES,
    }
    filter_backends = []
    lookup_value_regex = r"\d+"
    queryset = HomeVisit.objects.none()  # for the schema; requests read through the selectors

    def get_queryset(self):
        return visits_readable_by(self.request.user, case=_case_filter(self.request))

    def retrieve(self, request, pk=None):
        return Response(HomeVisitSerializer(_readable(request.user, HomeVisit, pk)).data)

    def create(self, request):
        body = HomeVisitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        record = services.record_done_visit if body.is_done else services.plan_visit
        visit = record(request.user, body.validated_data["case_id"], body.service_data())
        return Response(HomeVisitSerializer(visit).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=VisitDoneSerializer,
        responses={200: HomeVisitSerializer, 400: _BAD_INPUT, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT},
        description="Record a planned visit as done, with its outcome; `next_visit_on` plans the next one.",
    )
    @action(detail=True, methods=["post"], serializer_class=VisitDoneSerializer)
    def done(self, request, pk=None):
        body = VisitDoneSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        visit = services.record_visit_done(request.user, _pk(pk), dict(body.validated_data))
        return Response(HomeVisitSerializer(visit).data)

    @extend_schema(
        request=VisitCancelSerializer,
        responses={200: HomeVisitSerializer, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT},
        description="Cancel a planned visit, with an optional reason.",
    )
    @action(detail=True, methods=["post"], serializer_class=VisitCancelSerializer)
    def cancel(self, request, pk=None):
        body = VisitCancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        visit = services.cancel_visit(request.user, _pk(pk), reason=body.validated_data.get("reason") or "")
        return Response(HomeVisitSerializer(visit).data)


@extend_schema_view(
    list=extend_schema(parameters=[VisitQuerySerializer], description="Social work you may read, newest first."),
    retrieve=extend_schema(responses={200: SocialWorkSerializer, 403: _FORBIDDEN, 404: _NOT_FOUND}),
    create=extend_schema(
        responses={201: SocialWorkSerializer, 400: _BAD_INPUT, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT},
        description="Record social work done on an open case.",
    ),
)
@extend_schema(tags=["social work"])
class SocialWorkViewSet(AuditsCasesOfPage, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = SocialWorkSerializer
    permission_classes = API_PERMISSIONS
    capabilities = {"list": VIEW_CASES, "retrieve": VIEW_CASES, "options": VIEW_CASES, "create": WORK_CASES}
    filter_backends = []
    lookup_value_regex = r"\d+"
    queryset = SocialWorkActivity.objects.none()

    def get_queryset(self):
        return activities_readable_by(self.request.user, case=_case_filter(self.request))

    def retrieve(self, request, pk=None):
        return Response(SocialWorkSerializer(_readable(request.user, SocialWorkActivity, pk)).data)

    def create(self, request):
        body = SocialWorkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        activity = services.record_activity(request.user, body.validated_data["case_id"], body.service_data())
        return Response(SocialWorkSerializer(activity).data, status=status.HTTP_201_CREATED)
