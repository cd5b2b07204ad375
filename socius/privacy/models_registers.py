"""The data protection officer's registers (decision 0024): the register of processing activities (GDPR art. 30)
and the log of personal data breaches (art. 33 ust. 5), per centre."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import Centre, User


class ProcessingActivity(models.Model):
    """One entry of the centre's register of processing activities. Seeded from the pack's model entries (`code`),
    then kept by the centre; an entry no longer carried out is ended (`is_active`), never deleted."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code in the pack"), max_length=40, blank=True)
    name = models.CharField(_("processing activity"), max_length=200)
    purpose = models.TextField(_("purposes of the processing"))
    legal_basis = models.TextField(_("legal basis"))
    data_subjects = models.TextField(_("categories of data subjects"))
    data_categories = models.TextField(_("categories of personal data"))
    recipients = models.TextField(_("categories of recipients"), blank=True)
    transfers = models.TextField(_("transfers to third countries"), blank=True)
    retention = models.TextField(_("time limits for erasure"))
    retention_keys = models.JSONField(_("retention record types of the pack"), default=list, blank=True)
    security_measures = models.TextField(_("technical and organisational security measures"))
    source = models.TextField(_("source"), blank=True)
    is_active = models.BooleanField(_("carried out"), default=True)
    created_by = models.ForeignKey(User, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    AUDITED_FIELDS = (
        "code", "name", "purpose", "legal_basis", "data_subjects", "data_categories", "recipients", "transfers",
        "retention", "retention_keys", "security_measures", "is_active",
    )  # fmt: skip
    EDITABLE_FIELDS = (
        "name", "purpose", "legal_basis", "data_subjects", "data_categories", "recipients", "transfers", "retention",
        "security_measures", "is_active",
    )  # fmt: skip

    class Meta:
        verbose_name = _("processing activity")
        verbose_name_plural = _("processing activities")
        ordering = ["-is_active", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "code"], condition=~Q(code=""), name="processing_activity_code_once_per_centre"
            )
        ]

    def __str__(self) -> str:
        return self.name


class BreachRisk(models.TextChoices):
    """Art. 33 ust. 1 and art. 34 ust. 1: what the breach risks for the persons decides whom to tell."""

    UNLIKELY = "unlikely", _("Unlikely to result in a risk")
    RISK = "risk", _("A risk to the rights and freedoms of persons")
    HIGH = "high", _("A high risk to the rights and freedoms of persons")


class BreachNature(models.TextChoices):
    CONFIDENTIALITY = "confidentiality", _("Confidentiality (disclosure, unauthorised access)")
    INTEGRITY = "integrity", _("Integrity (unauthorised change)")
    AVAILABILITY = "availability", _("Availability (loss, destruction)")


class DataBreach(models.Model):
    """One personal data breach in the centre's log (art. 33 ust. 5: the facts, the effects and the remedial
    action, whether notified or not). `notification_due_at` is the pack's deadline counted from discovery, fixed
    when the breach is recorded."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("incident"), max_length=200)
    discovered_at = models.DateTimeField(_("discovered at"))
    occurred_at = models.DateTimeField(_("occurred at"), null=True, blank=True)
    nature = models.CharField(_("nature of the breach"), max_length=16, choices=BreachNature.choices)
    description = models.TextField(_("what happened"))
    data_categories = models.TextField(_("categories of data concerned"))
    subjects_count = models.PositiveIntegerField(_("approximate number of persons concerned"))
    records_count = models.PositiveIntegerField(_("approximate number of records concerned"), null=True, blank=True)
    consequences = models.TextField(_("likely consequences"))
    measures = models.TextField(_("measures taken or proposed"))
    risk = models.CharField(_("risk"), max_length=10, choices=BreachRisk.choices)
    authority = models.CharField(_("supervisory authority"), max_length=200)
    notification_due_at = models.DateTimeField(_("to be notified by"))
    notified_at = models.DateTimeField(_("notified to the authority at"), null=True, blank=True)
    notification_reference = models.CharField(_("notification reference"), max_length=100, blank=True)
    delay_reason = models.TextField(_("reasons for the delay"), blank=True)
    not_notified_reason = models.TextField(_("why the authority was not notified"), blank=True)
    persons_informed_at = models.DateTimeField(_("persons informed at"), null=True, blank=True)
    persons_informed_how = models.TextField(_("how the persons were informed"), blank=True)
    recorded_by = models.ForeignKey(User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    AUDITED_FIELDS = (
        "title", "discovered_at", "occurred_at", "nature", "description", "data_categories", "subjects_count",
        "records_count", "consequences", "measures", "risk", "authority", "notification_due_at", "notified_at",
        "notification_reference", "delay_reason", "not_notified_reason", "persons_informed_at", "persons_informed_how",
    )  # fmt: skip

    class Meta:
        verbose_name = _("personal data breach")
        verbose_name_plural = _("personal data breaches")
        ordering = ["-discovered_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def notified_in_time(self) -> bool | None:
        """Notified within the deadline (None: not notified yet)."""
        if self.notified_at is None:
            return None
        return self.notified_at <= self.notification_due_at
