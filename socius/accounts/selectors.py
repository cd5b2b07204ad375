"""Reads for accounts: the audit log, centres' territory, the centre's staff and teams."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet

from socius.accounts.models import AuditEvent, AuditEventPerson, Team, Territory, User
from socius.accounts.permissions import can_view_audit, can_view_staff, require
from socius.common.errors import NotFound

# Record types whose very existence is restricted (the Blue Card, decision 0015): their events are left out of
# the audit log of a reader who may not see such records. The app that owns them registers the prefix and who
# may read them (`register_restricted_record_type`, from its AppConfig.ready): accounts knows no higher app.
_RESTRICTED_RECORD_TYPES: dict[str, object] = {}


def register_restricted_record_type(prefix: str, may_read) -> None:
    """Events whose record type starts with `prefix` are listed only to readers for whom `may_read(actor)`."""
    _RESTRICTED_RECORD_TYPES[prefix] = may_read


def _hide_restricted(actor: User, qs: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
    for prefix, may_read in _RESTRICTED_RECORD_TYPES.items():
        if not may_read(actor):
            qs = qs.exclude(object_type__startswith=prefix)
    return qs


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
    """The centre's audit log, newest first, for auditors and directors only.

    `person_id`: every event that names the person, as the record's person or as one of the persons
    a read showed (a household, a case, a page of search results).
    """
    require(actor, can_view_audit)
    qs = _hide_restricted(actor, AuditEvent.objects.filter(centre_id=actor.centre_id).select_related("actor"))
    if person_id:
        own = AuditEvent.objects.filter(centre_id=actor.centre_id, person_id=person_id).order_by().values("pk")
        further = AuditEventPerson.objects.filter(person_id=person_id).order_by().values("event_id")
        qs = qs.filter(pk__in=own.union(further))
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


# --- staff and teams -------------------------------------------------------------------------------


def list_staff_for(
    actor: User,
    *,
    role: str | None = None,
    team_id: int | None = None,
    is_active: bool | None = None,
) -> QuerySet[User]:
    """The actor's centre's staff, with their teams prefetched (one query for any number of users)."""
    require(actor, can_view_staff)
    qs = User.objects.filter(centre_id=actor.centre_id)
    if role:
        qs = qs.filter(role=role)
    if team_id:
        qs = qs.filter(teams__id=team_id)
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    return qs.prefetch_related(Prefetch("teams", queryset=Team.objects.order_by("name"))).order_by(
        "last_name", "first_name", "username", "id"
    )


def get_staff_member_for(actor: User, user_id) -> User:
    """One member of the actor's centre's staff; another centre's user, or none, is NotFound."""
    require(actor, can_view_staff)
    try:
        return list_staff_for(actor).get(pk=int(user_id))
    except (User.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None


def list_teams_for(actor: User, *, is_active: bool | None = None) -> QuerySet[Team]:
    """The actor's centre's teams, each with `member_count` (its active members) in the same query."""
    require(actor, can_view_staff)
    qs = Team.objects.filter(centre_id=actor.centre_id)
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    return qs.annotate(member_count=Count("members", filter=Q(members__is_active=True), distinct=True)).order_by(
        "name", "id"
    )


def get_team_for(actor: User, team_id) -> Team:
    """One team of the actor's centre; another centre's team, or none, is NotFound."""
    require(actor, can_view_staff)
    try:
        return list_teams_for(actor).get(pk=int(team_id))
    except (Team.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None
