"""The assistant's activity log: each meeting or piece of work with the family, its time (the monthly
timesheet sums it), the areas worked on and who took part."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from socius.accounts.audit import diff, snapshot
from socius.accounts.models import AuditAction, User
from socius.casework.models import Partner
from socius.family.models import AssistantActivity, FamilyEventKind
from socius.family.statuses import ActivityPlace, EnrolmentStatus, WorkArea
from socius.family.support._common import (
    as_int,
    audit,
    check_date,
    check_text,
    current_member_ids,
    event,
    is_date,
    raise_if,
    workable_enrolment,
)

MINUTES_IN_A_DAY = 24 * 60


def _ids(values, errors: dict, field: str) -> list[int]:
    if values is None:
        return []
    if isinstance(values, str | bytes) or not hasattr(values, "__iter__"):
        errors[field] = [_("Choose from the list.")]
        return []
    ids = [as_int(v) for v in values]
    if any(i is None for i in ids):
        errors[field] = [_("Choose from the list.")]
        return []
    return list(dict.fromkeys(ids))


@transaction.atomic
def log_activity(
    actor: User,
    enrolment,
    *,
    on,
    minutes,
    place,
    areas,
    family_members=(),
    partners=(),
    others_present="",
    notes="",
) -> AssistantActivity:
    """One entry of the family's activity log, by its assistant or the case's worker, while the work is active
    or the family is monitored. The entry counts on the family's assistant's timesheet."""
    locked = workable_enrolment(actor, enrolment, statuses=(EnrolmentStatus.ACTIVE, EnrolmentStatus.MONITORING))
    errors: dict = {}
    check_date(errors, "on", on, not_before=locked.started_on)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 < minutes <= MINUTES_IN_A_DAY:
        errors["minutes"] = [_("Enter the time spent in minutes, from 1 to 1440.")]
    if place not in ActivityPlace.values:
        errors["place"] = [_("Choose where the work took place.")]
    if isinstance(areas, str | bytes) or not hasattr(areas, "__iter__"):
        areas = None
    area_codes = list(dict.fromkeys(areas)) if areas is not None else []
    if not area_codes or any(code not in WorkArea.values for code in area_codes):
        errors["areas"] = [_("Choose at least one area of work from the list.")]
    member_ids = _ids(family_members, errors, "family_members")
    if member_ids and is_date(on) and not set(member_ids) <= current_member_ids(locked.household_id, on):
        errors["family_members"] = [_("Choose members of the family's household.")]
    partner_ids = _ids(partners, errors, "partners")
    if partner_ids and Partner.objects.filter(pk__in=partner_ids, centre_id=locked.centre_id).count() != len(
        partner_ids
    ):
        errors["partners"] = [_("Choose partner institutions of your centre.")]
    others_present = check_text(errors, "others_present", others_present, max_length=300, required=False)
    notes = check_text(errors, "notes", notes, required=False)
    raise_if(errors)
    activity = AssistantActivity.objects.create(
        centre_id=locked.centre_id,
        enrolment=locked,
        assistant_id=locked.assistant_id,
        on=on,
        minutes=minutes,
        place=place,
        areas=area_codes,
        others_present=others_present,
        notes=notes,
    )
    if member_ids:
        activity.family_members.set(member_ids)
    if partner_ids:
        activity.partners.set(partner_ids)
    event(
        actor,
        locked,
        FamilyEventKind.ACTIVITY_LOGGED,
        {"activity_id": activity.pk, "on": on.isoformat(), "minutes": minutes, "place": place, "areas": area_codes},
    )
    changes = diff({}, snapshot(activity, AssistantActivity.AUDITED_FIELDS))
    changes["family_members"] = [[], sorted(member_ids)]
    audit(actor, AuditAction.CREATE, "assistant_activity", activity.pk, locked, changes)
    return activity
