"""Subject-access requests (GDPR art. 15, decision 0022): recording a request, the director's approval (which
produces the export) or refusal, delivery to the person, and the audited download of the export."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socius.accounts.audit import record_event
from socius.accounts.models import AuditAction, User
from socius.common.errors import Forbidden, ValidationFailed
from socius.privacy.errors import ExportNotReady, InvalidSarTransition, SelfApproval
from socius.privacy.models import SubjectAccessRequest
from socius.privacy.permissions import can_decide, can_download, can_record_requests
from socius.privacy.selectors import get_request_for
from socius.privacy.statuses import SAR_TRANSITIONS, ExportState, Requester, SarChannel, SarStatus
from socius.registry.selectors import get_person_for
from socius.rulebook import get_jurisdiction

logger = logging.getLogger(__name__)

SAR = "subject_access_request"  # the audit's record type


def _audit(actor: User | None, action: str, sar: SubjectAccessRequest, changes: dict) -> None:
    record_event(
        actor,
        action,
        object_type=SAR,
        object_id=sar.pk,
        centre_id=sar.centre_id,
        person_id=sar.person_id,
        changes=changes,
    )


def _move(sar: SubjectAccessRequest, to: str) -> None:
    if to not in SAR_TRANSITIONS[sar.status]:
        raise InvalidSarTransition(sar, to)


def _locked(actor: User, sar_id) -> SubjectAccessRequest:
    sar = get_request_for(actor, sar_id)
    return SubjectAccessRequest.objects.select_for_update(of=("self",)).select_related("person").get(pk=sar.pk)


def default_language(actor: User) -> str:
    """The export's language when none is chosen: the centre's jurisdiction's (the registry keeps no person's
    language)."""
    return get_jurisdiction(actor.centre.jurisdiction).default_language


def record_subject_access_request(
    actor: User,
    person_id,
    *,
    received_on: dt.date,
    requester: str,
    channel: str,
    language: str = "",
    representative_name: str = "",
    note: str = "",
) -> SubjectAccessRequest:
    """Record a person's request to see their data (received by `actor`). 400 naming the field on bad input."""
    if not can_record_requests(actor):
        raise Forbidden
    person = get_person_for(actor, person_id)
    errors: dict[str, list] = {}
    if received_on > timezone.localdate():
        errors["received_on"] = [_("The date cannot be in the future.")]
    if requester not in Requester.values:
        errors["requester"] = [_("Choose who asked.")]
    representative_name = (representative_name or "").strip()
    if requester == Requester.REPRESENTATIVE and not representative_name:
        errors["representative_name"] = [_("Name the representative.")]
    if channel not in SarChannel.values:
        errors["channel"] = [_("Choose how the request was received.")]
    language = language or default_language(actor)
    if language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose a language.")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        sar = SubjectAccessRequest.objects.create(
            centre_id=actor.centre_id,
            person=person,
            received_on=received_on,
            received_by=actor,
            requester=requester,
            representative_name=representative_name if requester == Requester.REPRESENTATIVE else "",
            channel=channel,
            language=language,
            note=(note or "").strip(),
        )
        _audit(
            actor,
            AuditAction.CREATE,
            sar,
            {
                "received_on": [None, received_on.isoformat()],
                "requester": [None, requester],
                "channel": [None, channel],
                "language": [None, language],
            },
        )
    return sar


def approve_subject_access_request(actor: User, sar_id) -> SubjectAccessRequest:
    """The director approves: the export is produced (a job when a broker is configured, inline otherwise).
    Four eyes: the one who recorded the request does not approve it."""
    if not can_decide(actor):
        raise Forbidden
    with transaction.atomic():
        sar = _locked(actor, sar_id)
        _move(sar, SarStatus.APPROVED)
        if sar.received_by_id == actor.pk:
            raise SelfApproval(sar)
        sar.status = SarStatus.APPROVED
        sar.approved_by = actor
        sar.approved_at = timezone.now()
        sar.export_state = ExportState.RUNNING
        sar.save(update_fields=["status", "approved_by", "approved_at", "export_state"])
        _audit(actor, AuditAction.UPDATE, sar, {"status": [SarStatus.REQUESTED, SarStatus.APPROVED]})
        transaction.on_commit(lambda: _enqueue(sar.pk))
    return sar


def _enqueue(sar_id: int) -> None:
    from socius.privacy.tasks import produce_subject_access_export_task

    produce_subject_access_export_task.delay(sar_id)


def refuse_subject_access_request(actor: User, sar_id, reason: str) -> SubjectAccessRequest:
    """The director refuses, with the reason given to the person (e.g. art. 12(5): manifestly unfounded)."""
    if not can_decide(actor):
        raise Forbidden
    reason = (reason or "").strip()
    with transaction.atomic():
        sar = _locked(actor, sar_id)
        _move(sar, SarStatus.REFUSED)
        if sar.received_by_id == actor.pk:
            raise SelfApproval(sar)
        if not reason:
            raise ValidationFailed({"reason": [_("Give the reason for the refusal.")]})
        sar.status = SarStatus.REFUSED
        sar.refused_by = actor
        sar.refused_at = timezone.now()
        sar.refusal_reason = reason
        sar.save(update_fields=["status", "refused_by", "refused_at", "refusal_reason"])
        _audit(
            actor,
            AuditAction.UPDATE,
            sar,
            {"status": [SarStatus.REQUESTED, SarStatus.REFUSED], "refusal_reason": [None, reason]},
        )
    return sar


def produce_export(sar_id: int) -> SubjectAccessRequest:
    """Build the approved request's ZIP, store it behind the storage API with its SHA-256 and audit the export
    (the job; it acts for the approver). A failure is recorded on the request and logged without personal data."""
    from socius.privacy.archive import build_export

    sar = SubjectAccessRequest.objects.select_related("person", "approved_by").get(pk=sar_id)
    if sar.status != SarStatus.APPROVED or sar.export_state == ExportState.READY:
        return sar
    try:
        export = build_export(sar)
    except Exception:
        logger.exception("subject-access export %s failed", sar.pk)
        SubjectAccessRequest.objects.filter(pk=sar.pk).update(export_state=ExportState.FAILED)
        sar.export_state = ExportState.FAILED
        return sar
    with transaction.atomic():
        sar = (
            SubjectAccessRequest.objects.select_for_update(of=("self",))
            .select_related("person", "approved_by")
            .get(pk=sar_id)
        )
        if sar.export_state == ExportState.READY:
            return sar
        old = sar.export_file.name if sar.export_file else ""
        sar.export_file.save("export.zip", ContentFile(export.content), save=False)
        sar.export_sha256 = export.sha256
        sar.export_size = len(export.content)
        sar.exported_at = timezone.now()
        sar.export_state = ExportState.READY
        sar.save(update_fields=["export_file", "export_sha256", "export_size", "exported_at", "export_state"])
        _audit(
            sar.approved_by,
            AuditAction.EXPORT,
            sar,
            {"sha256": [None, export.sha256], "records": [None, sum(export.counts.values())]},
        )
    if old:
        sar.export_file.storage.delete(old)
    return sar


def retry_export(actor: User, sar_id) -> SubjectAccessRequest:
    """Produce again an approved request's export whose production failed (the director)."""
    if not can_decide(actor):
        raise Forbidden
    with transaction.atomic():
        sar = _locked(actor, sar_id)
        if sar.status != SarStatus.APPROVED or sar.export_state != ExportState.FAILED:
            raise InvalidSarTransition(sar, SarStatus.APPROVED)
        sar.export_state = ExportState.RUNNING
        sar.save(update_fields=["export_state"])
        transaction.on_commit(lambda: _enqueue(sar.pk))
    return sar


def open_export(actor: User, sar_id):
    """The export's file, opened for download by the director or the one who recorded the request; audited as an
    export under the person. 409 while it is not ready."""
    sar = get_request_for(actor, sar_id)
    if not can_download(actor, sar):
        raise Forbidden
    if sar.status not in (SarStatus.APPROVED, SarStatus.DELIVERED) or not sar.is_ready:
        raise ExportNotReady(sar)
    handle = sar.export_file.storage.open(sar.export_file.name, "rb")
    _audit(actor, AuditAction.EXPORT, sar, {"sha256": [None, sar.export_sha256]})
    return sar, handle


def deliver_subject_access_request(actor: User, sar_id) -> SubjectAccessRequest:
    """Record that the export was handed over to the person (or their representative)."""
    with transaction.atomic():
        sar = _locked(actor, sar_id)
        if not can_download(actor, sar):
            raise Forbidden
        _move(sar, SarStatus.DELIVERED)
        if not sar.is_ready:
            raise ExportNotReady(sar)
        sar.status = SarStatus.DELIVERED
        sar.delivered_by = actor
        sar.delivered_at = timezone.now()
        sar.save(update_fields=["status", "delivered_by", "delivered_at"])
        _audit(actor, AuditAction.UPDATE, sar, {"status": [SarStatus.APPROVED, SarStatus.DELIVERED]})
    return sar
