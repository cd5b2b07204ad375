"""Writing the audit log. Called by services inside their transaction, never from signals."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable

from django.db import models

from socius.accounts.models import AuditAction, AuditEvent, User
from socius.common.context import current_origin


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict:
    """The audited fields of a record as JSON-ready values (foreign keys as ids)."""
    out = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attname = field.attname if isinstance(field, models.ForeignKey) else name
        out[name] = _plain(getattr(instance, attname))
    return out


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose value changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def record_event(
    actor: User | None,
    action: str,
    *,
    object_type: str,
    object_id: int | None,
    centre_id: int | None,
    person_id: int | None = None,
    changes: dict | None = None,
) -> AuditEvent:
    origin = current_origin()
    return AuditEvent.objects.create(
        actor=actor if actor and actor.pk else None,
        actor_username=getattr(actor, "username", "") or "",
        centre_id=centre_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        person_id=person_id,
        changes=changes or {},
        ip=origin.ip,
        channel=origin.channel,
    )


def record_view(actor: User, *, object_type: str, object_id: int, centre_id: int, person_id: int | None) -> None:
    record_event(
        actor, AuditAction.VIEW, object_type=object_type, object_id=object_id, centre_id=centre_id, person_id=person_id
    )
