"""Writes of retention and erasure (decision 0023): the review of what expired, its approval (anonymisation) or
rejection, and erasure requests (GDPR art. 17) refused by statute or anonymised on approval. Each is one atomic,
audited step; the review is idempotent (re-running it refreshes the centre's one pending review)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socius.accounts.audit import record_event
from socius.accounts.models import AuditAction, Centre, User
from socius.accounts.permissions import require
from socius.accounts.roles import APPROVE_RETENTION, REQUEST_SUBJECT_ACCESS
from socius.common.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from socius.community.selectors_calendar import centre_time_zone
from socius.privacy import retention
from socius.privacy.anonymise import anonymise_persons
from socius.privacy.models_retention import Anonymisation, ErasureRequest, RetentionItem, RetentionReview
from socius.privacy.statuses_retention import (
    ERASURE_TRANSITIONS,
    REVIEW_TRANSITIONS,
    AnonymisedBy,
    ErasureStatus,
    ReviewStatus,
)
from socius.registry.models import Person
from socius.rulebook.engine.jurisdiction import get_jurisdiction

REVIEW = "retention_review"
ERASURE = "erasure_request"
PERSON = "person"
ITEM_BATCH = 1000


def can_approve_retention(actor: User) -> bool:
    return actor.can(APPROVE_RETENTION)


def can_request_erasure(actor: User) -> bool:
    return actor.can(REQUEST_SUBJECT_ACCESS)


def centre_today(centre: Centre) -> dt.date:
    return timezone.localdate(timezone=centre_time_zone(centre))


# --- the retention review ----------------------------------------------------------------------------------------


@transaction.atomic
def review_retention(centre: Centre, *, on: dt.date, actor: User | None = None) -> RetentionReview:
    """List the centre's persons whose every record has expired on the day into its pending review (made, or
    refreshed: its items replaced), for the director's approval. Nothing is anonymised here."""
    if actor is not None:
        require(actor, can_approve_retention)
    review = RetentionReview.objects.select_for_update().filter(centre=centre, status=ReviewStatus.PENDING).first()
    if review is None:
        review = RetentionReview.objects.create(centre=centre, reviewed_on=on, created_by=actor)
    else:
        review.items.all().delete()
        review.reviewed_on = on
        review.created_by = actor
    review.rules_version = get_jurisdiction(centre.jurisdiction).rules_version
    review.save()
    items = []
    for expiry in retention.expiries(centre, on):
        if expiry.expired_by(on):
            items.append(
                RetentionItem(
                    review=review,
                    person_id=expiry.person_id,
                    expired_on=expiry.expires_on,
                    basis=[r.as_basis() for r in expiry.records],
                )
            )
        if len(items) >= ITEM_BATCH:
            RetentionItem.objects.bulk_create(items)
            items = []
    RetentionItem.objects.bulk_create(items)
    record_event(
        actor,
        AuditAction.CREATE,
        object_type=REVIEW,
        object_id=review.pk,
        centre_id=centre.pk,
        changes={"reviewed_on": [None, on.isoformat()], "persons": [None, review.items.count()]},
    )
    return review


def _locked(model, pk: int, actor: User):
    """The actor's centre's record, locked for the move; another centre's or a missing one is NotFound."""
    try:
        return model.objects.select_for_update().get(pk=pk, centre_id=actor.centre_id)
    except model.DoesNotExist:
        raise NotFound() from None


def _move_review(review: RetentionReview, to: str) -> None:
    if to not in REVIEW_TRANSITIONS[review.status]:
        raise InvalidTransition(review, review.status, to, dict(ReviewStatus.choices))


@transaction.atomic
def approve_review(actor: User, review_id: int, *, on: dt.date | None = None) -> RetentionReview:
    """Anonymise every person of the pending review, after checking again that each has expired (a record may
    have been added since: such a person is left out, never anonymised)."""
    require(actor, can_approve_retention)
    review = _locked(RetentionReview, review_id, actor)
    _move_review(review, ReviewStatus.APPROVED)
    on = on or centre_today(actor.centre)
    listed = list(review.items.values_list("person_id", flat=True))
    still = []
    for start in range(0, len(listed), retention.BATCH):
        chunk = listed[start : start + retention.BATCH]
        still += [e.person_id for e in retention.expiries(actor.centre, on, chunk) if e.expired_by(on)]
    counts = _anonymise(actor, still, by=AnonymisedBy.RETENTION, review=review)
    review.status = ReviewStatus.APPROVED
    review.decided_by = actor
    review.decided_at = timezone.now()
    review.anonymised_count = len(still)
    review.save(update_fields=["status", "decided_by", "decided_at", "anonymised_count"])
    record_event(
        actor,
        AuditAction.UPDATE,
        object_type=REVIEW,
        object_id=review.pk,
        centre_id=review.centre_id,
        person_ids=still,
        changes={
            "status": [ReviewStatus.PENDING, ReviewStatus.APPROVED],
            "anonymised": [None, len(still)],
            "left_out": [None, len(listed) - len(still)],
            "rows_cleared": [None, sum(counts.values())],
        },
    )
    return review


@transaction.atomic
def reject_review(actor: User, review_id: int, reason: str) -> RetentionReview:
    require(actor, can_approve_retention)
    review = _locked(RetentionReview, review_id, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": [_("Say why the review is rejected.")]})
    _move_review(review, ReviewStatus.REJECTED)
    review.status = ReviewStatus.REJECTED
    review.decided_by = actor
    review.decided_at = timezone.now()
    review.rejection_reason = reason
    review.save(update_fields=["status", "decided_by", "decided_at", "rejection_reason"])
    record_event(
        actor,
        AuditAction.UPDATE,
        object_type=REVIEW,
        object_id=review.pk,
        centre_id=review.centre_id,
        changes={"status": [ReviewStatus.PENDING, ReviewStatus.REJECTED], "rejection_reason": [None, reason]},
    )
    return review


def _anonymise(
    actor: User,
    person_ids: list[int],
    *,
    by: str,
    review: RetentionReview | None = None,
    erasure: ErasureRequest | None = None,
) -> dict[str, int]:
    centre_id = actor.centre_id
    already = retention.anonymised_ids(centre_id)
    person_ids = [p for p in person_ids if p not in already]
    counts: dict[str, int] = {}
    for start in range(0, len(person_ids), retention.BATCH):
        chunk = person_ids[start : start + retention.BATCH]
        for model, n in anonymise_persons(chunk, centre_id=centre_id, already=already).items():
            counts[model] = counts.get(model, 0) + n
        Anonymisation.objects.bulk_create(
            [
                Anonymisation(
                    centre_id=centre_id, person_id=p, by=by, review=review, erasure=erasure, approved_by=actor
                )
                for p in chunk
            ]
        )
        already.update(chunk)
    return counts


# --- erasure requests (GDPR art. 17) ---------------------------------------------------------------------------


def _kept(expiry: retention.PersonExpiry, on: dt.date) -> list[dict]:
    """What keeps the person: the statutes' records whose period has not ended, and every open case."""
    out = []
    for record in expiry.kept_by_law(on) + [r for r in expiry.open_cases() if r not in expiry.kept_by_law(on)]:
        out.append(
            {
                **record.as_basis(),
                "keep_reason": record.rule.keep_reason if record.rule and record.rule.statutory_keep else "",
                "open": record.anchor_on is None,
            }
        )
    return out


def assess_erasure(person: Person, on: dt.date) -> list[dict]:
    expiry = next(retention.expiries(person.centre, on, [person.pk]), None)
    return _kept(expiry, on) if expiry is not None else []


@transaction.atomic
def request_erasure(actor: User, person: Person, *, received_on: dt.date, note: str = "") -> ErasureRequest:
    """Record a person's erasure request. Where a statute keeps their records (or a case of theirs is open) it is
    refused at once with the legal reason; otherwise it waits for the director's approval."""
    require(actor, can_request_erasure)
    if received_on > centre_today(actor.centre):
        raise ValidationFailed({"received_on": [_("The day the request was received cannot be in the future.")]})
    if Anonymisation.objects.filter(person=person).exists():
        raise Conflict(_("This person has already been anonymised."), code="already_anonymised")
    kept = assess_erasure(person, received_on)
    request = ErasureRequest.objects.create(
        centre_id=person.centre_id,
        person=person,
        received_on=received_on,
        received_by=actor,
        note=(note or "").strip(),
        kept_by_law=kept,
    )
    if kept:
        request.status = ErasureStatus.REFUSED
        request.refusal_reason = refusal_text(kept)
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "refusal_reason", "decided_at"])
    record_event(
        actor,
        AuditAction.CREATE,
        object_type=ERASURE,
        object_id=request.pk,
        centre_id=person.centre_id,
        person_id=person.pk,
        changes={"status": [None, request.status], "received_on": [None, received_on.isoformat()]},
    )
    return request


def refusal_text(kept: list[dict]) -> str:
    """The legal reasons, one per statute, in the pack's words (the statute's language)."""
    reasons = list(dict.fromkeys(k["keep_reason"] for k in kept if k.get("keep_reason")))
    if any(k.get("open") for k in kept):
        reasons.append(str(_("A case of this person is open: their data are still needed for it.")))
    return "\n".join(reasons)


def _move_erasure(request: ErasureRequest, to: str) -> None:
    if to not in ERASURE_TRANSITIONS[request.status]:
        raise InvalidTransition(request, request.status, to, dict(ErasureStatus.choices))


@transaction.atomic
def approve_erasure(actor: User, request_id: int) -> ErasureRequest:
    """Anonymise the person, after checking again that no statute keeps them and no case is open (409 with the
    reason otherwise; nothing changes)."""
    require(actor, can_approve_retention)
    request = _locked(ErasureRequest, request_id, actor)
    _move_erasure(request, ErasureStatus.ANONYMISED)
    kept = assess_erasure(request.person, centre_today(actor.centre))
    if kept:
        raise Conflict(refusal_text(kept), code="kept_by_law")
    _anonymise(actor, [request.person_id], by=AnonymisedBy.ERASURE, erasure=request)
    request.status = ErasureStatus.ANONYMISED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    record_event(
        actor,
        AuditAction.UPDATE,
        object_type=ERASURE,
        object_id=request.pk,
        centre_id=request.centre_id,
        person_id=request.person_id,
        changes={"status": [ErasureStatus.REQUESTED, ErasureStatus.ANONYMISED]},
    )
    return request


@transaction.atomic
def refuse_erasure(actor: User, request_id: int, reason: str) -> ErasureRequest:
    require(actor, can_approve_retention)
    request = _locked(ErasureRequest, request_id, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": [_("Say why the request is refused.")]})
    _move_erasure(request, ErasureStatus.REFUSED)
    request.status = ErasureStatus.REFUSED
    request.refusal_reason = reason
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
    record_event(
        actor,
        AuditAction.UPDATE,
        object_type=ERASURE,
        object_id=request.pk,
        centre_id=request.centre_id,
        person_id=request.person_id,
        changes={"status": [ErasureStatus.REQUESTED, ErasureStatus.REFUSED], "refusal_reason": [None, reason]},
    )
    return request
