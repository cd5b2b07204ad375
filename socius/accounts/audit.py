"""Writing the audit log. Called by services inside their transaction, never from signals. Every event is sealed
into its centre's hash chain as it is written (socius.accounts.audit_chain, decision 0020)."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable

from django.db import models, transaction

from socius.accounts.audit_chain import seal
from socius.accounts.models import AuditAction, AuditEvent, AuditEventPerson, User
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
    person_ids: Iterable[int] = (),
    changes: dict | None = None,
) -> AuditEvent:
    """Write one event. `person_id` is the person the record is about; `person_ids` every person whose
    data the response or change showed (a household's members, a page of search results).

    Each event names its persons once: an event about one person keeps them in `person_id`; the
    others go to AuditEventPerson in one bulk insert, so a page of 25 persons costs two inserts.
    """
    origin = current_origin()
    further = [p for p in dict.fromkeys(person_ids) if p and p != person_id]
    if person_id is None and len(further) == 1:
        person_id, further = further[0], []
    event = AuditEvent(
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
    with transaction.atomic(savepoint=False):
        seal([event], [further])
        event.save(force_insert=True)
        if further:
            AuditEventPerson.objects.bulk_create([AuditEventPerson(event=event, person_id=p) for p in further])
    return event


def record_view(
    actor: User,
    *,
    object_type: str,
    object_id: int | None,
    centre_id: int,
    person_id: int | None = None,
    person_ids: Iterable[int] = (),
    changes: dict | None = None,
) -> AuditEvent:
    """A read of a record (or of a list, with `object_id` None) that showed these persons' data."""
    return record_event(
        actor,
        AuditAction.VIEW,
        object_type=object_type,
        object_id=object_id,
        centre_id=centre_id,
        person_id=person_id,
        person_ids=person_ids,
        changes=changes,
    )


def record_list_view(actor: User, *, object_type: str, person_ids: Iterable[int], query: str = "") -> AuditEvent | None:
    """A list, search or picker response that showed these persons' records: one VIEW event naming
    them all (two inserts for any page size, decision 0007). `query`, what was searched for, is kept
    with it: who looked for whom is what an auditor asks. Nothing is written when no one was shown."""
    person_ids = [p for p in dict.fromkeys(person_ids) if p]
    if not person_ids:
        return None
    return record_view(
        actor,
        object_type=object_type,
        object_id=None,
        centre_id=actor.centre_id,
        person_ids=person_ids,
        changes={"search": [None, query]} if query else None,
    )


def record_views(actor: User, views: Iterable[dict]) -> list[AuditEvent]:
    """Several VIEW events at once (the cases a timeline showed): two inserts for any number.

    Each view is a dict of `record_view`'s keyword arguments.
    """
    origin = current_origin()
    events, further = [], []
    for view in views:
        person_id = view.get("person_id")
        others = [p for p in dict.fromkeys(view.get("person_ids", ())) if p and p != person_id]
        if person_id is None and len(others) == 1:
            person_id, others = others[0], []
        events.append(
            AuditEvent(
                actor=actor if actor and actor.pk else None,
                actor_username=getattr(actor, "username", "") or "",
                centre_id=view["centre_id"],
                action=AuditAction.VIEW,
                object_type=view["object_type"],
                object_id=view.get("object_id"),
                person_id=person_id,
                changes=view.get("changes") or {},
                ip=origin.ip,
                channel=origin.channel,
            )
        )
        further.append(others)
    if not events:
        return []
    with transaction.atomic(savepoint=False):
        seal(events, further)
        AuditEvent.objects.bulk_create(events)
        AuditEventPerson.objects.bulk_create(
            [AuditEventPerson(event=e, person_id=p) for e, others in zip(events, further, strict=True) for p in others]
        )
    return events


def persons_of_events(events: Iterable[AuditEvent]) -> dict[int, list[int]]:
    """{event id: every person it names, its own `person_id` first}, with one query for any number."""
    events = list(events)
    out = {e.pk: ([e.person_id] if e.person_id else []) for e in events}
    if events:
        rows = AuditEventPerson.objects.filter(event_id__in=list(out)).order_by("event_id", "id")
        for event_id, person_id in rows.values_list("event_id", "person_id"):
            out[event_id].append(person_id)
    return out
