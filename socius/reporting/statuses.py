"""Kinds of report, the states of a report's version and the moves between them (decision 0017)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    MONTHLY_ACTIVITY = "monthly_activity", _("Monthly activity report")
    MRPIPS_03 = "mrpips_03", _("MRPiPS-03 report on social assistance benefits")
    OZPS = "ozps", _("Assessment of social assistance resources (OZPS)")
    LT_CASH_ASSISTANCE = "lt_cash_assistance", _("Quarterly report on cash social assistance")
    MD_YEARLY_AID = "md_yearly_aid", _("Yearly figures on social aid and cold-season aid")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Superseded")


# A draft is approved by the director (its figures and their fingerprints are frozen); an approved version is
# superseded when a later version of the same report is approved. Nothing moves back: the old version stays.
VERSION_TRANSITIONS: dict[str, frozenset[str]] = {
    VersionStatus.DRAFT: frozenset({VersionStatus.APPROVED}),
    VersionStatus.APPROVED: frozenset({VersionStatus.SUPERSEDED}),
    VersionStatus.SUPERSEDED: frozenset(),
}


class NarrativeStatus(models.TextChoices):
    """The narrative block the head of service writes: edited freely, then signed off (which locks it until the
    version is approved or a new version is issued)."""

    EMPTY = "empty", _("Not written")
    WRITTEN = "written", _("Written")
    SIGNED = "signed", _("Signed off")
