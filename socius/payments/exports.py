"""Exporting an approved payment run: its bank files (pain.001, validated before they are offered), the run as
CSV and the cash payment list (PDF), kept in the default storage under the run's folder; and their audited
download (decision 0014).

Exporting moves the run approved → exported and its payments pending → sent; the files are written first
(outside the transaction, streamed to a temporary directory, then copied to storage), the state moves only
once every file is written and valid. With a broker the work runs as a Celery task, its progress on the run's
`job_*` fields; without one, inline. Exporting an exported run again changes nothing (its files are
downloaded again as they were).
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socius.accounts.audit import record_event
from socius.accounts.models import AuditAction, AuditEvent, AuditEventPerson, User
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.payments.bankfiles import cashlist, csvfile, pain001
from socius.payments.models import Payment, PaymentRun
from socius.payments.permissions import can_prepare_payments, reads_every_payment, sees_full_iban
from socius.payments.statuses import RUN_TRANSITIONS, JobState, PaymentChannel, PaymentStatus, RunStatus

FORMATS = ("pain001", "csv", "pdf")
DOWNLOADABLE = (RunStatus.EXPORTED, RunStatus.RECONCILED)
CONTENT_TYPES = {"pain001": pain001.CONTENT_TYPE, "csv": csvfile.CONTENT_TYPE, "pdf": cashlist.CONTENT_TYPE}


def run_folder(run) -> str:
    return f"payments/runs/{run.centre_id}/{run.pk}"


def _run_for(actor: User, run_id: int, *, lock: bool = False) -> PaymentRun:
    runs = PaymentRun.objects.select_related("centre").filter(pk=run_id, centre_id=actor.centre_id)
    run = (runs.select_for_update(of=("self",)) if lock else runs).first()
    if run is None:
        raise NotFound(_("Payment run not found."))
    return run


def export_run(actor: User, run_id: int) -> PaymentRun:
    """Write an approved run's files and mark it exported (queued as a Celery task when a broker is
    configured). An exported run is returned as it is (its files are downloaded again)."""
    if not can_prepare_payments(actor):
        raise Forbidden(_("You are not allowed to export payment runs."))
    run = _run_for(actor, run_id)
    if run.status in DOWNLOADABLE:
        return run
    if run.status != RunStatus.APPROVED or RunStatus.EXPORTED not in RUN_TRANSITIONS[run.status]:
        raise Conflict(_("Only an approved run can be exported."), code="invalid_transition")
    if run.job == "export" and run.job_state in (JobState.QUEUED, JobState.RUNNING):
        raise Conflict(_("The files of this run are being written already."), code="job_running")
    problems = pain001.problems(run)
    if problems:
        raise Conflict(_problem_message(problems), code="cannot_export")
    if not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True):
        PaymentRun.objects.filter(pk=run.pk).update(
            job="export", job_state=JobState.QUEUED, job_done=0, job_total=0, job_error=""
        )
        from socius.payments.bankfiles.tasks import export_run_task

        export_run_task.delay(user_id=actor.pk, run_id=run.pk)
        run.refresh_from_db()
        return run
    return write_run_files(actor, run.pk)


def _problem_message(problems: dict[str, int]) -> str:
    parts = []
    if "no_debtor_account" in problems:
        parts.append(
            _("%(n)s bank transfers are paid from a fund without a bank account: set the fund's account.")
            % {"n": problems["no_debtor_account"]}
        )
    if "no_iban" in problems:
        parts.append(_("%(n)s bank transfers have no IBAN.") % {"n": problems["no_iban"]})
    return " ".join(parts)


def write_run_files(actor: User, run_id: int) -> PaymentRun:
    """The export's work (inline, or in the Celery task): write and validate the files, store them, then
    move the run and its payments. On an invalid file nothing moves, the run's job says why, and Conflict."""
    run = _run_for(actor, run_id)
    total = Payment.objects.filter(run=run).exclude(status=PaymentStatus.CANCELLED).count()
    PaymentRun.objects.filter(pk=run.pk).update(
        job="export", job_state=JobState.RUNNING, job_done=0, job_total=total, job_error=""
    )
    try:
        names = _write_files(run)
    except pain001.InvalidBankFile as exc:
        PaymentRun.objects.filter(pk=run.pk).update(job_state=JobState.FAILED, job_error=str(exc)[:2000])
        raise Conflict(
            _("A bank file of this run did not pass validation, so it was not offered: %(error)s") % {"error": exc},
            code="invalid_bank_file",
        ) from exc
    except Exception as exc:
        PaymentRun.objects.filter(pk=run.pk).update(job_state=JobState.FAILED, job_error=repr(exc)[:2000])
        raise
    with transaction.atomic():
        run = _run_for(actor, run_id, lock=True)
        if run.status != RunStatus.APPROVED:
            raise Conflict(_("Only an approved run can be exported."), code="invalid_transition")
        sent = Payment.objects.filter(run=run, status=PaymentStatus.PENDING).update(status=PaymentStatus.EXPORTED)
        now = timezone.now()
        run.status = RunStatus.EXPORTED
        run.exported_by = actor
        run.exported_at = now
        run.job_state = JobState.DONE
        run.job_done = total
        run.save(update_fields=["status", "exported_by", "exported_at", "job_state", "job_done"])
        record_event(
            actor,
            AuditAction.EXPORT,
            object_type="payment_run",
            object_id=run.pk,
            centre_id=run.centre_id,
            changes={
                "status": [RunStatus.APPROVED, RunStatus.EXPORTED],
                "files": [None, names],
                "payments": [None, sent],
            },
        )
    # A run of cash payments only has nothing to wait for from the bank.
    from socius.payments.statements import reconcile_if_done

    reconcile_if_done(run.pk)
    run.refresh_from_db()
    return run


def _write_files(run) -> list[str]:
    folder = run_folder(run)
    names = []
    with tempfile.TemporaryDirectory(prefix="socius-run-") as tmp:
        tmp_path = Path(tmp)
        files = pain001.write(run, tmp_path)
        done = 0
        for exported in files:
            pain001.validate_pain001(exported.path)
            done += exported.transactions
            PaymentRun.objects.filter(pk=run.pk).update(job_done=done)
        csv_path = tmp_path / csvfile.file_name(run)
        with open(csv_path, "wb") as stream:
            csvfile.write(run, stream)
        written = [f.path for f in files] + [csv_path]
        if cashlist.cash_payments(run).exists():
            pdf_path = tmp_path / cashlist.file_name(run)
            pdf_path.write_bytes(cashlist.pdf(run, _language(run)))
            written.append(pdf_path)
        for old in _stored(folder):
            default_storage.delete(f"{folder}/{old}")
        for path in written:
            with open(path, "rb") as stream:
                saved = default_storage.save(f"{folder}/{path.name}", File(stream, name=path.name))
            names.append(saved.rsplit("/", 1)[-1])
    return names


def _language(run) -> str:
    from socius.rulebook import get_jurisdiction

    return get_jurisdiction(run.centre.jurisdiction).default_language


def _stored(folder: str) -> list[str]:
    try:
        return sorted(default_storage.listdir(folder)[1])
    except (FileNotFoundError, OSError):
        return []


def stored_files(run) -> dict[str, list[str]]:
    """The run's stored files by format."""
    names = _stored(run_folder(run))
    return {
        "pain001": [n for n in names if n.startswith("pain001-")],
        "csv": [n for n in names if n.endswith(".csv")],
        "pdf": [n for n in names if n.endswith(".pdf")],
    }


def open_run_file(actor: User, run_id: int, format: str):
    """(file name, content type, open binary file) of an exported run's pain.001 (a zip when the run made
    several messages), CSV or cash list PDF. Bank files and the CSV show IBANs in full: finance and auditors
    only; the cash list: whoever reads every payment. Every download is audited, naming the run, the file and
    every person in it (one event, decision 0007)."""
    if format not in FORMATS:
        raise ValidationFailed({"format": [_("Choose pain001, csv or pdf.")]})
    if not reads_every_payment(actor):
        raise NotFound(_("Payment run not found."))
    if format in ("pain001", "csv") and not sees_full_iban(actor):
        raise Forbidden(_("Bank files show account numbers in full: only finance and auditors download them."))
    run = _run_for(actor, run_id)
    if run.status not in DOWNLOADABLE:
        raise Conflict(_("The run's files are written when it is exported."), code="not_exported")
    folder = run_folder(run)
    names = stored_files(run)[format]
    if not names:
        if format == "pdf":
            raise Conflict(_("This run has no cash payments, so it has no cash payment list."), code="no_cash_list")
        raise Conflict(_("This run has no bank transfers, so it has no bank file."), code="no_bank_file")
    if format == "pain001" and len(names) > 1:
        name = f"pain001-{run.centre.code}-{run.month:%Y-%m}-{run.number}.zip"
        content_type = "application/zip"
        handle = tempfile.SpooledTemporaryFile(max_size=8 << 20)  # noqa: SIM115 (the caller closes it)
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for member in names:
                with default_storage.open(f"{folder}/{member}", "rb") as source, archive.open(member, "w") as target:
                    while chunk := source.read(1 << 20):
                        target.write(chunk)
        handle.seek(0)
    else:
        name = names[0]
        content_type = CONTENT_TYPES[format]
        handle = default_storage.open(f"{folder}/{name}", "rb")
    _audit_download(actor, run, format, name)
    return name, content_type, handle


def _audit_download(actor: User, run: PaymentRun, format: str, name: str) -> AuditEvent:
    """One EXPORT event naming the run and the file, and every person the file shows: set-based (INSERT …
    SELECT), so a run of a million payments costs two statements."""
    payments = Payment.objects.filter(run=run, person__isnull=False).exclude(status=PaymentStatus.CANCELLED)
    if format == "pain001":
        payments = payments.filter(channel=PaymentChannel.BANK_TRANSFER)
    elif format == "pdf":
        payments = payments.exclude(channel=PaymentChannel.BANK_TRANSFER)
    persons = payments.values("person_id").distinct()
    first_two = list(persons.order_by("person_id")[:2].values_list("person_id", flat=True))
    with transaction.atomic():
        event = record_event(
            actor,
            AuditAction.EXPORT,
            object_type="payment_run",
            object_id=run.pk,
            centre_id=run.centre_id,
            person_id=first_two[0] if len(first_two) == 1 else None,
            changes={"file": [None, name], "format": [None, format]},
        )
        if len(first_two) > 1:
            sql, params = persons.order_by().query.sql_with_params()
            table = connection.ops.quote_name(AuditEventPerson._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {table} (event_id, person_id) SELECT %s, q.person_id FROM ({sql}) q",  # noqa: S608
                    [event.pk, *params],
                )
    return event
