"""Home visits and social work activities of a case; both are case content (see casework.permissions)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import User
from socius.common.models import TimeStamped
from socius.registry.models import Person

MAX_ACTIVITY_MINUTES = 600


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


# The only moves a visit may make; `record_visit_done` and `cancel_visit` refuse anything else (Conflict).
VISIT_TRANSITIONS: dict[str, frozenset[str]] = {
    VisitStatus.PLANNED: frozenset({VisitStatus.DONE, VisitStatus.CANCELLED}),
    VisitStatus.DONE: frozenset(),
    VisitStatus.CANCELLED: frozenset(),
}


class HomeVisit(TimeStamped):
    """A visit to the household (or single person) of a case: planned, then done or cancelled."""

    case = models.ForeignKey("casework.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="visits")
    planned_on = models.DateField(_("planned for"))
    # Times are optional (older visits have none): the timeline shows a day alone rather than a false 00:00.
    planned_time = models.TimeField(_("planned time"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_time = models.TimeField(_("time done"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.PLANNED)
    visitors = models.ManyToManyField(User, verbose_name=_("visitors"), related_name="home_visits")
    place = models.CharField(_("place"), max_length=250, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    next_visit = models.OneToOneField(
        "self", verbose_name=_("next visit"), null=True, blank=True, on_delete=models.SET_NULL, related_name="previous"
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Where the visit happened: the case's household's (or person's) locality when it was planned or done, so
    # the monthly report counts it there also after the family moves (issue 12).
    territory = models.ForeignKey(
        "accounts.Territory",
        verbose_name=_("locality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    AUDITED_FIELDS = (
        "planned_on",
        "planned_time",
        "done_on",
        "done_time",
        "status",
        "place",
        "purpose",
        "outcome",
        "cancel_reason",
    )

    class Meta:
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")
        ordering = ["-planned_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", done_on__isnull=False) | ~Q(status="done") & Q(done_on__isnull=True),
                name="homevisit_done_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "-planned_on"], name="homevisit_case_planned"),
            models.Index(fields=["status", "planned_on"], name="homevisit_status_planned"),
            models.Index(fields=["status", "done_on"], name="homevisit_status_done"),  # visits done in a month
            # The monthly report: a month's visits done by locality and case from this index alone (issue 12).
            models.Index(fields=["status", "done_on"], include=["case", "territory"], name="homevisit_report_month"),
        ]

    def __str__(self) -> str:
        return f"{_('Home visit')} {self.pk}"


class ActivityType(models.TextChoices):
    """The forms of social work (PL: ustawa o pomocy społecznej, art. 45 and art. 6 pt 12)."""

    INFORMATION = "information", _("Information")
    GUIDANCE = "guidance", _("Guidance")
    COUNSELLING = "counselling", _("Counselling")
    SUPPORTIVE_CONVERSATION = "supportive_conversation", _("Supportive conversation")
    NEGOTIATION_MEDIATION = "negotiation_mediation", _("Negotiation or mediation")
    ADVOCACY = "advocacy", _("Advocacy")
    CORRECTIVE_SERVICES = "corrective_services", _("Corrective services")


class SocialWorkActivity(TimeStamped):
    """Social work done with the family of a case. `notes` is sensitive content."""

    case = models.ForeignKey(
        "casework.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="activities"
    )
    type = models.CharField(_("type"), max_length=30, choices=ActivityType.choices)
    performed_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(MAX_ACTIVITY_MINUTES)]
    )
    participants = models.ManyToManyField(
        Person, verbose_name=_("participants"), blank=True, related_name="social_work_activities"
    )
    performed_by = models.ForeignKey(User, verbose_name=_("performed by"), on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    AUDITED_FIELDS = ("type", "performed_on", "duration_minutes", "performed_by")

    class Meta:
        verbose_name = _("social work activity")
        verbose_name_plural = _("social work activities")
        ordering = ["-performed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=MAX_ACTIVITY_MINUTES),
                name="activity_duration_bounds",
            ),
        ]
        indexes = [models.Index(fields=["case", "-performed_on"], name="activity_case_performed")]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.performed_on}"
