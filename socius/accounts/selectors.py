"""Reads for accounts: the audit log, centres' territory."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from socius.accounts.models import AuditEvent, Territory, User
from socius.accounts.permissions import can_view_audit, require


def list_audit_events_for(
    actor: User,
    *,
    person_id: int | None = None,
    user_id: int | None = None,
    object_type: str | None = None,
    object_id: int | None = None,
    action: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """The centre's audit log, newest first, for auditors and directors only."""
    require(actor, can_view_audit)
    qs = AuditEvent.objects.filter(centre_id=actor.centre_id).select_related("actor")
    if person_id:
        qs = qs.filter(person_id=person_id)
    if user_id:
        qs = qs.filter(actor_id=user_id)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if action:
        qs = qs.filter(action=action)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs.order_by("-at", "-id")


def territories_for(actor: User) -> QuerySet[Territory]:
    """The territory nodes under the actor's centre (the whole tree of its jurisdiction below the root)."""
    centre = actor.centre
    qs = Territory.objects.filter(jurisdiction=centre.jurisdiction)
    if centre.territory_id:
        root = centre.territory_id
        # Trees are three or four levels deep: filter by ancestry explicitly.
        qs = qs.filter(_descendant_of(root))
    return qs.select_related("parent", "parent__parent").order_by("level", "name")


def is_in_centre_area(centre, territory: Territory) -> bool:
    """Whether a territory node lies in the centre's area (its jurisdiction, under its root node)."""
    if territory.jurisdiction != centre.jurisdiction:
        return False
    if not centre.territory_id:
        return True
    return Territory.objects.filter(_descendant_of(centre.territory_id), pk=territory.pk).exists()


def _descendant_of(root_id: int) -> Q:
    return (
        Q(pk=root_id)
        | Q(parent_id=root_id)
        | Q(parent__parent_id=root_id)
        | Q(parent__parent__parent_id=root_id)
        | Q(parent__parent__parent__parent_id=root_id)
    )
