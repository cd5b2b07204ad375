"""Set-based evaluation results with compact traces, and recalculation runs with their items.

A trace is stored once per shape (`TraceTemplate`: the benefit, its formula version, the rules version and
every step's code, parameter, unit, effective date and legal source) and each result keeps only its values
in the template's order (`EvaluationResult.trace_values`): a million outcomes cost a million short arrays,
not a million copies of the same legal citations.

A recalculation run (after a change in law or in households' incomes) proposes amendments of the active
grants it affects; its items list each grant's old against its new amount, the reasons, and the proposal,
which an approver approves in bulk (docs/decisions/0013: decisions are never recomputed in place).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import Centre, User
from socius.registry.models import Household

__all__ = [
    "EvaluationResult",
    "RecalculationItem",
    "RecalculationReason",
    "RecalculationRun",
    "RecalculationStatus",
    "TraceTemplate",
]

MONEY = {"max_digits": 12, "decimal_places": 2}


class TraceTemplate(models.Model):
    """The shape of a trace: the steps in order without their values; `key` is a digest of all of it."""

    key = models.CharField(_("key"), max_length=64, unique=True)
    benefit = models.CharField(_("benefit"), max_length=60)
    formula_version = models.DateField(_("formula version"))
    rules_version = models.CharField(_("rules version"), max_length=40)
    # [{code, unit, parameter, valid_from, legal_basis, source, confirmed}], labels re-rendered from the pack.
    steps = models.JSONField(_("steps"), default=list)

    class Meta:
        verbose_name = _("trace template")
        verbose_name_plural = _("trace templates")

    def __str__(self) -> str:
        return f"{self.benefit} {self.formula_version} ({len(self.steps)} steps)"


class EvaluationResult(models.Model):
    """One household's outcome for a benefit and a month, from a set-based evaluation.

    A derived table written a million rows at a time (batch.households): its references are Django's (a
    household, decision, centre or template deleted through the ORM still cascades or is protected), not
    the database's, whose per-row checks at commit cost as much as the COPY itself; the batch writes the
    ids it has just read. The centre is indexed by `evalresult_centre_benefit`, which leads with it, and the
    decision only where there is one.
    """

    centre = models.ForeignKey(
        Centre,
        verbose_name=_("centre"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
    )
    decision = models.ForeignKey(
        "benefits.Decision",
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    benefit = models.CharField(_("benefit"), max_length=60)
    period = models.DateField(_("month"))
    eligible = models.BooleanField(_("eligible"))
    amount = models.DecimalField(_("amount"), **MONEY)
    minimum = models.DecimalField(_("minimum"), null=True, blank=True, **MONEY)
    maximum = models.DecimalField(_("maximum"), null=True, blank=True, **MONEY)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    template = models.ForeignKey(
        TraceTemplate, verbose_name=_("trace template"), on_delete=models.PROTECT, db_constraint=False
    )
    trace_values = models.JSONField(_("trace values"), default=list)
    evaluated_at = models.DateTimeField(_("evaluated at"), default=timezone.now)

    class Meta:
        verbose_name = _("evaluation result")
        verbose_name_plural = _("evaluation results")
        indexes = [
            models.Index(fields=["centre", "benefit", "period"], name="evalresult_centre_benefit"),
            # Most results have no decision (a household evaluated): only those with one are indexed.
            models.Index(fields=["decision"], condition=Q(decision__isnull=False), name="evalresult_decision"),
        ]

    def __str__(self) -> str:
        return f"{self.benefit} {self.period:%Y-%m} {self.amount}"


class RecalculationStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RecalculationRun(models.Model):
    """One recalculation of the centre's active grants (of one benefit, or all) from a month on."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    benefit = models.CharField(_("benefit"), max_length=60, blank=True)
    month = models.DateField(_("from month"))
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RecalculationStatus.choices, default=RecalculationStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("grants to check"), default=0)
    done = models.PositiveIntegerField(_("grants checked"), default=0)
    proposed = models.PositiveIntegerField(_("proposals"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    approved = models.PositiveIntegerField(_("approved"), default=0)
    error = models.TextField(_("error"), blank=True)
    started_by = models.ForeignKey(User, verbose_name=_("started by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recalculation")
        verbose_name_plural = _("recalculations")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(done__lte=models.F("total")), name="recalc_done_le_total")]

    def __str__(self) -> str:
        return f"{self.benefit or '*'} {self.month:%Y-%m} ({self.pk})"

    @property
    def percent(self) -> int:
        if self.status == RecalculationStatus.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (RecalculationStatus.DONE, RecalculationStatus.FAILED)


class RecalculationReason(models.TextChoices):
    LAW = "law", _("The law changed (a parameter in force differs)")
    INCOME = "income", _("The household's income changed")
    HOUSEHOLD = "household", _("The household's composition or circumstances changed")


class RecalculationItem(models.Model):
    """A grant the run found changed: its old amount, the new one, why, and the proposal that amends it
    (or a skip: `skipped` says why no proposal was made)."""

    run = models.ForeignKey(
        RecalculationRun, verbose_name=_("recalculation"), on_delete=models.CASCADE, related_name="items"
    )
    decision = models.ForeignKey(
        "benefits.Decision", verbose_name=_("decision"), on_delete=models.PROTECT, related_name="+"
    )
    proposal = models.ForeignKey(
        "benefits.Decision",
        verbose_name=_("proposal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recalculation_items",
    )
    old_amount = models.DecimalField(_("old amount"), **MONEY)
    new_amount = models.DecimalField(_("new amount"), null=True, blank=True, **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    skipped = models.CharField(_("skipped because"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("recalculated decision")
        verbose_name_plural = _("recalculated decisions")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["run", "decision"], name="recalcitem_unique_decision")]

    def __str__(self) -> str:
        return f"{self.run_id}: {self.decision_id} {self.old_amount} -> {self.new_amount}"

    @property
    def difference(self):
        return None if self.new_amount is None else self.new_amount - self.old_amount
