"""Bank statements read back into the payments (camt.053 or CSV), and the returned payments handled: reissued
in the next extra run (with corrected details) or cancelled with a reason (decision 0014).

Import: the file is read as a stream and applied in batches of `BATCH` lines, each in its own transaction (so
the statement's progress shows): per batch one query reads the payments its end-to-end ids name (of the
importing centre only), the outcome of each line is decided in order, then the lines are written (COPY on
PostgreSQL) and the payments changed are updated in one statement (a temporary table and UPDATE … FROM on
PostgreSQL). Memory is bounded by the batch, whatever the statement's size.

Each line:
- no payment of the centre with that end-to-end id, a payment not sent yet, or another amount or currency →
  unmatched (reported in the statement's lines);
- a booking of a sent payment → paid (`paid_on`);
- a return (RtrInf, reversal, RRTN) of a sent or paid payment → returned (`return_code`, `return_reason`,
  `returned_on`);
- anything else (a payment already in that state, a booking of a returned one) → already: nothing changes.

The same file twice is refused (its SHA-256 per centre, `statement_imported_once`); an import that failed half
way may be run again: the lines it applied are then "already".

Reconciled (`reconcile_if_done`): an exported run is reconciled when none of its payments waits for the bank
(status sent or pending) and none is returned and unhandled; a returned payment is handled when it is
cancelled, or reissued (set by runs when the extra run paying it again is approved). Cash payments count as
paid when the run is exported: they are handed out against the signature on the cash list, which the bank
statement never shows (finance records a cash payment that was not collected by cancelling it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import queue
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError

from socius.accounts.audit import record_event
from socius.accounts.models import AuditAction, User
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.payments.bankfiles import camt053, statementcsv
from socius.payments.bankfiles.camt053 import InvalidStatement, StatementHeader, StatementLine
from socius.payments.bankfiles.reasons import reason_in_words
from socius.payments.models import BankStatement, Payment, PaymentDetailsChange, PaymentRun, StatementEntry
from socius.payments.permissions import can_prepare_payments, mask_iban
from socius.payments.statuses import (
    EntryOutcome,
    JobState,
    PaymentChannel,
    PaymentStatus,
    RunStatus,
    StatementFormat,
)

BATCH = 10_000
WAITING = (PaymentStatus.PENDING, PaymentStatus.EXPORTED)


# --- import ---------------------------------------------------------------------------------------------------


def import_statement(actor: User, centre_id: int, uploaded_file, *, format: str | None = None) -> BankStatement:
    """Read a bank statement (camt.053 or CSV; by its content when `format` is None) into the centre's
    payments. Returns the statement with its counts (entries, paid, returned, unmatched, already); its
    `lines` say what each line did. Refused (nothing written) when the actor may not, when the same file
    was imported before, or when the file is not a statement at all."""
    if not can_prepare_payments(actor):
        raise Forbidden(_("You are not allowed to import bank statements."))
    if actor.centre_id != centre_id:
        raise NotFound(_("Centre not found."))
    stream = _binary(uploaded_file)
    digest, head = _checksum(stream)
    format = format or (StatementFormat.CAMT053 if head.lstrip().startswith(b"<") else StatementFormat.CSV)
    if format not in StatementFormat.values:
        raise ValidationFailed({"format": [_("Choose camt.053 or CSV.")]})
    if format == StatementFormat.CAMT053:
        try:
            camt053.sniff_namespace(head)
        except InvalidStatement:
            raise ValidationFailed({"file": [_("This file is not a camt.053 bank statement.")]}) from None
    previous = BankStatement.objects.filter(centre_id=centre_id, sha256=digest).first()
    if previous is not None:
        if previous.job_state != JobState.FAILED:
            raise Conflict(
                _("This statement was imported already on %(day)s: importing it again would change nothing.")
                % {"day": timezone.localtime(previous.imported_at).date().isoformat()},
                code="statement_already_imported",
            )
        with transaction.atomic():  # a failed import is run again over its own record
            StatementEntry.objects.filter(statement=previous).delete()
            previous.delete()
    try:
        with transaction.atomic():
            statement = BankStatement.objects.create(
                centre_id=centre_id,
                format=format,
                file_name=(getattr(uploaded_file, "name", "") or "")[-200:],
                sha256=digest,
                imported_by=actor,
                job_state=JobState.RUNNING,
            )
    except IntegrityError:  # the same file, imported by someone else at this very moment
        raise Conflict(
            _("This statement is being imported already: importing it again would change nothing."),
            code="statement_already_imported",
        ) from None
    header = StatementHeader()
    reader = camt053.parse if format == StatementFormat.CAMT053 else statementcsv.parse
    counts = dict.fromkeys(EntryOutcome.values, 0)
    runs: set[int] = set()
    try:
        for batch in _read_ahead(_batches(reader(stream, header), BATCH)):
            with transaction.atomic():
                applied, touched = _apply(statement, batch)
            for outcome, n in applied.items():
                counts[outcome] += n
            runs |= touched
            statement.job_done += len(batch)
            BankStatement.objects.filter(pk=statement.pk).update(job_done=statement.job_done)
    except InvalidStatement as exc:
        if not statement.job_done:  # nothing applied: as if it had never been tried
            BankStatement.objects.filter(pk=statement.pk).delete()
            message = _("The statement could not be read: %(error)s") % {"error": exc}
            raise ValidationFailed({"file": [message]}) from None
        BankStatement.objects.filter(pk=statement.pk).update(job_state=JobState.FAILED, job_error=str(exc))
        raise ValidationFailed(
            {"file": [_("The statement could not be read to the end: %(error)s") % {"error": exc}]}
        ) from None
    except Exception as exc:
        BankStatement.objects.filter(pk=statement.pk).update(job_state=JobState.FAILED, job_error=repr(exc)[:2000])
        raise
    with transaction.atomic():
        statement.entries = sum(counts.values())
        statement.paid = counts[EntryOutcome.PAID]
        statement.returned = counts[EntryOutcome.RETURNED]
        statement.unmatched = counts[EntryOutcome.UNMATCHED]
        statement.already = counts[EntryOutcome.ALREADY]
        statement.statement_ref = header.statement_id[:35]
        statement.account_iban = header.account_iban[:34]
        statement.job_state = JobState.DONE
        statement.job_total = statement.entries
        statement.save()
        record_event(
            actor,
            AuditAction.IMPORT,
            object_type="bank_statement",
            object_id=statement.pk,
            centre_id=centre_id,
            changes={
                "file_name": [None, statement.file_name],
                "entries": [None, statement.entries],
                "paid": [None, statement.paid],
                "returned": [None, statement.returned],
                "unmatched": [None, statement.unmatched],
                "already": [None, statement.already],
            },
        )
        for run_id in sorted(runs):
            reconcile_if_done(run_id)
    return statement


def _binary(uploaded_file):
    if isinstance(uploaded_file, bytes | bytearray):
        return io.BytesIO(uploaded_file)
    stream = getattr(uploaded_file, "file", uploaded_file)
    return stream


def _checksum(stream) -> tuple[str, bytes]:
    stream.seek(0)
    digest = hashlib.sha256()
    head = b""
    while chunk := stream.read(1 << 20):
        if not head:
            head = chunk[:4096]
        digest.update(chunk)
    stream.seek(0)
    if not head:
        raise ValidationFailed({"file": [_("The file is empty.")]})
    return digest.hexdigest(), head


def _read_ahead(batches: Iterator[list[StatementLine]], depth: int = 2) -> Iterator[list[StatementLine]]:
    """The batches, read by a thread of their own up to `depth` ahead: the file is parsed while the database
    applies the previous batch (psycopg releases the GIL while it waits). Memory stays bounded by `depth`."""
    ahead: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def produce() -> None:
        try:
            for batch in batches:
                while not stop.is_set():
                    try:
                        ahead.put(batch, timeout=0.5)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            ahead.put(done)
        except BaseException as exc:  # handed to the consumer, raised there
            ahead.put(exc)

    reader = threading.Thread(target=produce, name="statement-reader", daemon=True)
    reader.start()
    try:
        while True:
            item = ahead.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        reader.join(timeout=5)


def _batches(lines: Iterable[StatementLine], size: int) -> Iterator[list[StatementLine]]:
    iterator = iter(lines)
    while batch := list(islice(iterator, size)):
        yield batch


@dataclass
class _State:
    id: int
    run_id: int
    status: str
    amount: Decimal
    currency: str
    paid_on: dt.date | None
    returned_on: dt.date | None
    return_code: str
    return_reason: str
    changed: bool = False


def _apply(statement: BankStatement, batch: list[StatementLine]) -> tuple[dict[str, int], set[int]]:
    """Decide and write one batch: the lines, and the payments they change."""
    ids = {line.end_to_end_id for line in batch if line.end_to_end_id}
    states: dict[str, _State] = {}
    fields = ("id", "run_id", "status", "amount", "currency", "paid_on", "returned_on", "return_code", "return_reason")
    id_list = list(ids)
    if connection.vendor == "postgresql":  # one array parameter rather than thousands
        table = connection.ops.quote_name(Payment._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT end_to_end_id, {', '.join(fields)} FROM {table} "  # noqa: S608 (names from the model)
                "WHERE centre_id = %s AND end_to_end_id = ANY(%s)",
                [statement.centre_id, id_list],
            )
            for e2e, *values in cursor.fetchall():
                states[e2e] = _State(*values)
    else:
        for start in range(0, len(id_list), 5_000):
            rows = Payment.objects.filter(
                centre_id=statement.centre_id, end_to_end_id__in=id_list[start : start + 5_000]
            )
            for e2e, *values in rows.values_list("end_to_end_id", *fields):
                states[e2e] = _State(*values)
    counts = dict.fromkeys(EntryOutcome.values, 0)
    entries = []
    for line in batch:
        state = states.get(line.end_to_end_id) if line.end_to_end_id else None
        outcome = _decide(line, state)
        counts[outcome] += 1
        entries.append((line, outcome, state.id if state and outcome != EntryOutcome.UNMATCHED else None))
    _write_entries(statement.pk, entries)
    changed = [s for s in states.values() if s.changed]
    _update_payments(changed)
    return counts, {s.run_id for s in changed}


def _decide(line: StatementLine, state: _State | None) -> str:
    if state is None or state.status == PaymentStatus.PENDING:
        return EntryOutcome.UNMATCHED
    if line.amount != state.amount or (line.currency and line.currency != state.currency):
        return EntryOutcome.UNMATCHED
    if line.returned:
        if state.status in (PaymentStatus.EXPORTED, PaymentStatus.PAID):
            state.status = PaymentStatus.RETURNED
            state.returned_on = line.booked_on or timezone.localdate()
            state.return_code = line.reason_code
            state.return_reason = reason_in_words(line.reason_code, line.reason_text)[:200]
            state.changed = True
            return EntryOutcome.RETURNED
        return EntryOutcome.ALREADY
    if line.credit:  # money coming in that is not a return: not one of our transfers
        return EntryOutcome.UNMATCHED
    if state.status == PaymentStatus.EXPORTED:
        state.status = PaymentStatus.PAID
        state.paid_on = line.booked_on or timezone.localdate()
        state.changed = True
        return EntryOutcome.PAID
    return EntryOutcome.ALREADY


def _write_entries(statement_id: int, entries: list[tuple[StatementLine, str, int | None]]) -> None:
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(StatementEntry._meta.db_table)
        columns = (
            "statement_id, line, end_to_end_id, amount, currency, booked_on, returned, reason_code, reason_text, "
            "outcome, payment_id"
        )
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for line, outcome, payment_id in entries:
                copy.write_row(
                    (statement_id, line.line, line.end_to_end_id, line.amount, line.currency, line.booked_on,
                     line.returned, line.reason_code, line.reason_text, outcome, payment_id)
                )  # fmt: skip
        return
    StatementEntry.objects.bulk_create(
        [
            StatementEntry(
                statement_id=statement_id,
                line=line.line,
                end_to_end_id=line.end_to_end_id,
                amount=line.amount,
                currency=line.currency,
                booked_on=line.booked_on,
                returned=line.returned,
                reason_code=line.reason_code,
                reason_text=line.reason_text,
                outcome=outcome,
                payment_id=payment_id,
            )
            for line, outcome, payment_id in entries
        ],
        batch_size=1_000,
    )


def _update_payments(changed: list[_State]) -> None:
    if not changed:
        return
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Payment._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS bankfiles_payment_change (id bigint PRIMARY KEY, status varchar(10), "
                "paid_on date, returned_on date, return_code varchar(4), return_reason varchar(200))"
            )
            cursor.execute("TRUNCATE bankfiles_payment_change")
            with cursor.cursor.copy("COPY bankfiles_payment_change FROM STDIN") as copy:
                for s in changed:
                    copy.write_row((s.id, s.status, s.paid_on, s.returned_on, s.return_code, s.return_reason))
            columns = ("status", "paid_on", "returned_on", "return_code", "return_reason")
            assignments = ", ".join(f"{c} = c.{c}" for c in columns)
            sql = f"UPDATE {table} p SET {assignments} FROM bankfiles_payment_change c WHERE p.id = c.id"  # noqa: S608
            cursor.execute(sql)
            cursor.execute("TRUNCATE bankfiles_payment_change")
        return
    for s in changed:
        Payment.objects.filter(pk=s.id).update(
            status=s.status,
            paid_on=s.paid_on,
            returned_on=s.returned_on,
            return_code=s.return_code,
            return_reason=s.return_reason,
        )


# --- reconciliation -------------------------------------------------------------------------------------------


def is_reconciled(run: PaymentRun) -> bool:
    """Nothing of the run waits for the bank, and every returned payment is handled (cancelled or reissued)."""
    open_ = Payment.objects.filter(run=run).filter(
        Q(status__in=WAITING, channel=PaymentChannel.BANK_TRANSFER) | Q(status=PaymentStatus.RETURNED)
    )
    return not open_.exists()


def reconcile_if_done(run_id: int) -> PaymentRun | None:
    """Mark the run reconciled when it is exported and `is_reconciled`; returns it when it moved."""
    with transaction.atomic():
        run = PaymentRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != RunStatus.EXPORTED or RunStatus.RECONCILED not in _moves(run.status):
            return None
        if not is_reconciled(run):
            return None
        run.status = RunStatus.RECONCILED
        run.reconciled_at = timezone.now()
        run.save(update_fields=["status", "reconciled_at"])
        return run


def _moves(status: str) -> frozenset[str]:
    from socius.payments.statuses import RUN_TRANSITIONS

    return RUN_TRANSITIONS.get(status, frozenset())


# --- returns --------------------------------------------------------------------------------------------------


def _returned_payment_for(actor: User, payment_id: int) -> Payment:
    """The centre's payment, locked; handled by the centre that paid it, wherever its person lives now."""
    if not can_prepare_payments(actor):
        raise Forbidden(_("You are not allowed to handle returned payments."))
    payment = (
        Payment.objects.select_for_update(of=("self",))
        .select_related("transfer")
        .filter(pk=payment_id, centre_id=actor.centre_id)
        .first()
    )
    if payment is None:
        raise NotFound(_("Payment not found."))
    if payment.status != PaymentStatus.RETURNED:
        raise Conflict(_("Only a payment the bank returned can be reissued or cancelled."), code="not_returned")
    if payment.reissue_requested_at is not None:
        raise Conflict(
            _("This payment is already marked to be paid again in the next extra run."), code="reissue_requested"
        )
    return payment


def reissue_payment(actor: User, payment_id: int, data: dict) -> Payment:
    """Mark a returned payment to be paid again in the centre's next extra run (runs.prepare_run picks it up),
    with corrected details when given: `channel`, `iban`, `holder_name`, `reason`. Corrected details of a
    decision's payment are recorded as a change of payment details for that decision (they apply to its later
    runs too: a closed account stays closed); of a transfer's payment, on the transfer."""
    data = data or {}
    channel = (data.get("channel") or "").strip()
    iban = (data.get("iban") or "").replace(" ", "").upper()
    holder = (data.get("holder_name") or data.get("payee_name") or "").strip()
    reason = (data.get("reason") or "").strip()
    errors: dict[str, list] = {}
    if channel and channel not in PaymentChannel.values:
        errors["channel"] = [_("Choose a bank transfer, cash at the cashier or cash by post.")]
    if iban:
        try:
            iban = stdnum_iban.validate(iban)
        except StdnumError:
            errors["iban"] = [_("This IBAN is not valid: check the country, the check digits and the length.")]
    if len(reason) > 300:
        errors["reason"] = [_("At most 300 characters.")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        payment = _returned_payment_for(actor, payment_id)
        new_channel = channel or payment.channel
        new_iban = iban if new_channel == PaymentChannel.BANK_TRANSFER else ""
        if new_channel == PaymentChannel.BANK_TRANSFER and not new_iban:
            new_iban = payment.iban
            if not new_iban:
                raise ValidationFailed({"iban": [_("A bank transfer needs an IBAN.")]})
        corrected = (new_channel, new_iban) != (payment.channel, payment.iban) or bool(holder)
        changes = {"reissue_requested_at": [None, timezone.now().isoformat()]}
        if corrected:
            changes.update(_correct_details(actor, payment, new_channel, new_iban, holder, reason))
        payment.reissue_requested_at = timezone.now()
        payment.reissue_requested_by = actor
        payment.save(update_fields=["reissue_requested_at", "reissue_requested_by"])
        record_event(
            actor,
            AuditAction.UPDATE,
            object_type="payment",
            object_id=payment.pk,
            centre_id=payment.centre_id,
            person_id=payment.person_id,
            changes={**changes, "reason": [None, reason]} if reason else changes,
        )
    return payment


def _correct_details(actor, payment: Payment, channel: str, iban: str, holder: str, reason: str) -> dict:
    reason = reason or _("Returned by the bank: %(reason)s") % {
        "reason": reason_in_words(payment.return_code, payment.return_reason)
    }
    if payment.decision_id and payment.person_id:
        PaymentDetailsChange.objects.create(
            centre_id=payment.centre_id,
            person_id=payment.person_id,
            decision_id=payment.decision_id,
            channel=channel,
            iban=iban,
            holder_name=holder[:140],
            reason=reason[:300],
            changed_by=actor,
        )
    elif payment.transfer_id:
        transfer = payment.transfer
        transfer.channel, transfer.iban = channel, iban
        if holder:
            transfer.payee_name = holder[:140]
        transfer.save(update_fields=["channel", "iban", "payee_name"])
    # The log is read by auditors and directors: IBANs in it are masked, as in runs' payment_details events.
    return {"channel": [payment.channel, channel], "iban": [mask_iban(payment.iban), mask_iban(iban)]}


def cancel_returned_payment(actor: User, payment_id: int, reason: str) -> Payment:
    """Cancel a returned payment with a reason (it will not be paid again); the run may then be reconciled."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": [_("Say why the payment is cancelled.")]})
    if len(reason) > 300:
        raise ValidationFailed({"reason": [_("At most 300 characters.")]})
    with transaction.atomic():
        payment = _returned_payment_for(actor, payment_id)
        payment.status = PaymentStatus.CANCELLED
        payment.cancel_reason = reason
        payment.save(update_fields=["status", "cancel_reason"])
        record_event(
            actor,
            AuditAction.UPDATE,
            object_type="payment",
            object_id=payment.pk,
            centre_id=payment.centre_id,
            person_id=payment.person_id,
            changes={"status": [PaymentStatus.RETURNED, PaymentStatus.CANCELLED], "cancel_reason": [None, reason]},
        )
        reconcile_if_done(payment.run_id)
    return payment
