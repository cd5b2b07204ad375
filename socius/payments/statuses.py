"""The states of funds' records, payment runs, payments and bank statements, and the moves between them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FundKind(models.TextChoices):
    STATE_COMMISSIONED = "state_commissioned", _("State-commissioned tasks")  # PL zadania zlecone
    OWN_TASKS = "own_tasks", _("Own tasks")  # PL zadania własne
    STATE_BUDGET = "state_budget", _("State budget")  # MD ajutor social, APRA; LT state funds
    LOCAL_SUPPORT_FUND = "local_support_fund", _("Local social support fund")  # MD Law 827/2000
    SOCIAL_CANTEEN = "social_canteen", _("Social canteen")
    MUNICIPAL = "municipal", _("Municipal budget")  # LT savivaldybės biudžetas
    PROJECT = "project", _("Project")


class AllocationKind(models.TextChoices):
    INITIAL = "initial", _("Allocation")
    AMENDMENT = "amendment", _("Amendment")


class PaymentChannel(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CASHIER = "cashier", _("Cash at the cashier")
    POST = "post", _("Cash by post")


CASH_CHANNELS = frozenset({PaymentChannel.CASHIER, PaymentChannel.POST})


class TransferStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    CANCELLED = "cancelled", _("Cancelled")


class RunKind(models.TextChoices):
    REGULAR = "regular", _("Monthly run")
    EXTRA = "extra", _("Extra run")


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CHECKED = "checked", _("Checked")
    APPROVED = "approved", _("Approved")
    EXPORTED = "exported", _("Exported")
    RECONCILED = "reconciled", _("Reconciled")
    CANCELLED = "cancelled", _("Cancelled")


# Finance prepares (draft) and checks; a second authorised person approves; an approved run is locked
# (its payments never change, corrections go into an extra run); export writes the bank files and cash
# lists; reconciliation follows the bank statement. Cancelling is possible until approval.
RUN_TRANSITIONS: dict[str, frozenset[str]] = {
    RunStatus.DRAFT: frozenset({RunStatus.CHECKED, RunStatus.CANCELLED}),
    RunStatus.CHECKED: frozenset({RunStatus.DRAFT, RunStatus.APPROVED, RunStatus.CANCELLED}),
    RunStatus.APPROVED: frozenset({RunStatus.EXPORTED}),
    RunStatus.EXPORTED: frozenset({RunStatus.EXPORTED, RunStatus.RECONCILED}),
    RunStatus.RECONCILED: frozenset(),
    RunStatus.CANCELLED: frozenset(),
}

LOCKED_RUN_STATUSES = frozenset({RunStatus.APPROVED, RunStatus.EXPORTED, RunStatus.RECONCILED})


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")  # in a run not yet exported
    EXPORTED = "exported", _("Sent")  # in a bank file or on a cash list
    PAID = "paid", _("Paid")
    RETURNED = "returned", _("Returned")  # the bank returned it: to reissue or cancel
    REISSUED = "reissued", _("Reissued")  # returned, and paid again by a later payment (reissue_of)
    CANCELLED = "cancelled", _("Cancelled")


class JobState(models.TextChoices):
    IDLE = "idle", _("Idle")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class StatementFormat(models.TextChoices):
    CAMT053 = "camt053", _("camt.053 (ISO 20022)")
    CSV = "csv", _("CSV")


class EntryOutcome(models.TextChoices):
    PAID = "paid", _("Paid")
    RETURNED = "returned", _("Returned")
    UNMATCHED = "unmatched", _("Unmatched")
    ALREADY = "already", _("Already recorded")
