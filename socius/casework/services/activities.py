"""Social work activities of a case (PL statutory forms of social work)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from socius.accounts.audit import record_event
from socius.accounts.models import AuditAction, User
from socius.casework.models import Case, CaseEvent, CaseEventKind, SocialWorkActivity
from socius.casework.models_visits import MAX_ACTIVITY_MINUTES, ActivityType
from socius.casework.permissions import can_hold_cases
from socius.casework.selectors import persons_concerned
from socius.casework.services._case_content import check_past_day, locked_workable_case
from socius.casework.services._checks import _as_int, _staff_member
from socius.common.errors import ValidationFailed
from socius.registry.models import Membership, Person


def eligible_participants(case: Case, on) -> list[int]:
    """Ids of the persons who may take part on day `on`: the case's person, or the household's members
    on that day."""
    if case.person_id:
        return [case.person_id]
    return list(
        Membership.objects.filter(household_id=case.household_id, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=on))
        .values_list("person_id", flat=True)
    )


def record_activity(actor: User, case_id, data: dict) -> SocialWorkActivity:
    """Record social work done. `data`: type, performed_on (not in the future), duration_minutes
    (1..600), participants (persons of the case), performed_by (the actor when left out), notes."""
    with transaction.atomic():
        case = locked_workable_case(actor, case_id)
        errors: dict[str, list] = {}
        kind = data.get("type")
        if kind not in ActivityType.values:
            errors["type"] = [_("Choose the type of social work.")]
        performed_on = data.get("performed_on")
        check_past_day(performed_on, errors, "performed_on", not_before=case.opened_on)
        minutes = _as_int(data.get("duration_minutes"))
        if minutes is None or not 1 <= minutes <= MAX_ACTIVITY_MINUTES:
            errors["duration_minutes"] = [
                _("Enter the duration in minutes, from 1 to %(max)s.") % {"max": MAX_ACTIVITY_MINUTES}
            ]
        raw = data.get("participants") or []
        ids = list(dict.fromkeys(_as_int(p) for p in (raw if isinstance(raw, list | tuple | set) else [raw])))
        if ids and "performed_on" not in errors:
            allowed = set(eligible_participants(case, performed_on))
            if None in ids or not set(ids) <= allowed:
                errors["participants"] = [_("Choose persons of the case's household.")]
        performer = actor
        if data.get("performed_by") not in (None, ""):
            performer = _staff_member(actor, data["performed_by"])
            if performer is None or not can_hold_cases(performer):
                errors["performed_by"] = [_("Choose staff of your centre who do casework.")]
        if errors:
            raise ValidationFailed(errors)

        activity = SocialWorkActivity.objects.create(
            case=case,
            type=kind,
            performed_on=performed_on,
            duration_minutes=minutes,
            performed_by=performer,
            notes=(data.get("notes") or "").strip(),
            created_by=actor,
        )
        participant_ids = sorted(ids)
        if participant_ids:
            activity.participants.set(Person.objects.filter(pk__in=participant_ids))
        CaseEvent.objects.create(
            case=case,
            actor=actor,
            kind=CaseEventKind.ACTIVITY_RECORDED,
            data={
                "activity": activity.pk,
                "type": kind,
                "performed_on": performed_on.isoformat(),
                "duration_minutes": minutes,
            },
        )
        record_event(
            actor,
            AuditAction.CREATE,
            object_type="social_work_activity",
            object_id=activity.pk,
            centre_id=case.centre_id,
            person_id=case.person_id,
            person_ids=persons_concerned(case),
            changes={
                "case": [None, case.pk],
                "type": [None, kind],
                "performed_on": [None, performed_on.isoformat()],
                "duration_minutes": [None, minutes],
                "performed_by": [None, performer.pk],
                "participants": [None, participant_ids],
            },
        )
    return activity
