"""Monthly payment runs: preparing a centre's month (set-based SQL on PostgreSQL), checking it for anomalies,
approving it with four eyes and the funds' check, cancelling it, and changes of payment details.

Never paying twice rests on the partial unique constraints of `Payment` (one live payment per decision and
month, per transfer and month, per returned payment reissued); preparation only adds what is missing, so
running it again, or an extra run after the regular one, pays nothing twice. Preparation of a centre is
serialised by a row lock on the centre.
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from stdnum import iban as stdnum_iban

from socius.accounts.audit import record_event
from socius.accounts.models import AuditAction, Centre, User
from socius.benefits.models import Application, Decision
from socius.benefits.selectors import amounts_due, benefit_name, month_start
from socius.benefits.statuses import PaymentMethod
from socius.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from socius.payments import funds
from socius.payments.errors import BudgetExceeded, FourEyesPayments
from socius.payments.iban_check import IbanChecker
from socius.payments.models import BenefitFund, Payment, PaymentDetailsChange, PaymentRun, Transfer
from socius.payments.permissions import can_approve_payments, can_prepare_payments, mask_iban
from socius.payments.statements import reconcile_if_done
from socius.payments.statuses import (
    RUN_TRANSITIONS,
    JobState,
    PaymentChannel,
    PaymentStatus,
    RunKind,
    RunStatus,
    TransferStatus,
)
from socius.registry.models import Person
from socius.rulebook.engine.jurisdiction import get_jurisdiction

# The pack parameter saying whether a grant's first month is paid pro rata from the application day.
PRO_RATA = "payments/first_month_pro_rata"
CENT = Decimal("0.01")
# Payments that pay, or will: a returned, reissued or cancelled payment no longer counts as paid.
LIVE_STATUSES = (PaymentStatus.PENDING, PaymentStatus.EXPORTED, PaymentStatus.PAID)
OPEN_RUN_STATUSES = (RunStatus.DRAFT, RunStatus.CHECKED)
# A payment that holds its decision's (or transfer's) month: any not cancelled, and a returned payment finance
# cancelled (statements.cancel_returned_payment: final, never paid again). A payment cancelled with its run
# frees the month for the next preparation.
OCCUPIES_MONTH = ~Q(status=PaymentStatus.CANCELLED) | Q(returned_on__isnull=False)
# Anomalies that stop an approval: the bank file could not be written or the money has no fund.
BLOCKING_ANOMALIES = frozenset({"no_iban", "iban_invalid", "no_fund", "fund_short"})
# At most this many anomalies of one code are stored per run, then one `more` row with the rest's count.
ANOMALIES_PER_CODE = 200

ANOMALY_MESSAGES = {
    "no_iban": gettext_lazy("%(payee)s is paid by bank transfer but has no IBAN."),
    "iban_invalid": gettext_lazy("The IBAN of %(payee)s is not valid (%(iban)s)."),
    "amount_changed": gettext_lazy(
        "The amount of %(payee)s for %(benefit)s changed since last month: %(previous)s → %(amount)s %(currency)s."
    ),
    "paid_twice": gettext_lazy(
        "%(payee)s is paid more than once for %(benefit)s in %(month)s (payments across runs: %(count)s)."
    ),
    "paid_in_two_centres": gettext_lazy("%(payee)s is also paid for %(month)s by another centre (%(centre)s)."),
    "no_fund": gettext_lazy("The benefit %(benefit)s draws on no fund: set its fund before approving."),
    "fund_short": gettext_lazy("The fund “%(fund)s” has too little for %(year)s: %(missing)s %(currency)s is missing."),
    "more": gettext_lazy("… and more of the same kind: %(count)s."),
}


def anomaly_message(anomaly: dict) -> str:
    """The anomaly stored on a run ({code, payment, params}) as a sentence in the active language."""
    template = ANOMALY_MESSAGES.get(anomaly.get("code"))
    if template is None:
        return str(anomaly.get("code", ""))
    params = defaultdict(str, anomaly.get("params") or {})
    if params.get("benefit"):
        params["benefit"] = benefit_name(params["benefit"], get_language())
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(anomaly.get("code"))


def is_blocking(anomaly: dict) -> bool:
    return anomaly.get("code") in BLOCKING_ANOMALIES or (
        anomaly.get("code") == "more" and (anomaly.get("params") or {}).get("of") in BLOCKING_ANOMALIES
    )


# --- small helpers -----------------------------------------------------------------------------------------


def _month(value) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value if len(value) > 7 else f"{value}-01")
        except ValueError:
            raise ValidationFailed({"month": [_("Enter a month as YYYY-MM.")]}) from None
    if not isinstance(value, dt.date):
        raise ValidationFailed({"month": [_("Enter a month as YYYY-MM.")]})
    return month_start(value)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _centre_of(actor: User, centre_id) -> Centre:
    centre_id = _int(centre_id)
    if centre_id is None or centre_id != actor.centre_id:
        raise NotFound()
    return Centre.objects.get(pk=centre_id)


def _require(allowed: bool) -> None:
    if not allowed:
        raise Forbidden()


def _run_for_update(actor: User, run_id) -> PaymentRun:
    pk = _int(run_id)
    run = PaymentRun.objects.select_for_update().filter(pk=pk, centre_id=actor.centre_id).first() if pk else None
    if run is None:
        raise NotFound()
    return run


def _move(run: PaymentRun, to: str) -> None:
    if to not in RUN_TRANSITIONS.get(run.status, frozenset()):
        raise Conflict(_invalid_move_message(run, to), code="invalid_run_transition")
    run.status = to


def _invalid_move_message(run: PaymentRun, to: str) -> str:
    if run.status in (RunStatus.APPROVED, RunStatus.EXPORTED, RunStatus.RECONCILED):
        who = run.approved_by.get_full_name() or run.approved_by.username if run.approved_by_id else ""
        when = timezone.localtime(run.approved_at).strftime("%Y-%m-%d %H:%M") if run.approved_at else ""
        return _(
            "Run %(run)s was already approved by %(who)s at %(when)s: an approved run is locked; corrections go "
            "into an extra run."
        ) % {"run": str(run), "who": who, "when": when}
    if run.status == RunStatus.CANCELLED:
        return _("Run %(run)s is cancelled.") % {"run": str(run)}
    if to == RunStatus.APPROVED:
        return _("Run %(run)s must be checked before it is approved.") % {"run": str(run)}
    return _("Run %(run)s cannot move from “%(from)s” to “%(to)s”.") % {
        "run": str(run),
        "from": RunStatus(run.status).label,
        "to": RunStatus(to).label,
    }


def _audit(actor: User, action: str, run: PaymentRun, changes: dict) -> None:
    record_event(actor, action, object_type="payment_run", object_id=run.pk, centre_id=run.centre_id, changes=changes)


def _e2e_prefix(centre: Centre, run: PaymentRun) -> str:
    # ≤ 10 + 1 + 6 + 1 + 3 + 1 = 22 characters, leaving 13 digits for the payment id (35 in all); only
    # letters, digits and "-", which every bank's character set accepts.
    code = "".join(ch for ch in centre.code.upper() if ch.isalnum())[:10] or "C"
    return f"{code}-{run.month:%Y%m}-{run.number}-"


def _pro_rata_on(centre: Centre, month: dt.date) -> bool:
    pack = get_jurisdiction(centre.jurisdiction)
    if pack.data_dir is None or not pack.has_parameter(PRO_RATA, month):
        return False
    return bool(pack.parameter(PRO_RATA, month))


def pro_rata_amount(amount: Decimal, applied_on: dt.date) -> Decimal:
    """The part of a month's amount from the application day to the month's end, rounded half up."""
    days = calendar.monthrange(applied_on.year, applied_on.month)[1]
    return (amount * (days - applied_on.day + 1) / days).quantize(CENT, rounding=ROUND_HALF_UP)


# --- preparing a run -----------------------------------------------------------------------------------------


def prepare_run(actor: User, centre_id, month, *, extra: bool = False, note: str = "") -> PaymentRun:
    """The centre's regular run for the month (number 1 when it is the month's first), or an extra run
    (`extra=True`, numbered after the month's last), filled with what is due and not yet paid: the amounts
    due that month from active decisions (pro rata where the pack says so), approved transfers' months and
    returned payments marked for reissue. Preparing again adds only what is missing to the open run (a
    checked run returns to draft). Inline without a broker, else queued (tasks.prepare_run_task) with
    progress on the run's job_* fields. Conflict when the month's regular run is already approved."""
    _require(can_prepare_payments(actor))
    centre = _centre_of(actor, centre_id)
    month = _month(month)
    note = str(note or "")[:300]
    with transaction.atomic():
        # One preparation per centre at a time: the partial unique constraints would refuse a duplicate
        # anyway, this makes a second officer wait instead of failing.
        Centre.objects.select_for_update().filter(pk=centre.pk).first()
        kind = RunKind.EXTRA if extra else RunKind.REGULAR
        run = (
            PaymentRun.objects.select_for_update()
            .filter(centre_id=centre.pk, month=month, kind=kind)
            .exclude(status=RunStatus.CANCELLED)
            .order_by("-number")
            .first()
        )
        if run is not None and run.is_locked:
            if not extra:
                raise Conflict(_invalid_move_message(run, RunStatus.DRAFT), code="run_locked")
            run = None  # the last extra run is approved: a new one
        if run is None:
            run = PaymentRun.objects.create(
                centre_id=centre.pk,
                month=month,
                number=_next_number(centre.pk, month, kind),
                kind=kind,
                note=note,
                prepared_by=actor,
            )
            _audit(actor, AuditAction.CREATE, run, {"month": [None, month.isoformat()], "kind": [None, kind]})
        else:
            if run.status == RunStatus.CHECKED:
                _move(run, RunStatus.DRAFT)
            run.prepared_by = actor
            run.prepared_at = timezone.now()
            if note:
                run.note = note
        run.job, run.job_state, run.job_done, run.job_total, run.job_error = "prepare", JobState.QUEUED, 0, 3, ""
        run.save()
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return fill_run(run.pk)
    from socius.payments.tasks import prepare_run_task

    transaction.on_commit(lambda: prepare_run_task.delay(run.pk))
    return run


def _next_number(centre_id: int, month: dt.date, kind: str) -> int:
    """Number 1 is the month's regular run; extra runs are 2, 3, ... A regular run prepared again after
    its first was cancelled takes the next free number."""
    taken = set(PaymentRun.objects.filter(centre_id=centre_id, month=month).values_list("number", flat=True))
    if kind == RunKind.REGULAR and 1 not in taken:
        return 1
    return max(taken | {1}) + 1


def fill_run(run_id: int) -> PaymentRun:
    """Add to an open run what is due for its month and not yet paid (the job behind prepare_run), in three
    steps, each in its own transaction and each idempotent: decisions, transfers, reissues."""
    run = PaymentRun.objects.select_related("centre").get(pk=run_id)
    if run.status not in OPEN_RUN_STATUSES:
        return run
    PaymentRun.objects.filter(pk=run.pk).update(job_state=JobState.RUNNING, job_done=0, job_total=3)
    try:
        steps = (_add_decisions, _add_transfers, _add_reissues)
        for done, step in enumerate(steps, start=1):
            with transaction.atomic():
                # The centre's lock first (as prepare_run takes it): two runs of a month never fill at once.
                Centre.objects.select_for_update().filter(pk=run.centre_id).first()
                locked = PaymentRun.objects.select_for_update().get(pk=run.pk)
                if locked.status not in OPEN_RUN_STATUSES:
                    return locked
                step(run)
                PaymentRun.objects.filter(pk=run.pk).update(job_done=done)
        with transaction.atomic():
            _recount(run.pk)
            PaymentRun.objects.filter(pk=run.pk).update(job_state=JobState.DONE)
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # A month adds up to a million rows: fresh statistics keep the check's and approval's plans sane.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE payments_payment")
    except Exception as error:
        PaymentRun.objects.filter(pk=run.pk).update(job_state=JobState.FAILED, job_error=str(error)[:2000])
        raise
    return PaymentRun.objects.get(pk=run.pk)


def _recount(run_id: int) -> None:
    totals = (
        Payment.objects.filter(run_id=run_id)
        .exclude(status=PaymentStatus.CANCELLED)
        .aggregate(n=Count("id"), total=Sum("amount"))
    )
    PaymentRun.objects.filter(pk=run_id).update(payment_count=totals["n"] or 0, total=totals["total"] or 0)


_DUE_SQL = """
WITH stopped AS MATERIALIZED (
    -- The latest approved change of each grant from the month on or before (amounts_due's rule): the grant pays
    -- unless it is a suspension, revocation, ending or amendment. Materialised first so that the planner
    -- counts the grants it keeps (a correlated subquery here made it expect one in two hundred).
    SELECT DISTINCT ON (c.changes_id) c.changes_id, c.kind
    FROM benefits_decision c
    WHERE c.centre_id = %(centre)s AND c.changes_id IS NOT NULL AND c.status = 'approved'
      AND c.period_from <= %(month)s
    ORDER BY c.changes_id, c.period_from DESC, c.approved_at DESC, c.id DESC
), paid AS MATERIALIZED (
    -- The decisions whose month is already held (OCCUPIES_MONTH), read once before any row is inserted.
    SELECT x.decision_id FROM payments_payment x
    WHERE x.month = %(month)s AND x.decision_id IS NOT NULL AND x.reissue_of_id IS NULL
      AND (x.status <> 'cancelled' OR x.returned_on IS NOT NULL)
)
INSERT INTO payments_payment (id, run_id, centre_id, fund_id, decision_id, transfer_id, reissue_of_id, person_id,
    household_id, territory_id, payee_name, benefit, purpose, month, amount, currency, channel, iban,
    end_to_end_id, status, paid_on, return_code, return_reason, returned_on, cancel_reason, created_at)
SELECT s.id, %(run)s, %(centre)s, s.fund_id, s.decision_id, NULL, NULL, s.person_id, s.household_id,
    s.territory_id, s.payee_name, s.benefit, s.purpose, %(month)s, s.amount, s.currency, s.channel, s.iban,
    %(prefix)s || s.id, 'pending', NULL, '', '', NULL, '', %(now)s
FROM (
    SELECT nextval(pg_get_serial_sequence('payments_payment', 'id')) AS id, d.id AS decision_id,
        bf.fund_id, d.applicant_id AS person_id, d.household_id, p.territory_id,
        left(COALESCE(NULLIF(ch.holder_name, ''), p.first_name || ' ' || p.last_name), 140) AS payee_name,
        d.benefit, left(d.reference || ' ' || %(month_label)s, 140) AS purpose, d.currency,
        CASE WHEN %(pro_rata)s AND d.kind = 'grant' AND NOT d.one_off AND d.period_from = %(month)s
                  AND a.applied_on > %(month)s
                  AND a.applied_on < %(next_month)s
             THEN round(d.amount * (%(days)s - extract(day FROM a.applied_on)::int + 1) / %(days)s, 2)
             ELSE d.amount END AS amount,
        COALESCE(ch.channel, CASE WHEN d.payment_method = 'bank_transfer' THEN 'bank_transfer' ELSE 'cashier' END)
            AS channel,
        CASE WHEN ch.id IS NOT NULL THEN ch.iban ELSE d.iban END AS iban
    FROM benefits_decision d
    JOIN registry_person p ON p.id = d.applicant_id
    LEFT JOIN payments_benefitfund bf ON bf.centre_id = d.centre_id AND bf.benefit = d.benefit
    LEFT JOIN benefits_application a ON a.id = d.application_id
    LEFT JOIN stopped st ON st.changes_id = d.id
    LEFT JOIN LATERAL (
        SELECT c.id, c.channel, c.iban, c.holder_name FROM payments_paymentdetailschange c
        WHERE c.centre_id = d.centre_id AND c.person_id = d.applicant_id
          AND (c.decision_id = d.id OR c.decision_id IS NULL)
        ORDER BY c.changed_at DESC, c.id DESC LIMIT 1
    ) ch ON %(any_details)s
    WHERE d.centre_id = %(centre)s AND d.status = 'approved' AND d.kind IN ('grant', 'amendment')
      AND d.period_from <= %(month)s AND (d.period_to IS NULL OR d.period_to >= %(month)s) AND d.amount > 0
      AND (NOT d.one_off OR date_trunc('month', d.period_from)::date = %(month)s)
      AND (st.kind IS NULL OR st.kind = 'resumption')
      AND NOT EXISTS (SELECT 1 FROM paid WHERE paid.decision_id = d.id)
    ORDER BY d.id
) s
"""


def _add_decisions(run: PaymentRun) -> int:
    """The amounts due for the month (as benefits.selectors.amounts_due) not yet paid: one INSERT … SELECT
    on PostgreSQL, the selector and bulk_create elsewhere."""
    centre = run.centre
    pro_rata = _pro_rata_on(centre, run.month)
    if connection.vendor == "postgresql":
        days = calendar.monthrange(run.month.year, run.month.month)[1]
        with connection.cursor() as cursor:
            cursor.execute(
                _DUE_SQL,
                {
                    "run": run.pk,
                    "centre": centre.pk,
                    "month": run.month,
                    "next_month": run.month + dt.timedelta(days=days),
                    "days": days,
                    "month_label": f"{run.month:%Y-%m}",
                    "prefix": _e2e_prefix(centre, run),
                    "pro_rata": pro_rata,
                    "now": timezone.now(),
                    # Without any change of details in the centre the lateral join is skipped.
                    "any_details": PaymentDetailsChange.objects.filter(centre_id=centre.pk).exists(),
                },
            )
            return cursor.rowcount
    due = amounts_due(centre, run.month)
    paid = set(
        Payment.objects.filter(decision_id__in=[d.decision_id for d in due], month=run.month, reissue_of__isnull=True)
        .filter(OCCUPIES_MONTH)
        .values_list("decision_id", flat=True)
    )
    due = [d for d in due if d.decision_id not in paid]
    if not due:
        return 0
    decisions = Decision.objects.select_related("applicant").in_bulk([d.decision_id for d in due])
    applied = dict(
        Application.objects.filter(
            pk__in=[d.application_id for d in decisions.values() if d.application_id]
        ).values_list("pk", "applied_on")
    )
    fund_of = dict(BenefitFund.objects.filter(centre_id=centre.pk).values_list("benefit", "fund_id"))
    details = _latest_details(centre.pk, [d.person_id for d in due])
    next_month = run.month + dt.timedelta(days=calendar.monthrange(run.month.year, run.month.month)[1])
    payments = []
    for item in due:
        decision = decisions[item.decision_id]
        amount = item.amount
        applied_on = applied.get(decision.application_id)
        if (
            pro_rata
            and decision.kind == "grant"
            and not decision.one_off
            and decision.period_from == run.month
            and applied_on
            and run.month < applied_on < next_month
        ):
            amount = pro_rata_amount(amount, applied_on)
        change = _details_for(details.get(decision.applicant_id, []), decision.pk)
        person = decision.applicant
        payments.append(
            Payment(
                run=run,
                centre_id=centre.pk,
                fund_id=fund_of.get(decision.benefit),
                decision=decision,
                person_id=person.pk,
                household_id=decision.household_id,
                territory_id=person.territory_id,
                payee_name=((change.holder_name if change else "") or f"{person.first_name} {person.last_name}")[:140],
                benefit=decision.benefit,
                purpose=f"{decision.reference} {run.month:%Y-%m}"[:140],
                month=run.month,
                amount=amount,
                currency=decision.currency,
                channel=change.channel if change else _channel_of(item.payment_method),
                iban=change.iban if change else decision.iban,
                end_to_end_id=uuid.uuid4().hex,
            )
        )
    _create_with_e2e(run, payments)
    return len(payments)


def _channel_of(method: str) -> str:
    return PaymentChannel.BANK_TRANSFER if method == PaymentMethod.BANK_TRANSFER else PaymentChannel.CASHIER


def _latest_details(centre_id: int, person_ids) -> dict[int, list[PaymentDetailsChange]]:
    """{person: their changes of payment details in the centre, oldest first}, one query."""
    out: dict[int, list[PaymentDetailsChange]] = defaultdict(list)
    rows = PaymentDetailsChange.objects.filter(centre_id=centre_id, person_id__in=list(set(person_ids)))
    for change in rows.order_by("changed_at", "id"):
        out[change.person_id].append(change)
    return out


def _details_for(changes: list[PaymentDetailsChange], decision_id: int | None) -> PaymentDetailsChange | None:
    """The latest change for this decision or for every decision of the person (PaymentDetailsChange)."""
    for change in reversed(changes):
        if change.decision_id is None or change.decision_id == decision_id:
            return change
    return None


def _create_with_e2e(run: PaymentRun, payments: list[Payment]) -> None:
    """bulk_create, then the stable end-to-end ids from the payments' ids (centre, month, run, id)."""
    created = Payment.objects.bulk_create(payments, batch_size=2000)
    prefix = _e2e_prefix(run.centre, run)
    for payment in created:
        payment.end_to_end_id = f"{prefix}{payment.pk}"
    Payment.objects.bulk_update(created, ["end_to_end_id"], batch_size=2000)


def _add_transfers(run: PaymentRun) -> int:
    """Approved transfers due in the month (monthly within their months, or once in their month)."""
    transfers = list(
        Transfer.objects.filter(centre_id=run.centre_id, status=TransferStatus.APPROVED, month_from__lte=run.month)
        .filter(Q(month_to__isnull=True, month_from=run.month) | Q(month_to__gte=run.month))
        .exclude(
            pk__in=Payment.objects.filter(month=run.month, transfer__isnull=False, reissue_of__isnull=True)
            .filter(OCCUPIES_MONTH)
            .values("transfer_id")
        )
        .select_related("person")
    )
    payments = [
        Payment(
            run=run,
            centre_id=run.centre_id,
            fund_id=t.fund_id,
            transfer=t,
            person_id=t.person_id,
            territory_id=t.territory_id or (t.person.territory_id if t.person_id else None),
            payee_name=t.payee_name[:140],
            purpose=t.purpose[:140],
            month=run.month,
            amount=t.amount,
            currency=t.currency,
            channel=t.channel,
            iban=t.iban,
            end_to_end_id=uuid.uuid4().hex,
        )
        for t in transfers
    ]
    if payments:
        _create_with_e2e(run, payments)
    return len(payments)


def _add_reissues(run: PaymentRun) -> int:
    """Returned payments of the centre marked for reissue (`reissue_requested_at`) and not yet reissued: a
    new payment for the same month and source, with the person's latest payment details."""
    returned = list(
        Payment.objects.filter(
            centre_id=run.centre_id, status=PaymentStatus.RETURNED, reissue_requested_at__isnull=False
        )
        .select_related("transfer")
        .exclude(
            pk__in=Payment.objects.filter(reissue_of__isnull=False)
            .exclude(status=PaymentStatus.CANCELLED)
            .values("reissue_of_id")
        )
    )
    if not returned:
        return 0
    details = _latest_details(run.centre_id, [p.person_id for p in returned if p.person_id])
    payments = []
    for old in returned:
        # A transfer's payment is corrected on the transfer itself (statements.reissue_payment), a decision's by a
        # change of payment details recorded since the payment was made (the bank refused the earlier ones).
        transfer = old.transfer if old.transfer_id else None
        change = None
        if transfer is None and old.person_id:
            change = _details_for(details.get(old.person_id, []), old.decision_id)
            if change is not None and change.changed_at <= old.created_at:
                change = None
        payments.append(
            Payment(
                run=run,
                centre_id=run.centre_id,
                fund_id=old.fund_id,
                decision_id=old.decision_id,
                transfer_id=old.transfer_id,
                reissue_of=old,
                person_id=old.person_id,
                household_id=old.household_id,
                territory_id=old.territory_id,
                payee_name=((change.holder_name if change else "") or old.payee_name)[:140],
                benefit=old.benefit,
                purpose=old.purpose,
                month=old.month,
                amount=old.amount,
                currency=old.currency,
                channel=change.channel if change else (transfer.channel if transfer else old.channel),
                iban=change.iban if change else (transfer.iban if transfer else old.iban),
                end_to_end_id=uuid.uuid4().hex,
            )
        )
    _create_with_e2e(run, payments)
    return len(payments)


# --- checking ----------------------------------------------------------------------------------------------


def check_run(actor: User, run_id) -> PaymentRun:
    """Finance checks a draft (or checked) run: the anomalies are stored on the run as codes and params
    (translated when shown, `anomaly_message`), and the run is checked. Blocking anomalies (no IBAN,
    invalid IBAN, no fund, a fund short of money) are listed too; approve_run refuses while they remain.
    Inline without a broker, else queued (tasks.check_run_task) with progress on the run's job_* fields."""
    _require(can_prepare_payments(actor))
    with transaction.atomic():
        run = _run_for_update(actor, run_id)
        if run.status not in OPEN_RUN_STATUSES:
            raise Conflict(_invalid_move_message(run, RunStatus.CHECKED), code="invalid_run_transition")
        if settings.CELERY_TASK_ALWAYS_EAGER:
            return check_run_job(run.pk, actor)
        run.job, run.job_state, run.job_done, run.job_total, run.job_error = "check", JobState.QUEUED, 0, 1, ""
        run.save(update_fields=["job", "job_state", "job_done", "job_total", "job_error"])
        from socius.payments.tasks import check_run_task

        transaction.on_commit(lambda: check_run_task.delay(run.pk, actor.pk))
    return run


def check_run_job(run_id: int, actor: User) -> PaymentRun:
    """The work of check_run: find the anomalies and mark the run checked (by `actor`)."""
    with transaction.atomic():
        run = PaymentRun.objects.select_for_update().get(pk=run_id)
        if run.status not in OPEN_RUN_STATUSES:
            return run
        anomalies = find_anomalies(run)
        if run.status == RunStatus.DRAFT:
            _move(run, RunStatus.CHECKED)
        run.anomalies = anomalies
        run.checked_by = actor
        run.checked_at = timezone.now()
        run.job, run.job_state, run.job_done, run.job_total, run.job_error = "check", JobState.DONE, 1, 1, ""
        run.save()
        _audit(actor, AuditAction.UPDATE, run, {"status": [None, run.status], "anomalies": [None, len(anomalies)]})
    return run


def find_anomalies(run: PaymentRun) -> list[dict]:
    """The check list of a run, set-based: a handful of queries for any number of payments."""
    found: dict[str, list[dict]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)

    def add(code: str, payment_id, params: dict) -> None:
        counts[code] += 1
        if counts[code] <= ANOMALIES_PER_CODE:
            found[code].append({"code": code, "payment": payment_id, "params": params})

    payments = Payment.objects.filter(run_id=run.pk).exclude(status=PaymentStatus.CANCELLED)
    bank = payments.filter(channel=PaymentChannel.BANK_TRANSFER)
    for pk, payee in bank.filter(iban="").values_list("pk", "payee_name").iterator(chunk_size=5000):
        add("no_iban", pk, {"payee": payee})
    checker = IbanChecker()  # stdnum's verdict, its registry lookups made once per shape (payments.iban_check)
    for pk, payee, iban in bank.exclude(iban="").values_list("pk", "payee_name", "iban").iterator(chunk_size=5000):
        if not checker.is_valid(iban):
            add("iban_invalid", pk, {"payee": payee, "iban": mask_iban(iban)})
    for benefit, n in payments.filter(fund__isnull=True).values_list("benefit").annotate(n=Count("id")).order_by():
        add("no_fund", None, {"benefit": benefit or "—", "count": n})
    _amount_changes(run, payments, add)
    _paid_twice(run, add)
    _paid_in_two_centres(run, add)
    _funds_short(run, add)
    out = []
    for code, rows in found.items():
        out.extend(rows)
        if counts[code] > ANOMALIES_PER_CODE:
            out.append({"code": "more", "payment": None, "params": {"of": code, "count": counts[code] - len(rows)}})
    return out


def _previous_month(month: dt.date) -> dt.date:
    return month_start(month - dt.timedelta(days=1))


def _amount_changes(run: PaymentRun, payments, add) -> None:
    """A person's amount for a benefit differs from what the previous month's live payments paid them."""
    previous = {
        (person, benefit): total
        for person, benefit, total in Payment.objects.filter(
            centre_id=run.centre_id,
            month=_previous_month(run.month),
            status__in=(*LIVE_STATUSES, PaymentStatus.RETURNED, PaymentStatus.REISSUED),
            decision__isnull=False,
            reissue_of__isnull=True,
        )
        .values_list("person_id", "benefit")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    if not previous:
        return
    rows = (
        payments.filter(decision__isnull=False, reissue_of__isnull=True)
        .values("person_id", "benefit")
        .annotate(total=Sum("amount"), first=Count("id"))
        .order_by()
    )
    names = {}
    for row in rows.iterator(chunk_size=5000):
        before = previous.get((row["person_id"], row["benefit"]))
        if before is not None and before != row["total"]:
            names[(row["person_id"], row["benefit"])] = (before, row["total"])
    if not names:
        return
    wanted = payments.filter(person_id__in={k[0] for k in names}, decision__isnull=False, reissue_of__isnull=True)
    seen = set()
    for pk, person_id, benefit, payee, currency in wanted.values_list(
        "pk", "person_id", "benefit", "payee_name", "currency"
    ).order_by("id"):
        key = (person_id, benefit)
        if key in names and key not in seen:
            seen.add(key)
            before, now = names[key]
            add(
                "amount_changed",
                pk,
                {
                    "payee": payee,
                    "benefit": benefit,
                    "previous": str(Decimal(before).quantize(CENT)),
                    "amount": str(Decimal(now).quantize(CENT)),
                    "currency": currency,
                },
            )


def _paid_twice(run: PaymentRun, add) -> None:
    """A person with more than one live payment of a benefit for a month, across the centre's runs."""
    live = Payment.objects.filter(
        centre_id=run.centre_id, status__in=LIVE_STATUSES, decision__isnull=False, person__isnull=False
    ).exclude(run__status=RunStatus.CANCELLED)
    months = sorted(
        set(
            Payment.objects.filter(run_id=run.pk)
            .exclude(status=PaymentStatus.CANCELLED)
            .values_list("month", flat=True)
            .distinct()
            .order_by()
        )
    )
    twice = (
        live.filter(month__in=months)
        .values("person_id", "benefit", "month")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by()
    )
    twice = {(r["person_id"], r["benefit"], r["month"]): r["n"] for r in twice}
    if not twice:
        return
    mine = Payment.objects.filter(run_id=run.pk, person_id__in={k[0] for k in twice}).exclude(
        status=PaymentStatus.CANCELLED
    )
    for pk, person_id, benefit, month, payee in mine.values_list("pk", "person_id", "benefit", "month", "payee_name"):
        n = twice.get((person_id, benefit, month))
        if n:
            add("paid_twice", pk, {"payee": payee, "benefit": benefit, "month": f"{month:%Y-%m}", "count": n})


def _paid_in_two_centres(run: PaymentRun, add) -> None:
    """The same person (by national ID) paid for the month by another centre."""
    ids = (
        Payment.objects.filter(run_id=run.pk, person__isnull=False)
        .exclude(status=PaymentStatus.CANCELLED)
        .exclude(person__national_id="")
        .values("person__national_id")
    )
    elsewhere = dict(
        Payment.objects.filter(month=run.month, status__in=LIVE_STATUSES, person__national_id__in=ids)
        .exclude(centre_id=run.centre_id)
        .values_list("person__national_id", "centre__name")
        .order_by()
    )
    if not elsewhere:
        return
    mine = Payment.objects.filter(run_id=run.pk, person__national_id__in=list(elsewhere)).exclude(
        status=PaymentStatus.CANCELLED
    )
    for pk, national_id, payee in mine.values_list("pk", "person__national_id", "payee_name"):
        params = {"payee": payee, "month": f"{run.month:%Y-%m}", "centre": elsewhere[national_id]}
        add("paid_in_two_centres", pk, params)


def spending_of(run: PaymentRun) -> dict[tuple[int, int], Decimal]:
    """{(fund, year): the run's live payments on it}: what approval spends."""
    rows = (
        Payment.objects.filter(run_id=run.pk, fund__isnull=False)
        .exclude(status=PaymentStatus.CANCELLED)
        .values("fund_id", "month")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    out: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for row in rows:
        out[(row["fund_id"], row["month"].year)] += row["total"]
    return dict(out)


def _funds_short(run: PaymentRun, add) -> None:
    """Each fund whose available money would not cover what the run spends beyond its commitments."""
    for key, amount in sorted(funds.uncommitted_in_run(run.pk).items()):
        try:
            funds.check_spending(run.centre_id, {key: amount})
        except BudgetExceeded as error:
            add(
                "fund_short",
                None,
                {
                    "fund": error.fund_name,
                    "year": error.year,
                    "missing": str(Decimal(error.missing).quantize(CENT)),
                    "currency": error.currency,
                },
            )


# --- approving, cancelling, returning -------------------------------------------------------------------------


def approve_run(actor: User, run_id) -> PaymentRun:
    """A second authorised person approves a checked run: never the one who prepared or checked it; the run
    row is locked (a second approver waits, then gets a Conflict naming who approved it); the funds are
    locked and checked (BudgetExceeded, nothing written); the run is locked from then on."""
    _require(can_approve_payments(actor))
    with transaction.atomic():
        run = _run_for_update(actor, run_id)
        if run.status != RunStatus.CHECKED:
            raise Conflict(_invalid_move_message(run, RunStatus.APPROVED), code="invalid_run_transition")
        if actor.pk in (run.prepared_by_id, run.checked_by_id):
            raise FourEyesPayments()
        blocking = [a for a in run.anomalies or [] if is_blocking(a)]
        if blocking:
            raise Conflict(
                _("The run has anomalies that stop its approval: %(first)s") % {"first": anomaly_message(blocking[0])},
                code="run_has_blocking_anomalies",
            )
        # Lock every fund the run pays from (in id order, as funds.lock_funds does), then check what the run
        # spends beyond the commitments of its decisions and transfers.
        funds.lock_funds(sorted({fund_id for fund_id, _year in spending_of(run)}))
        funds.check_spending(run.centre_id, funds.uncommitted_in_run(run.pk))
        _move(run, RunStatus.APPROVED)
        run.approved_by = actor
        run.approved_at = timezone.now()
        run.save(update_fields=["status", "approved_by", "approved_at"])
        # The returned payments this run pays again are now reissued.
        reissued = list(
            Payment.objects.filter(run_id=run.pk, reissue_of__isnull=False)
            .exclude(status=PaymentStatus.CANCELLED)
            .values_list("reissue_of_id", flat=True)
        )
        Payment.objects.filter(pk__in=reissued, status=PaymentStatus.RETURNED).update(status=PaymentStatus.REISSUED)
        _audit(actor, AuditAction.UPDATE, run, {"status": [RunStatus.CHECKED, RunStatus.APPROVED]})
        if reissued:
            _reconcile_runs_of(reissued)
    return run


def _reconcile_runs_of(payment_ids: list[int]) -> None:
    """The runs whose returned payments this approval reissued may now be reconciled (bankfiles' rule)."""
    for run_id in sorted(set(Payment.objects.filter(pk__in=payment_ids).values_list("run_id", flat=True))):
        reconcile_if_done(run_id)


def cancel_run(actor: User, run_id, reason: str) -> PaymentRun:
    """Cancel a run not yet approved, with a reason: its payments are cancelled, so the month (or the
    reissues) can be prepared again."""
    _require(can_prepare_payments(actor) or can_approve_payments(actor))
    reason = str(reason or "").strip()[:300]
    with transaction.atomic():
        run = _run_for_update(actor, run_id)
        if not reason:
            raise ValidationFailed({"reason": [_("Give the reason for cancelling.")]})
        before = run.status
        _move(run, RunStatus.CANCELLED)
        run.cancelled_by = actor
        run.cancelled_at = timezone.now()
        run.cancel_reason = reason
        run.save(update_fields=["status", "cancelled_by", "cancelled_at", "cancel_reason"])
        Payment.objects.filter(run_id=run.pk).exclude(status=PaymentStatus.CANCELLED).update(
            status=PaymentStatus.CANCELLED, cancel_reason=reason
        )
        _audit(actor, AuditAction.UPDATE, run, {"status": [before, RunStatus.CANCELLED], "reason": [None, reason]})
    return run


def return_to_draft(actor: User, run_id) -> PaymentRun:
    """A checked run goes back to draft for corrections (finance, or the approver who will not approve it)."""
    _require(can_prepare_payments(actor) or can_approve_payments(actor))
    with transaction.atomic():
        run = _run_for_update(actor, run_id)
        _move(run, RunStatus.DRAFT)
        run.save(update_fields=["status"])
        _audit(actor, AuditAction.UPDATE, run, {"status": [RunStatus.CHECKED, RunStatus.DRAFT]})
    return run


# --- payment details ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RefreshedPayments:
    payments: int
    runs_returned_to_draft: int


def change_payment_details(actor: User, person_id, data: dict) -> PaymentDetailsChange:
    """Record how a person is paid from now on (`channel`, `iban` for a bank transfer — validated with
    stdnum.iban —, `holder_name`, `reason`, optionally `decision` to change one decision only). Audited
    under the person with the IBANs masked. Applies to the pending payments of runs not yet approved (a
    checked one returns to draft, to be checked again); approved runs never change."""
    _require(can_prepare_payments(actor))
    pk = _int(person_id)
    person = Person.objects.filter(pk=pk, centre_id=actor.centre_id).first() if pk else None
    if person is None:
        raise NotFound()
    data = data or {}
    errors: dict[str, list] = {}
    channel = str(data.get("channel") or "")
    if channel not in PaymentChannel.values:
        errors["channel"] = [_("Choose how the person is paid.")]
    iban = "".join(str(data.get("iban") or "").split()).upper()
    if channel == PaymentChannel.BANK_TRANSFER:
        if not iban:
            errors["iban"] = [_("A bank transfer needs an IBAN.")]
        elif not stdnum_iban.is_valid(iban):
            errors["iban"] = [_("This IBAN is not valid: check the country code, the check digits and the length.")]
    else:
        iban = ""
    decision_id = None
    raw_decision = data.get("decision_id", data.get("decision"))
    if raw_decision not in (None, ""):
        decision_id = _int(raw_decision)
        if (
            decision_id is None
            or not Decision.objects.filter(pk=decision_id, centre_id=actor.centre_id, applicant_id=person.pk).exists()
        ):
            errors["decision"] = [_("Choose a decision of this person.")]
    holder = str(data.get("holder_name") or "").strip()[:140]
    reason = str(data.get("reason") or "").strip()[:300]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        previous = (
            PaymentDetailsChange.objects.filter(centre_id=actor.centre_id, person_id=person.pk)
            .order_by("-changed_at", "-id")
            .first()
        )
        change = PaymentDetailsChange.objects.create(
            centre_id=actor.centre_id,
            person=person,
            decision_id=decision_id,
            channel=channel,
            iban=iban,
            holder_name=holder,
            reason=reason,
            changed_by=actor,
        )
        refreshed = _refresh_open_payments(change, person)
        record_event(
            actor,
            AuditAction.CREATE,
            object_type="payment_details",
            object_id=change.pk,
            centre_id=actor.centre_id,
            person_id=person.pk,
            changes={
                "channel": [previous.channel if previous else None, channel],
                "iban": [mask_iban(previous.iban) if previous else None, mask_iban(iban)],
                "decision": [None, decision_id],
                "payments_refreshed": [None, refreshed.payments],
            },
        )
    return change


def _refresh_open_payments(change: PaymentDetailsChange, person: Person) -> RefreshedPayments:
    open_payments = Payment.objects.filter(
        centre_id=change.centre_id,
        person_id=person.pk,
        status=PaymentStatus.PENDING,
        run__status__in=OPEN_RUN_STATUSES,
    )
    if change.decision_id:
        open_payments = open_payments.filter(decision_id=change.decision_id)
    else:
        # A later change for one decision keeps that decision's details.
        specific = PaymentDetailsChange.objects.filter(
            centre_id=change.centre_id, person_id=person.pk, decision__isnull=False, changed_at__gt=change.changed_at
        ).values("decision_id")
        open_payments = open_payments.exclude(decision_id__in=specific)
    run_ids = set(open_payments.values_list("run_id", flat=True))
    payee = (change.holder_name or f"{person.first_name} {person.last_name}")[:140]
    n = open_payments.update(channel=change.channel, iban=change.iban, payee_name=payee)
    returned = PaymentRun.objects.filter(pk__in=run_ids, status=RunStatus.CHECKED).update(status=RunStatus.DRAFT)
    return RefreshedPayments(payments=n, runs_returned_to_draft=returned)
