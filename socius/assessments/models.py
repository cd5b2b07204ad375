"""Assessments of a case: the environmental interview (PL), ancheta socială (MD), need assessment (LT).

An assessment keeps the instrument code and version it was started with; a new version of an
instrument never changes an old assessment. Answers are JSON keyed section code → field code, in the
storage form of `socius.assessments.answers` (dates and decimals as ISO text).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import User
from socius.common.models import TimeStamped


class AssessmentKind(models.TextChoices):
    INITIAL = "initial", _("Initial assessment")
    UPDATE = "update", _("Update")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMPLETED = "completed", _("Completed")
    SIGNED = "signed", _("Signed")


# The only moves an assessment may make; the services refuse anything else (Conflict).
ASSESSMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    AssessmentStatus.DRAFT: frozenset({AssessmentStatus.COMPLETED}),
    AssessmentStatus.COMPLETED: frozenset({AssessmentStatus.SIGNED}),
    AssessmentStatus.SIGNED: frozenset(),
}


class Assessment(TimeStamped):
    """One interview or assessment of a case's household (or person), filled in on an instrument version."""

    case = models.ForeignKey(
        "casework.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="assessments"
    )
    instrument_code = models.CharField(_("instrument"), max_length=60)
    instrument_version = models.CharField(_("instrument version"), max_length=20)
    kind = models.CharField(_("kind"), max_length=10, choices=AssessmentKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    need_identified_on = models.DateField(
        _("need identified on"), help_text=_("The day the centre learned that the assessment is needed.")
    )
    urgent = models.BooleanField(_("urgent"), default=False)
    permanent_help = models.BooleanField(
        _("on permanent help"), default=False, help_text=_("The household receives a permanent form of help.")
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    renewal_due_on = models.DateField(_("renewal due on"), null=True, blank=True)
    diagnosis = models.TextField(_("diagnosis"), blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-need_identified_on", "-id"]
        indexes = [
            models.Index(fields=["case", "status"], name="assessment_case_status"),
            models.Index(fields=["status", "due_on"], name="assessment_status_due"),
            models.Index(fields=["renewal_due_on"], name="assessment_renewal_due"),
        ]
        constraints = [
            models.CheckConstraint(
                name="assessment_completed_has_date",
                condition=Q(status="draft") | Q(completed_on__isnull=False),
            ),
            models.CheckConstraint(
                name="assessment_signed_has_date",
                condition=~Q(status="signed") | Q(signed_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_code} {self.instrument_version} ({self.case_id})"


class AssessmentEventKind(models.TextChoices):
    STARTED = "started", _("Assessment started")
    DRAFT_SAVED = "draft_saved", _("Assessment draft saved")
    COMPLETED = "completed", _("Assessment completed")
    SIGNED = "signed", _("Assessment signed")


class AppendOnlyError(Exception):
    """An assessment event was about to be changed or deleted."""


class AssessmentEvent(models.Model):
    """The assessment's part of the case timeline (kept here so casework's event kinds stay untouched).
    Append-only: written once by a service, never updated or deleted."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.PROTECT, related_name="events"
    )
    case = models.ForeignKey(
        "casework.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="assessment_events"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        User, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AssessmentEventKind.choices)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("assessment event")
        verbose_name_plural = _("assessment events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at", "id"], name="assessmentevent_case_at")]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Assessment events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Assessment events are append-only.")
