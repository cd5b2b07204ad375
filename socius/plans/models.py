"""Individual help plans (goals, actions), social contracts (obligations), case flags and the plans timeline."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import User
from socius.casework.models import Case
from socius.plans.statuses import ActionStatus, ContractStatus, PlanStatus
from socius.registry.models import Person


class HelpPlan(models.Model):
    """An individual help plan of a case. Status moves only through `change_plan_status`."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="help_plans")
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    valid_from = models.DateField(_("valid from"))
    review_on = models.DateField(_("review on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    # § 4 of the 2021 RWŚ regulation: the interview's diagnosis and conclusions are the basis of the plan.
    assessment = models.ForeignKey(
        "assessments.Assessment",
        verbose_name=_("based on the interview"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="help_plans",
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    AUDITED_FIELDS = ("case", "title", "status", "valid_from", "review_on", "outcome", "assessment")

    class Meta:
        verbose_name = _("help plan")
        verbose_name_plural = _("help plans")
        ordering = ["-valid_from", "-id"]
        indexes = [models.Index(fields=["case", "status"], name="helpplan_case_status")]

    def __str__(self) -> str:
        return self.title


class Goal(models.Model):
    plan = models.ForeignKey(HelpPlan, verbose_name=_("help plan"), on_delete=models.CASCADE, related_name="goals")
    description = models.TextField(_("description"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.description[:50]


class ActionKind(models.TextChoices):
    FINANCIAL = "financial", _("Financial")
    MATERIAL = "material", _("Material")
    SOCIAL_WORK = "social_work", _("Social work")
    SERVICE = "service", _("Service")
    REFERRAL = "referral", _("Referral")


class Responsible(models.TextChoices):
    WORKER = "worker", _("Worker")
    CLIENT = "client", _("Client")
    PARTNER = "partner", _("Partner institution or person")


class PlanAction(models.Model):
    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("kind"), max_length=12, choices=ActionKind.choices)
    description = models.TextField(_("description"))
    responsible = models.CharField(_("responsible"), max_length=10, choices=Responsible.choices)
    partner_name = models.CharField(_("partner"), max_length=200, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        ordering = ["due_on", "id"]
        constraints = [
            # The partner is named exactly when a partner answers for the action.
            models.CheckConstraint(
                condition=Q(responsible="partner") & ~Q(partner_name="")
                | ~Q(responsible="partner") & Q(partner_name=""),
                name="planaction_partner_named",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:50]


class ContractVariant(models.TextChoices):
    # Rozporządzenie MPiPS z 8 listopada 2010 (Dz.U. 2010 nr 218 poz. 1439), załączniki: wzory IA+IIA, IB+IIB.
    PL_IA_IIA = "IA_IIA", _("Social contract (variant IA and IIA)")
    PL_IB_IIB = "IB_IIB", _("Social contract (variant IB and IIB)")
    GENERAL = "general", _("Social contract")


# The variants a centre of each jurisdiction may choose; the Polish forms come from the regulation.
VARIANTS_BY_JURISDICTION: dict[str, tuple[str, ...]] = {
    "PL": (ContractVariant.PL_IA_IIA, ContractVariant.PL_IB_IIB),
}


def variants_for(jurisdiction: str) -> tuple[str, ...]:
    return VARIANTS_BY_JURISDICTION.get(jurisdiction, (ContractVariant.GENERAL,))


class Consequence(models.TextChoices):
    # Art. 11 ust. 2 u.p.s.: refusing to conclude or failing to carry out a social contract may justify
    # refusing, revoking or suspending a cash benefit. Data for the benefits module, which acts on it.
    NONE = "none", _("No consequence")
    REFUSE_CASH_AID = "refuse_cash_aid", _("Refuse cash aid")
    SUSPEND_CASH_AID = "suspend_cash_aid", _("Suspend cash aid")
    REDUCE_CASH_AID = "reduce_cash_aid", _("Reduce cash aid")


class SocialContract(models.Model):
    """A social contract between the client(s) of a case and the centre (art. 6 pkt 6, art. 108 u.p.s.)."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="social_contracts")
    variant = models.CharField(_("variant"), max_length=8, choices=ContractVariant.choices)
    clients = models.ManyToManyField(Person, verbose_name=_("clients"), related_name="social_contracts")
    worker = models.ForeignKey(
        User, verbose_name=_("worker on behalf of the centre"), on_delete=models.PROTECT, related_name="+"
    )
    causes = models.TextField(_("causes of the difficult situation"), blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    limitations = models.TextField(_("limitations"), blank=True)
    goals = models.TextField(_("goals"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    evaluation = models.TextField(_("evaluation"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ContractStatus.choices, default=ContractStatus.DRAFT)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reasons = models.TextField(_("reasons"), blank=True)
    consequence = models.CharField(_("consequence"), max_length=20, choices=Consequence.choices, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    AUDITED_FIELDS = (
        "case", "variant", "worker", "causes", "strengths", "limitations", "goals", "valid_from", "valid_until",
        "evaluation", "status", "signed_on", "ended_on", "end_reasons", "consequence",
    )  # fmt: skip

    class Meta:
        verbose_name = _("social contract")
        verbose_name_plural = _("social contracts")
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gt=models.F("valid_from")), name="contract_dates_ordered"),
        ]
        indexes = [models.Index(fields=["case", "status"], name="contract_case_status")]

    def __str__(self) -> str:
        return f"{_('Social contract')} {self.pk}"


class ObligationParty(models.TextChoices):
    CLIENT = "client", _("Client")
    CENTRE = "centre", _("Centre")


class Obligation(models.Model):
    contract = models.ForeignKey(
        SocialContract, verbose_name=_("social contract"), on_delete=models.CASCADE, related_name="obligations"
    )
    party = models.CharField(_("party"), max_length=6, choices=ObligationParty.choices)
    description = models.TextField(_("description"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    is_done = models.BooleanField(_("done"), default=False)

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description[:50]


class FlagKind(models.TextChoices):
    CONTRACT_BREACHED = "contract_breached", _("Social contract breached")
    CONTRACT_REFUSED = "contract_refused", _("Social contract refused")


class CaseFlag(models.Model):
    """A flag on a case for the benefits module to act on (art. 11 ust. 2 u.p.s.); active until cleared."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="plan_flags")
    kind = models.CharField(_("kind"), max_length=20, choices=FlagKind.choices)
    consequence = models.CharField(_("consequence"), max_length=20, choices=Consequence.choices)
    contract = models.ForeignKey(
        SocialContract, verbose_name=_("social contract"), on_delete=models.PROTECT, related_name="flags"
    )
    raised_on = models.DateField(_("raised on"))
    raised_by = models.ForeignKey(
        User, verbose_name=_("raised by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cleared_on = models.DateField(_("cleared on"), null=True, blank=True)
    cleared_by = models.ForeignKey(
        User, verbose_name=_("cleared by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cleared_reason = models.TextField(_("reason for clearing"), blank=True)

    class Meta:
        verbose_name = _("case flag")
        verbose_name_plural = _("case flags")
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "kind"],
                condition=Q(cleared_on__isnull=True),
                name="caseflag_one_active_per_contract",
            ),
        ]
        indexes = [models.Index(fields=["case", "cleared_on"], name="caseflag_case_active")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"

    @property
    def is_active(self) -> bool:
        return self.cleared_on is None


class PlanEventKind(models.TextChoices):
    PLAN_CREATED = "plan_created", _("Help plan created")
    GOAL_ADDED = "goal_added", _("Plan goal added")
    ACTION_ADDED = "action_added", _("Plan action added")
    PLAN_STATUS_CHANGED = "plan_status", _("Help plan status changed")
    ACTION_STATUS_CHANGED = "action_status", _("Plan action status changed")
    PLAN_REVIEWED = "plan_reviewed", _("Help plan reviewed")
    CONTRACT_DRAFTED = "contract_drafted", _("Social contract drafted")
    OBLIGATION_ADDED = "obligation_added", _("Contract obligation added")
    CONTRACT_SIGNED = "contract_signed", _("Social contract signed")
    CONTRACT_STARTED = "contract_started", _("Social contract started")
    CONTRACT_FULFILLED = "contract_fulfilled", _("Social contract fulfilled")
    CONTRACT_BREACHED = "contract_breached", _("Social contract breached")
    CONTRACT_REFUSED = "contract_refused", _("Social contract refused")
    CONTRACT_TERMINATED = "contract_terminated", _("Social contract terminated")
    FLAG_CLEARED = "flag_cleared", _("Case flag cleared")


class AppendOnlyError(Exception):
    """A timeline row was about to be changed or deleted."""


class PlanEvent(models.Model):
    """One row of a case's plans-and-contracts timeline. Append-only.

    Own table, not casework's CaseEvent: CaseEvent.kind is a closed TextChoices of the casework app with
    no public writer, and a lower app must not learn of plans. The household timeline merges both.
    """

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="plan_events")
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        User, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PlanEventKind.choices)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("plan event")
        verbose_name_plural = _("plan events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at", "id"], name="planevent_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Plan events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Plan events are append-only.")
