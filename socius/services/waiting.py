"""Waiting lists per service: a person added with a priority and its reason (on a case the worker reads, or
without one), the priority changed, withdrawn (with the reason) or restored; placed when a decision made from the
entry is issued (`decisions.issue_decision`). One waiting entry per person and service."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from socius.accounts.audit import diff, snapshot
from socius.accounts.models import AuditAction, User
from socius.common.errors import Conflict, Forbidden, NotFound
from socius.services._common import as_int, audit, check_date, check_text, raise_if
from socius.services.catalogue import catalogue_code
from socius.services.decisions import _case, _person
from socius.services.errors import InvalidServiceTransition
from socius.services.models import WaitingListEntry
from socius.services.permissions import can_order_services
from socius.services.statuses import WAITING_TRANSITIONS, WaitingPriority, WaitingStatus

FIELDS = WaitingListEntry.AUDITED_FIELDS


def _audit(actor: User, action: str, entry: WaitingListEntry, before: dict) -> None:
    audit(
        actor,
        action,
        "service_waiting_entry",
        entry.pk,
        centre_id=entry.centre_id,
        person_ids=[entry.person_id],
        changes=diff(before, snapshot(entry, FIELDS)),
    )


def _locked(actor: User, entry) -> WaitingListEntry:
    pk = as_int(entry)
    if pk is None or not actor.centre_id:
        raise NotFound()
    found = (
        WaitingListEntry.objects.select_for_update(of=("self",))
        .select_related("case")
        .filter(pk=pk, centre_id=actor.centre_id)
        .first()
    )
    if found is None:
        raise NotFound()
    if not can_order_services(actor, found.case):
        raise Forbidden()
    return found


def _move(entry: WaitingListEntry, to: str) -> None:
    if to not in WAITING_TRANSITIONS.get(entry.status, frozenset()):
        raise InvalidServiceTransition(entry, entry.status, to, labels=dict(WaitingStatus.choices))
    entry.status = to


def _priority(value, errors: dict):
    if isinstance(value, bool) or value not in WaitingPriority.values:
        errors["priority"] = [_("Choose the priority.")]
    return value


def _no_other_waiting(entry_or_none, centre_id, service_code, person_id) -> None:
    others = WaitingListEntry.objects.filter(
        centre_id=centre_id, service_code=service_code, person_id=person_id, status=WaitingStatus.WAITING
    )
    if entry_or_none is not None:
        others = others.exclude(pk=entry_or_none.pk)
    if others.exists():
        raise Conflict(_("This person is already on the waiting list for this service."), code="already_waiting")


@transaction.atomic
def add_to_waiting_list(
    actor: User, *, person, service_code, priority=WaitingPriority.NORMAL, reason, requested_on, case=None
) -> WaitingListEntry:
    """Put a person on the service's waiting list with a priority and its reason."""
    if not can_order_services(actor):
        raise Forbidden()
    errors: dict = {}
    found_case = _case(actor, case, errors)
    if "case" not in errors and not can_order_services(actor, found_case):
        raise Forbidden()
    found_person = _person(actor, person, found_case, errors)
    catalogue_code(actor.centre, service_code, errors)
    _priority(priority, errors)
    reason = check_text(errors, "reason", reason, max_length=2000)
    check_date(errors, "requested_on", requested_on)
    raise_if(errors)
    _no_other_waiting(None, actor.centre_id, service_code, found_person.pk)
    entry = WaitingListEntry.objects.create(
        centre_id=actor.centre_id,
        service_code=service_code,
        person=found_person,
        case=found_case,
        priority=priority,
        reason=reason,
        requested_on=requested_on,
        created_by=actor,
    )
    _audit(actor, AuditAction.CREATE, entry, {})
    return entry


@transaction.atomic
def change_priority(actor: User, entry, *, priority, reason) -> WaitingListEntry:
    """A new priority with its reason (only while waiting)."""
    locked = _locked(actor, entry)
    if locked.status != WaitingStatus.WAITING:
        raise Conflict(
            _("Only a person still waiting can be given another priority."), code="waiting_entry_not_waiting"
        )
    errors: dict = {}
    _priority(priority, errors)
    reason = check_text(errors, "reason", reason, max_length=2000)
    raise_if(errors)
    before = snapshot(locked, FIELDS)
    locked.priority = priority
    locked.reason = reason
    locked.save()
    _audit(actor, AuditAction.UPDATE, locked, before)
    return locked


@transaction.atomic
def withdraw(actor: User, entry, *, on, reason) -> WaitingListEntry:
    """The person no longer waits (moved away, other help, died): waiting → withdrawn."""
    locked = _locked(actor, entry)
    errors: dict = {}
    check_date(errors, "on", on, not_before=locked.requested_on)
    reason = check_text(errors, "reason", reason, max_length=2000)
    raise_if(errors)
    before = snapshot(locked, FIELDS)
    _move(locked, WaitingStatus.WITHDRAWN)
    locked.withdrawn_on = on
    locked.withdrawn_reason = reason
    locked.save()
    _audit(actor, AuditAction.UPDATE, locked, before)
    return locked


@transaction.atomic
def restore(actor: User, entry) -> WaitingListEntry:
    """Withdrawn by mistake: back on the list with its place (withdrawn → waiting)."""
    locked = _locked(actor, entry)
    before = snapshot(locked, FIELDS)
    _move(locked, WaitingStatus.WAITING)
    _no_other_waiting(locked, locked.centre_id, locked.service_code, locked.person_id)
    locked.withdrawn_on = None
    locked.withdrawn_reason = ""
    locked.save()
    _audit(actor, AuditAction.UPDATE, locked, before)
    return locked
