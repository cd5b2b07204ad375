"""Reads of staff group supervision: the centre's sessions (date, status, facilitator, how many took part:
everyone who reads cases), one session with its topics, notes and follow-ups for those who read them (the
participants, the facilitator on staff, the director), and the counts for the report.

`readable_notes` is set-based: one annotation tells, for every row, whether the reader may read its notes.
A read of the notes is audited (object_type "supervision", no person: these are staff records).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, QuerySet, Value, When

from socius.accounts.audit import record_view
from socius.accounts.models import Centre, User
from socius.accounts.roles import Role
from socius.common.errors import NotFound
from socius.community.models import Supervision, SupervisionFollowUp
from socius.community.permissions import can_view_community
from socius.community.statuses import SupervisionStatus
from socius.community.supervision import SUPERVISION

Participants = Supervision.participants.through


def readable_notes(actor: User):
    """An expression: whether `actor` reads the notes of the row (participant, facilitator on staff, director)."""
    if actor.role == Role.DIRECTOR:
        return Value(True, output_field=BooleanField())
    takes_part = Exists(Participants.objects.filter(supervision_id=OuterRef("pk"), user_id=actor.pk))
    return Case(
        When(Q(facilitator_id=actor.pk) | Q(takes_part), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def list_supervisions_for(
    actor: User,
    *,
    date_from: dt.date | None = None,
    date_until: dt.date | None = None,
    status: str | None = None,
    participant: int | None = None,
) -> QuerySet[Supervision]:
    """The centre's sessions, latest first, each with `participant_count` and `can_read_notes`; nothing
    restricted is loaded (topics and notes are deferred)."""
    if not can_view_community(actor):
        return Supervision.objects.none()
    qs = Supervision.objects.filter(centre_id=actor.centre_id)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_until:
        qs = qs.filter(date__lte=date_until)
    if status:
        qs = qs.filter(status=status)
    if participant:
        qs = qs.filter(Exists(Participants.objects.filter(supervision_id=OuterRef("pk"), user_id=participant)))
    return (
        qs.defer("topics", "notes")
        .select_related("facilitator")
        .annotate(
            participant_count=Count("participants", distinct=True),
            can_read_notes=readable_notes(actor),
        )
        .order_by("-date", "-starts_at", "-id")
    )


def get_supervision_for(actor: User, pk: int, *, audit: bool = True) -> Supervision:
    """One session with `participant_list`, `participant_count` and `can_read_notes`; its topics, notes and
    `follow_up_list` only when the reader may read them (else blanked), and then the read is audited."""
    if not can_view_community(actor):
        raise NotFound()
    record = (
        Supervision.objects.filter(pk=pk, centre_id=actor.centre_id)
        .select_related("facilitator", "created_by")
        .annotate(participant_count=Count("participants", distinct=True))
        .first()
    )
    if record is None:
        raise NotFound()
    record.participant_list = list(record.participants.order_by("last_name", "first_name", "username"))
    ids = {u.pk for u in record.participant_list}
    record.can_read_notes = actor.role == Role.DIRECTOR or record.facilitator_id == actor.pk or actor.pk in ids
    if record.can_read_notes:
        record.follow_up_list = list(record.follow_ups.select_related("responsible"))
        if audit:
            record_view(actor, object_type=SUPERVISION, object_id=record.pk, centre_id=actor.centre_id)
    else:
        record.topics = ""
        record.notes = ""
        record.follow_up_list = []
    return record


@dataclass(frozen=True)
class SupervisionCounts:
    """For the report: sessions held in the period, how many took part (in total and distinct staff), how
    many were facilitated by an external supervisor, follow-ups agreed."""

    held: int
    planned: int
    cancelled: int
    participations: int
    distinct_participants: int
    external: int
    follow_ups: int


def supervision_counts(centre: Centre | int, period: tuple[dt.date, dt.date]) -> SupervisionCounts:
    """Counts of the centre's sessions dated in `period` (both ends inclusive); three queries."""
    centre_id = centre.pk if hasattr(centre, "pk") else centre
    start, end = period
    rows = Supervision.objects.filter(centre_id=centre_id, date__gte=start, date__lte=end)
    by_status = dict(rows.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    held = rows.filter(status=SupervisionStatus.HELD)
    people = Participants.objects.filter(supervision__in=held)
    figures = held.aggregate(external=Count("id", filter=Q(facilitator_kind="external")))
    return SupervisionCounts(
        held=by_status.get(SupervisionStatus.HELD, 0),
        planned=by_status.get(SupervisionStatus.PLANNED, 0),
        cancelled=by_status.get(SupervisionStatus.CANCELLED, 0),
        participations=people.count(),
        distinct_participants=people.values("user_id").distinct().count(),
        external=figures["external"],
        follow_ups=SupervisionFollowUp.objects.filter(supervision__in=held).count(),
    )
