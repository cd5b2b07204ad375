"""Applications for benefits (with their income declarations), administrative decisions, their numbering and events.

A decision is written once: the service that proposes it stores the law it was computed with (facts
snapshot, rules version, formula version, parameters used, outcome, trace), and approval only adds the
number and the approver. Nothing edits an approved decision: a later decision changes it by linking to
it (docs/decisions/0013).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import Centre, User
from socius.benefits.statuses import (
    ApplicationStatus,
    DecisionKind,
    DecisionStatus,
    GrantState,
    PaymentMethod,
)
from socius.registry.models import Household, Person

MONEY = {"max_digits": 12, "decimal_places": 2}


class IncomeKind(models.TextChoices):
    # The kinds every pack understands (socius.rulebook.engine.benefits.INCOME_KINDS).
    EMPLOYMENT = "employment", _("Employment")
    SELF_EMPLOYMENT = "self_employment", _("Self-employment")
    PENSION = "pension", _("Pension")
    DISABILITY_PENSION = "disability_pension", _("Disability pension")
    UNEMPLOYMENT_BENEFIT = "unemployment_benefit", _("Unemployment benefit")
    ALIMONY = "alimony", _("Alimony")
    FAMILY_BENEFIT = "family_benefit", _("Family benefits")
    FARM_LAND = "farm_land", _("Farm land (hectares)")
    OTHER = "other", _("Other income")


class Application(models.Model):
    """An application for one benefit, the client's or ex officio, on a case and its household.

    `period_from` is the first month asked for (the month evaluated); `period_to` the last month, or
    empty for an open-ended monthly benefit or a one-off aid (the benefit's `payment` in the pack says
    which). Status moves only through the services (statuses.APPLICATION_TRANSITIONS).
    """

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "casework.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="benefit_applications"
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="benefit_applications",
    )
    applicant = models.ForeignKey(
        Person, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="benefit_applications"
    )
    benefit = models.CharField(_("benefit"), max_length=60)
    applied_on = models.DateField(_("applied on"))
    ex_officio = models.BooleanField(_("ex officio"), default=False)
    period_from = models.DateField(_("from month"))
    period_to = models.DateField(_("to month"), null=True, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    need_amount = models.DecimalField(_("amount of the need"), null=True, blank=True, **MONEY)
    # Further named amounts a formula may read (a dwelling's heating cost, ...), as {"name": "12.34"}.
    amounts = models.JSONField(_("amounts"), default=dict, blank=True)
    income_lost = models.BooleanField(_("income lost"), default=False)
    flags = models.JSONField(_("circumstances"), default=list, blank=True)
    # {document code: true when received}; codes from the pack's benefits/documents.yaml.
    documents = models.JSONField(_("documents"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    AUDITED_FIELDS = (
        "case", "household", "applicant", "benefit", "applied_on", "ex_officio", "period_from", "period_to",
        "purpose", "need_amount", "amounts", "income_lost", "flags", "documents", "status",
    )  # fmt: skip

    class Meta:
        verbose_name = _("benefit application")
        verbose_name_plural = _("benefit applications")
        ordering = ["-applied_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_to__isnull=True) | Q(period_to__gte=models.F("period_from")),
                name="application_period_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "status", "-applied_on"], name="application_centre_status"),
            models.Index(fields=["case", "-applied_on"], name="application_case"),
        ]

    def __str__(self) -> str:
        return f"{self.benefit} {self.applied_on} ({self.pk})"


class ApplicationMember(models.Model):
    """What the law asks about a member that the registry does not hold, for this application."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="member_facts"
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    unable_to_work = models.BooleanField(_("unable to work"), default=False)
    benefit_months_received = models.PositiveSmallIntegerField(_("months of the benefit already received"), default=0)
    flags = models.JSONField(_("circumstances"), default=list, blank=True)

    class Meta:
        verbose_name = _("member facts")
        verbose_name_plural = _("member facts")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "person"], name="applicationmember_unique_person"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.person_id}"


class IncomeDeclaration(models.Model):
    """One declared income of a member for one month, by kind (net unless `deductions` says otherwise)."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="incomes"
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))
    kind = models.CharField(_("kind"), max_length=30, choices=IncomeKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    deductions = models.DecimalField(_("deductions"), default=0, **MONEY)
    one_off = models.BooleanField(_("one-off"), default=False)
    covers_months = models.PositiveSmallIntegerField(_("covers months"), default=1)

    class Meta:
        verbose_name = _("declared income")
        verbose_name_plural = _("declared incomes")
        ordering = ["month", "person_id", "kind", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="income_amount_not_negative"),
            models.CheckConstraint(condition=Q(deductions__gte=0), name="income_deductions_not_negative"),
            models.CheckConstraint(condition=Q(covers_months__gte=1), name="income_covers_a_month"),
        ]
        indexes = [models.Index(fields=["application", "month"], name="income_application_month")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.month:%Y-%m} {self.kind} {self.amount}"


class DecisionCounter(models.Model):
    """The last decision number given per centre and year; its row lock serialises numbering."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["centre", "year"], name="decisioncounter_unique_centre_year")]

    def __str__(self) -> str:
        return f"{self.centre_id}/{self.year}: {self.last_number}"


class EditingForbidden(Exception):
    """An approved decision (or an event row) was about to be changed or deleted."""


class Decision(models.Model):
    """An administrative decision on a benefit, or its proposal until approved.

    The law is stored, not looked up again: `facts` (engine.facts_to_dict), `rules_version`,
    `formula_version`, `parameters` ({name: {value, valid_from, source}}), `eligible`, `reasons`
    ([{code, params}])
    and `trace` (steps without their labels: code, value, unit, parameter, valid_from, legal_basis,
    source, confirmed; labels are re-rendered from the pack in the reader's language). Approval adds the
    number and the approver; after that the row is never saved again except for `state`, the grant's
    state that later decisions change.
    """

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "casework.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="benefit_decisions"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    applicant = models.ForeignKey(Person, verbose_name=_("party"), on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    changes = models.ForeignKey(
        "self",
        verbose_name=_("changes the decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="changed_by",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=DecisionKind.choices)
    benefit = models.CharField(_("benefit"), max_length=60)
    one_off = models.BooleanField(_("one-off"), default=False)
    period_from = models.DateField(_("from month"))
    period_to = models.DateField(_("to month"), null=True, blank=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    minimum = models.DecimalField(_("minimum"), null=True, blank=True, **MONEY)
    maximum = models.DecimalField(_("maximum"), null=True, blank=True, **MONEY)
    payment_method = models.CharField(_("payment method"), max_length=15, choices=PaymentMethod.choices, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    # The law it was computed with (empty for a suspension, resumption, revocation or ending).
    facts = models.JSONField(_("facts"), default=dict, blank=True)
    # The registry persons counted in the facts, in the order of the facts' household.
    member_ids = models.JSONField(_("persons counted"), default=list, blank=True)
    rules_version = models.CharField(_("rules version"), max_length=40, blank=True)
    formula_version = models.DateField(_("formula version"), null=True, blank=True)
    parameters = models.JSONField(_("parameters used"), default=dict, blank=True)
    eligible = models.BooleanField(_("eligible"), null=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    trace = models.JSONField(_("trace"), default=list, blank=True)
    justification = models.TextField(_("justification"), blank=True)
    # A consequence of a social contract refused or breached (art. 11 ust. 2 u.p.s.).
    contract = models.ForeignKey(
        "plans.SocialContract",
        verbose_name=_("social contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="benefit_decisions",
    )
    flag = models.ForeignKey(
        "plans.CaseFlag",
        verbose_name=_("case flag"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="benefit_decisions",
    )
    status = models.CharField(_("status"), max_length=10, choices=DecisionStatus.choices, default="proposed")
    state = models.CharField(_("state of the grant"), max_length=10, choices=GrantState.choices, blank=True)
    proposed_by = models.ForeignKey(User, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    approved_by = models.ForeignKey(
        User, verbose_name=_("approved by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    decided_on = models.DateField(_("date of the decision"), null=True, blank=True)
    returned_by = models.ForeignKey(
        User, verbose_name=_("returned by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_comment = models.TextField(_("comment on return"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    reference = models.CharField(_("decision number"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("benefit decision")
        verbose_name_plural = _("benefit decisions")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "year", "number"],
                condition=Q(number__isnull=False),
                name="decision_unique_number_per_centre_year",
            ),
            # Approved <=> numbered, dated and approved by someone; a proposal carries none of it.
            models.CheckConstraint(
                condition=Q(
                    status="approved",
                    number__isnull=False,
                    year__isnull=False,
                    approved_by__isnull=False,
                    decided_on__isnull=False,
                )
                | ~Q(status="approved") & Q(number__isnull=True, approved_by__isnull=True),
                name="decision_approved_numbered",
            ),
            # Four eyes, in the table too: nobody approves their own proposal.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("proposed_by")),
                name="decision_four_eyes",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="decision_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(period_to__isnull=True) | Q(period_to__gte=models.F("period_from")),
                name="decision_period_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(payment_method="bank_transfer") | ~Q(iban=""),
                name="decision_transfer_has_iban",
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "status", "-proposed_at"], name="decision_centre_status"),
            models.Index(fields=["case", "-proposed_at"], name="decision_case"),
            models.Index(fields=["centre", "state", "period_from"], name="decision_centre_state"),
        ]

    def __str__(self) -> str:
        return self.reference or f"{_('Proposal')} {self.pk}"

    def save(self, *args, **kwargs):
        # Never edited after approval: only the grant's state may change (by a later approved decision).
        update_fields = kwargs.get("update_fields")
        if not self._state.adding and self.pk:
            stored = Decision.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == DecisionStatus.APPROVED and (update_fields is None or set(update_fields) - {"state"}):
                raise EditingForbidden("An approved decision is never edited: decide a new one that changes it.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status == DecisionStatus.APPROVED:
            raise EditingForbidden("An approved decision is never deleted.")
        return super().delete(*args, **kwargs)

    @property
    def is_approved(self) -> bool:
        return self.status == DecisionStatus.APPROVED


class DecisionEventKind(models.TextChoices):
    PROPOSED = "proposed", _("Decision proposed")
    RETURNED = "returned", _("Proposal returned")
    APPROVED = "approved", _("Decision approved")
    STATE_CHANGED = "state_changed", _("Grant state changed")


class DecisionEvent(models.Model):
    """One row of a decision's history, for the case, household and person timelines. Append-only."""

    decision = models.ForeignKey(Decision, verbose_name=_("decision"), on_delete=models.PROTECT, related_name="events")
    case = models.ForeignKey("casework.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        Household, verbose_name=_("household"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(Person, verbose_name=_("party"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=DecisionEventKind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        User, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("decision event")
        verbose_name_plural = _("decision events")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["case", "at", "id"], name="decisionevent_case_at"),
            models.Index(fields=["household", "at", "id"], name="decisionevent_household_at"),
            models.Index(fields=["person", "at", "id"], name="decisionevent_person_at"),
        ]

    def __str__(self) -> str:
        return f"{self.decision_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise EditingForbidden("Decision events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise EditingForbidden("Decision events are append-only.")


class ApproverAuthorisation(models.Model):
    """The director's authorisation of a member of staff to approve benefit decisions (besides team
    leaders and the director, who approve by their role). Revoked, never deleted: the history stays."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        User, verbose_name=_("authorised staff member"), on_delete=models.PROTECT, related_name="approver_grants"
    )
    granted_by = models.ForeignKey(User, verbose_name=_("granted by"), on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    revoked_by = models.ForeignKey(
        User, verbose_name=_("revoked by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("authorisation to approve decisions")
        verbose_name_plural = _("authorisations to approve decisions")
        ordering = ["-granted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="approverauth_one_active_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ({self.granted_at:%Y-%m-%d})"


from socius.benefits.models_recalculation import *  # noqa: E402, F403  (set-based results and recalculation runs)
