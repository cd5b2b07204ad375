"""Reads of consents, scoped to the actor's centre (another centre's consent is 'not found')."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from socius.accounts.models import User
from socius.accounts.permissions import can_view_registry, require
from socius.common.errors import NotFound
from socius.registry.models_consents import Consent


def list_consents_for(actor: User) -> QuerySet[Consent]:
    """Every consent of the actor's centre, newest first."""
    require(actor, can_view_registry)
    return Consent.objects.filter(centre_id=actor.centre_id).select_related("person", "recorded_by", "withdrawn_by")


def get_consent_for(actor: User, consent_id) -> Consent:
    try:
        return list_consents_for(actor).get(pk=int(consent_id))
    except (Consent.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None


def consents_of_person(actor: User, person_id: int) -> list[Consent]:
    """One person's consents, live and withdrawn: the history."""
    return list(list_consents_for(actor).filter(person_id=person_id))


def valid_on(day: dt.date) -> Q:
    """Consents given by `day` and not withdrawn by it."""
    return Q(given_on__lte=day) & (Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))


def valid_consent(person_id: int, purpose: str, day: dt.date) -> Consent | None:
    """The person's consent for `purpose` valid on `day`, if any (no permission check: for services that
    already checked theirs)."""
    return Consent.objects.filter(valid_on(day), person_id=person_id, purpose=purpose).order_by("-given_on").first()


def persons_with_valid_consent(person_ids: Iterable[int], purpose: str, day: dt.date) -> set[int]:
    """Which of these persons have a consent for `purpose` valid on `day` (one query)."""
    ids = [p for p in person_ids if p]
    if not ids:
        return set()
    return set(
        Consent.objects.filter(valid_on(day), person_id__in=ids, purpose=purpose).values_list("person_id", flat=True)
    )
