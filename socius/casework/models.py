"""Contacts (citizens heard), cases with their reference numbers, shares and append-only timeline."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import Centre, Team, Territory, User
from socius.casework.statuses import CaseStatus, ClosureReason
from socius.common.models import TimeStamped
from socius.registry.models import Household, Person


class ContactChannel(models.TextChoices):
    OFFICE = "office", _("At the office")
    PHONE = "phone", _("Phone")
    HOME = "home", _("At home")
    OUTREACH = "outreach", _("Outreach")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")


class Contact(TimeStamped):
    """One time a citizen was heard. Persons may be unknown (an anonymous contact still counts).

    Topics and outcomes are codes from the centre's jurisdiction pack (validated by the service), kept
    as JSON lists so a pack can add codes without a migration.
    """

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField(_("date and time"))
    channel = models.CharField(_("channel"), max_length=10, choices=ContactChannel.choices)
    persons = models.ManyToManyField(Person, verbose_name=_("persons"), blank=True, related_name="contacts")
    household = models.ForeignKey(
        Household, verbose_name=_("household"), null=True, blank=True, on_delete=models.PROTECT, related_name="contacts"
    )
    topics = models.JSONField(_("topics"), default=list, blank=True)
    outcomes = models.JSONField(_("what was done"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    handled_by = models.ForeignKey(User, verbose_name=_("handled by"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Where the contact happened, as the registry knew it then (the household's or first person's locality):
    # the monthly report counts an event where it happened, also after the family moves (issue 12).
    territory = models.ForeignKey(
        Territory, verbose_name=_("locality"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["centre", "-occurred_at"], name="contact_centre_occurred"),
            # The monthly report counts a month's contacts by locality and channel from this index alone
            # (an index-only scan, issue 12's benchmark); PostgreSQL only keeps the included columns.
            models.Index(
                fields=["centre", "occurred_at"], include=["territory", "channel"], name="contact_report_month"
            ),
            models.Index(fields=["handled_by", "-occurred_at"], name="contact_handler_occurred"),
        ]

    def __str__(self) -> str:
        return f"{_('Contact')} {self.pk}"


class CaseCounter(models.Model):
    """The last reference number given per centre and year; its row lock serialises numbering."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["centre", "year"], name="casecounter_unique_centre_year")]

    def __str__(self) -> str:
        return f"{self.centre_id}/{self.year}: {self.last_number}"


class Case(TimeStamped):
    """A case of a household or of a single person (exactly one of the two), worked by one worker.

    `circumstances`, `notes` and the timeline are content: see `casework.permissions` for who may read
    them. Status moves only through `casework.services.change_case_status`.
    """

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    number = models.PositiveIntegerField(_("number"), editable=False)
    reference = models.CharField(_("reference number"), max_length=20, editable=False)
    household = models.ForeignKey(
        Household, verbose_name=_("household"), null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    circumstances = models.JSONField(_("qualifying circumstances"), default=list)
    assigned_worker = models.ForeignKey(
        User, verbose_name=_("assigned worker"), on_delete=models.PROTECT, related_name="assigned_cases"
    )
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPENED)
    closure_reason = models.CharField(_("closure reason"), max_length=30, choices=ClosureReason.choices, blank=True)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # Where the case was opened (the household's or person's locality then): the reports count the case, its
    # contracts and referrals there (issue 12, docs/decisions/0017-reporting.md).
    territory = models.ForeignKey(
        Territory, verbose_name=_("locality"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(_("notes"), blank=True)
    shared_with = models.ManyToManyField(
        User,
        verbose_name=_("shared with"),
        through="CaseShare",
        through_fields=("case", "user"),
        blank=True,
        related_name="shared_cases",
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    AUDITED_FIELDS = (
        "household", "person", "circumstances", "assigned_worker", "team", "status", "closure_reason",
        "opened_on", "closed_on",
    )  # fmt: skip

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "reference"], name="case_unique_reference_per_centre"),
            models.UniqueConstraint(fields=["centre", "year", "number"], name="case_unique_number_per_centre_year"),
            models.CheckConstraint(
                condition=Q(household__isnull=False, person__isnull=True)
                | Q(household__isnull=True, person__isnull=False),
                name="case_household_xor_person",
            ),
            # Closed <=> a closure reason and date; an open case carries neither.
            models.CheckConstraint(
                condition=Q(status=CaseStatus.CLOSED, closed_on__isnull=False) & ~Q(closure_reason="")
                | ~Q(status=CaseStatus.CLOSED) & Q(closed_on__isnull=True, closure_reason=""),
                name="case_closure_consistent",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="case_dates_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "status", "-opened_on"], name="case_centre_status_opened"),
            models.Index(fields=["assigned_worker", "status"], name="case_worker_status"),
            models.Index(fields=["team", "status"], name="case_team_status"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED

    @property
    def client_name(self) -> str:
        """Whose case it is, in words: the person's name, or the household's (see Household.display_name;
        `casework.selectors.attach_case_clients` names a list of cases in one query)."""
        return self.person.full_name if self.person_id else self.household.display_name


class CaseShare(models.Model):
    """Explicit access to a case's content for a member of staff who does not hold it."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="shares")
    user = models.ForeignKey(User, verbose_name=_("shared with"), on_delete=models.CASCADE, related_name="case_shares")
    shared_by = models.ForeignKey(
        User, verbose_name=_("shared by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_at = models.DateTimeField(_("shared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("case share")
        verbose_name_plural = _("case shares")
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="caseshare_unique_case_user")]

    def __str__(self) -> str:
        return f"{self.case_id} -> {self.user_id}"


class CaseEventKind(models.TextChoices):
    OPENED = "opened", _("Case opened")
    STATUS_CHANGED = "status_changed", _("Status changed")
    REASSIGNED = "reassigned", _("Reassigned")
    SHARED = "shared", _("Shared")
    UNSHARED = "unshared", _("Sharing withdrawn")
    NOTE = "note", _("Note")
    VISIT_PLANNED = "visit_planned", _("Home visit planned")
    VISIT_DONE = "visit_done", _("Home visit done")
    VISIT_CANCELLED = "visit_cancelled", _("Home visit cancelled")
    ACTIVITY_RECORDED = "activity_recorded", _("Social work recorded")
    REFERRAL_SENT = "referral_sent", _("Referral sent")
    REFERRAL_RECEIVED = "referral_received", _("Referral received")
    # The value stays within the column's 20 characters.
    REFERRAL_STATUS_CHANGED = "referral_status", _("Referral status changed")
    DOCUMENT_ATTACHED = "document_attached", _("Document attached")
    DOCUMENT_REMOVED = "document_removed", _("Document removed")


class AppendOnlyError(Exception):
    """A timeline row was about to be changed or deleted."""


class CaseEvent(models.Model):
    """One row of a case's timeline. Append-only: written once by a service, never updated or deleted."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        User, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CaseEventKind.choices)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at", "id"], name="caseevent_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Case events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Case events are append-only.")


# Partners and referrals, visits and activities live in their own modules; imported here so the app
# registry sees them.
from socius.casework.models_documents import CaseDocument, DocumentKind  # noqa: E402, F401
from socius.casework.models_referrals import Partner, PartnerKind, Referral, ReferralDirection  # noqa: E402, F401
from socius.casework.models_visits import ActivityType, HomeVisit, SocialWorkActivity, VisitStatus  # noqa: E402, F401
