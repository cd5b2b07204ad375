"""Reading subject-access requests: scoped to the actor's centre and role (what they may not see is not found)."""

from __future__ import annotations

from django.db.models import QuerySet

from socius.accounts.models import User
from socius.common.errors import NotFound
from socius.common.limits import ID_MAX
from socius.privacy.models import SubjectAccessRequest
from socius.privacy.permissions import can_record_requests, sees_every_request


def list_requests_for(actor: User, *, status: str | None = None, person_id: int | None = None) -> QuerySet:
    qs = SubjectAccessRequest.objects.filter(centre_id=actor.centre_id).select_related(
        "person", "received_by", "approved_by", "refused_by", "delivered_by"
    )
    if not sees_every_request(actor):
        if not can_record_requests(actor):
            return qs.none()
        qs = qs.filter(received_by=actor)
    if status:
        qs = qs.filter(status=status)
    if person_id:
        qs = qs.filter(person_id=person_id)
    return qs


def get_request_for(actor: User, sar_id) -> SubjectAccessRequest:
    try:
        sar_id = int(sar_id)
    except (TypeError, ValueError):
        raise NotFound from None
    if not 0 < sar_id <= ID_MAX:
        raise NotFound
    sar = list_requests_for(actor).filter(pk=sar_id).first()
    if sar is None:
        raise NotFound
    return sar
