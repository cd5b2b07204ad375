"""Subject-access requests (GDPR art. 15): who asked for a person's data, who approved, and the export produced."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import Centre, User
from socius.privacy.statuses import ExportState, Requester, SarChannel, SarStatus
from socius.registry.models import Person


def export_path(instance: SubjectAccessRequest, filename: str) -> str:
    """subject-access/<centre>/<uuid>.zip: no person's name on disk (behind the storage API, S3 or a folder)."""
    return f"subject-access/{instance.centre_id}/{uuid.uuid4().hex}.zip"


class SubjectAccessRequest(models.Model):
    """A person's request to see everything the centre holds about them, and its export (a ZIP of JSON + PDF)."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="subject_access_requests"
    )
    received_on = models.DateField(_("received on"))
    received_by = models.ForeignKey(User, verbose_name=_("received by"), on_delete=models.PROTECT, related_name="+")
    requester = models.CharField(_("requested by"), max_length=20, choices=Requester.choices)
    representative_name = models.CharField(_("representative"), max_length=200, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=SarChannel.choices)
    language = models.CharField(_("language of the export"), max_length=8, choices=settings.LANGUAGES)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=SarStatus.choices, default=SarStatus.REQUESTED)
    approved_by = models.ForeignKey(
        User, verbose_name=_("approved by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    refused_by = models.ForeignKey(
        User, verbose_name=_("refused by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    refused_at = models.DateTimeField(_("refused at"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    export_state = models.CharField(
        _("export"), max_length=10, choices=ExportState.choices, default=ExportState.NONE, blank=True
    )
    export_file = models.FileField(_("export file"), upload_to=export_path, max_length=200, blank=True)
    export_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    export_size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    exported_at = models.DateTimeField(_("produced at"), null=True, blank=True)
    delivered_by = models.ForeignKey(
        User, verbose_name=_("delivered by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("subject access request")
        verbose_name_plural = _("subject access requests")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["centre", "status", "-received_on"], name="sar_centre_status")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=SarStatus.REFUSED) | ~models.Q(refusal_reason=""),
                name="sar_refusal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"SAR {self.pk} ({self.received_on})"

    @property
    def is_ready(self) -> bool:
        return self.export_state == ExportState.READY and bool(self.export_file)
