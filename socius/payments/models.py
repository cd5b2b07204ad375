"""Funds with their yearly allocations, commitments of approved decisions, payment details, transfers to
institutions, monthly payment runs and their payments, and imported bank statements (decision 0014).

Never paying twice rests on the database, not on the code that fills a run: one live payment per decision
and month, per transfer and month, and per returned payment reissued (partial unique constraints that
ignore cancelled payments), and one live regular run per centre and month.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import Centre, Territory, User
from socius.payments.statuses import (
    AllocationKind,
    EntryOutcome,
    FundKind,
    JobState,
    PaymentChannel,
    PaymentStatus,
    RunKind,
    RunStatus,
    StatementFormat,
    TransferStatus,
)
from socius.registry.models import Household, Person

MONEY = {"max_digits": 14, "decimal_places": 2}


class Fund(models.Model):
    """A source of money the centre pays from (a budget line, a local fund, a project), in one currency,
    out of one bank account (the debtor account of its bank files)."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=FundKind.choices)
    currency = models.CharField(_("currency"), max_length=3)
    # A project's fund runs for a period; a budget fund is open (empty dates).
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    debtor_name = models.CharField(_("account holder"), max_length=140, blank=True)
    debtor_iban = models.CharField(_("account IBAN"), max_length=34, blank=True)
    debtor_bic = models.CharField(_("BIC"), max_length=11, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["centre", "code"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "code"], name="fund_unique_code_per_centre"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gt=models.F("valid_from")),
                name="fund_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FundAllocation(models.Model):
    """A fund's allocation for a year, or an amendment to it (positive or negative): the year's
    allocation is the sum of its rows. Rows are never edited; an amendment corrects."""

    fund = models.ForeignKey(Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="allocations")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=AllocationKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    decided_on = models.DateField(_("decided on"))
    recorded_by = models.ForeignKey(User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("fund allocation")
        verbose_name_plural = _("fund allocations")
        ordering = ["fund", "year", "recorded_at", "id"]
        indexes = [models.Index(fields=["fund", "year"], name="fund_alloc_fund_year")]

    def __str__(self) -> str:
        return f"{self.fund} {self.year}: {self.amount}"


class BenefitFund(models.Model):
    """Which fund a benefit draws on, set per centre."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    benefit = models.CharField(_("benefit"), max_length=60)
    fund = models.ForeignKey(Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="benefits")

    class Meta:
        verbose_name = _("benefit's fund")
        verbose_name_plural = _("benefits' funds")
        ordering = ["centre", "benefit"]
        constraints = [models.UniqueConstraint(fields=["centre", "benefit"], name="benefit_fund_unique_per_centre")]

    def __str__(self) -> str:
        return f"{self.benefit} → {self.fund}"


class Transfer(models.Model):
    """A payment not made by a benefit decision: a transfer to an institution (the monthly sum from the
    local support fund to a social canteen) or an approved one-off payment. Monthly from `month_from` to
    `month_to` (inclusive), or once when `month_to` is empty. Proposed by finance, approved by another
    authorised person; approval commits it on its fund."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    fund = models.ForeignKey(Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="transfers")
    payee_name = models.CharField(_("payee"), max_length=140)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("payment channel"), max_length=15, choices=PaymentChannel.choices)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    purpose = models.CharField(_("purpose"), max_length=140)
    territory = models.ForeignKey(
        Territory, verbose_name=_("locality"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    month_from = models.DateField(_("from month"))
    month_to = models.DateField(_("to month"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=TransferStatus.choices, default="proposed")
    proposed_by = models.ForeignKey(User, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    approved_by = models.ForeignKey(
        User, verbose_name=_("approved by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        User, verbose_name=_("cancelled by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-month_from", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="transfer_amount_positive"),
            models.CheckConstraint(
                condition=Q(month_to__isnull=True) | Q(month_to__gte=models.F("month_from")),
                name="transfer_months_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payee_name}: {self.purpose}"


class Commitment(models.Model):
    """Money reserved on a fund for a year by an approved decision or transfer: `monthly_amount` for each
    month from `month_from` to `month_to` (inclusive, within `year`); `amount` is their total. A later
    decision that stops the grant (suspension, revocation, ending, amendment) shortens `month_to` and
    `amount`; an open-ended grant is committed to the end of the year and renewed for the next."""

    fund = models.ForeignKey(Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="commitments")
    year = models.PositiveSmallIntegerField(_("year"))
    decision = models.ForeignKey(
        "benefits.Decision",
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    transfer = models.ForeignKey(
        Transfer,
        verbose_name=_("transfer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    month_from = models.DateField(_("from month"))
    month_to = models.DateField(_("to month"))
    monthly_amount = models.DecimalField(_("monthly amount"), **MONEY)
    amount = models.DecimalField(_("amount"), **MONEY)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["fund", "year", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__isnull=False, transfer__isnull=True)
                | Q(decision__isnull=True, transfer__isnull=False),
                name="commitment_one_source",
            ),
            models.UniqueConstraint(
                fields=["decision", "year"],
                condition=Q(decision__isnull=False),
                name="commitment_once_per_decision_year",
            ),
            models.UniqueConstraint(
                fields=["transfer", "year"],
                condition=Q(transfer__isnull=False),
                name="commitment_once_per_transfer_year",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="commitment_amount_not_negative"),
        ]
        indexes = [models.Index(fields=["fund", "year"], name="commitment_fund_year")]

    def __str__(self) -> str:
        return f"{self.fund_id} {self.year}: {self.amount}"


class PaymentDetailsChange(models.Model):
    """How a person is paid, as recorded over time: the latest row for the decision (or, when `decision`
    is empty, for every decision of the person in the centre) applies to each run not yet approved;
    without one, the decision's own payment method and IBAN. Rows are never edited (audited)."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(
        "benefits.Decision",
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(_("payment channel"), max_length=15, choices=PaymentChannel.choices)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    holder_name = models.CharField(_("account holder"), max_length=140, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    changed_by = models.ForeignKey(User, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("change of payment details")
        verbose_name_plural = _("changes of payment details")
        ordering = ["person", "-changed_at", "-id"]
        indexes = [models.Index(fields=["person", "changed_at"], name="paydetails_person_at")]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.channel}"


class PaymentRun(models.Model):
    """The payments of a centre for a month: the regular run (number 1), and extra runs for corrections
    and reissues (2, 3, ...). Moves only through the services (statuses.RUN_TRANSITIONS); approved, it is
    locked."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=10, choices=RunKind.choices, default=RunKind.REGULAR)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.DRAFT)
    note = models.CharField(_("note"), max_length=300, blank=True)
    payment_count = models.PositiveIntegerField(_("payments"), default=0)
    total = models.DecimalField(_("total"), default=0, **MONEY)
    # The check list of anomalies found by the last check: [{"code": ..., "payment": id, "params": {...}}].
    anomalies = models.JSONField(_("anomalies"), default=list, blank=True)
    prepared_by = models.ForeignKey(User, verbose_name=_("prepared by"), on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(_("prepared at"), default=timezone.now)
    checked_by = models.ForeignKey(
        User, verbose_name=_("checked by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        User, verbose_name=_("approved by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    exported_by = models.ForeignKey(
        User, verbose_name=_("exported by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    exported_at = models.DateTimeField(_("exported at"), null=True, blank=True)
    reconciled_at = models.DateTimeField(_("reconciled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        User, verbose_name=_("cancelled by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    # Background work on the run (preparing, checking, writing the files), with its progress.
    job = models.CharField(_("work"), max_length=20, blank=True)
    job_state = models.CharField(_("state of the work"), max_length=10, choices=JobState.choices, default="idle")
    job_done = models.PositiveIntegerField(_("done"), default=0)
    job_total = models.PositiveIntegerField(_("to do"), default=0)
    job_error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("payment run")
        verbose_name_plural = _("payment runs")
        ordering = ["-month", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "month", "number"], name="run_unique_number_per_month"),
            models.UniqueConstraint(
                fields=["centre", "month"],
                condition=Q(kind="regular") & ~Q(status="cancelled"),
                name="run_one_live_regular_per_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}/{self.number}"

    @property
    def is_locked(self) -> bool:
        return self.status in ("approved", "exported", "reconciled")

    @property
    def percent(self) -> int:
        if self.job_state == JobState.DONE:
            return 100
        return int(self.job_done * 100 / self.job_total) if self.job_total else 0


class Payment(models.Model):
    """One payment of a run: a month's amount of a decision, a transfer's month, or the reissue of a
    returned payment. Its details (channel, IBAN, payee, territory) are copied when the run is prepared
    and refreshed until the run is approved. `end_to_end_id` identifies it in bank files and statements."""

    # Indexes are few on purpose: a monthly run writes a million rows and a statement updates them all. The run,
    # centre and person are reached through the composite indexes below (payment_run_fund,
    # payment_centre_status, payment_person_month); localities and requesters are never searched alone.
    run = models.ForeignKey(
        PaymentRun, verbose_name=_("run"), on_delete=models.PROTECT, related_name="payments", db_index=False
    )
    # Centre, fund, person, household and locality are a snapshot of who was paid from what, copied by the run's
    # INSERT … SELECT from rows that exist in the same statement and are never deleted (PROTECT still guards the
    # ORM). Their database foreign keys cost a lookup and a row lock per payment and key: half of a million-payment
    # run's preparation (decision 0014). The run, decision, transfer and reissue keep theirs.
    centre = models.ForeignKey(
        Centre,
        verbose_name=_("centre"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    fund = models.ForeignKey(
        Fund,
        verbose_name=_("fund"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
        db_constraint=False,
    )
    decision = models.ForeignKey(
        "benefits.Decision",
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    transfer = models.ForeignKey(
        Transfer, verbose_name=_("transfer"), null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    reissue_of = models.ForeignKey(
        "self", verbose_name=_("reissue of"), null=True, blank=True, on_delete=models.PROTECT, related_name="reissues"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("locality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    payee_name = models.CharField(_("payee"), max_length=140)
    benefit = models.CharField(_("benefit"), max_length=60, blank=True)
    purpose = models.CharField(_("purpose"), max_length=140, blank=True)
    month = models.DateField(_("month"))
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    channel = models.CharField(_("payment channel"), max_length=15, choices=PaymentChannel.choices)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    # Unique by a constraint, not `unique=True`: the same guarantee without the second (LIKE) index PostgreSQL
    # would get for a unique text column.
    end_to_end_id = models.CharField(_("end-to-end id"), max_length=35)
    status = models.CharField(_("status"), max_length=10, choices=PaymentStatus.choices, default="pending")
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    return_code = models.CharField(_("return reason code"), max_length=4, blank=True)
    return_reason = models.CharField(_("return reason"), max_length=200, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    # A returned payment that finance asked to pay again: the next extra run reissues it (reissue_of).
    reissue_requested_at = models.DateTimeField(_("reissue requested at"), null=True, blank=True)
    reissue_requested_by = models.ForeignKey(
        User,
        verbose_name=_("reissue requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["run", "id"]
        constraints = [
            models.UniqueConstraint(fields=["end_to_end_id"], name="payment_end_to_end_id_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(decision__isnull=False) | Q(transfer__isnull=False), name="payment_has_a_source"
            ),
            models.UniqueConstraint(
                fields=["decision", "month"],
                condition=Q(decision__isnull=False, reissue_of__isnull=True) & ~Q(status="cancelled"),
                name="payment_once_per_decision_month",
            ),
            models.UniqueConstraint(
                fields=["transfer", "month"],
                condition=Q(transfer__isnull=False, reissue_of__isnull=True) & ~Q(status="cancelled"),
                name="payment_once_per_transfer_month",
            ),
            models.UniqueConstraint(
                fields=["reissue_of"],
                condition=Q(reissue_of__isnull=False) & ~Q(status="cancelled"),
                name="payment_reissued_once",
            ),
        ]
        indexes = [
            models.Index(fields=["run", "fund"], name="payment_run_fund"),
            models.Index(fields=["person", "month"], name="payment_person_month"),
            models.Index(fields=["centre", "status"], name="payment_centre_status"),
            models.Index(fields=["centre", "month"], name="payment_centre_month"),
        ]

    def __str__(self) -> str:
        return self.end_to_end_id


class BankStatement(models.Model):
    """An imported bank statement (camt.053 or CSV). The same file imported twice is refused by its
    checksum; a line already recorded changes nothing."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    format = models.CharField(_("format"), max_length=10, choices=StatementFormat.choices)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    sha256 = models.CharField(_("checksum"), max_length=64)
    statement_ref = models.CharField(_("statement id"), max_length=35, blank=True)
    account_iban = models.CharField(_("account IBAN"), max_length=34, blank=True)
    imported_by = models.ForeignKey(User, verbose_name=_("imported by"), on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    entries = models.PositiveIntegerField(_("entries"), default=0)
    paid = models.PositiveIntegerField(_("paid"), default=0)
    returned = models.PositiveIntegerField(_("returned"), default=0)
    unmatched = models.PositiveIntegerField(_("unmatched"), default=0)
    already = models.PositiveIntegerField(_("already recorded"), default=0)
    job_state = models.CharField(_("state of the work"), max_length=10, choices=JobState.choices, default="idle")
    job_done = models.PositiveIntegerField(_("done"), default=0)
    job_total = models.PositiveIntegerField(_("to do"), default=0)
    job_error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-imported_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["centre", "sha256"], name="statement_imported_once")]

    def __str__(self) -> str:
        return self.statement_ref or self.file_name


class StatementEntry(models.Model):
    """One line of a statement, with what it did: a payment marked paid or returned, already recorded,
    or unmatched (reported)."""

    statement = models.ForeignKey(
        BankStatement, verbose_name=_("statement"), on_delete=models.CASCADE, related_name="lines"
    )
    line = models.PositiveIntegerField(_("line"))
    end_to_end_id = models.CharField(_("end-to-end id"), max_length=35, blank=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    booked_on = models.DateField(_("booked on"), null=True, blank=True)
    returned = models.BooleanField(_("returned"), default=False)
    reason_code = models.CharField(_("reason code"), max_length=4, blank=True)
    reason_text = models.CharField(_("reason"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=EntryOutcome.choices)
    payment = models.ForeignKey(
        Payment, verbose_name=_("payment"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["statement", "line"]
        constraints = [models.UniqueConstraint(fields=["statement", "line"], name="statement_line_unique")]

    def __str__(self) -> str:
        return f"{self.statement_id}:{self.line}"


class PaymentApprover(models.Model):
    """A member of staff the director authorised to approve payment runs and transfers (audited)."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(User, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="+")
    granted_by = models.ForeignKey(User, verbose_name=_("granted by"), on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    revoked_by = models.ForeignKey(
        User, verbose_name=_("revoked by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("authorisation to approve payments")
        verbose_name_plural = _("authorisations to approve payments")
        ordering = ["-granted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="payapprover_one_active_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ({self.granted_at:%Y-%m-%d})"
