"""API of retention and erasure (decision 0023): /api/v1/retention/reviews/ (list, retrieve with the expired
persons and why; actions run, approve, reject) and /api/v1/retention/erasure-requests/ (list, create, retrieve;
actions approve, refuse).

Reviews and their decisions are the director's (APPROVE_RETENTION); an erasure request is recorded by whoever
received it (REQUEST_SUBJECT_ACCESS) and decided by the director. Another centre's record is 404; a state that does
not allow the move 409 with the reason, nothing written. Reads that name persons are audited under them.
"""

from __future__ import annotations

from django.db.models import Count
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from socius.accounts.api import API_PERMISSIONS
from socius.accounts.audit import record_list_view, record_view
from socius.accounts.roles import APPROVE_RETENTION, REQUEST_SUBJECT_ACCESS
from socius.common.api import BAD_INPUT, NOT_FOUND, pk_or_404
from socius.privacy import selectors_retention as selectors
from socius.privacy import services_retention as services
from socius.privacy.serializers_retention import (
    ErasureCreateSerializer,
    ErasureRequestSerializer,
    RetentionEmptySerializer,
    RetentionReasonSerializer,
    RetentionReviewDetailSerializer,
    RetentionReviewSerializer,
)
from socius.registry.selectors import get_person_for

TAG = "retention"
FORBIDDEN = OpenApiResponse(description="Your role does not allow it.")
CONFLICT = OpenApiResponse(
    description='The record\'s state does not allow this: {"detail": reason, "code": "invalid_transition" | '
    '"kept_by_law" | "already_anonymised"}; nothing was changed.'
)
READ = {403: FORBIDDEN, 404: NOT_FOUND}
WRITE = {400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT}


def _data(serializer_class, source) -> dict:
    serializer = serializer_class(data=source)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _review_detail(actor, review_id, code=status.HTTP_200_OK) -> Response:
    review = selectors.get_review_for(actor, review_id)
    person_ids = list(review.items.values_list("person_id", flat=True))
    review.persons = len(person_ids)
    record_list_view(actor, object_type=services.REVIEW, person_ids=person_ids)
    return Response(RetentionReviewDetailSerializer(review).data, status=code)


@extend_schema_view(
    list=extend_schema(
        responses={200: RetentionReviewSerializer(many=True), 403: FORBIDDEN},
        description="The centre's retention reviews, newest first, each with the number of persons it lists.",
    ),
    retrieve=extend_schema(
        responses={200: RetentionReviewDetailSerializer, **READ},
        description="One review with every person it lists, the day their last record expired, and per record the "
        "anchor, the period, its legal basis and whether it is confirmed. Audited under the persons.",
    ),
)
@extend_schema(tags=[TAG])
class RetentionReviewViewSet(viewsets.GenericViewSet):
    permission_classes = API_PERMISSIONS
    filter_backends = []
    lookup_value_regex = r"\d+"
    serializer_class = RetentionReviewSerializer
    queryset = selectors.RetentionReview.objects.none()  # for the schema; requests read through the selectors
    http_method_names = ["get", "post", "head", "options"]
    capabilities = {
        "list": APPROVE_RETENTION,
        "retrieve": APPROVE_RETENTION,
        "options": APPROVE_RETENTION,
        "run": APPROVE_RETENTION,
        "approve": APPROVE_RETENTION,
        "reject": APPROVE_RETENTION,
    }

    def list(self, request):
        reviews = (
            selectors.list_reviews_for(request.user).annotate(persons=Count("items")).order_by("-reviewed_on", "-id")
        )
        page = self.paginate_queryset(reviews)
        return self.get_paginated_response(RetentionReviewSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return _review_detail(request.user, pk_or_404(pk))

    @extend_schema(
        request=RetentionEmptySerializer,
        responses={201: RetentionReviewDetailSerializer, 403: FORBIDDEN},
        description="List now what has expired on the centre's day into its pending review (made, or refreshed), "
        "as the nightly job does. Nothing is anonymised.",
    )
    @action(detail=False, methods=["post"], serializer_class=RetentionEmptySerializer)
    def run(self, request):
        actor = request.user
        review = services.review_retention(actor.centre, on=services.centre_today(actor.centre), actor=actor)
        return _review_detail(actor, review.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=RetentionEmptySerializer,
        responses={200: RetentionReviewDetailSerializer, **WRITE},
        description="Approve the pending review: every person it lists who has still expired is anonymised "
        "(names, national IDs, addresses, free text, documents' files; ids, dates, amounts, territory and "
        "categories stay). 409 when the review is not pending.",
    )
    @action(detail=True, methods=["post"], serializer_class=RetentionEmptySerializer)
    def approve(self, request, pk=None):
        review = selectors.get_review_for(request.user, pk_or_404(pk))
        services.approve_review(request.user, review.pk)
        return _review_detail(request.user, review.pk)

    @extend_schema(
        request=RetentionReasonSerializer,
        responses={200: RetentionReviewDetailSerializer, **WRITE},
        description="Reject the pending review with the reason; nothing is anonymised. 400 on reason when blank.",
    )
    @action(detail=True, methods=["post"], serializer_class=RetentionReasonSerializer)
    def reject(self, request, pk=None):
        review = selectors.get_review_for(request.user, pk_or_404(pk))
        data = _data(RetentionReasonSerializer, request.data)
        services.reject_review(request.user, review.pk, data["reason"])
        return _review_detail(request.user, review.pk)


def _erasure(actor, request_id, code=status.HTTP_200_OK) -> Response:
    erasure = selectors.get_erasure_for(actor, request_id)
    record_view(
        actor, object_type=services.ERASURE, object_id=erasure.pk, centre_id=erasure.centre_id,
        person_id=erasure.person_id,
    )  # fmt: skip
    return Response(ErasureRequestSerializer(erasure).data, status=code)


@extend_schema_view(
    list=extend_schema(
        responses={200: ErasureRequestSerializer(many=True), 403: FORBIDDEN},
        description="The centre's erasure requests, newest first. Audited under the persons listed.",
    ),
    retrieve=extend_schema(responses={200: ErasureRequestSerializer, **READ}, description="One erasure request."),
    create=extend_schema(
        request=ErasureCreateSerializer,
        responses={201: ErasureRequestSerializer, **WRITE},
        description="Record a person's erasure request (GDPR art. 17). Where a statute keeps the person's records "
        "(or a case of theirs is open) it is refused at once: status `refused`, `kept_by_law` and the legal "
        "reason. Otherwise it waits for the director. 409 already_anonymised.",
    ),
)
@extend_schema(tags=[TAG])
class ErasureRequestViewSet(viewsets.GenericViewSet):
    permission_classes = API_PERMISSIONS
    filter_backends = []
    lookup_value_regex = r"\d+"
    serializer_class = ErasureRequestSerializer
    queryset = selectors.ErasureRequest.objects.none()
    http_method_names = ["get", "post", "head", "options"]
    capabilities = {
        "list": APPROVE_RETENTION,
        "retrieve": REQUEST_SUBJECT_ACCESS,
        "options": REQUEST_SUBJECT_ACCESS,
        "create": REQUEST_SUBJECT_ACCESS,
        "approve": APPROVE_RETENTION,
        "refuse": APPROVE_RETENTION,
    }

    def list(self, request):
        page = self.paginate_queryset(selectors.list_erasures_for(request.user))
        record_list_view(request.user, object_type=services.ERASURE, person_ids=[r.person_id for r in page])
        return self.get_paginated_response(ErasureRequestSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return _erasure(request.user, pk_or_404(pk))

    def create(self, request):
        data = _data(ErasureCreateSerializer, request.data)
        person = get_person_for(request.user, data["person"])
        made = services.request_erasure(request.user, person, received_on=data["received_on"], note=data["note"])
        return _erasure(request.user, made.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=RetentionEmptySerializer,
        responses={200: ErasureRequestSerializer, **WRITE},
        description="Approve the request: the person is anonymised. 409 kept_by_law (a statute keeps a record or "
        "a case is open: the reason says which) or invalid_transition; nothing changes.",
    )
    @action(detail=True, methods=["post"], serializer_class=RetentionEmptySerializer)
    def approve(self, request, pk=None):
        erasure = selectors.get_erasure_for(request.user, pk_or_404(pk))
        services.approve_erasure(request.user, erasure.pk)
        return _erasure(request.user, erasure.pk)

    @extend_schema(
        request=RetentionReasonSerializer,
        responses={200: ErasureRequestSerializer, **WRITE},
        description="Refuse the request with the reason (e.g. GDPR art. 17(3)(e)). 400 on reason when blank.",
    )
    @action(detail=True, methods=["post"], serializer_class=RetentionReasonSerializer)
    def refuse(self, request, pk=None):
        erasure = selectors.get_erasure_for(request.user, pk_or_404(pk))
        data = _data(RetentionReasonSerializer, request.data)
        services.refuse_erasure(request.user, erasure.pk, data["reason"])
        return _erasure(request.user, erasure.pk)
