"""Reads of the register of processing activities and the breach log, scoped to the actor's centre."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from socius.accounts.models import User
from socius.accounts.roles import VIEW_PRIVACY_REGISTERS
from socius.common.errors import Forbidden, NotFound
from socius.privacy.models_registers import DataBreach, ProcessingActivity
from socius.rulebook import get_jurisdiction
from socius.rulebook.engine.privacy import SupervisoryAuthority, supervisory_authority


def _require_view(actor: User) -> None:
    if not (actor and actor.is_authenticated and actor.can(VIEW_PRIVACY_REGISTERS)):
        raise Forbidden()


def list_processing_activities_for(actor: User) -> QuerySet[ProcessingActivity]:
    _require_view(actor)
    return ProcessingActivity.objects.filter(centre_id=actor.centre_id)


def get_processing_activity_for(actor: User, pk) -> ProcessingActivity:
    try:
        return list_processing_activities_for(actor).get(pk=int(pk))
    except (ProcessingActivity.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None


def list_breaches_for(actor: User) -> QuerySet[DataBreach]:
    _require_view(actor)
    return DataBreach.objects.filter(centre_id=actor.centre_id).select_related("recorded_by")


def get_breach_for(actor: User, pk) -> DataBreach:
    try:
        return list_breaches_for(actor).get(pk=int(pk))
    except (DataBreach.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None


def authority_for(actor: User, on: dt.date) -> SupervisoryAuthority:
    """The supervisory authority of the actor's country on `on`, from the pack."""
    return supervisory_authority(get_jurisdiction(actor.centre.jurisdiction).data_dir, on)
