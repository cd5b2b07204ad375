"""Reads for partners and referrals, scoped to the actor's centre; `is_overdue` is annotated for a given day."""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models import Case as SqlCase
from django.utils import timezone

from socius.accounts.models import User
from socius.accounts.permissions import require
from socius.accounts.roles import Role
from socius.casework.models import Case, CaseShare, Partner, Referral
from socius.casework.permissions import can_view_partners, team_ids_of
from socius.casework.statuses import AWAITING_ANSWER_STATUSES, OPEN_STATUSES
from socius.common.errors import NotFound


def list_partners_for(actor: User, *, kind: str | None = None, active: bool | None = True) -> QuerySet[Partner]:
    """The centre's partner institutions by name; `active=None` lists the inactive ones too."""
    require(actor, can_view_partners)
    qs = Partner.objects.filter(centre_id=actor.centre_id)
    if kind:
        qs = qs.filter(kind=kind)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("name", "id")


def get_partner_for(actor: User, partner_id) -> Partner:
    """A partner of the actor's centre; NotFound otherwise (another centre's looks missing)."""
    try:
        return list_partners_for(actor, active=None).get(pk=int(partner_id))
    except (Partner.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None


def _is_overdue(on: dt.date) -> SqlCase:
    return SqlCase(
        When(Q(status__in=AWAITING_ANSWER_STATUSES, response_due_on__lt=on), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def with_overdue(qs: QuerySet[Referral], on: dt.date | None = None) -> QuerySet[Referral]:
    """Annotate `is_overdue`: still awaiting an answer and due before `on` (today when left out)."""
    return qs.annotate(is_overdue=_is_overdue(on or timezone.localdate()))


def referrals_for_case(case: Case, *, on: dt.date | None = None) -> QuerySet[Referral]:
    """A case's referrals, newest first, with partners, in one query. Content: pass only a case from
    `get_case_content_for`."""
    qs = Referral.objects.filter(case_id=case.pk).select_related("partner")
    return with_overdue(qs, on).order_by("-sent_on", "-id")


def referrals_awaiting_answer_for(actor: User, on: dt.date) -> QuerySet[Referral]:
    """Referrals still awaiting an answer on the actor's own open cases: overdue first, then by due date.

    One query (case and partner joined); slice it for a desk panel.
    """
    require(actor, can_view_partners)
    qs = referrals_awaiting_answer(actor.centre_id, assigned_worker_id=actor.pk).select_related("case", "partner")
    return with_overdue(qs, on).order_by("-is_overdue", "response_due_on", "id")


def referrals_awaiting_answer(centre_id: int, **case_filter) -> QuerySet[Referral]:
    """Referrals of the centre's open cases still awaiting an answer (a closed case's referrals can no
    longer move); `case_filter` narrows the cases (e.g. assigned_worker_id=…)."""
    return Referral.objects.filter(
        centre_id=centre_id,
        case__status__in=OPEN_STATUSES,
        status__in=AWAITING_ANSWER_STATUSES,
        **{f"case__{name}": value for name, value in case_filter.items()},
    )


def referral_case_id_for(actor: User, referral_id) -> int:
    """The case a referral of the actor's centre belongs to (for redirects); NotFound otherwise."""
    require(actor, can_view_partners)
    try:
        pk = int(referral_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    case_id = Referral.objects.filter(pk=pk, centre_id=actor.centre_id).values_list("case_id", flat=True).first()
    if case_id is None:
        raise NotFound()
    return case_id


def referrals_readable_by(actor: User, *, on: dt.date | None = None) -> QuerySet[Referral]:
    """The centre's referrals on cases whose content the actor may read, newest first, `is_overdue` for `on`.

    The same rule as `permissions.can_view_case_content`, in SQL: the assigned worker, the team leader of
    the case's team, the director, staff the case is shared with. Callers audit the cases they show.
    """
    require(actor, can_view_partners)
    qs = Referral.objects.filter(centre_id=actor.centre_id)
    if actor.role != Role.DIRECTOR:
        readable = Q(case__assigned_worker_id=actor.pk) | Exists(
            CaseShare.objects.filter(case_id=OuterRef("case_id"), user_id=actor.pk)
        )
        if actor.role == Role.TEAM_LEADER:
            readable |= Q(case__team_id__in=team_ids_of(actor))
        qs = qs.filter(readable)
    return with_overdue(qs.select_related("case", "partner"), on).order_by("-sent_on", "-id")
