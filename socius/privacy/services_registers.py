"""Writes of the register of processing activities and the breach log (decision 0024). Kept by the DPO, the
director and the administrator (KEEP_PRIVACY_REGISTERS); every write is audited (no person is named: these
registers hold no client's data)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socius.accounts.audit import diff, record_event, snapshot
from socius.accounts.models import AuditAction, User
from socius.accounts.roles import KEEP_PRIVACY_REGISTERS
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.privacy.models_registers import BreachNature, BreachRisk, DataBreach, ProcessingActivity
from socius.rulebook import get_jurisdiction
from socius.rulebook.engine.privacy import processing_activity_models, supervisory_authority

TEXT_MAX = 5000
ACTIVITY_REQUIRED = (
    "name",
    "purpose",
    "legal_basis",
    "data_subjects",
    "data_categories",
    "retention",
    "security_measures",
)
ACTIVITY_OPTIONAL = ("recipients", "transfers")


def _require_keep(actor: User) -> None:
    if not (actor and actor.is_authenticated and actor.can(KEEP_PRIVACY_REGISTERS)):
        raise Forbidden()


def _text(errors: dict, data: dict, field: str, *, required: bool, max_length: int = TEXT_MAX) -> str:
    value = data.get(field)
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[field] = [_("Enter text.")]
        return ""
    value = value.strip()
    if required and not value:
        errors[field] = [_("This field is required.")]
    elif len(value) > max_length:
        errors[field] = [_("Keep it to %(n)d characters.") % {"n": max_length}]
    return value


def _audit(actor: User, action: str, object_type: str, record, changes: dict) -> None:
    record_event(
        actor, action, object_type=object_type, object_id=record.pk, centre_id=record.centre_id, changes=changes
    )


# --- the register of processing activities -------------------------------------------------------------------


@transaction.atomic
def seed_processing_activities(actor: User) -> list[ProcessingActivity]:
    """Add the pack's model entries the centre's register does not hold yet (by code); idempotent. Returns the
    entries added."""
    _require_keep(actor)
    centre = actor.centre
    have = set(ProcessingActivity.objects.filter(centre=centre).exclude(code="").values_list("code", flat=True))
    added = []
    for model in processing_activity_models(get_jurisdiction(centre.jurisdiction).data_dir):
        if model.code in have:
            continue
        activity = ProcessingActivity.objects.create(
            centre=centre,
            code=model.code,
            name=model.name,
            purpose=model.purpose,
            legal_basis=model.legal_basis,
            data_subjects=model.data_subjects,
            data_categories=model.data_categories,
            recipients=model.recipients,
            transfers=model.transfers,
            retention=model.retention,
            retention_keys=list(model.retention_keys),
            security_measures=model.security_measures,
            source=model.source,
            created_by=actor,
        )
        _audit(
            actor,
            AuditAction.CREATE,
            "processing_activity",
            activity,
            diff({}, snapshot(activity, ProcessingActivity.AUDITED_FIELDS)),
        )
        added.append(activity)
    return added


def _activity_values(data: dict, *, partial: bool) -> dict:
    errors: dict = {}
    values = {}
    for field in (*ACTIVITY_REQUIRED, *ACTIVITY_OPTIONAL):
        if partial and field not in data:
            continue
        values[field] = _text(
            errors, data, field, required=field in ACTIVITY_REQUIRED, max_length=200 if field == "name" else TEXT_MAX
        )
    if "is_active" in data or not partial:
        active = data.get("is_active", True)
        if not isinstance(active, bool):
            errors["is_active"] = [_("Say yes or no.")]
        values["is_active"] = active
    if errors:
        raise ValidationFailed(errors)
    return values


@transaction.atomic
def add_processing_activity(actor: User, data: dict) -> ProcessingActivity:
    """A processing activity the pack's model entries do not cover."""
    _require_keep(actor)
    values = _activity_values(data, partial=False)
    activity = ProcessingActivity.objects.create(centre=actor.centre, created_by=actor, **values)
    _audit(
        actor,
        AuditAction.CREATE,
        "processing_activity",
        activity,
        diff({}, snapshot(activity, ProcessingActivity.AUDITED_FIELDS)),
    )
    return activity


@transaction.atomic
def update_processing_activity(actor: User, activity, data: dict) -> ProcessingActivity:
    """Change the fields given (an activity no longer carried out: `is_active` false; entries are never deleted)."""
    _require_keep(actor)
    pk = activity.pk if isinstance(activity, ProcessingActivity) else activity
    try:
        locked = ProcessingActivity.objects.select_for_update().get(pk=int(pk), centre_id=actor.centre_id)
    except (ProcessingActivity.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None
    values = _activity_values(data, partial=True)
    before = snapshot(locked, ProcessingActivity.AUDITED_FIELDS)
    for field, value in values.items():
        setattr(locked, field, value)
    locked.save()
    changes = diff(before, snapshot(locked, ProcessingActivity.AUDITED_FIELDS))
    if changes:
        _audit(actor, AuditAction.UPDATE, "processing_activity", locked, changes)
    return locked


# --- the breach log ------------------------------------------------------------------------------------------


def _moment(errors: dict, data: dict, field: str, *, required: bool) -> dt.datetime | None:
    value = data.get(field)
    if value in (None, ""):
        if required:
            errors[field] = [_("Enter the date and time.")]
        return None
    if not isinstance(value, dt.datetime):
        errors[field] = [_("Enter the date and time.")]
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > timezone.now():
        errors[field] = [_("The date cannot be in the future.")]
    return value


def _count(errors: dict, data: dict, field: str, *, required: bool) -> int | None:
    value = data.get(field)
    if value in (None, ""):
        if required:
            errors[field] = [_("Enter a number (an estimate is enough).")]
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100_000_000:
        errors[field] = [_("Enter a whole number.")]
        return None
    return value


BREACH_TEXTS_REQUIRED = ("description", "data_categories", "consequences", "measures")
BREACH_TEXTS_OPTIONAL = ("notification_reference", "delay_reason", "not_notified_reason", "persons_informed_how")


def _breach_values(data: dict, *, partial: bool, current: DataBreach | None = None) -> dict:
    errors: dict = {}
    values: dict = {}

    def wanted(field):
        return not partial or field in data

    if wanted("title"):
        values["title"] = _text(errors, data, "title", required=True, max_length=200)
    for field in BREACH_TEXTS_REQUIRED:
        if wanted(field):
            values[field] = _text(errors, data, field, required=True)
    for field in BREACH_TEXTS_OPTIONAL:
        if wanted(field):
            values[field] = _text(
                errors, data, field, required=False, max_length=100 if field == "notification_reference" else TEXT_MAX
            )
    if wanted("nature"):
        if data.get("nature") not in BreachNature.values:
            errors["nature"] = [_("Choose the nature of the breach.")]
        values["nature"] = data.get("nature")
    if wanted("risk"):
        if data.get("risk") not in BreachRisk.values:
            errors["risk"] = [_("Choose the risk for the persons concerned.")]
        values["risk"] = data.get("risk")
    for field, required in (
        ("discovered_at", True),
        ("occurred_at", False),
        ("notified_at", False),
        ("persons_informed_at", False),
    ):
        if wanted(field):
            values[field] = _moment(errors, data, field, required=required)
    if wanted("subjects_count"):
        values["subjects_count"] = _count(errors, data, "subjects_count", required=True)
    if wanted("records_count"):
        values["records_count"] = _count(errors, data, "records_count", required=False)

    def final(field):
        return values.get(field, getattr(current, field, None) if current is not None else None)

    discovered, occurred = final("discovered_at"), final("occurred_at")
    if not errors.get("occurred_at") and occurred and discovered and occurred > discovered:
        errors["occurred_at"] = [_("The breach cannot have occurred after it was discovered.")]
    for field in ("notified_at", "persons_informed_at"):
        moment = final(field)
        if not errors.get(field) and moment and discovered and moment < discovered:
            errors[field] = [_("This cannot be before the breach was discovered.")]
    if errors:
        raise ValidationFailed(errors)
    return values


def _check_notification(breach: DataBreach) -> None:
    """Art. 33 ust. 1: a late notification states the reasons for the delay; a breach left unnotified says why
    it is unlikely to result in a risk."""
    if breach.notified_at and breach.notified_at > breach.notification_due_at and not breach.delay_reason:
        raise ValidationFailed({"delay_reason": [_("The notification was late: give the reasons for the delay.")]})


@transaction.atomic
def record_breach(actor: User, data: dict) -> DataBreach:
    """A personal data breach enters the log; the deadline to notify the authority is the pack's, counted from
    its discovery."""
    _require_keep(actor)
    values = _breach_values(data, partial=False)
    discovered = values["discovered_at"]
    authority = supervisory_authority(get_jurisdiction(actor.centre.jurisdiction).data_dir, discovered.date())
    breach = DataBreach(
        centre=actor.centre,
        recorded_by=actor,
        authority=f"{authority.name} ({authority.short_name})",
        notification_due_at=discovered + dt.timedelta(hours=authority.notification_hours),
        **values,
    )
    _check_notification(breach)
    breach.save()
    _audit(actor, AuditAction.CREATE, "data_breach", breach, diff({}, snapshot(breach, DataBreach.AUDITED_FIELDS)))
    return breach


@transaction.atomic
def update_breach(actor: User, breach, data: dict) -> DataBreach:
    """Complete or correct the log entry (the notification, the persons informed, the measures)."""
    _require_keep(actor)
    pk = breach.pk if isinstance(breach, DataBreach) else breach
    try:
        locked = DataBreach.objects.select_for_update().get(pk=int(pk), centre_id=actor.centre_id)
    except (DataBreach.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None
    values = _breach_values(data, partial=True, current=locked)
    before = snapshot(locked, DataBreach.AUDITED_FIELDS)
    if "discovered_at" in values and values["discovered_at"] != locked.discovered_at:
        if locked.notified_at is not None and "notified_at" not in values:
            raise Conflict(
                _("The breach was already notified: its discovery time is no longer changed."), code="breach_notified"
            )
        authority = supervisory_authority(
            get_jurisdiction(actor.centre.jurisdiction).data_dir, values["discovered_at"].date()
        )
        locked.notification_due_at = values["discovered_at"] + dt.timedelta(hours=authority.notification_hours)
    for field, value in values.items():
        setattr(locked, field, value)
    _check_notification(locked)
    locked.save()
    changes = diff(before, snapshot(locked, DataBreach.AUDITED_FIELDS))
    if changes:
        _audit(actor, AuditAction.UPDATE, "data_breach", locked, changes)
    return locked
