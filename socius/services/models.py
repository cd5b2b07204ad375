"""Social services: the centre's offer of the pack's catalogue (price, capacity), providers and their staff,
service decisions with their co-payment, waiting lists, weekly rosters, deliveries and monthly statements
(decision 0016).

Tables only; writes go through the services of `catalogue.py`, `decisions.py`, `waiting.py`, `rosters.py`,
`deliveries.py` and `statements.py`, reads through the selectors. What a service is (its name in each language,
unit, statutory code) comes from the jurisdiction pack's catalogue (rulebook `services.catalogue`): rows here
hold only its code.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import Centre, User
from socius.common.models import TimeStamped
from socius.registry.models import Household, Person
from socius.services.statuses import (
    DecisionStatus,
    DeliveryOutcome,
    MissedReason,
    QuantityPer,
    RosterStatus,
    ServiceUnit,
    StatementStatus,
    VisitStatus,
    WaitingPriority,
    WaitingStatus,
    WorkerKind,
)

MONEY = {"max_digits": 12, "decimal_places": 2}
UNITS = {"max_digits": 8, "decimal_places": 2}


# --- the offer: prices, providers, capacity, staff ----------------------------------------------------


class ServiceOffer(models.Model):
    """A service of the catalogue that the centre offers, at a unit cost from a date (the municipality's price
    for an hour of home help, a trip, a meal), with the centre's own weekly capacity in units. A new price is a
    new row: the cost of a day is the row in force that day."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    service_code = models.CharField(_("service"), max_length=60)
    valid_from = models.DateField(_("valid from"))
    unit_cost = models.DecimalField(_("unit cost"), **MONEY)
    capacity_per_week = models.DecimalField(
        _("capacity per week (units)"), null=True, blank=True, **UNITS
    )  # the centre's own staff; none = not limited
    cost_source = models.CharField(
        _("source of the price"), max_length=300, blank=True
    )  # e.g. the council's resolution
    is_active = models.BooleanField(_("offered"), default=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    AUDITED_FIELDS = ("service_code", "valid_from", "unit_cost", "capacity_per_week", "cost_source", "is_active")

    class Meta:
        verbose_name = _("service offer")
        verbose_name_plural = _("service offers")
        ordering = ["service_code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "service_code", "valid_from"], name="offer_once_per_day"),
            models.CheckConstraint(condition=Q(unit_cost__gte=0), name="offer_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.service_code} {self.valid_from:%Y-%m-%d}"


class Provider(TimeStamped):
    """A contracted provider of services (an NGO, a company); the centre's own staff need no row."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    partner = models.ForeignKey(
        "casework.Partner", verbose_name=_("partner institution"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    contract_reference = models.CharField(_("contract"), max_length=100, blank=True)
    contract_from = models.DateField(_("contract from"), null=True, blank=True)
    contract_until = models.DateField(_("contract until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    AUDITED_FIELDS = ("name", "partner", "contract_reference", "contract_from", "contract_until", "is_active")

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["centre", "name"], name="provider_unique_name_per_centre")]

    def __str__(self) -> str:
        return self.name


class ProviderCapacity(models.Model):
    """How many units of a service a provider can deliver per week under its contract."""

    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.CASCADE, related_name="capacities"
    )
    service_code = models.CharField(_("service"), max_length=60)
    units_per_week = models.DecimalField(_("capacity per week (units)"), **UNITS)

    class Meta:
        verbose_name = _("provider capacity")
        verbose_name_plural = _("provider capacities")
        constraints = [
            models.UniqueConstraint(fields=["provider", "service_code"], name="capacity_once_per_service"),
            models.CheckConstraint(condition=Q(units_per_week__gte=0), name="capacity_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.service_code}: {self.units_per_week}"


class ServiceWorker(TimeStamped):
    """A carer, driver or canteen worker who can be put on a roster: a member of the centre's staff (with a
    login, to record their day from a phone) or a provider's worker. Contracted weekly hours bound the roster."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    user = models.OneToOneField(
        User, verbose_name=_("staff account"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="service_worker",
    )  # fmt: skip
    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), null=True, blank=True, on_delete=models.PROTECT, related_name="workers"
    )  # none: the centre's staff
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("role"), max_length=10, choices=WorkerKind.choices, default=WorkerKind.CARER)
    weekly_hours = models.DecimalField(_("contracted hours per week"), max_digits=5, decimal_places=2)
    service_codes = models.JSONField(_("services delivered"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    AUDITED_FIELDS = ("user", "provider", "name", "kind", "weekly_hours", "service_codes", "is_active")

    class Meta:
        verbose_name = _("carer or driver")
        verbose_name_plural = _("carers and drivers")
        ordering = ["name", "id"]
        constraints = [models.CheckConstraint(condition=Q(weekly_hours__gt=0), name="worker_hours_positive")]

    def __str__(self) -> str:
        return self.name


# --- decisions and the co-payment ---------------------------------------------------------------------


class ServiceDecision(TimeStamped):
    """Who receives what, how much per week or month, from when to when, delivered by whom.

    Drafted by a worker who reads the case, issued by someone who may approve decisions (not its drafter);
    an issued decision is suspended, resumed or ended, never edited: a change is a new decision. The
    co-payment is a `CopaymentAssessment` (history, newest in force)."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "casework.Case", verbose_name=_("case"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="service_decisions",
    )  # fmt: skip
    person = models.ForeignKey(
        Person, verbose_name=_("client"), on_delete=models.PROTECT, related_name="service_decisions"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # the client's household on the day of the decision (for the timeline and the income)
    service_code = models.CharField(_("service"), max_length=60)
    unit = models.CharField(_("unit"), max_length=10, choices=ServiceUnit.choices)  # copied from the catalogue
    quantity = models.DecimalField(_("quantity"), **UNITS)
    per = models.CharField(_("per"), max_length=5, choices=QuantityPer.choices, default=QuantityPer.WEEK)
    # The usual week: [{"weekday": 0-6 (Monday 0), "start": "HH:MM", "units": "2"}], what the roster plans from.
    weekly_pattern = models.JSONField(_("usual week"), default=list, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )  # none: the centre's staff
    status = models.CharField(_("status"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT)
    number = models.CharField(_("number"), max_length=40, blank=True)  # given when issued
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    drafted_by = models.ForeignKey(User, verbose_name=_("drafted by"), on_delete=models.PROTECT, related_name="+")
    issued_by = models.ForeignKey(
        User, verbose_name=_("issued by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("reason for ending"), blank=True)
    # svc (0003): the suspension in course, and the income facts the drafter gave for the co-payment assessed
    # when the decision is issued ({"income": "1234.00", "household_size": 1, "lives_alone": true}; {} = none).
    suspended_on = models.DateField(_("suspended on"), null=True, blank=True)
    suspension_reason = models.TextField(_("reason for suspending"), blank=True)
    copayment_facts = models.JSONField(_("income facts for the co-payment"), default=dict, blank=True)
    waiting_entry = models.OneToOneField(
        "services.WaitingListEntry", verbose_name=_("from the waiting list"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="decision",
    )  # fmt: skip

    AUDITED_FIELDS = (
        "case", "person", "service_code", "unit", "quantity", "per", "weekly_pattern", "starts_on", "ends_on",
        "provider", "status", "number", "legal_basis", "notes", "issued_by", "issued_on", "ended_on", "end_reason",
        "suspended_on", "suspension_reason", "copayment_facts",
    )  # fmt: skip

    class Meta:
        verbose_name = _("service decision")
        verbose_name_plural = _("service decisions")
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["centre", "service_code", "status"], name="svcdec_centre_service"),
            models.Index(fields=["person", "-starts_on"], name="svcdec_person"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="svcdec_quantity_positive"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="svcdec_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"{self.service_code} #{self.pk}"


class CopaymentAssessment(models.Model):
    """The client's co-payment for a decision from a date, computed by the pack's dated rules with its trace.

    What is due for a month is `min(cost × share_of_cost_percent / 100, income × income_cap_percent / 100)`
    (the cap only where the rule sets one), zero when `free`; the statement applies it to the month's cost."""

    decision = models.ForeignKey(
        ServiceDecision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="copayments"
    )
    valid_from = models.DateField(_("valid from"))
    income = models.DecimalField(_("monthly income"), **MONEY)  # the client's (single) or per person (family)
    household_size = models.PositiveSmallIntegerField(_("persons in the household"))
    lives_alone = models.BooleanField(_("lives alone"))
    free = models.BooleanField(_("free of charge"))
    share_of_cost_percent = models.DecimalField(_("share of the cost (%)"), max_digits=6, decimal_places=2)
    income_cap_percent = models.DecimalField(
        _("at most this share of income (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    rule_version = models.DateField(_("rule version"))  # the date the applied rule took effect
    rules_version = models.CharField(_("rules version"), max_length=40, blank=True)
    trace = models.JSONField(_("explanation"), default=list)  # the engine's steps (as the benefits' traces)
    computed_by = models.ForeignKey(User, verbose_name=_("computed by"), on_delete=models.PROTECT, related_name="+")
    computed_at = models.DateTimeField(_("computed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("co-payment")
        verbose_name_plural = _("co-payments")
        ordering = ["decision", "-valid_from", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "valid_from"], name="copayment_once_per_day"),
            models.CheckConstraint(
                condition=Q(share_of_cost_percent__gte=0) & Q(share_of_cost_percent__lte=100),
                name="copayment_share_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision_id} {self.valid_from:%Y-%m-%d}"


# --- waiting lists --------------------------------------------------------------------------------------


class WaitingListEntry(TimeStamped):
    """A person waiting for a service, with a priority and its reason; placed when a decision is issued."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    service_code = models.CharField(_("service"), max_length=60)
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "casework.Case", verbose_name=_("case"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=WaitingPriority.choices, default=WaitingPriority.NORMAL
    )
    reason = models.TextField(_("reason for the priority"))
    requested_on = models.DateField(_("requested on"))
    status = models.CharField(_("status"), max_length=10, choices=WaitingStatus.choices, default=WaitingStatus.WAITING)
    placed_on = models.DateField(_("placed on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawing"), blank=True)
    created_by = models.ForeignKey(User, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+")

    AUDITED_FIELDS = (
        "service_code",
        "person",
        "case",
        "priority",
        "reason",
        "requested_on",
        "status",
        "withdrawn_reason",
    )

    class Meta:
        verbose_name = _("waiting list entry")
        verbose_name_plural = _("waiting list entries")
        ordering = ["priority", "requested_on", "id"]
        indexes = [models.Index(fields=["centre", "service_code", "status"], name="waiting_centre_service")]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "service_code", "person"],
                condition=Q(status="waiting"),
                name="waiting_once_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_code} {self.person_id}"


# --- rosters, visits, deliveries -------------------------------------------------------------------------


class Roster(TimeStamped):
    """A week's plan of visits and trips for the centre (Monday to Sunday)."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    week_start = models.DateField(_("week starting"))  # a Monday
    status = models.CharField(_("status"), max_length=10, choices=RosterStatus.choices, default=RosterStatus.DRAFT)
    generated_by = models.ForeignKey(
        User, verbose_name=_("generated by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_by = models.ForeignKey(
        User, verbose_name=_("published by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("roster")
        verbose_name_plural = _("rosters")
        ordering = ["-week_start"]
        constraints = [models.UniqueConstraint(fields=["centre", "week_start"], name="roster_once_per_week")]

    def __str__(self) -> str:
        return f"{self.week_start:%Y-%m-%d}"


class Visit(models.Model):
    """A planned visit or trip: a worker, a client's decision, a day and time, how many units."""

    roster = models.ForeignKey(Roster, verbose_name=_("roster"), on_delete=models.CASCADE, related_name="visits")
    decision = models.ForeignKey(
        ServiceDecision, verbose_name=_("decision"), on_delete=models.PROTECT, related_name="visits"
    )
    worker = models.ForeignKey(ServiceWorker, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="visits")
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"))
    units = models.DecimalField(_("units"), **UNITS)
    status = models.CharField(_("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.PLANNED)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["date", "starts_at", "id"]
        indexes = [
            models.Index(fields=["worker", "date"], name="visit_worker_date"),
            models.Index(fields=["decision", "date"], name="visit_decision_date"),
        ]
        constraints = [models.CheckConstraint(condition=Q(units__gt=0), name="visit_units_positive")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.starts_at:%H:%M}"


class Delivery(models.Model):
    """What happened: units delivered (hours, trips, meals) on a day under a decision, or a missed visit with its
    reason. The monthly statement sums these rows."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(
        ServiceDecision, verbose_name=_("decision"), on_delete=models.PROTECT, related_name="deliveries"
    )
    visit = models.OneToOneField(
        Visit, verbose_name=_("visit"), null=True, blank=True, on_delete=models.PROTECT, related_name="delivery"
    )
    worker = models.ForeignKey(
        ServiceWorker, verbose_name=_("worker"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=DeliveryOutcome.choices)
    units = models.DecimalField(_("units delivered"), **UNITS)  # 0 when missed
    missed_reason = models.CharField(_("reason missed"), max_length=20, choices=MissedReason.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["centre", "date"], name="delivery_centre_date"),
            models.Index(fields=["decision", "date"], name="delivery_decision_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(outcome="delivered") & Q(units__gt=0) & Q(missed_reason=""))
                | (Q(outcome="missed") & Q(units=0) & ~Q(missed_reason="")),
                name="delivery_outcome_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.units}"


# --- monthly statements ----------------------------------------------------------------------------------


class MonthlyStatement(TimeStamped):
    """A client's statement for a month: the services delivered, their cost and the co-payment due.

    `lines` holds one row per decision: service code, unit, units delivered, unit cost(s), cost, share, due;
    the totals are stored beside. `payment_reference` is what the client writes on a transfer so that the
    payments issue's statement import can match it (the fee-collection link, decision 0016)."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, verbose_name=_("client"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))  # the first day of the month
    number = models.CharField(_("number"), max_length=40)
    status = models.CharField(
        _("status"), max_length=10, choices=StatementStatus.choices, default=StatementStatus.DRAFT
    )
    lines = models.JSONField(_("lines"), default=list)
    total_units = models.DecimalField(_("units delivered"), **UNITS)
    total_cost = models.DecimalField(_("cost"), **MONEY)
    total_due = models.DecimalField(_("co-payment due"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    payment_reference = models.CharField(_("payment reference"), max_length=35, blank=True)
    generated_at = models.DateTimeField(_("generated at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        User, verbose_name=_("issued by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    replaces = models.ForeignKey(
        "self", verbose_name=_("replaces"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("monthly statement")
        verbose_name_plural = _("monthly statements")
        ordering = ["-month", "person_id"]
        indexes = [models.Index(fields=["centre", "month"], name="svcstatement_centre_month")]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "person", "month"],
                condition=~Q(status="cancelled"),
                name="svcstatement_once_per_month",
            ),
            models.UniqueConstraint(fields=["centre", "number"], name="svcstatement_number_unique"),
        ]

    def __str__(self) -> str:
        return self.number
