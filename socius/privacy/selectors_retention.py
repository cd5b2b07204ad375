"""Reads of retention reviews and erasure requests, scoped to the actor's centre (decision 0023)."""

from __future__ import annotations

from django.db.models import QuerySet

from socius.accounts.models import User
from socius.common.errors import NotFound
from socius.privacy.models_retention import Anonymisation, ErasureRequest, RetentionItem, RetentionReview


def list_reviews_for(actor: User) -> QuerySet[RetentionReview]:
    return RetentionReview.objects.filter(centre_id=actor.centre_id).select_related("decided_by", "created_by")


def get_review_for(actor: User, review_id: int) -> RetentionReview:
    try:
        return list_reviews_for(actor).get(pk=review_id)
    except RetentionReview.DoesNotExist:
        raise NotFound() from None


def items_of(review: RetentionReview) -> QuerySet[RetentionItem]:
    return review.items.select_related("person", "person__territory").order_by("expired_on", "id")


def list_erasures_for(actor: User) -> QuerySet[ErasureRequest]:
    return ErasureRequest.objects.filter(centre_id=actor.centre_id).select_related(
        "person", "received_by", "decided_by"
    )


def get_erasure_for(actor: User, request_id: int) -> ErasureRequest:
    try:
        return list_erasures_for(actor).get(pk=request_id)
    except ErasureRequest.DoesNotExist:
        raise NotFound() from None


def is_anonymised(person_id: int) -> bool:
    return Anonymisation.objects.filter(person_id=person_id).exists()
