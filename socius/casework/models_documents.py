"""Documents attached to a case (scans, photos, PDFs): case content, stored under names that reveal nothing."""

from __future__ import annotations

import os
import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socius.accounts.models import User


class DocumentKind(models.TextChoices):
    SCAN = "scan", _("Scan")
    PHOTO = "photo", _("Photo")
    PDF = "pdf", _("PDF document")
    LETTER = "letter", _("Letter")
    OTHER = "other", _("Other")


# The stored name's extension follows the sniffed type, never the uploaded name.
EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png", "image/tiff": ".tif"}


def document_path(instance: CaseDocument, filename: str) -> str:
    """documents/<centre>/<yyyy>/<uuid><ext>: no person's name, case number or original name on disk."""
    ext = EXTENSIONS.get(instance.content_type) or os.path.splitext(filename)[1].lower()[:8]
    year = (instance.uploaded_at or timezone.now()).year
    return f"documents/{instance.case.centre_id}/{year:04d}/{uuid.uuid4().hex}{ext}"


class CaseDocument(models.Model):
    """A file attached to a case. Removal is soft (the row and file stay for the audit trail)."""

    case = models.ForeignKey(
        "casework.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("document type"), max_length=10, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        User, verbose_name=_("uploaded by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    is_deleted = models.BooleanField(_("removed"), default=False)
    deleted_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        User, verbose_name=_("removed by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["case", "is_deleted", "-uploaded_at"], name="casedoc_case_uploaded")]

    def __str__(self) -> str:
        return self.title
