"""Home visits: planned, then done (with an outcome, perhaps the next visit) or cancelled.

Each step is atomic, locks the case, writes its timeline event and an audit row. The status map is
`models_visits.VISIT_TRANSITIONS`; anything else is a Conflict and changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socius.accounts.audit import record_event
from socius.accounts.models import AuditAction, User
from socius.casework.models import Case, CaseEvent, CaseEventKind, HomeVisit, VisitStatus
from socius.casework.models_visits import VISIT_TRANSITIONS
from socius.casework.permissions import can_hold_cases
from socius.casework.selectors import persons_concerned
from socius.casework.services._case_content import check_past_day, is_date, locked_workable_case
from socius.casework.services._checks import _as_int
from socius.common.errors import Conflict, NotFound, ValidationFailed


def default_place(case: Case) -> str:
    """The address of the case's household (or single person)."""
    holder = case.household or case.person
    if holder is None:
        return ""
    parts = [holder.street_address]
    territory = getattr(holder, "territory", None)
    if territory is not None:
        parts.append(territory.name)
    return ", ".join(p for p in parts if p)


def case_territory_id(case: Case) -> int | None:
    """Where the case's household (or single person) lives now, as the registry knows it: the place a visit
    or another event of the case happens, kept on the event for the reports (issue 12)."""
    holder = case.household if case.household_id else case.person
    return getattr(holder, "territory_id", None) if holder is not None else None


def _visitors(actor: User, value, errors: dict) -> list[User]:
    ids = [_as_int(v) for v in (value if isinstance(value, list | tuple | set) else [value]) if v not in (None, "")]
    if not ids:
        ids = [actor.pk]
    ids = list(dict.fromkeys(ids))
    found = {} if None in ids else {u.pk: u for u in User.objects.filter(pk__in=ids, centre_id=actor.centre_id)}
    users = [found.get(pk) for pk in ids]
    if any(u is None or not u.is_active or not can_hold_cases(u) for u in users):
        errors["visitors"] = [_("Choose staff of your centre who do casework.")]
        return []
    return users


def _audit(actor: User, action: str, visit: HomeVisit, case: Case, changes: dict) -> None:
    record_event(
        actor,
        action,
        object_type="home_visit",
        object_id=visit.pk,
        centre_id=case.centre_id,
        person_id=case.person_id,
        person_ids=persons_concerned(case),
        changes=changes,
    )


def _time(value) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def _check_time(value, errors: dict, field: str) -> None:
    if value is not None and not isinstance(value, dt.time):
        errors[field] = [_("Enter a time (hours and minutes).")]


def _create_planned(
    actor: User,
    case: Case,
    *,
    planned_on: dt.date,
    visitors,
    place: str,
    purpose: str,
    planned_time: dt.time | None = None,
) -> HomeVisit:
    visit = HomeVisit.objects.create(
        case=case,
        planned_on=planned_on,
        planned_time=planned_time,
        place=place,
        purpose=purpose,
        created_by=actor,
        status=VisitStatus.PLANNED,
        territory_id=case_territory_id(case),
    )
    visit.visitors.set(visitors)
    visitor_ids = sorted(u.pk for u in visitors)
    event = {"visit": visit.pk, "planned_on": planned_on.isoformat(), "visitors": visitor_ids}
    if planned_time is not None:
        event["planned_time"] = _time(planned_time)
    CaseEvent.objects.create(case=case, actor=actor, kind=CaseEventKind.VISIT_PLANNED, data=event)
    changes = {
        "case": [None, case.pk],
        "planned_on": [None, planned_on.isoformat()],
        "status": [None, VisitStatus.PLANNED.value],
        "visitors": [None, visitor_ids],
    }
    if planned_time is not None:
        changes["planned_time"] = [None, _time(planned_time)]
    _audit(actor, AuditAction.CREATE, visit, case, changes)
    return visit


def plan_visit(actor: User, case_id, data: dict) -> HomeVisit:
    """Plan a visit. `data`: planned_on (a date), planned_time (optional), visitors (users; the actor when
    left out), place (the household's address when left out), purpose."""
    with transaction.atomic():
        case = locked_workable_case(actor, case_id)
        errors: dict[str, list] = {}
        planned_on = data.get("planned_on")
        if not is_date(planned_on):
            errors["planned_on"] = [_("Enter a date.")]
        elif planned_on < case.opened_on:
            errors["planned_on"] = [_("The date cannot be before the case was opened.")]
        planned_time = data.get("planned_time") or None
        _check_time(planned_time, errors, "planned_time")
        visitors = _visitors(actor, data.get("visitors"), errors)
        place = (data.get("place") or "").strip() or default_place(case)
        if errors:
            raise ValidationFailed(errors)
        return _create_planned(
            actor,
            case,
            planned_on=planned_on,
            planned_time=planned_time,
            visitors=visitors,
            place=place,
            purpose=(data.get("purpose") or "").strip(),
        )


def _locked_visit(actor: User, visit_id) -> tuple[HomeVisit, Case]:
    pk = _as_int(visit_id)
    case_id = (
        HomeVisit.objects.filter(pk=pk, case__centre_id=actor.centre_id).values_list("case_id", flat=True).first()
        if pk is not None
        else None
    )
    if case_id is None:
        raise NotFound()
    case = locked_workable_case(actor, case_id)
    visit = HomeVisit.objects.select_for_update().get(pk=pk)
    return visit, case


def _check_move(visit: HomeVisit, to_status: str) -> None:
    if to_status not in VISIT_TRANSITIONS.get(visit.status, frozenset()):
        raise Conflict(
            _("A visit cannot move from “%(from)s” to “%(to)s”.")
            % {"from": VisitStatus(visit.status).label, "to": VisitStatus(to_status).label},
            code="invalid_transition",
        )


def _done_checks(case: Case, data: dict, errors: dict) -> tuple[dt.date, dt.time | None, str, dt.date | None]:
    """The checks a visit done passes, planned first or not: (done_on, done_time, outcome, next_visit_on)."""
    done_on = data.get("done_on") or timezone.localdate()
    check_past_day(done_on, errors, "done_on", not_before=case.opened_on)
    done_time = data.get("done_time") or None
    _check_time(done_time, errors, "done_time")
    checkable = "done_on" not in errors and "done_time" not in errors and done_time is not None
    if checkable and timezone.make_aware(dt.datetime.combine(done_on, done_time)) > timezone.now():
        errors["done_time"] = [_("The time cannot be in the future.")]
    outcome = (data.get("outcome") or "").strip()
    if not outcome:
        errors["outcome"] = [_("Describe the outcome of the visit.")]
    next_on = data.get("next_visit_on") or None
    if next_on is not None:
        if not is_date(next_on):
            errors["next_visit_on"] = [_("Enter a date.")]
        elif "done_on" not in errors and next_on <= done_on:
            errors["next_visit_on"] = [_("The next visit must be after this one.")]
    return done_on, done_time, outcome, next_on


def _mark_done(actor: User, visit: HomeVisit, case: Case, done, changes: dict, action: str) -> HomeVisit:
    done_on, done_time, outcome, next_on = done
    visit.status, visit.done_on, visit.done_time, visit.outcome = VisitStatus.DONE, done_on, done_time, outcome
    visit.territory_id = case_territory_id(case)  # where it happened (the family may move later)
    visit.save(update_fields=["status", "done_on", "done_time", "outcome", "territory", "updated_at"])
    event = {"visit": visit.pk, "done_on": done_on.isoformat()}
    if done_time is not None:
        event["done_time"] = _time(done_time)
        changes["done_time"] = [None, _time(done_time)]
    CaseEvent.objects.create(case=case, actor=actor, kind=CaseEventKind.VISIT_DONE, data=event)
    _audit(actor, action, visit, case, changes)
    if next_on is not None:
        visit.next_visit = _create_planned(
            actor, case, planned_on=next_on, visitors=list(visit.visitors.all()), place=visit.place, purpose=""
        )
        visit.save(update_fields=["next_visit", "updated_at"])
    return visit


def record_visit_done(actor: User, visit_id, data: dict) -> HomeVisit:
    """Record a planned visit as done. `data`: outcome (required), done_on (today when left out; not in
    the future), done_time (optional; not in the future), next_visit_on (optional: a later day, for which
    a new visit is planned with the same visitors and place). Returns the visit; its `next_visit` is the
    new one, if any."""
    with transaction.atomic():
        visit, case = _locked_visit(actor, visit_id)
        _check_move(visit, VisitStatus.DONE)
        errors: dict[str, list] = {}
        done = _done_checks(case, data, errors)
        if errors:
            raise ValidationFailed(errors)
        changes = {
            "status": [VisitStatus.PLANNED.value, VisitStatus.DONE.value],
            "done_on": [None, done[0].isoformat()],
        }
        return _mark_done(actor, visit, case, done, changes, AuditAction.UPDATE)


def record_done_visit(actor: User, case_id, data: dict) -> HomeVisit:
    """Record, in one step, a visit already done that was never planned in Socius (the worker went
    today). `data`: done_on (today when left out), done_time, outcome (required), visitors, place,
    purpose and next_visit_on as for `plan_visit` and `record_visit_done`. The visit is created done:
    one VISIT_DONE event on the timeline, one audit row."""
    with transaction.atomic():
        case = locked_workable_case(actor, case_id)
        errors: dict[str, list] = {}
        done = _done_checks(case, data, errors)
        visitors = _visitors(actor, data.get("visitors"), errors)
        if errors:
            raise ValidationFailed(errors)
        done_on = done[0]
        visit = HomeVisit.objects.create(
            case=case,
            planned_on=done_on,
            planned_time=done[1],
            place=(data.get("place") or "").strip() or default_place(case),
            purpose=(data.get("purpose") or "").strip(),
            created_by=actor,
            status=VisitStatus.PLANNED,  # for the moment; _mark_done moves it to done in the same transaction
        )
        visit.visitors.set(visitors)
        changes = {
            "case": [None, case.pk],
            "planned_on": [None, done_on.isoformat()],
            "status": [None, VisitStatus.DONE.value],
            "done_on": [None, done_on.isoformat()],
            "visitors": [None, sorted(u.pk for u in visitors)],
        }
        return _mark_done(actor, visit, case, done, changes, AuditAction.CREATE)


def cancel_visit(actor: User, visit_id, *, reason: str = "") -> HomeVisit:
    """Cancel a planned visit, with an optional reason kept on the visit and the timeline."""
    with transaction.atomic():
        visit, case = _locked_visit(actor, visit_id)
        _check_move(visit, VisitStatus.CANCELLED)
        reason = (reason or "").strip()
        visit.status, visit.cancel_reason = VisitStatus.CANCELLED, reason
        visit.save(update_fields=["status", "cancel_reason", "updated_at"])
        event_data = {"visit": visit.pk}
        if reason:
            event_data["reason"] = reason
        CaseEvent.objects.create(case=case, actor=actor, kind=CaseEventKind.VISIT_CANCELLED, data=event_data)
        _audit(
            actor, AuditAction.UPDATE, visit, case, {"status": [VisitStatus.PLANNED.value, VisitStatus.CANCELLED.value]}
        )
    return visit
