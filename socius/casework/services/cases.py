"""Opening cases, moving their status, reassigning and sharing them; each step writes its timeline event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socius.accounts.audit import diff, record_event, snapshot
from socius.accounts.models import AuditAction, Team, User
from socius.accounts.permissions import require
from socius.casework import statutory
from socius.casework.models import Case, CaseCounter, CaseEvent, CaseEventKind, CaseShare
from socius.casework.permissions import (
    can_assign_cases,
    can_hold_cases,
    can_manage_case,
    can_open_cases,
    can_reassign_case,
    can_share_case,
    can_view_cases,
)
from socius.casework.selectors import cases_in_scope, persons_concerned
from socius.casework.services._checks import _as_int, _codes, _household, _staff_member, _unknown_codes_message
from socius.casework.statuses import CaseStatus, ClosureReason, is_allowed
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.registry.models import Person

# --- cases: opening and numbering -----------------------------------------------------------------


def _next_reference(centre_id: int, year: int) -> tuple[int, str]:
    """The next number of the centre's year, e.g. (7, "2026/0007"); call inside a transaction.

    The counter row is locked (SELECT ... FOR UPDATE) until the transaction ends, so concurrent
    openings queue for it and numbers are neither repeated nor skipped (a rollback returns the number).
    SQLite serialises writers anyway; the unique constraints on Case are the last guard.
    """
    CaseCounter.objects.get_or_create(centre_id=centre_id, year=year)
    counter = CaseCounter.objects.select_for_update().get(centre_id=centre_id, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number, f"{year}/{counter.last_number:04d}"


def _check_day(day, errors: dict, field: str, *, not_before: dt.date | None = None) -> None:
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        errors[field] = [_("Enter a date.")]
    elif day > timezone.localdate():
        errors[field] = [_("The date cannot be in the future.")]
    elif not_before and day < not_before:
        errors[field] = [_("The date cannot be before the case was opened.")]


def open_case(actor: User, data: dict) -> Case:
    """Open a case for a household or a single person (exactly one), with its qualifying circumstances.

    `data`: household or person, circumstances (codes in force on `opened_on`), assigned_worker (the
    actor when left out; only team leaders and directors may assign someone else), team (the worker's
    only team when left out), opened_on (today when left out), notes, status ("opened" when left out,
    or "active" for work that begins at once: the case then moves opened -> active through the status
    map, with its STATUS_CHANGED event on the timeline, in the same transaction).
    """
    require(actor, can_open_cases)
    errors: dict[str, list] = {}
    jurisdiction = actor.centre.jurisdiction

    household = person = None
    has_household = data.get("household") not in (None, "")
    has_person = data.get("person") not in (None, "")
    if has_household == has_person:
        errors["non_field_errors"] = [_("Open the case for either a household or a single person.")]
    elif has_household:
        household = _household(actor, data["household"])
        if household is None:
            errors["household"] = [_("Choose a household registered in your centre.")]
    else:
        pk = _as_int(data["person"])
        person = Person.objects.filter(pk=pk, centre_id=actor.centre_id).first() if pk is not None else None
        if person is None:
            errors["person"] = [_("Choose a person registered in your centre.")]

    opened_on = data.get("opened_on") or timezone.localdate()
    _check_day(opened_on, errors, "opened_on")

    circumstances = _codes(data.get("circumstances"))
    if not circumstances:
        errors["circumstances"] = [_("Choose at least one qualifying circumstance.")]
    elif "opened_on" not in errors:
        valid = statutory.circumstances(jurisdiction, on=opened_on)
        if unknown := statutory.unknown_codes(circumstances, valid):
            errors["circumstances"] = [_unknown_codes_message(unknown)]

    worker = actor
    if data.get("assigned_worker") not in (None, ""):
        worker = _staff_member(actor, data["assigned_worker"])
        if worker is None or not can_hold_cases(worker):
            errors["assigned_worker"] = [_("Choose a worker of your centre who does casework.")]
        elif worker.pk != actor.pk and not can_assign_cases(actor):
            errors["assigned_worker"] = [_("Only a team leader or the director may assign a case to someone else.")]
    elif not can_hold_cases(actor):
        errors["assigned_worker"] = [_("Choose a worker of your centre who does casework.")]

    team = None
    if data.get("team") not in (None, ""):
        team = Team.objects.filter(pk=_as_int(data["team"]), centre_id=actor.centre_id, is_active=True).first()
        if team is None:
            errors["team"] = [_("Choose an active team of your centre.")]
    elif "assigned_worker" not in errors:
        worker_teams = list(worker.teams.filter(is_active=True)[:2])
        if len(worker_teams) == 1:
            team = worker_teams[0]
        else:
            errors["team"] = [_("Choose the team.")]

    start_status = data.get("status") or CaseStatus.OPENED
    if start_status not in (CaseStatus.OPENED, CaseStatus.ACTIVE):
        errors["status"] = [_("A new case is opened as “opened” or “active”.")]

    if errors:
        raise ValidationFailed(errors)

    with transaction.atomic():
        number, reference = _next_reference(actor.centre_id, opened_on.year)
        case = Case.objects.create(
            centre_id=actor.centre_id,
            year=opened_on.year,
            number=number,
            reference=reference,
            household=household,
            person=person,
            circumstances=circumstances,
            assigned_worker=worker,
            team=team,
            opened_on=opened_on,
            notes=(data.get("notes") or "").strip(),
            created_by=actor,
            # Where the case was opened, for the reports (issue 12).
            territory_id=getattr(household if household is not None else person, "territory_id", None),
        )
        CaseEvent.objects.create(
            case=case,
            actor=actor,
            kind=CaseEventKind.OPENED,
            data={
                "reference": reference,
                "circumstances": circumstances,
                "assigned_worker": worker.pk,
                "team": team.pk,
                "opened_on": opened_on.isoformat(),
            },
        )
        record_event(
            actor,
            AuditAction.CREATE,
            object_type="case",
            object_id=case.pk,
            centre_id=actor.centre_id,
            person_id=case.person_id,
            person_ids=persons_concerned(case),
            changes={
                "reference": [None, reference],
                **{k: [None, v] for k, v in snapshot(case, Case.AUDITED_FIELDS).items() if v not in ("", None, [])},
            },
        )
        if start_status == CaseStatus.ACTIVE:
            case = change_case_status(actor, case.pk, CaseStatus.ACTIVE, on=opened_on, reopening=False)
    return case


# --- cases: status --------------------------------------------------------------------------------


def _locked_case(actor: User, case_id) -> Case:
    """The case, row-locked for the rest of the transaction; NotFound outside the actor's centre."""
    require(actor, can_view_cases)
    pk = _as_int(case_id)
    if pk is None:
        raise NotFound()
    # list(), not exists(): the row lock is taken only when the row is actually selected.
    if not list(Case.objects.select_for_update().filter(pk=pk, centre_id=actor.centre_id).values_list("pk", flat=True)):
        raise NotFound()
    # Re-read after the lock with what the predicates need (no FOR UPDATE over outer joins).
    return cases_in_scope(actor).get(pk=pk)


def change_case_status(
    actor: User,
    case_id,
    to_status: str,
    *,
    reason: str | None = None,
    note: str = "",
    on: dt.date | None = None,
    reopening: bool | None = None,
) -> Case:
    """Move a case along ALLOWED_TRANSITIONS; anything else is a Conflict and changes nothing.

    Closing needs `reason`, a ClosureReason (and a `note` when it is "other"); reopening a closed case
    needs `reason` as text. For other moves `reason` is an optional text kept on the timeline. `on` is
    the day of the change (today when left out; closing sets `closed_on` to it). `reopening` (True for
    "reopen", False for "activate") refuses the other meaning of a move to active.
    """
    with transaction.atomic():
        case = _locked_case(actor, case_id)
        if to_status not in CaseStatus.values:
            raise ValidationFailed({"status": [_("Unknown status.")]})
        if not can_manage_case(actor, case):
            raise Forbidden()
        from_status = case.status
        # "activate" and "reopen" both land on active: the caller says which it meant, checked under the lock.
        if reopening is True and from_status != CaseStatus.CLOSED:
            raise Conflict(_("Only a closed case can be reopened."), code="invalid_transition")
        if reopening is False and from_status == CaseStatus.CLOSED:
            raise Conflict(_("A closed case is reopened, not activated."), code="invalid_transition")
        if not is_allowed(from_status, to_status):
            raise Conflict(
                _("A case cannot move from “%(from)s” to “%(to)s”.")
                % {"from": CaseStatus(from_status).label, "to": CaseStatus(to_status).label},
                code="invalid_transition",
            )

        errors: dict[str, list] = {}
        day = on or timezone.localdate()
        _check_day(day, errors, "on", not_before=case.opened_on)
        note = (note or "").strip()
        reason = (reason or "").strip()
        event_data = {"from": from_status, "to": to_status, "on": day.isoformat() if "on" not in errors else None}
        if to_status == CaseStatus.CLOSED:
            if reason not in ClosureReason.values:
                errors["reason"] = [_("Choose the reason for closing the case.")]
            elif reason == ClosureReason.OTHER and not note:
                errors["note"] = [_("Say why the case is being closed.")]
            event_data["closure_reason"] = reason
        elif from_status == CaseStatus.CLOSED:
            if not reason:
                errors["reason"] = [_("Say why the case is being reopened.")]
            # The earlier closure stays on the timeline: the case row is cleared for its new period.
            event_data["previous_closure_reason"] = case.closure_reason
            event_data["previous_closed_on"] = case.closed_on.isoformat() if case.closed_on else None
            event_data["reason"] = reason
        elif reason:
            event_data["reason"] = reason
        if note:
            event_data["note"] = note
        if errors:
            raise ValidationFailed(errors)

        before = snapshot(case, Case.AUDITED_FIELDS)
        case.status = to_status
        if to_status == CaseStatus.CLOSED:
            case.closure_reason, case.closed_on = reason, day
        else:
            case.closure_reason, case.closed_on = "", None
        case.save(update_fields=["status", "closure_reason", "closed_on", "updated_at"])
        CaseEvent.objects.create(case=case, actor=actor, kind=CaseEventKind.STATUS_CHANGED, data=event_data)
        record_event(
            actor,
            AuditAction.UPDATE,
            object_type="case",
            object_id=case.pk,
            centre_id=case.centre_id,
            person_id=case.person_id,
            person_ids=persons_concerned(case),
            changes=diff(before, snapshot(case, Case.AUDITED_FIELDS)),
        )
    return case


# --- cases: assignment and sharing ----------------------------------------------------------------


def reassign_cases(actor: User, case_ids: Iterable, worker, *, reason: str) -> list[Case]:
    """Give one or many cases to another worker, with a reason. All or nothing.

    Team leaders reassign the cases of their teams, the director any case of the centre. Cases the
    worker already holds are left as they are (no event).
    """
    require(actor, can_assign_cases)
    errors: dict[str, list] = {}
    ids = [_as_int(c) for c in case_ids]
    if not ids:
        errors["cases"] = [_("Choose at least one case.")]
    new_worker = _staff_member(actor, worker)
    if new_worker is None or not can_hold_cases(new_worker):
        errors["worker"] = [_("Choose a worker of your centre who does casework.")]
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Say why the cases are reassigned.")]
    if errors:
        raise ValidationFailed(errors)
    if None in ids:
        raise NotFound()
    ids = list(dict.fromkeys(ids))

    with transaction.atomic():
        # Lock in id order so two reassignments of overlapping sets cannot deadlock.
        locked = list(
            Case.objects.select_for_update()
            .filter(pk__in=ids, centre_id=actor.centre_id)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if len(locked) != len(ids):
            raise NotFound()
        cases = list(cases_in_scope(actor).filter(pk__in=ids).order_by("pk"))
        for case in cases:
            if not can_reassign_case(actor, case):
                raise Forbidden()
            if not case.is_open:
                raise Conflict(
                    _("Case %(reference)s is closed: reopen it before reassigning.") % {"reference": case.reference},
                    code="case_closed",
                )
        changed = []
        for case in cases:
            if case.assigned_worker_id == new_worker.pk:
                continue
            previous = case.assigned_worker_id
            case.assigned_worker = new_worker
            case.save(update_fields=["assigned_worker", "updated_at"])
            CaseEvent.objects.create(
                case=case,
                actor=actor,
                kind=CaseEventKind.REASSIGNED,
                data={"from": previous, "to": new_worker.pk, "reason": reason},
            )
            record_event(
                actor,
                AuditAction.UPDATE,
                object_type="case",
                object_id=case.pk,
                centre_id=case.centre_id,
                person_id=case.person_id,
                person_ids=persons_concerned(case),
                changes={"assigned_worker": [previous, new_worker.pk]},
            )
            changed.append(case)
    return changed


def share_case(actor: User, case_id, user) -> CaseShare:
    """Let a member of staff read the case's content. Sharing twice changes nothing."""
    with transaction.atomic():
        case = _locked_case(actor, case_id)
        if not can_share_case(actor, case):
            raise Forbidden()
        target = _staff_member(actor, user)
        if target is None or not can_view_cases(target):
            raise ValidationFailed({"user": [_("Choose a member of your centre's staff.")]})
        if target.pk == case.assigned_worker_id:
            raise ValidationFailed({"user": [_("The assigned worker already sees the case.")]})
        share, created = CaseShare.objects.get_or_create(case=case, user=target, defaults={"shared_by": actor})
        if created:
            CaseEvent.objects.create(case=case, actor=actor, kind=CaseEventKind.SHARED, data={"user": target.pk})
            record_event(
                actor,
                AuditAction.UPDATE,
                object_type="case",
                object_id=case.pk,
                centre_id=case.centre_id,
                person_id=case.person_id,
                person_ids=persons_concerned(case),
                changes={"shared_with": [None, target.pk]},
            )
    return share


def unshare_case(actor: User, case_id, user) -> None:
    """Withdraw a share. Withdrawing one that does not exist changes nothing."""
    with transaction.atomic():
        case = _locked_case(actor, case_id)
        if not can_share_case(actor, case):
            raise Forbidden()
        user_id = _as_int(user)
        deleted, _rows = CaseShare.objects.filter(case=case, user_id=user_id).delete()
        if deleted:
            CaseEvent.objects.create(case=case, actor=actor, kind=CaseEventKind.UNSHARED, data={"user": user_id})
            record_event(
                actor,
                AuditAction.UPDATE,
                object_type="case",
                object_id=case.pk,
                centre_id=case.centre_id,
                person_id=case.person_id,
                person_ids=persons_concerned(case),
                changes={"shared_with": [user_id, None]},
            )
