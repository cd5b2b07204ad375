"""API for casework: contacts, cases and their status actions (the case timeline and caseload: desk.api).

Thin: serializers shape, services write, selectors read. A case's status changes only through the
action endpoints (POST /cases/{id}/activate/, suspend/, close/, reopen/); there is no PUT or PATCH on a
case, so those methods answer 405.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from socius.accounts.api import API_PERMISSIONS
from socius.accounts.audit import record_list_view
from socius.accounts.roles import ASSIGN_CASES, RECORD_CONTACTS, VIEW_CASES, WORK_CASES
from socius.casework import services
from socius.casework.models import Case, Contact
from socius.casework.permissions import can_view_case_content
from socius.casework.selectors import (
    cases_in_scope,
    get_case_content_for,
    get_contact_for,
    list_cases_for,
    list_contacts_for,
    withhold_contact_content,
)
from socius.casework.serializers import (
    CaseOpenSerializer,
    CaseQuerySerializer,
    CaseSerializer,
    CaseStatusSerializer,
    CaseSummarySerializer,
    CloseSerializer,
    ContactQuerySerializer,
    ContactSerializer,
    ReassignResultSerializer,
    ReassignSerializer,
    ReopenSerializer,
    ShareSerializer,
    StatusChangeSerializer,
)
from socius.casework.statuses import CaseStatus
from socius.common.api import BAD_INPUT as _BAD_INPUT
from socius.common.api import NOT_FOUND as _NOT_FOUND
from socius.common.api import pk_or_404 as _pk
from socius.common.errors import Forbidden

_FORBIDDEN = OpenApiResponse(description="Your role, or your relation to the case, does not allow it.")
_CONFLICT = OpenApiResponse(
    description='The case\'s status does not allow this move: {"detail": reason, "code": "invalid_transition"}; '
    "nothing was changed."
)


# --- contacts -------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(parameters=[ContactQuerySerializer], description="The centre's contacts, newest first."),
    retrieve=extend_schema(responses={200: ContactSerializer, 404: _NOT_FOUND}),
    create=extend_schema(
        responses={201: ContactSerializer, 400: _BAD_INPUT},
        description="Record that citizens were heard. Persons may be left out: an anonymous contact still counts.",
    ),
)
@extend_schema(tags=["contacts"])
class ContactViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = ContactSerializer
    permission_classes = API_PERMISSIONS
    capabilities = {"list": VIEW_CASES, "retrieve": VIEW_CASES, "options": VIEW_CASES, "create": RECORD_CONTACTS}
    filter_backends = []  # filters are read through ContactQuerySerializer
    lookup_value_regex = r"\d+"
    queryset = Contact.objects.none()  # for the schema; requests read through get_queryset

    def get_queryset(self):
        if self.action != "list":
            return list_contacts_for(self.request.user)
        query = ContactQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        contacts = list_contacts_for(self.request.user, person=data.get("person"), household=data.get("household"))
        if data.get("date_from"):
            contacts = contacts.filter(occurred_at__date__gte=data["date_from"])
        if data.get("date_to"):
            contacts = contacts.filter(occurred_at__date__lte=data["date_to"])
        return contacts

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        withhold_contact_content(request.user, page)
        record_list_view(
            request.user, object_type="contact", person_ids=[p.pk for contact in page for p in contact.persons.all()]
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(get_contact_for(request.user, _pk(pk))).data)  # audited

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contact = services.record_contact(request.user, serializer.service_data())
        return Response(self.get_serializer(contact).data, status=status.HTTP_201_CREATED)


# --- cases ----------------------------------------------------------------------------------------

CASE_CAPABILITIES = {
    "list": VIEW_CASES,
    "retrieve": VIEW_CASES,
    "options": VIEW_CASES,
    "create": WORK_CASES,
    "activate": WORK_CASES,
    "suspend": WORK_CASES,
    "close": WORK_CASES,
    "reopen": WORK_CASES,
    "share": WORK_CASES,
    "unshare": WORK_CASES,
    "reassign": ASSIGN_CASES,
}


def _action_schema(body, description: str):
    return extend_schema(
        request=body,
        responses={200: CaseStatusSerializer, 400: _BAD_INPUT, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT},
        description=description,
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[CaseQuerySerializer],
        responses=CaseSummarySerializer(many=True),
        description="Summaries of the centre's cases (that a case exists and who holds it), newest first.",
    ),
    retrieve=extend_schema(
        responses={200: CaseSerializer, 404: _NOT_FOUND},
        description="The whole case for those who may read its content (the view is audited); the summary, with "
        "content fields null and content_visible false, for the rest of the centre.",
    ),
    create=extend_schema(
        request=CaseOpenSerializer,
        responses={201: CaseSerializer, 400: _BAD_INPUT},
        description="Open a case for a household or a single person, with its qualifying circumstances.",
    ),
)
@extend_schema(tags=["cases"])
class CaseViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = CaseSerializer
    permission_classes = API_PERMISSIONS
    capabilities = CASE_CAPABILITIES
    filter_backends = []  # filters are the selector's, read through CaseQuerySerializer
    lookup_value_regex = r"\d+"
    queryset = Case.objects.none()  # for the schema; requests read through the selectors

    def get_queryset(self):
        query = CaseQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return list_cases_for(self.request.user, **query.as_selector_kwargs())

    def get_serializer_class(self):
        if self.action == "list":
            return CaseSummarySerializer
        return CaseSerializer

    def retrieve(self, request, pk=None):
        try:
            case = get_case_content_for(request.user, _pk(pk))  # audits the view
        except Forbidden:
            summary_only = cases_in_scope(request.user).get(pk=_pk(pk))
            return Response(CaseSerializer(summary_only, context={"content_visible": False}).data)
        return Response(CaseSerializer(case, context={"content_visible": True}).data)

    def create(self, request):
        serializer = CaseOpenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = services.open_case(request.user, dict(serializer.validated_data))
        # The opener wrote the content: answering it back is part of the (audited) creation, not a view.
        visible = can_view_case_content(request.user, case)
        return Response(CaseSerializer(case, context={"content_visible": visible}).data, status=status.HTTP_201_CREATED)

    # --- status actions: the only way a case's status changes ---------------------------------------

    def _change(self, request, pk, to_status, body_class, *, from_closed: bool | None = None):
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        case = services.change_case_status(
            request.user,
            _pk(pk),
            to_status,
            reason=data.get("reason") or "",
            note=data.get("note") or "",
            on=data.get("on"),
            reopening=from_closed,
        )
        return Response(CaseStatusSerializer(case).data)

    @_action_schema(StatusChangeSerializer, "Start working the case: opened or suspended → active.")
    @action(detail=True, methods=["post"], serializer_class=StatusChangeSerializer)
    def activate(self, request, pk=None):
        return self._change(request, pk, CaseStatus.ACTIVE, StatusChangeSerializer, from_closed=False)

    @_action_schema(StatusChangeSerializer, "Pause the work: active → suspended.")
    @action(detail=True, methods=["post"], serializer_class=StatusChangeSerializer)
    def suspend(self, request, pk=None):
        return self._change(request, pk, CaseStatus.SUSPENDED, StatusChangeSerializer)

    @_action_schema(CloseSerializer, 'Close the case with a closure reason (and a note when it is "other").')
    @action(detail=True, methods=["post"], serializer_class=CloseSerializer)
    def close(self, request, pk=None):
        return self._change(request, pk, CaseStatus.CLOSED, CloseSerializer)

    @_action_schema(ReopenSerializer, "Reopen a closed case (closed → active), saying why.")
    @action(detail=True, methods=["post"], serializer_class=ReopenSerializer)
    def reopen(self, request, pk=None):
        return self._change(request, pk, CaseStatus.ACTIVE, ReopenSerializer, from_closed=True)

    # --- assignment and sharing --------------------------------------------------------------------

    @extend_schema(
        request=ReassignSerializer,
        responses={200: ReassignResultSerializer, 400: _BAD_INPUT, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT},
        description="Give one or many open cases to another worker, with a reason. All or nothing: a case that "
        "may not be reassigned (closed, not of your team, not found) leaves every case as it was.",
    )
    @action(detail=False, methods=["post"], serializer_class=ReassignSerializer)
    def reassign(self, request):
        body = ReassignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        changed = services.reassign_cases(request.user, data["cases"], data.get("worker"), reason=data["reason"])
        changed_ids = sorted(c.pk for c in changed)
        unchanged = sorted(set(data["cases"]) - set(changed_ids))
        return Response(ReassignResultSerializer({"reassigned": changed_ids, "unchanged": unchanged}).data)

    @extend_schema(
        request=ShareSerializer,
        responses={204: None, 400: _BAD_INPUT, 403: _FORBIDDEN, 404: _NOT_FOUND},
        description="Let a member of staff read the case's content. Sharing twice changes nothing.",
    )
    @action(detail=True, methods=["post"], serializer_class=ShareSerializer)
    def share(self, request, pk=None):
        body = ShareSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.share_case(request.user, _pk(pk), body.validated_data["user"])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=ShareSerializer,
        responses={204: None, 400: _BAD_INPUT, 403: _FORBIDDEN, 404: _NOT_FOUND},
        description="Withdraw a share. Withdrawing one that does not exist changes nothing.",
    )
    @action(detail=True, methods=["post"], serializer_class=ShareSerializer)
    def unshare(self, request, pk=None):
        body = ShareSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.unshare_case(request.user, _pk(pk), body.validated_data["user"])
        return Response(status=status.HTTP_204_NO_CONTENT)
