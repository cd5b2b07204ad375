"""Partner institutions (directory per centre) and referrals of a case to them or from them.

Each write is atomic and audited; referral writes lock the case and add a timeline event. The status
map is `statuses.REFERRAL_TRANSITIONS`; anything else is a Conflict and changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socius.accounts.audit import diff, record_event, snapshot
from socius.accounts.models import AuditAction, User
from socius.accounts.permissions import require
from socius.casework.models import CaseEvent, CaseEventKind, Partner, PartnerKind, Referral, ReferralDirection
from socius.casework.permissions import can_manage_partners, can_view_cases
from socius.casework.selectors import persons_concerned
from socius.casework.services._case_content import check_past_day, is_date, locked_workable_case
from socius.casework.services._checks import _as_int
from socius.casework.statuses import ReferralStatus, is_referral_move_allowed
from socius.common.errors import Conflict, NotFound, ValidationFailed

# Default time a partner (or the centre, for an incoming referral) has to answer, in calendar days.
RESPONSE_DAYS = 14

# --- partners -------------------------------------------------------------------------------------

_PARTNER_TEXT_FIELDS = ("name", "address", "phone", "email", "contact_person", "notes")


def _text(data: dict, name: str) -> str:
    return str(data.get(name) or "").strip()


def _duplicate_partner_name() -> ValidationFailed:
    return ValidationFailed({"name": [_("Your centre already has a partner institution with this name.")]})


def _check_partner(actor: User, data: dict, errors: dict, *, instance: Partner | None = None) -> None:
    name = _text(data, "name")
    if not name:
        errors["name"] = [_("Enter the institution's name.")]
    else:
        # Compared in Python: SQLite's lower() folds ASCII only (Ó, Ș, Ž, Ж); a centre has few partners.
        others = Partner.objects.filter(centre_id=actor.centre_id).values_list("name", flat=True)
        if instance is not None:
            others = others.exclude(pk=instance.pk)
        if name.casefold() in {other.casefold() for other in others}:
            errors["name"] = [_("Your centre already has a partner institution with this name.")]
    if data.get("kind") not in PartnerKind.values:
        errors["kind"] = [_("Choose the kind of institution.")]
    email = _text(data, "email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Enter a valid e-mail address.")]
    for field in _PARTNER_TEXT_FIELDS:
        max_length = Partner._meta.get_field(field).max_length
        if max_length and len(_text(data, field)) > max_length and field not in errors:
            errors[field] = [_("This text is too long.")]


def create_partner(actor: User, data: dict) -> Partner:
    """A new partner institution of the actor's centre; its name is unique in the centre (any case)."""
    require(actor, can_manage_partners)
    errors: dict[str, list] = {}
    _check_partner(actor, data, errors)
    if errors:
        raise ValidationFailed(errors)
    partner = Partner(
        centre_id=actor.centre_id,
        kind=data["kind"],
        is_active=bool(data.get("is_active", True)),
        created_by=actor,
        **{field: _text(data, field) for field in _PARTNER_TEXT_FIELDS},
    )
    try:
        with transaction.atomic():
            partner.save()
            record_event(
                actor,
                AuditAction.CREATE,
                object_type="partner",
                object_id=partner.pk,
                centre_id=actor.centre_id,
                changes={
                    k: [None, v] for k, v in snapshot(partner, Partner.AUDITED_FIELDS).items() if v not in ("", None)
                },
            )
    except IntegrityError:
        raise _duplicate_partner_name() from None
    return partner


def update_partner(actor: User, partner_id, data: dict) -> Partner:
    """Change a partner's details or deactivate it (`is_active`); partners are never deleted.

    Fields left out of `data` keep their values. Nothing changed: nothing written.
    """
    require(actor, can_manage_partners)
    pk = _as_int(partner_id)
    if pk is None:
        raise NotFound()
    with transaction.atomic():
        partner = Partner.objects.select_for_update().filter(pk=pk, centre_id=actor.centre_id).first()
        if partner is None:
            raise NotFound()
        merged = {**{f: getattr(partner, f) for f in Partner.AUDITED_FIELDS}, **data}
        errors: dict[str, list] = {}
        _check_partner(actor, merged, errors, instance=partner)
        if errors:
            raise ValidationFailed(errors)
        before = snapshot(partner, Partner.AUDITED_FIELDS)
        for field in _PARTNER_TEXT_FIELDS:
            setattr(partner, field, _text(merged, field))
        partner.kind = merged["kind"]
        partner.is_active = bool(merged["is_active"])
        changes = diff(before, snapshot(partner, Partner.AUDITED_FIELDS))
        if not changes:
            return partner
        try:
            with transaction.atomic():
                partner.save()
        except IntegrityError:
            raise _duplicate_partner_name() from None
        record_event(
            actor,
            AuditAction.UPDATE,
            object_type="partner",
            object_id=partner.pk,
            centre_id=actor.centre_id,
            changes=changes,
        )
    return partner


def deactivate_partner(actor: User, partner_id) -> Partner:
    """Stop offering the partner for new referrals; its referrals keep naming it."""
    return update_partner(actor, partner_id, {"is_active": False})


# --- referrals ------------------------------------------------------------------------------------


def _documents(value) -> list[str]:
    """Free-text document names, one per item (or per line of a text), without blanks."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.splitlines()
    return [str(item).strip() for item in value if str(item).strip()]


def _audit(actor: User, action: str, referral: Referral, changes: dict) -> None:
    record_event(
        actor,
        action,
        object_type="referral",
        object_id=referral.pk,
        centre_id=referral.centre_id,
        person_id=referral.case.person_id,
        person_ids=persons_concerned(referral.case),
        changes=changes,
    )


def default_response_due_on(sent_on: dt.date) -> dt.date:
    return sent_on + dt.timedelta(days=RESPONSE_DAYS)


def create_referral(actor: User, case_id, data: dict) -> Referral:
    """Record an outgoing referral (sent to a partner) or an incoming one (received from a partner).

    `data`: direction, partner (an active partner of the centre), reason, documents (list or lines),
    sent_on (today when left out; not in the future), response_due_on (sent_on + 14 days when left out;
    not before sent_on). Only those who do casework and may read the case's content; the case must be open.
    """
    require(actor, can_view_cases)
    errors: dict[str, list] = {}
    direction = data.get("direction") or ""
    if direction not in ReferralDirection.values:
        errors["direction"] = [_("Choose whether the referral is outgoing or incoming.")]
    reason = _text(data, "reason")
    if not reason:
        errors["reason"] = [_("Say why the referral is made.")]
    documents = _documents(data.get("documents"))

    sent_on = data.get("sent_on") or timezone.localdate()
    check_past_day(sent_on, errors, "sent_on")
    response_due_on = data.get("response_due_on") or None
    if response_due_on is None:
        if "sent_on" not in errors:
            response_due_on = default_response_due_on(sent_on)
    elif not is_date(response_due_on):
        errors["response_due_on"] = [_("Enter a date.")]
    elif "sent_on" not in errors and response_due_on < sent_on:
        errors["response_due_on"] = [_("The response cannot be due before the referral was sent.")]

    with transaction.atomic():
        case = locked_workable_case(actor, case_id)
        partner = None
        partner_id = _as_int(data.get("partner"))
        if partner_id is not None:
            partner = Partner.objects.filter(pk=partner_id, centre_id=case.centre_id, is_active=True).first()
        if partner is None:
            errors["partner"] = [_("Choose an active partner institution of your centre.")]
        if errors:
            raise ValidationFailed(errors)

        referral = Referral.objects.create(
            centre_id=case.centre_id,
            case=case,
            direction=direction,
            partner=partner,
            reason=reason,
            documents=documents,
            sent_on=sent_on,
            response_due_on=response_due_on,
            created_by=actor,
        )
        kind = (
            CaseEventKind.REFERRAL_SENT if direction == ReferralDirection.OUTGOING else CaseEventKind.REFERRAL_RECEIVED
        )
        CaseEvent.objects.create(
            case=case,
            actor=actor,
            kind=kind,
            data={
                "referral": referral.pk,
                "partner": partner.pk,
                "partner_name": partner.name,
                "sent_on": sent_on.isoformat(),
                "response_due_on": response_due_on.isoformat(),
            },
        )
        _audit(
            actor,
            AuditAction.CREATE,
            referral,
            {k: [None, v] for k, v in snapshot(referral, Referral.AUDITED_FIELDS).items() if v not in ("", None, [])},
        )
    return referral


def change_referral_status(
    actor: User, referral_id, to_status: str, *, outcome: str = "", on: dt.date | None = None
) -> Referral:
    """Move a referral along REFERRAL_TRANSITIONS; anything else is a Conflict and changes nothing.

    Answering and closing need an `outcome` (closing an answered referral keeps its outcome when none
    is given). `on` is the day of the change (today when left out): answering sets `answered_on`,
    closing `closed_on`.
    """
    require(actor, can_view_cases)
    pk = _as_int(referral_id)
    if pk is None:
        raise NotFound()
    with transaction.atomic():
        case_id = Referral.objects.filter(pk=pk, centre_id=actor.centre_id).values_list("case_id", flat=True).first()
        if case_id is None:
            raise NotFound()
        case = locked_workable_case(actor, case_id)
        referral = Referral.objects.select_for_update().get(pk=pk)
        referral.case = case
        if to_status not in ReferralStatus.values:
            raise ValidationFailed({"status": [_("Unknown status.")]})
        from_status = referral.status
        if not is_referral_move_allowed(from_status, to_status):
            raise Conflict(
                _("A referral cannot move from “%(from)s” to “%(to)s”.")
                % {"from": ReferralStatus(from_status).label, "to": ReferralStatus(to_status).label},
                code="invalid_transition",
            )

        errors: dict[str, list] = {}
        day = on or timezone.localdate()
        check_past_day(day, errors, "on")
        if "on" not in errors and day < referral.sent_on:
            errors["on"] = [_("The date cannot be before the referral was sent.")]
        outcome = (outcome or "").strip()
        if to_status in (ReferralStatus.ANSWERED, ReferralStatus.CLOSED):
            if not outcome and to_status == ReferralStatus.CLOSED and from_status == ReferralStatus.ANSWERED:
                outcome = referral.outcome
            if not outcome:
                errors["outcome"] = [_("Describe the outcome.")]
        if errors:
            raise ValidationFailed(errors)

        before = snapshot(referral, Referral.AUDITED_FIELDS)
        referral.status = to_status
        if outcome:
            referral.outcome = outcome
        if to_status == ReferralStatus.ANSWERED:
            referral.answered_on = day
        elif to_status == ReferralStatus.CLOSED:
            referral.closed_on = day
        referral.save(update_fields=["status", "outcome", "answered_on", "closed_on", "updated_at"])
        event_data = {"referral": referral.pk, "from": from_status, "to": to_status, "on": day.isoformat()}
        if outcome and to_status != ReferralStatus.ACKNOWLEDGED:
            event_data["outcome"] = outcome
        CaseEvent.objects.create(case=case, actor=actor, kind=CaseEventKind.REFERRAL_STATUS_CHANGED, data=event_data)
        _audit(actor, AuditAction.UPDATE, referral, diff(before, snapshot(referral, Referral.AUDITED_FIELDS)))
    return referral
